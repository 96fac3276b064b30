"""`nominations demo` fills a seat over real SMTP and ends with a verified audit chain."""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest
from icalendar import Calendar


@pytest.mark.slow
def test_demo_fills_the_seat_and_every_email_crossed_smtp(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "nominations", "demo", "--json", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["vacancies"] == {"filled": 1}
    assert summary["appointments"] == {"active": 1, "standing_by": 1}
    assert (summary["report_backs"], summary["reviews"]) == (2, 1)
    assert summary["audit_verified"] is True
    # The election: request, 2 decisions, 3 x (nominate, second, consent), 16 votes, 11 workflow steps.
    # The term: 2 appointments, induction (3 ticks, a waiver, 2 reminders), 2 report-backs and
    # digests, the review (a reflection, 5 answers, a report-back reminder) and its outcome.
    assert summary["audit_events"] == 69
    mails = sorted(Path(summary["mail_dir"]).glob("*.eml"))
    assert summary["emails_sent"] == len(mails) == 196
    parsed = [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in mails]
    assert len({m["Message-ID"] for m in parsed}) == len(parsed)  # each delivered once
    calendars = []
    for message in parsed:
        body = message.get_body(("plain",)), message.get_body(("html",))
        assert all(part is not None for part in body)
        calendars += [
            part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"
        ]
    [welcome_calendar] = calendars  # the welcome email carries the partnership's meetings
    events = list(Calendar.from_ical(welcome_calendar.get_content()).walk("VEVENT"))
    assert len(events) == 6
    subjects = [m["Subject"] for m in parsed]
    assert sum(s.startswith("Your feedback, please") for s in subjects) == 20
    assert sum(s.startswith("Your ballot:") for s in subjects) == 20
    assert sum(s.startswith("Reminder: your organisation has not voted") for s in subjects) == 8

    verify = subprocess.run(
        [sys.executable, "-m", "nominations", "audit", "verify"],
        capture_output=True,
        text=True,
        env={**os.environ, "NOMINATIONS_DATABASE_URL": f"sqlite:///{summary['database']}"},
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout.strip() == f"verified 69 events, head {summary['audit_head']}"


@pytest.mark.slow
def test_demo_prints_a_readable_timeline(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "nominations", "demo", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "Northbridge Women's Aid nominates Sarah Okoye on its nomination page" in out
    assert "plurality count: Sarah Okoye 7, Tom Fletcher 5, Nadia Rahman 4; elected: Sarah Okoye" in out
    assert "the seat is filled" in out
    assert "the coordinator waives 'briefing_pack' with a reason: the induction is complete" in out
    assert out.count("files a report-back on the standard form") == 2
    assert "the first yearly review opens" in out
    assert "the coordinator records the outcome: continue, with reasons" in out
    assert "Audit chain verified: 69 events" in out
