"""Fire a trigger on a vacancy: one transaction holding the state change, its intents and its audit event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, update

from nominations.actors import Actor
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import Vacancy
from nominations.errors import (
    ActionFailedError,
    ActorNotAllowedError,
    ConflictError,
    NominationsError,
    NotFoundError,
    ReasonRequiredError,
)
from nominations.mail.render import MailRenderer
from nominations.services.audit_log import append_event
from nominations.services.effects import EffectRunner
from nominations.services.facts import gather_facts
from nominations.services.protocols import protocol_for, workflow_parameters
from nominations.services.workflows import WorkflowSet
from nominations.workflow.vocabulary import DEADLINE_FIELDS


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
    """The one way a vacancy changes state."""

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
    ) -> Outcome:
        """Fire `trigger` in its own transaction; raise a TransitionRefused subclass if it is not done."""
        with self.db.transaction() as session:
            return self.fire_in(
                session, vacancy_id, trigger, actor=actor, reason=reason, expected_version=expected_version
            )

    def fire_in(
        self,
        session: Session,
        vacancy_id: int,
        trigger: str,
        *,
        actor: Actor,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> Outcome:
        """Fire inside the caller's transaction (the worker claims a timer in the same one)."""
        vacancy = session.get(Vacancy, vacancy_id)
        if vacancy is None:
            raise NotFoundError(f"there is no vacancy {vacancy_id}")
        if expected_version is not None and vacancy.version != expected_version:
            raise ConflictError(_conflict(vacancy_id, expected_version, vacancy.version))
        engine = self.workflows[vacancy.workflow]
        reason = (reason or "").strip() or None
        _check_actor_and_reason(engine.candidates(vacancy.status, trigger), trigger, actor, reason)
        now = self.clock.now()
        deadlines = {name: getattr(vacancy, name) for name in DEADLINE_FIELDS}
        parameters = workflow_parameters(protocol_for(session, vacancy))
        facts = gather_facts(session, vacancy)
        attempt = engine.attempt(vacancy.status, trigger, facts, now, deadlines, parameters)

        changed = session.exec(
            update(Vacancy)
            .where(
                col(Vacancy.id) == vacancy_id,
                col(Vacancy.version) == vacancy.version,
                col(Vacancy.status) == vacancy.status,
            )
            .values(status=attempt.dest, version=vacancy.version + 1)
        )
        if changed.rowcount != 1:
            raise ConflictError(_conflict(vacancy_id, vacancy.version, None))
        set_committed_value(vacancy, "status", attempt.dest)
        set_committed_value(vacancy, "version", vacancy.version + 1)

        runner = EffectRunner(session, vacancy, now, reason, self.renderer, self.base_url)
        try:
            log = runner.apply(attempt.intents)
        except (NominationsError, SQLAlchemyError, ValueError) as exc:
            raise ActionFailedError(
                f"{trigger} on vacancy {vacancy_id} failed and was undone: {exc}"
            ) from exc
        payload = {"workflow": engine.name, "version": vacancy.version, **log.as_payload()}
        event = append_event(
            session,
            occurred_at=now,
            actor=actor,
            action=trigger,
            entity_type="vacancy",
            entity_id=vacancy_id,
            from_state=attempt.source,
            to_state=attempt.dest,
            reason=reason,
            payload=payload,
        )
        return Outcome(vacancy_id, trigger, attempt.source, attempt.dest, vacancy.version, event.seq, payload)

    def allowed(self, vacancy_id: int, actor_kind: str | None = None) -> list[str]:
        """The triggers this vacancy would accept now (and from this kind of actor, if given)."""
        with self.db.transaction() as session:
            vacancy = session.get(Vacancy, vacancy_id)
            if vacancy is None:
                raise NotFoundError(f"there is no vacancy {vacancy_id}")
            engine = self.workflows[vacancy.workflow]
            triggers = engine.allowed(vacancy.status, gather_facts(session, vacancy))
            if actor_kind is None:
                return triggers
            return [
                t for t in triggers if any(actor_kind in c.by for c in engine.candidates(vacancy.status, t))
            ]


def _conflict(vacancy_id: int, expected: int, found: int | None) -> str:
    now = f"it is now at version {found}" if found is not None else "it changed while this was being done"
    return (
        f"vacancy {vacancy_id} was changed by someone else (you had version {expected}; {now}); "
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
