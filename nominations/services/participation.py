"""What partnerships and member organisations do outside the state machine: request, nominate, vote."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlmodel import Session, select

from nominations.actors import Actor
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import (
    BallotPaper,
    ElectorateMember,
    Nomination,
    Partnership,
    Vacancy,
    VoteRecord,
)
from nominations.errors import NominationsError, NotFoundError
from nominations.services.audit_log import append_event
from nominations.services.recipients import valid_nominations
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
        with self.db.transaction() as session:
            partnership = session.get(Partnership, partnership_id)
            if partnership is None:
                raise NotFoundError(f"there is no partnership {partnership_id}")
            now = self.clock.now()
            vacancy = Vacancy(
                network_id=partnership.network_id,
                partnership_id=partnership_id,
                status=self.workflows["vacancy"].definition.initial,
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

    def nominate(
        self, vacancy_id: int, organisation_id: int, nominee_name: str, nominee_email: str, statement: str
    ) -> int:
        """A member organisation in the electorate nominates a candidate while the call is open."""
        with self.db.transaction() as session:
            self._member_of_open(session, vacancy_id, organisation_id, "nominations_open")
            now = self.clock.now()
            nomination = Nomination(
                vacancy_id=vacancy_id,
                organisation_id=organisation_id,
                nominee_name=nominee_name.strip(),
                nominee_email=nominee_email.strip(),
                statement=statement,
                created_at=now,
            )
            session.add(nomination)
            session.flush()
            assert nomination.id is not None
            append_event(
                session,
                occurred_at=now,
                actor=Actor("organisation", str(organisation_id)),
                action="nominate",
                entity_type="vacancy",
                entity_id=vacancy_id,
                payload={"nomination_id": nomination.id, "organisation_id": organisation_id},
            )
            return nomination.id

    def cast_vote(self, vacancy_id: int, organisation_id: int, choices: list[int]) -> None:
        """One vote per organisation; the register and the ballot paper share nothing."""
        with self.db.transaction() as session:
            vacancy = self._member_of_open(session, vacancy_id, organisation_id, "voting_open")
            if session.get(VoteRecord, (vacancy_id, organisation_id)) is not None:
                raise ParticipationError(
                    f"organisation {organisation_id} has already voted in vacancy {vacancy_id}"
                )
            candidates = {n.id for n in valid_nominations(session, vacancy_id)}
            if len(set(choices)) != len(choices) or not set(choices) <= candidates:
                raise ParticipationError("a ballot may only mark the candidates on it, each once")
            if len(choices) > vacancy.seats:
                raise ParticipationError(f"a ballot may mark at most {vacancy.seats} candidate(s)")
            session.add(VoteRecord(vacancy_id=vacancy_id, organisation_id=organisation_id))
            session.add(BallotPaper(id=secrets.token_hex(16), vacancy_id=vacancy_id, choices=list(choices)))
            append_event(
                session,
                occurred_at=self.clock.now(),
                actor=Actor("organisation", str(organisation_id)),
                action="vote",
                entity_type="vacancy",
                entity_id=vacancy_id,
                payload={"organisation_id": organisation_id},
            )

    def _member_of_open(self, session: Session, vacancy_id: int, organisation_id: int, state: str) -> Vacancy:
        # Lock the vacancy row so a concurrent close cannot slip between this check and the insert.
        vacancy = session.exec(select(Vacancy).where(Vacancy.id == vacancy_id).with_for_update()).first()
        if vacancy is None:
            raise NotFoundError(f"there is no vacancy {vacancy_id}")
        if vacancy.status != state:
            raise ParticipationError(f"vacancy {vacancy_id} is {vacancy.status}, not {state}")
        if session.get(ElectorateMember, (vacancy_id, organisation_id)) is None:
            raise ParticipationError(
                f"organisation {organisation_id} is not in the electorate of vacancy {vacancy_id}"
            )
        return vacancy
