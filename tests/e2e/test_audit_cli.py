"""`nominations audit verify|export` as a person runs them, against a real database."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner, Result

from nominations.actors import Actor
from nominations.cli.audit_cmd import NO_TRAIL, app
from nominations.clock import FakeClock
from nominations.db import audit_ddl
from nominations.db.engine import Database
from nominations.services.audit_log import FIELDS, append_event
from nominations.services.audit_verify import verify

ROOT = Path(__file__).resolve().parents[2]
EVENTS: list[dict[str, Any]] = [
    dict(entity_type="vacancy", entity_id=1, action="open", payload={"seats": 1}),
    dict(entity_type="nomination", entity_id=8, action="invalidate", reason="Not a member, «sic»",
         payload={"vacancy_id": 1}),
    dict(entity_type="vacancy", entity_id=12, action="open"),
    dict(entity_type="nomination", entity_id=9, action="nominate", payload={"vacancy_id": 11}),
]  # fmt: skip


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Settings also read ./.env; run where there is none so only the test's URL counts.
    monkeypatch.chdir(tmp_path)


def _fill(db: Database, clock: FakeClock) -> None:
    with db.transaction() as session:
        for event in EVENTS:
            append_event(session, occurred_at=clock.advance(timedelta(minutes=1)),
                         actor=Actor("coordinator", "c1"), **event)  # fmt: skip


def _run(url: str, *args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"NOMINATIONS_DATABASE_URL": url})


def test_verify_prints_the_count_and_the_head(db: Database, clock: FakeClock) -> None:
    _fill(db, clock)
    result = _run(db.url, "verify")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"verified 4 events, head {verify(db).head}\n"


def test_verify_names_the_first_broken_event_and_exits_1(db: Database, clock: FakeClock) -> None:
    _fill(db, clock)
    with db.engine.begin() as conn:
        audit_ddl.uninstall(conn)
        conn.execute(text("UPDATE audit_event SET reason = 'Eligible' WHERE seq = 2"))
    result = _run(db.url, "verify")
    assert result.exit_code == 1
    assert result.stdout == "audit chain broken at event 2: hash does not match its contents\n"


def test_verify_without_an_audit_trail_says_so_and_creates_nothing(database_url: str) -> None:
    result = _run(database_url, "verify")
    assert result.exit_code == 1
    assert result.stderr == NO_TRAIL + "\n"
    if database_url.startswith("sqlite"):
        assert not Path(database_url.removeprefix("sqlite:///")).exists()


def test_a_bad_database_setting_is_one_line_and_exit_2() -> None:
    result = _run("mysql://somewhere/db", "verify")
    assert result.exit_code == 2
    assert result.stderr == (
        "NOMINATIONS_DATABASE_URL='mysql://somewhere/db': must be a sqlite:// or postgresql:// URL\n"
    )


def test_verify_with_an_anchor_catches_a_cut_tail_with_the_head_rewound(
    db: Database, clock: FakeClock
) -> None:
    _fill(db, clock)
    published = verify(db).head
    assert _run(db.url, "verify", "--anchor", published).exit_code == 0
    with db.engine.begin() as conn:
        audit_ddl.uninstall(conn)
        conn.execute(text("DELETE FROM audit_event WHERE seq = 4"))
        conn.execute(
            text("UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_event WHERE seq = 3)")
        )
    assert _run(db.url, "verify").exit_code == 0  # a consistent cut: only an anchor kept elsewhere shows it
    result = _run(db.url, "verify", "--anchor", published)
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"audit chain broken: the chain no longer contains the anchor {published}"
    )


def test_export_jsonl_has_every_field_in_sequence_order(db: Database, clock: FakeClock) -> None:
    _fill(db, clock)
    result = _run(db.url, "export", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [list(r) for r in records] == [FIELDS] * 4
    assert [r["seq"] for r in records] == [1, 2, 3, 4]
    assert records[1]["payload"] == {"vacancy_id": 1}
    assert records[1]["reason"] == "Not a member, «sic»"
    assert records[0]["prev_hash"] == "0" * 64 and records[3]["hash"] == verify(db).head


def test_export_csv_keeps_payload_as_canonical_json(db: Database, clock: FakeClock) -> None:
    _fill(db, clock)
    result = _run(db.url, "export", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == FIELDS
    assert [r["payload"] for r in rows] == ['{"seats":1}', '{"vacancy_id":1}', "{}", '{"vacancy_id":11}']
    assert rows[1]["reason"] == "Not a member, «sic»" and rows[0]["reason"] == ""
    assert rows[3]["hash"] == verify(db).head


def test_export_for_one_vacancy_keeps_its_events_and_those_naming_it(db: Database, clock: FakeClock) -> None:
    _fill(db, clock)
    result = _run(db.url, "export", "--format", "jsonl", "--vacancy", "1")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["seq"] for line in result.stdout.splitlines()] == [1, 2]


def test_export_to_a_file(db: Database, clock: FakeClock, tmp_path: Path) -> None:
    _fill(db, clock)
    target = tmp_path / "audit.csv"
    result = _run(db.url, "export", "--format", "csv", "--vacancy", "12", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote 1 events to {target}\n"
    with target.open(encoding="utf-8", newline="") as written:
        rows = list(csv.DictReader(written))
    assert [(r["seq"], r["entity_id"]) for r in rows] == [("3", "12")]


def test_an_unknown_format_is_refused(db: Database) -> None:
    result = _run(db.url, "export", "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output and "'xml'" in result.output


@pytest.mark.slow
def test_the_installed_command_runs_verify(db: Database, clock: FakeClock) -> None:
    _fill(db, clock)
    env = os.environ | {"NOMINATIONS_DATABASE_URL": db.url, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", "from nominations.cli import main; main()", "audit", "verify"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (0, f"verified 4 events, head {verify(db).head}\n")
