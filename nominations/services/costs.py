"""Record what representation costs: coordinator time and expenses, and the public body paying."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlmodel import Session

from nominations.actors import Actor
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import Vacancy
from nominations.db.term_models import Appointment, CostEntry
from nominations.errors import NominationsError
from nominations.services.audit_log import append_event

UNITS = {"coordinator_time": "minutes", "expense": "amount_pence"}  # each kind's one measure
MAX_FUNDER = 200
MAX_AMOUNT = 2**31 - 1  # the columns are 32-bit integers on PostgreSQL
Row = TypeVar("Row", Vacancy, Appointment)


class CostError(NominationsError):
    """A cost was not recorded, or a report not made; the message says why. Nothing was written."""


@dataclass(frozen=True)
class CostInput:
    """One cost as a coordinator enters it: time in minutes, or money in pence, never both."""

    kind: str
    funder: str
    incurred_on: date
    minutes: int = 0
    amount_pence: int = 0
    vacancy_id: int | None = None
    appointment_id: int | None = None
    description: str = ""


def check_amounts(cost: CostInput) -> None:
    """The kind is known, its own measure is above zero and the other measure is unused."""
    if cost.kind not in UNITS:
        raise CostError(f"the kind of cost must be coordinator_time or expense, not {cost.kind!r}")
    if cost.kind == "coordinator_time" and cost.amount_pence:
        raise CostError("coordinator time is counted in minutes, not money: record the money as an expense")
    if cost.kind == "expense" and cost.minutes:
        raise CostError("an expense is counted in money, not minutes: record the time as coordinator_time")
    measure = UNITS[cost.kind]
    value = getattr(cost, measure)
    what, unit = ("time spent", "minutes") if measure == "minutes" else ("amount paid", "pence")
    if value <= 0:
        raise CostError(f"the {what} must be more than zero, not {value} {unit}")
    if value > MAX_AMOUNT:
        raise CostError(f"{value} {unit} is more than one entry can hold; split it into several entries")


def clean_funder(funder: str) -> str:
    """The funder's name with spaces tidied (so totals group it once), or a refusal."""
    name = " ".join(funder.split())
    if not name:
        raise CostError("name the public body that funds this cost (the funder)")
    if len(name) > MAX_FUNDER:
        raise CostError(f"the funder's name is {len(name)} characters long; keep it to {MAX_FUNDER}")
    return name


def _row(session: Session, table: type[Row], row_id: int | None) -> Row | None:
    row = None if row_id is None else session.get(table, row_id)
    if row_id is not None and row is None:
        raise CostError(f"there is no {table.__name__.lower()} {row_id}")
    return row


def _seat(session: Session, cost: CostInput) -> Vacancy | Appointment:
    """The vacancy or appointment the cost belongs to, checking that both are one seat."""
    if cost.vacancy_id is None and cost.appointment_id is None:
        raise CostError("say which vacancy or appointment the cost is for")
    vacancy = _row(session, Vacancy, cost.vacancy_id)
    appointment = _row(session, Appointment, cost.appointment_id)
    if vacancy is not None and appointment is not None:
        # The same seat: the vacancy it was filled from, or the one opened to fill it after this term.
        linked = vacancy.id in (appointment.vacancy_id, appointment.successor_vacancy_id)
        if not linked and vacancy.previous_appointment_id != appointment.id:
            raise CostError(
                f"appointment {appointment.id} is not in the seat of vacancy {vacancy.id} "
                f"(it filled vacancy {appointment.vacancy_id}); give one or the other"
            )
    seat = appointment or vacancy
    assert seat is not None
    return seat


def record_cost(db: Database, clock: Clock, cost: CostInput, actor: Actor) -> int:
    """Record one cost with its audit event and return its id; a refusal writes nothing."""
    check_amounts(cost)
    funder = clean_funder(cost.funder)
    now = clock.now()
    today = now.date()
    if cost.incurred_on > today:
        raise CostError(f"the cost is dated {cost.incurred_on}, which is after today ({today})")
    with db.transaction() as session:
        seat = _seat(session, cost)
        entry = CostEntry(
            network_id=seat.network_id,
            partnership_id=seat.partnership_id,
            vacancy_id=cost.vacancy_id,
            appointment_id=cost.appointment_id,
            kind=cost.kind,
            minutes=cost.minutes,
            amount_pence=cost.amount_pence,
            funder=funder,
            description=cost.description.strip(),
            incurred_on=cost.incurred_on,
            recorded_at=now,
            recorded_by=str(actor),
        )
        session.add(entry)
        session.flush()
        assert entry.id is not None
        # The description stays out: free text may name people, and the hashed chain is forever.
        payload = {
            "partnership_id": entry.partnership_id,
            "vacancy_id": entry.vacancy_id,
            "appointment_id": entry.appointment_id,
            "kind": entry.kind,
            "minutes": entry.minutes,
            "amount_pence": entry.amount_pence,
            "funder": entry.funder,
            "incurred_on": entry.incurred_on.isoformat(),
        }
        append_event(
            session,
            occurred_at=now,
            actor=actor,
            action="record_cost",
            entity_type="cost",
            entity_id=entry.id,
            payload=payload,
        )
        return entry.id
