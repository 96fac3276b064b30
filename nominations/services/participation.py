"""What a partnership does outside the state machine: request a seat."""

from __future__ import annotations

from dataclasses import dataclass

from nominations.actors import Actor
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import (
    Partnership,
    Vacancy,
)
from nominations.equality import EQUALITY_SECTORS
from nominations.errors import NominationsError, NotFoundError
from nominations.services.audit_log import append_event
from nominations.services.workflows import WorkflowSet


class ParticipationError(NominationsError):
    """A nomination or vote that the rules do not allow."""


@dataclass(frozen=True)
class SeatRequest:
    """Everything the source document says a partnership's request must carry."""

    title: str
    terms_of_reference: str
    membership_details: str
    knowledge_skills: str
    time_commitment: str
    meeting_schedule: str
    kind: str = "representative"
    seats: int = 1
    term_months: int = 24
    equality_sector: str | None = None


class Participation:
    def __init__(self, db: Database, clock: Clock, workflows: WorkflowSet) -> None:
        self.db = db
        self.clock = clock
        self.workflows = workflows

    def request_seat(self, partnership_id: int, request: SeatRequest, actor: Actor) -> int:
        """Create a vacancy in its workflow's first state; return its id."""
        if request.kind not in {"representative", "expert"}:
            raise ParticipationError(f"kind must be representative or expert, not {request.kind!r}")
        if request.seats < 1:
            raise ParticipationError("a request must be for at least one seat")
        if request.equality_sector is not None and request.equality_sector not in EQUALITY_SECTORS:
            known = ", ".join(EQUALITY_SECTORS)
            raise ParticipationError(
                f"unknown equality sector {request.equality_sector!r}; expected one of {known}"
            )
        # An expert is selected by a panel on its own route; a representative is elected.
        workflow = "expert" if request.kind == "expert" else "vacancy"
        with self.db.transaction() as session:
            partnership = session.get(Partnership, partnership_id)
            if partnership is None:
                raise NotFoundError(f"there is no partnership {partnership_id}")
            now = self.clock.now()
            vacancy = Vacancy(
                network_id=partnership.network_id,
                partnership_id=partnership_id,
                workflow=workflow,
                status=self.workflows[workflow].definition.initial,
                created_at=now,
                **vars(request),
            )
            session.add(vacancy)
            session.flush()
            assert vacancy.id is not None
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                action="request",
                entity_type="vacancy",
                entity_id=vacancy.id,
                to_state=vacancy.status,
                payload={"partnership_id": partnership_id, "seats": request.seats, "kind": request.kind},
            )
            return vacancy.id
