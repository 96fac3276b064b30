"""Tick off or waive induction steps; the last required one makes the appointment active."""

from __future__ import annotations

from sqlmodel import Session

from nominations.actors import Actor
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.term_models import Appointment, InductionItem
from nominations.errors import NominationsError, NotFoundError
from nominations.services.audit_log import append_event
from nominations.services.facts import appointment_facts
from nominations.services.transitions import TransitionService

WAIVERS = frozenset({"coordinator"})  # only the coordinator may waive a step, with a reason


class InductionError(NominationsError):
    """An induction step that cannot be ticked or waived now."""


def representative(appointment_id: int) -> Actor:
    """The actor for a representative acting through their own link."""
    return Actor("representative", f"appointment:{appointment_id}")


class Induction:
    def __init__(self, db: Database, clock: Clock, transitions: TransitionService) -> None:
        self.db = db
        self.clock = clock
        self.transitions = transitions

    def tick(self, appointment_id: int, key: str, actor: Actor) -> str:
        """Mark a step done; return the appointment's state afterwards."""
        with self.db.transaction() as session:
            return self._change(session, appointment_id, key, actor, "done", None)

    def waive(self, appointment_id: int, key: str, actor: Actor, reason: str) -> str:
        """Waive a step (a coordinator's decision, with its reason); return the state afterwards."""
        reason = reason.strip()
        if actor.kind not in WAIVERS:
            raise InductionError(f"only a coordinator may waive an induction step, not a {actor.kind}")
        if not reason:
            raise InductionError("waiving an induction step records a decision: give a reason")
        with self.db.transaction() as session:
            return self._change(session, appointment_id, key, actor, "waived", reason)

    def _change(
        self, session: Session, appointment_id: int, key: str, actor: Actor, status: str, reason: str | None
    ) -> str:
        appointment = session.get(Appointment, appointment_id, with_for_update=True)
        if appointment is None:
            raise NotFoundError(f"there is no appointment {appointment_id}")
        if appointment.status != "inducting":
            raise InductionError(
                f"the induction is over: the appointment is {appointment.status.replace('_', ' ')}"
            )
        item = session.get(InductionItem, (appointment_id, key))
        if item is None:
            raise NotFoundError(f"appointment {appointment_id} has no induction step {key!r}")
        if item.status != "open":
            raise InductionError(f"'{item.text}' is already {item.status}")
        now = self.clock.now()
        item.status, item.done_at, item.done_by, item.waive_reason = status, now, str(actor), reason
        session.add(item)
        session.flush()
        append_event(
            session,
            occurred_at=now,
            actor=actor,
            action=f"induction_step_{status}",
            entity_type="appointment",
            entity_id=appointment_id,
            reason=reason,
            payload={"step": key},
        )
        engine = self.transitions.workflows[appointment.workflow]
        if "complete_induction" in engine.allowed("inducting", appointment_facts(session, appointment, now)):
            self.transitions.fire_in(
                session, appointment_id, "complete_induction", actor=actor, entity="appointment"
            )
            return "active"
        return appointment.status
