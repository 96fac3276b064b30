"""Factories for seats to attach term records to: networks, partnerships, vacancies, appointments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nominations.db.engine import Database
from nominations.db.models import Network, Partnership, Vacancy
from nominations.db.term_models import Appointment

START = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)


def add_partnership(db: Database, network_id: int, name: str) -> int:
    with db.transaction() as session:
        row = Partnership(
            network_id=network_id, name=name, contact_name="Pat Ner", contact_email="p@x.example"
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def add_network(db: Database, name: str) -> int:
    with db.transaction() as session:
        row = Network(name=name, coordinator_name="Cora", coordinator_email="cora@network.example")
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def add_vacancy(db: Database, partnership_id: int, previous_appointment_id: int | None = None) -> int:
    """A filled vacancy of the partnership (or one re-electing `previous_appointment_id`'s seat)."""
    with db.transaction() as session:
        network_id = session.get_one(Partnership, partnership_id).network_id
        row = Vacancy(
            network_id=network_id,
            partnership_id=partnership_id,
            status="filled",
            title="VCS representative",
            created_at=START,
            previous_appointment_id=previous_appointment_id,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def add_appointment(db: Database, vacancy_id: int, person: str = "Alice Able") -> int:
    """An active representative appointed from the vacancy, with a two-year term."""
    with db.transaction() as session:
        vacancy = session.get_one(Vacancy, vacancy_id)
        row = Appointment(
            network_id=vacancy.network_id,
            partnership_id=vacancy.partnership_id,
            vacancy_id=vacancy_id,
            status="active",
            person_name=person,
            person_email=f"{person.lower().replace(' ', '.')}@example.org",
            created_at=START,
            term_start_at=START,
            term_end_at=START + timedelta(days=730),
            reelection_at=START + timedelta(days=640),
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def add_seat(db: Database, partnership_id: int, person: str = "Alice Able") -> tuple[int, int]:
    """A vacancy and the appointment that filled it: (vacancy id, appointment id)."""
    vacancy_id = add_vacancy(db, partnership_id)
    return vacancy_id, add_appointment(db, vacancy_id, person)
