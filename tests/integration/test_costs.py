"""The cost of representation: recording time and expenses, every refusal, and the totals."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from nominations.actors import Actor
from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.db.models import AuditEvent
from nominations.db.term_models import Appointment, CostEntry
from nominations.services.audit_verify import verify
from nominations.services.cost_report import CostFilter, CostRow, cost_report, total, write_csv
from nominations.services.costs import CostError, CostInput, record_cost
from tests.integration.conftest import World, count
from tests.utils.seats import add_network, add_partnership, add_seat, add_vacancy

ME = Actor("coordinator", "c1")
TODAY = date(2026, 3, 2)  # the clock fixture's day
TIME = CostInput(kind="coordinator_time", funder="Safer Town Council", incurred_on=TODAY, minutes=90)
EXPENSE = CostInput(
    kind="expense", funder="Police and Crime Commissioner", incurred_on=TODAY, amount_pence=1250
)


def written(db: Database) -> tuple[int, int]:
    with db.transaction() as session:
        return count(session, CostEntry), count(session, AuditEvent)


def test_time_and_expenses_are_recorded_against_the_seat_with_an_audit_event(world: World) -> None:
    db, clock = world.app.db, world.clock
    vacancy, appointment = add_seat(db, world.partnership_id, "Alice Able")
    before = written(db)
    time_id = record_cost(db, clock, replace(TIME, vacancy_id=vacancy, description="Shortlisting Alice"), ME)
    money_id = record_cost(db, clock, replace(EXPENSE, appointment_id=appointment), ME)
    assert written(db) == (before[0] + 2, before[1] + 2)
    with db.transaction() as session:
        time, money = session.get_one(CostEntry, time_id), session.get_one(CostEntry, money_id)
        events = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "cost")).all()
    assert (time.partnership_id, time.network_id) == (world.partnership_id, world.network_id)
    assert (money.partnership_id, money.vacancy_id, money.appointment_id) == (
        world.partnership_id,
        None,
        appointment,
    )
    assert (time.minutes, time.amount_pence, money.minutes, money.amount_pence) == (90, 0, 0, 1250)
    assert (time.recorded_by, time.recorded_at, time.description) == (
        "coordinator:c1",
        clock.now(),
        "Shortlisting Alice",
    )
    assert [(e.action, e.entity_id, e.actor_type, e.actor_id) for e in events] == [
        ("record_cost", str(time_id), "coordinator", "c1"),
        ("record_cost", str(money_id), "coordinator", "c1"),
    ]
    assert json.loads(events[0].payload) == {
        "partnership_id": world.partnership_id,
        "vacancy_id": vacancy,
        "appointment_id": None,
        "kind": "coordinator_time",
        "minutes": 90,
        "amount_pence": 0,
        "funder": "Safer Town Council",
        "incurred_on": "2026-03-02",
    }
    # Personal data stays out of the chain: not the person's name, not the free-text description.
    assert "Alice" not in events[0].payload + events[1].payload
    assert verify(db).ok


def test_a_cost_may_name_the_vacancy_and_the_appointment_of_one_seat(world: World) -> None:
    db, clock = world.app.db, world.clock
    vacancy, appointment = add_seat(db, world.partnership_id)
    reelection = add_vacancy(db, world.partnership_id, previous_appointment_id=appointment)
    successor = add_vacancy(db, world.partnership_id)
    with db.transaction() as session:
        session.get_one(Appointment, appointment).successor_vacancy_id = successor
    for vid in (vacancy, reelection, successor):
        cost_id = record_cost(db, clock, replace(TIME, vacancy_id=vid, appointment_id=appointment), ME)
        with db.transaction() as session:
            assert session.get_one(CostEntry, cost_id).vacancy_id == vid


def test_today_and_a_200_character_funder_are_accepted(world: World) -> None:
    vacancy, _ = add_seat(world.app.db, world.partnership_id)
    entry = replace(TIME, vacancy_id=vacancy, funder="  Safer   Town " + "x" * 185 + "  ")
    cost_id = record_cost(world.app.db, world.clock, entry, ME)
    with world.app.db.transaction() as session:
        assert session.get_one(CostEntry, cost_id).funder == "Safer Town " + "x" * 185


REFUSALS = {
    "zero minutes": (dict(minutes=0), "the time spent must be more than zero, not 0 minutes"),
    "negative minutes": (dict(minutes=-30), "the time spent must be more than zero, not -30 minutes"),
    "zero money": (
        dict(kind="expense", minutes=0, amount_pence=0),
        "the amount paid must be more than zero, not 0 pence",
    ),
    "negative money": (
        dict(kind="expense", minutes=0, amount_pence=-500),
        "the amount paid must be more than zero, not -500 pence",
    ),
    "too much": (dict(minutes=2**31), "2147483648 minutes is more than one entry can hold"),
    "minutes on an expense": (
        dict(kind="expense", minutes=30, amount_pence=500),
        "an expense is counted in money, not minutes: record the time as coordinator_time",
    ),
    "money on time": (
        dict(amount_pence=500),
        "coordinator time is counted in minutes, not money: record the money as an expense",
    ),
    "unknown kind": (
        dict(kind="travel"),
        "the kind of cost must be coordinator_time or expense, not 'travel'",
    ),
    "blank funder": (dict(funder=" \t "), "name the public body that funds this cost (the funder)"),
    "long funder": (dict(funder="x" * 201), "the funder's name is 201 characters long; keep it to 200"),
    "future": (
        dict(incurred_on=TODAY + timedelta(days=1)),
        "the cost is dated 2026-03-03, which is after today (2026-03-02)",
    ),
    "no seat": (dict(vacancy_id=None), "say which vacancy or appointment the cost is for"),
    "unknown vacancy": (dict(vacancy_id=9999), "there is no vacancy 9999"),
    "unknown appointment": (dict(vacancy_id=None, appointment_id=9999), "there is no appointment 9999"),
}


@pytest.mark.parametrize("change, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refused_cost_says_why_and_writes_nothing(
    world: World, change: dict[str, object], message: str
) -> None:
    vacancy, _ = add_seat(world.app.db, world.partnership_id)
    entry = replace(TIME, vacancy_id=vacancy)
    before = written(world.app.db)
    with pytest.raises(CostError) as refused:
        record_cost(world.app.db, world.clock, replace(entry, **change), ME)  # type: ignore[arg-type]
    assert str(refused.value).startswith(message)
    assert written(world.app.db) == before


@pytest.mark.parametrize("elsewhere", [False, True], ids=["same partnership", "other partnership"])
def test_a_vacancy_and_an_appointment_of_different_seats_are_refused(world: World, elsewhere: bool) -> None:
    db = world.app.db
    vacancy, _ = add_seat(db, world.partnership_id)
    partnership = add_partnership(db, world.network_id, "Health Board") if elsewhere else world.partnership_id
    other_vacancy, other_appointment = add_seat(db, partnership, "Bob Baker")
    before = written(db)
    with pytest.raises(CostError) as refused:
        record_cost(db, world.clock, replace(TIME, vacancy_id=vacancy, appointment_id=other_appointment), ME)
    assert str(refused.value) == (
        f"appointment {other_appointment} is not in the seat of vacancy {vacancy} "
        f"(it filled vacancy {other_vacancy}); give one or the other"
    )
    assert written(db) == before


@pytest.fixture
def costed(world: World) -> World:
    """Costs in two partnerships of the test network and one of another network, over two years."""
    db, clock = world.app.db, world.clock
    seat, _ = add_seat(db, world.partnership_id)
    health = add_vacancy(db, add_partnership(db, world.network_id, "Health and Wellbeing Board"))
    elsewhere = add_vacancy(db, add_partnership(db, add_network(db, "Other Network"), "Other Partnership"))
    for vacancy, kind, amount, funder, on in [
        (seat, "coordinator_time", 95, "Safer Town Council", date(2025, 5, 1)),
        (seat, "coordinator_time", 15, "  Safer  Town Council ", date(2025, 6, 1)),
        (seat, "expense", 1250, "Police and Crime Commissioner", date(2025, 6, 2)),
        (health, "expense", 299, "Safer Town Council", date(2026, 1, 10)),
        (health, "coordinator_time", 45, "NHS Integrated Care Board", date(2026, 3, 2)),
        (elsewhere, "expense", 10000, "Other Council", date(2025, 6, 1)),
    ]:
        measure = {"minutes": amount} if kind == "coordinator_time" else {"amount_pence": amount}
        entry = CostInput(kind=kind, funder=funder, incurred_on=on, vacancy_id=vacancy, **measure)  # type: ignore[arg-type]
        record_cost(db, clock, entry, ME)
    return world


def test_the_report_totals_each_partnership_in_network_and_name_order(costed: World) -> None:
    rows = cost_report(costed.app.db, "partnership")
    assert rows == [
        CostRow("Other Partnership", "Other Network", 1, 0, 10000),
        CostRow("Health and Wellbeing Board", "Test Network", 2, 45, 299),
        CostRow("Safer Town Partnership", "Test Network", 3, 110, 1250),
    ]
    assert [(r.hours, r.pounds) for r in rows] == [
        (Decimal("0.0"), Decimal("100.00")),
        (Decimal("0.8"), Decimal("2.99")),
        (Decimal("1.8"), Decimal("12.50")),
    ]
    assert total(rows) == CostRow("Total", "", 6, 155, 11549)
    assert total(rows).hours == Decimal("2.6")  # 2.583…, rounded to one decimal


def test_the_report_by_funder_can_be_limited_to_dates_and_a_network(costed: World) -> None:
    db = costed.app.db
    year = CostFilter(date(2025, 6, 1), date(2026, 1, 10), costed.network_id)
    rows = cost_report(db, "funder", year)
    assert rows == [
        CostRow("Police and Crime Commissioner", "", 1, 0, 1250),
        CostRow("Safer Town Council", "", 2, 15, 299),  # spaces tidied, so one funder, not two
    ]
    assert rows[1].hours == Decimal("0.3")  # 0.25 hours: a half is rounded up, not to even
    assert cost_report(db, "funder", CostFilter(start=date(2026, 3, 3))) == []
    assert [r.label for r in cost_report(db, "funder", CostFilter(end=date(2025, 5, 31)))] == [
        "Safer Town Council"
    ]


@pytest.mark.parametrize(
    "by, where, message",
    [
        ("person", CostFilter(), "a report is by partnership or by funder, not by 'person'"),
        ("funder", CostFilter(date(2026, 2, 1), date(2026, 1, 1)), "the report would start on 2026-02-01"),
        ("funder", CostFilter(network_id=9999), "there is no network 9999"),
    ],
)
def test_a_report_that_cannot_be_made_says_why(
    costed: World, by: str, where: CostFilter, message: str
) -> None:
    with pytest.raises(CostError, match=message):
        cost_report(costed.app.db, by, where)


def test_the_csv_keeps_formulas_from_running(db: Database, clock: FakeClock, world: World) -> None:
    vacancy, _ = add_seat(db, world.partnership_id)
    for funder in ['=HYPERLINK("http://evil")', "+1", "-1", "@SUM(A1)", "Plain Council"]:
        record_cost(db, clock, replace(EXPENSE, funder=funder, vacancy_id=vacancy), ME)
    out = io.StringIO()
    write_csv(cost_report(db, "funder"), "funder", out)
    lines = list(csv.reader(io.StringIO(out.getvalue())))
    assert lines[0] == ["funder", "entries", "minutes", "hours", "pence", "pounds"]
    assert lines[1:] == [
        ["'+1", "1", "0", "0.0", "1250", "12.50"],
        ["'-1", "1", "0", "0.0", "1250", "12.50"],
        ['\'=HYPERLINK("http://evil")', "1", "0", "0.0", "1250", "12.50"],
        ["'@SUM(A1)", "1", "0", "0.0", "1250", "12.50"],
        ["Plain Council", "1", "0", "0.0", "1250", "12.50"],
    ]
    out = io.StringIO()
    write_csv(cost_report(db, "partnership"), "partnership", out)
    assert out.getvalue().splitlines()[1] == "Test Network,Safer Town Partnership,5,0,0.0,6250,62.50"
