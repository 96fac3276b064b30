"""Fire a trigger on a vacancy or an appointment: one transaction with its intents and its audit event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, update

from nominations.actors import Actor
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.errors import (
    ActionFailedError,
    ActorNotAllowedError,
    ConflictError,
    DatabaseUnavailableError,
    NominationsError,
    NotFoundError,
    ReasonRequiredError,
)
from nominations.mail.render import MailRenderer
from nominations.services.audit_log import append_event
from nominations.services.effects import EffectRunner, Step
from nominations.services.entity_kinds import KINDS
from nominations.services.workflows import WorkflowSet


@dataclass(frozen=True)
class Outcome:
    vacancy_id: int
    trigger: str
    from_state: str
    to_state: str
    version: int
    audit_seq: int
    payload: dict[str, Any]


class TransitionService:
    """The one way a vacancy or an appointment changes state."""

    def __init__(
        self, db: Database, clock: Clock, renderer: MailRenderer, workflows: WorkflowSet, base_url: str
    ) -> None:
        self.db = db
        self.clock = clock
        self.renderer = renderer
        self.workflows = workflows
        self.base_url = base_url

    def fire(
        self,
        vacancy_id: int,
        trigger: str,
        *,
        actor: Actor,
        reason: str | None = None,
        expected_version: int | None = None,
        entity: str = "vacancy",
    ) -> Outcome:
        """Fire `trigger` in its own transaction; raise a TransitionRefused subclass if it is not done."""
        for attempt in (1, 2):
            try:
                with self.db.transaction() as session:
                    return self.fire_in(
                        session,
                        vacancy_id,
                        trigger,
                        actor=actor,
                        reason=reason,
                        expected_version=expected_version,
                        entity=entity,
                    )
            except DatabaseUnavailableError as exc:
                # Lost before the commit, nothing was written: once more on a fresh connection.
                # Lost during it, the first try may have landed, and a second could double it.
                if exc.committing or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def fire_in(
        self,
        session: Session,
        vacancy_id: int,
        trigger: str,
        *,
        actor: Actor,
        reason: str | None = None,
        expected_version: int | None = None,
        entity: str = "vacancy",
    ) -> Outcome:
        """Fire inside the caller's transaction (the worker claims a timer in the same one).

        `entity` names what `vacancy_id` identifies: a vacancy, or an appointment.
        """
        kind = KINDS[entity]
        row = session.get(kind.model, vacancy_id)
        if row is None:
            raise NotFoundError(f"there is no {entity} {vacancy_id}")
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(_conflict(entity, vacancy_id, expected_version, row.version))
        engine = self.workflows[row.workflow]
        reason = (reason or "").strip() or None
        _check_actor_and_reason(engine.candidates(row.status, trigger), trigger, actor, reason)
        now = self.clock.now()
        deadlines = {name: getattr(row, name) for name in kind.words.deadline_fields}
        facts = kind.facts(session, row, now)
        attempt = engine.attempt(row.status, trigger, facts, now, deadlines, kind.parameters(session, row))

        model, version = kind.model, row.version
        changed = session.exec(
            update(model)
            .where(
                col(model.id) == vacancy_id,
                col(model.version) == version,
                col(model.status) == row.status,
            )
            .values(status=attempt.dest, version=version + 1)
        )
        if changed.rowcount != 1:
            raise ConflictError(_conflict(entity, vacancy_id, version, None))
        set_committed_value(row, "status", attempt.dest)
        # The UPDATE may already have synchronised the row in the session; set it, never add to it.
        set_committed_value(row, "version", version + 1)

        step = Step(session, row, now, reason, self.renderer, self.base_url, self._nested)
        try:
            log = EffectRunner(step, kind.domain).apply(attempt.intents)
        except (NominationsError, SQLAlchemyError, ValueError) as exc:
            if isinstance(exc, DBAPIError) and exc.connection_invalidated:
                raise  # the unit of work is lost, not this action: Database.transaction says so
            raise ActionFailedError(
                f"{trigger} on {entity} {vacancy_id} failed and was undone: {exc}"
            ) from exc
        payload = {"workflow": engine.name, "version": row.version, **log.as_payload()}
        event = append_event(
            session,
            occurred_at=now,
            actor=actor,
            action=trigger,
            entity_type=entity,
            entity_id=vacancy_id,
            from_state=attempt.source,
            to_state=attempt.dest,
            reason=reason,
            payload=payload,
        )
        return Outcome(vacancy_id, trigger, attempt.source, attempt.dest, row.version, event.seq, payload)

    def _nested(
        self, session: Session, entity: str, entity_id: int, trigger: str, actor: Actor, reason: str | None
    ) -> Outcome:
        return self.fire_in(session, entity_id, trigger, actor=actor, reason=reason, entity=entity)

    def allowed(
        self, vacancy_id: int, actor_kind: str | None = None, *, entity: str = "vacancy"
    ) -> list[str]:
        """The triggers this entity would accept now (and from this kind of actor, if given)."""
        kind = KINDS[entity]
        with self.db.transaction() as session:
            row = session.get(kind.model, vacancy_id)
            if row is None:
                raise NotFoundError(f"there is no {entity} {vacancy_id}")
            engine = self.workflows[row.workflow]
            triggers = engine.allowed(row.status, kind.facts(session, row, self.clock.now()))
            if actor_kind is None:
                return triggers
            return [t for t in triggers if any(actor_kind in c.by for c in engine.candidates(row.status, t))]


def _conflict(entity: str, entity_id: int, expected: int, found: int | None) -> str:
    now = f"it is now at version {found}" if found is not None else "it changed while this was being done"
    return (
        f"{entity} {entity_id} was changed by someone else (you had version {expected}; {now}); "
        "reload it and try again"
    )


def _check_actor_and_reason(candidates: list[Any], trigger: str, actor: Actor, reason: str | None) -> None:
    if not candidates:
        return  # the engine explains what is allowed from this state
    allowed = sorted({kind for c in candidates for kind in c.by})
    if actor.kind not in allowed:
        article = "an" if actor.kind[0] in "aeiou" else "a"
        raise ActorNotAllowedError(f"{article} {actor.kind} may not {trigger}; only: {', '.join(allowed)}")
    if reason is None and any(c.reason == "required" for c in candidates):
        raise ReasonRequiredError(f"{trigger} records a decision: give a reason")
