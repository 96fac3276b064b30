"""Fixtures for service tests: a wired app on the test database, and a small network to act on."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from nominations.actors import Actor
from nominations.bootstrap import App, build_app
from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.db.models import (
    AuditEvent,
    Network,
    Organisation,
    OutboxMessage,
    Partnership,
    Timer,
    Vacancy,
)
from nominations.eligibility import NominationInput
from nominations.services.participation import SeatRequest
from nominations.settings import Settings

COORDINATOR = Actor("coordinator", "c1")

# A seat whose nominations are valid as soon as they are made: for tests of the workflow's branches.
OPEN_SEAT: dict[str, object] = {
    "seconders_required": 0,
    "nominee_consent_required": False,
    "nominations_per_organisation": None,
}

REQUEST = SeatRequest(
    title="VCS representative",
    terms_of_reference="Reduce crime and the fear of crime.",
    membership_details="Council, police, fire, probation, health, one VCS seat.",
    knowledge_skills="Community safety; speaking for the sector.",
    time_commitment="6 hours a month",
    meeting_schedule="Second Tuesday, every other month",
)


@dataclass
class World:
    app: App
    clock: FakeClock
    network_id: int
    partnership_id: int
    orgs: list[int]

    def request(self, seats: int = 1, overrides: dict[str, object] | None = None) -> int:
        """A requested vacancy; by default its seat needs no seconder or consent (OPEN_SEAT)."""
        request = SeatRequest(**{**vars(REQUEST), "seats": seats})
        vid = self.app.participation.request_seat(
            self.partnership_id, request, Actor("partnership", str(self.partnership_id))
        )
        with self.app.db.transaction() as session:
            vacancy = session.get_one(Vacancy, vid)
            vacancy.protocol_overrides = OPEN_SEAT if overrides is None else overrides
            session.add(vacancy)
        return vid

    def fire(self, vacancy_id: int, trigger: str, reason: str | None = None) -> str:
        return self.app.transitions.fire(vacancy_id, trigger, actor=COORDINATOR, reason=reason).to_state

    def fire_timers(self) -> None:
        """Run the worker's timer half (no SMTP needed: mail stays queued)."""
        from nominations.services.timers import fire_due_timers

        fire_due_timers(self.app.transitions)

    def status(self, vacancy_id: int) -> str:
        with self.app.db.transaction() as session:
            return session.get_one(Vacancy, vacancy_id).status

    def nominate(self, vacancy_id: int, org_index: int, name: str = "Candidate", statement: str = "") -> int:
        email = f"{name.lower().replace(' ', '.')}.{org_index}@example.org"
        data = NominationInput(
            name,
            email,
            "",
            statement or f"{name} will speak for the sector.",
            frozenset({"not_employed_by_partnership"}),
            (),
        )
        return self.app.nominating.propose_for(vacancy_id, self.orgs[org_index], data)

    def vote(self, vacancy_id: int, org_index: int, choices: list[int]) -> str:
        return self.app.balloting.cast_for(vacancy_id, self.orgs[org_index], choices)


def count(session: Session, model: type, *where: object) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(*where)).one())  # type: ignore[arg-type]


def snapshot(db: Database) -> dict[str, int]:
    """Row counts of everything a transition writes, to show a refusal wrote nothing."""
    with db.transaction() as session:
        return {
            "audit": count(session, AuditEvent),
            "outbox": count(session, OutboxMessage),
            "timers": count(session, Timer),
        }


def make_world(
    db: Database, clock: FakeClock, *, members: int = 6, lapsed: int = 1, base_url: str = "http://localhost:8000"
) -> World:
    settings = Settings(database_url=db.url, mail_from="coordinator@network.example", base_url=base_url)
    app = build_app(settings, clock=clock, db=db)
    with db.transaction() as session:
        network = Network(
            name="Test Network",
            coordinator_name="Cora Ordinator",
            coordinator_email="coordinator@network.example",
        )
        session.add(network)
        session.flush()
        assert network.id is not None
        orgs = [
            Organisation(
                network_id=network.id,
                name=f"Org {i}",
                contact_name=f"Contact {i}",
                contact_email=f"contact{i}@org{i}.example",
                status="lapsed" if i >= members else "active",
            )
            for i in range(members + lapsed)
        ]
        session.add_all(orgs)
        partnership = Partnership(
            network_id=network.id,
            name="Safer Town Partnership",
            contact_name="Pat Ner",
            contact_email="pat@council.example",
        )
        session.add(partnership)
        session.flush()
        return World(app, clock, network.id, partnership.id or 0, [o.id for o in orgs if o.id])


@pytest.fixture
def world(db: Database, clock: FakeClock) -> Iterator[World]:
    yield make_world(db, clock)


def run(coro: object) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]
