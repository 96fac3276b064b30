"""`nominations costs add|report` as a coordinator runs them: output, files, one-line refusals."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from nominations.cli import app
from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.db.models import AuditEvent
from nominations.db.term_models import CostEntry
from tests.integration.conftest import World, count, make_world
from tests.utils.seats import add_partnership, add_seat

TODAY = "2026-03-02T09:00:00+00:00"


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Settings also read ./.env; run where there is none so only the test's settings count.
    monkeypatch.chdir(tmp_path)


def cli(db: Database | str, *args: str) -> Result:
    url = db if isinstance(db, str) else db.url
    env = {"NOMINATIONS_DATABASE_URL": url, "NOMINATIONS_FROZEN_CLOCK": TODAY, "COLUMNS": "200"}
    return CliRunner().invoke(app, list(args), env=env)


def written(db: Database) -> tuple[int, int]:
    with db.transaction() as session:
        return count(session, CostEntry), count(session, AuditEvent)


def refused(result: Result, code: int, message: str) -> None:
    """One clear line on stderr, nothing on stdout, and the exit code."""
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", message + "\n")


@pytest.fixture
def seat(db: Database, clock: FakeClock) -> tuple[World, int, int]:
    world = make_world(db, clock)
    vacancy, appointment = add_seat(db, world.partnership_id)
    return world, vacancy, appointment


def test_add_records_time_and_expenses_and_prints_each_id(db: Database, seat: tuple[World, int, int]) -> None:
    _, vacancy, appointment = seat
    time = cli(
        db,
        "costs",
        "add",
        "--kind",
        "coordinator_time",
        "--minutes",
        "90",
        "--vacancy",
        str(vacancy),
        "--funder",
        "Safer Town Council",
        "--on",
        "2026-02-27",
        "--description",
        "Shortlisting",
    )
    money = cli(
        db,
        "costs",
        "add",
        "--kind",
        "expense",
        "--amount",
        "£1,012.34",
        "--appointment",
        str(appointment),
        "--funder",
        "Police and Crime Commissioner",
    )
    assert (time.exit_code, time.stdout, money.exit_code, money.stdout) == (0, "1\n", 0, "2\n")
    with db.transaction() as session:
        first, second = session.get_one(CostEntry, 1), session.get_one(CostEntry, 2)
    assert (first.minutes, first.incurred_on, first.recorded_by, first.description) == (
        90,
        date(2026, 2, 27),
        "coordinator:cli",
        "Shortlisting",
    )
    assert (second.amount_pence, second.incurred_on, second.vacancy_id) == (101234, date(2026, 3, 2), None)


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--on", "2026-03-03"], 1, "the cost is dated 2026-03-03, which is after today (2026-03-02)"),
        (["--on", "last week"], 2, "--on: 'last week' is not a date like 2026-03-31"),
        (["--minutes", "-5"], 1, "the time spent must be more than zero, not -5 minutes"),
        (
            ["--amount", "3"],
            1,
            "coordinator time is counted in minutes, not money: record the money as an expense",
        ),
        (["--amount", "12.345"], 2, "--amount: '12.345' is not an amount in pounds and pence like 12.50"),
        (["--amount", "twelve"], 2, "--amount: 'twelve' is not an amount in pounds and pence like 12.50"),
        (["--funder", " "], 1, "name the public body that funds this cost (the funder)"),
        (["--vacancy", "999"], 1, "there is no vacancy 999"),
        (["--vacancy", "first"], 2, "--vacancy: 'first' is not a whole number"),
        (["--minutes", "1.5"], 2, "--minutes: '1.5' is not a whole number"),
        (["--kind", ""], 2, "--kind: say coordinator_time or expense"),
    ],
)
def test_add_refuses_in_one_line_and_writes_nothing(
    db: Database, seat: tuple[World, int, int], args: list[str], code: int, message: str
) -> None:
    _, vacancy, _ = seat
    good = ["--kind", "coordinator_time", "--minutes", "30", "--vacancy", str(vacancy), "--funder", "Council"]
    before = written(db)
    refused(cli(db, "costs", "add", *good, *args), code, message)
    assert written(db) == before


@pytest.fixture
def costed(db: Database, seat: tuple[World, int, int]) -> Database:
    world, vacancy, _ = seat
    health, _ = add_seat(db, add_partnership(db, world.network_id, "Health Board"), "Bob Baker")
    for vid, kind, measure, funder, on in [
        (vacancy, "coordinator_time", ["--minutes", "95"], "Safer Town Council", "2025-05-01"),
        (vacancy, "expense", ["--amount", "1250.50"], "=cmd|' /C calc'!A0", "2025-06-01"),
        (health, "coordinator_time", ["--minutes", "15"], "Safer Town Council", "2026-01-10"),
    ]:
        added = cli(
            db,
            "costs",
            "add",
            "--kind",
            kind,
            *measure,
            "--vacancy",
            str(vid),
            "--funder",
            funder,
            "--on",
            on,
        )
        assert added.exit_code == 0, added.stderr
    return db


def test_report_prints_a_table_per_partnership_with_a_total(costed: Database) -> None:
    result = cli(costed, "costs", "report")
    assert result.exit_code == 0, result.stderr
    lines = [
        " ".join(line.strip("│┃ ").replace("│", " ").replace("┃", " ").split())
        for line in result.stdout.splitlines()
    ]
    assert "network partnership entries minutes hours expenses (£)" in lines
    assert "Test Network Health Board 1 15 0.3 0.00" in lines
    assert "Test Network Safer Town Partnership 2 95 1.6 1,250.50" in lines
    assert "Total 3 110 1.8 1,250.50" in lines
    assert "Alice" not in result.stdout and "Bob" not in result.stdout


def test_report_by_funder_in_a_date_range_to_a_csv_file(costed: Database, tmp_path: Path) -> None:
    target = tmp_path / "costs.csv"
    result = cli(
        costed,
        "costs",
        "report",
        "--by",
        "funder",
        "--from",
        "2025-05-02",
        "--to",
        "2026-01-10",
        "--csv",
        str(target),
    )
    assert (result.exit_code, result.stdout) == (0, f"2 rows written to {target}\n")
    with target.open(newline="", encoding="utf-8") as f:
        assert list(csv.reader(f)) == [
            ["funder", "entries", "minutes", "hours", "pence", "pounds"],
            ["'=cmd|' /C calc'!A0", "1", "0", "0.0", "125050", "1250.50"],
            ["Safer Town Council", "1", "15", "0.3", "0", "0.00"],
        ]
    to_screen = cli(costed, "costs", "report", "--to", "2025-05-01", "--csv", "-")
    assert to_screen.stdout.splitlines() == [
        "network,partnership,entries,minutes,hours,pence,pounds",
        "Test Network,Safer Town Partnership,1,95,1.6,0,0.00",
    ]


def test_report_refusals_are_one_line(costed: Database, tmp_path: Path) -> None:
    refused(
        cli(costed, "costs", "report", "--by", "person"),
        2,
        "--by: a report is by partnership or by funder, not by 'person'",
    )
    refused(
        cli(costed, "costs", "report", "--from", "2026-02-01", "--to", "2026-01-01"),
        1,
        "the report would start on 2026-02-01, after it ends on 2026-01-01",
    )
    refused(cli(costed, "costs", "report", "--network", "42"), 1, "there is no network 42")
    refused(cli(costed, "costs", "report", "--network", "x"), 2, "--network: 'x' is not a whole number")
    missing = tmp_path / "no" / "such" / "folder.csv"
    refused(
        cli(costed, "costs", "report", "--csv", str(missing)),
        1,
        f"--csv: cannot write {missing}: No such file or directory",
    )
    assert cli(costed, "costs", "report", "--from", "2027-01-01").stdout == (
        "no costs recorded for this report: add some with `nominations costs add`\n"
    )


def test_commands_refuse_a_database_without_tables(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'absent.db'}"
    message = "the database has no tables yet: run `nominations db upgrade`"
    refused(cli(url, "costs", "report"), 2, message)
    refused(cli(url, "costs", "add", "--kind", "expense", "--amount", "1", "--vacancy", "1"), 2, message)
    assert not (tmp_path / "absent.db").exists()
