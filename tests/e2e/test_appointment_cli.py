"""`nominations appointment …` and `nominations meeting …`: a coordinator's commands for a term."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from nominations.cli import app
from nominations.clock import FakeClock
from nominations.db.engine import Database
from tests.integration.conftest import make_world, snapshot
from tests.integration.test_appointment_term import DAY, appointments, filled_seat, mail_to, travel


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(str(tmp_path))


def run(db: Database, clock: FakeClock, *args: str) -> tuple[int, str, str]:
    env = {
        "NOMINATIONS_DATABASE_URL": db.url,
        "NOMINATIONS_FROZEN_CLOCK": clock.now().isoformat(),
        "COLUMNS": "200",
    }
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_a_coordinator_follows_a_term_from_the_command_line(db: Database, clock: FakeClock) -> None:
    world = make_world(db, clock)
    vid = filled_seat(world)
    alice = appointments(world, vid)["Alice"]
    aid = str(alice.id)

    code, out, _ = run(db, clock, "appointment", "list", str(world.network_id))
    assert code == 0 and "Alice Able" in out and "inducting" in out and "standing_by" in out
    code, out, _ = run(db, clock, "appointment", "show", aid)
    assert (
        "[open] chair_meeting" in out
        and "you may: remind_induction, call_reelection, end_term, resign, remove" in out
    )

    before = snapshot(db)
    code, _, err = run(db, clock, "appointment", "waive", aid, "chair_meeting", "--reason", " ")
    assert code == 1 and "give a reason" in err
    code, _, err = run(db, clock, "appointment", "tick", aid, "no_such_step")
    assert code == 1 and "has no induction step 'no_such_step'" in err
    assert snapshot(db) == before

    code, out, _ = run(db, clock, "appointment", "waive", aid, "chair_meeting", "--reason", "Met at the AGM")
    assert code == 0 and "chair_meeting waived; the appointment is inducting" in out
    for step in ("protocol_acknowledged", "conflicts_briefing", "briefing_pack"):
        code, out, _ = run(db, clock, "appointment", "tick", aid, step)
    assert out.strip().endswith("the appointment is active")
    code, out, _ = run(db, clock, "appointment", "show", aid)
    assert "[waived] chair_meeting (Met at the AGM)" in out and "[open] expenses_arranged (optional)" in out

    # A meeting added, moved and cancelled: each sends the representative an updated calendar.
    start = clock.now() + 3 * DAY
    code, out, _ = run(
        db,
        clock,
        "meeting",
        "add",
        str(world.partnership_id),
        "--start",
        start.strftime("%Y-%m-%dT%H:%M"),
        "--end",
        (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "--title",
        "Board",
    )
    assert code == 0, out
    meeting_id = out.split()[1]
    code, _, err = run(db, clock, "meeting", "move", meeting_id, "--start", "next tuesday", "--end", "x")
    assert code == 2 and "is not a date and time like 2027-03-09T14:00" in err
    later = start + timedelta(days=1)
    code, _, _ = run(
        db,
        clock,
        "meeting",
        "move",
        meeting_id,
        "--start",
        later.isoformat(),
        "--end",
        (later + timedelta(hours=1)).isoformat(),
    )
    assert code == 0
    code, out, _ = run(db, clock, "meeting", "list", str(world.partnership_id))
    assert "Board" in out and "scheduled" in out
    assert len(mail_to(world, "schedule_updated", alice.person_email)) == 2

    # After the meeting, the missing report-back shows as overdue on the coordinator's view.
    travel(world, 20 * DAY)
    code, out, _ = run(db, clock, "appointment", "show", aid)
    assert "report-back overdue: Board" in out

    assert alice.term_start_at is not None
    travel(world, alice.term_start_at.replace(year=alice.term_start_at.year + 1) + DAY - clock.now())
    travel(world, 22 * DAY)
    code, _, err = run(db, clock, "appointment", "fire", aid, "continue")
    assert code == 1 and "give a reason" in err
    code, out, _ = run(db, clock, "appointment", "fire", aid, "continue", "--reason", "=HYPERLINK(1)")
    assert code == 0 and "under_review -> active" in out

    code, out, _ = run(db, clock, "appointment", "reviews", str(world.network_id))
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert (row["year"], row["outcome"], row["representative"]) == ("1", "continue", "Alice Able")
    assert row["outcome_reason"] == "'=HYPERLINK(1)"  # a spreadsheet will not run it
    code, out, _ = run(db, clock, "appointment", "reviews", str(world.network_id), "--format", "json")
    assert json.loads(out)[0]["outcome_reason"] == "=HYPERLINK(1)"
    code, _, err = run(db, clock, "appointment", "reviews", str(world.network_id), "--format", "xml")
    assert code == 2 and "--format must be csv or json" in err
