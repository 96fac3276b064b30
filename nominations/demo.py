"""`nominations demo`: one seat filled from request to declaration, on real SQLite and real SMTP."""

from __future__ import annotations

import asyncio
import html
import json
import random
import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import func
from sqlmodel import col, select

from nominations.actors import Actor
from nominations.bootstrap import App, build_app
from nominations.clock import FakeClock
from nominations.db import migrate
from nominations.db.models import (
    AuditEvent,
    Network,
    Organisation,
    OutboxMessage,
    Partnership,
    Vacancy,
)
from nominations.db.term_models import Appointment, ReportBack, Review
from nominations.demo_data import NETWORK, NOMINEES, ORGANISATIONS, PARTNERSHIP, REQUEST
from nominations.demo_members import Browser, Mailbox
from nominations.demo_term import schedule_meetings, term
from nominations.mail.capture import CaptureServer, free_port
from nominations.services.audit_verify import verify
from nominations.services.results import result_view
from nominations.settings import load_settings
from nominations.web.app import create_app
from nominations.web.server import BackgroundServer

START = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def run_demo(out: Path, console: Console | None) -> dict[str, Any]:
    """Run the demo into a new folder under `out`; return the summary that --json prints."""
    run_dir = out.resolve() / datetime.now(UTC).strftime("run-%Y%m%d-%H%M%S-%f")
    mail_dir = run_dir / "mail"
    mail_dir.mkdir(parents=True)
    database = run_dir / "nominations.db"
    port = free_port()
    with CaptureServer(mail_dir) as capture:
        settings = load_settings(
            database_url=f"sqlite:///{database}",
            smtp_host="127.0.0.1",
            smtp_port=capture.port,
            smtp_username=None,
            smtp_password=None,
            smtp_starttls=False,
            mail_from=NETWORK[2],
            base_url=f"http://127.0.0.1:{port}",
            secret_key=secrets.token_urlsafe(32),
        )
        assert settings.secret_key is not None
        clock = FakeClock(START)
        # Through the migrations, as `nominations db upgrade` makes a real database.
        migrate.upgrade(settings.database_url)
        app = build_app(settings, clock=clock)
        web = create_app(app, settings.secret_key.get_secret_value())
        try:
            with BackgroundServer(web, port):
                _election(app, clock, console, Mailbox(mail_dir))
            summary = _summary(app, mail_dir, database)
            if console is not None:
                _print_timeline(app, console)
                _print_summary(summary, console)
        finally:
            app.db.dispose()
    return summary


def _election(app: App, clock: FakeClock, console: Console | None, mailbox: Mailbox) -> None:
    coordinator = Actor("coordinator", "coordinator-1")
    orgs, partnership_id = _seed(app)
    work = app.worker()
    base = app.settings.base_url
    browser = Browser()

    def step(note: str, wait: timedelta = timedelta()) -> None:
        # Move time on, let the worker fire what fell due and send the mail, then say what happened.
        clock.advance(wait)
        when = clock.now()
        asyncio.run(work.run_until_idle())
        if console is not None:
            console.print(f"[dim]{when:%a %d %b %Y %H:%M}[/]  {note}", highlight=False)

    schedule_meetings(app, partnership_id, coordinator)
    vid = app.participation.request_seat(partnership_id, REQUEST, Actor("partnership", str(partnership_id)))
    step(f"{PARTNERSHIP[0]} asks the network for a representative")
    clock.advance(timedelta(hours=4))
    app.transitions.fire(vid, "accept", actor=coordinator)
    step("the coordinator accepts the request; the partnership is told")
    clock.advance(timedelta(days=1))
    app.transitions.fire(vid, "open_nominations", actor=coordinator)
    step("the call for nominations goes to all 20 member organisations, each with its own link")
    for index, name, statement in NOMINEES:
        clock.advance(timedelta(days=2))
        proposer, seconder = ORGANISATIONS[index], ORGANISATIONS[(index + 4) % len(ORGANISATIONS)]
        link = mailbox.link(_email(proposer[1]), "Call for nominations", base)
        browser.submit(
            link,
            {
                "nominee_name": name,
                "nominee_email": _email(name),
                "nominee_organisation": proposer[0],
                "statement": statement,
                "seconder_1": str(orgs[(index + 4) % len(orgs)]),
                "declaration-not_employed_by_partnership": "yes",
            },
        )
        step(f"{proposer[0]} nominates {name} on its nomination page; {seconder[0]} is asked to second")
        clock.advance(timedelta(hours=20))
        browser.submit(
            mailbox.link(_email(name), "Please confirm your nomination", base), {"action": "consent"}
        )
        browser.submit(mailbox.link(_email(seconder[1]), "Will you second", base), {})
        step(f"{name} agrees to stand and {seconder[0]} seconds: the nomination is valid")
    close = "nominations_close_at"
    step("a week before the call closes, a reminder goes out", _until(app, vid, close, clock, 7))
    step("and another two days before", _until(app, vid, close, clock, 2))
    step("the call closes with three valid nominations: ballots go out", _until(app, vid, close, clock))
    voted = _vote(clock, mailbox, browser, base)
    step(f"{voted} of {len(orgs)} organisations vote on their ballot pages, one vote each, and keep receipts")
    reminder = "a week before voting closes, the organisations that have not voted are reminded"
    step(reminder, _until(app, vid, "voting_close_at", clock, 7))
    step("and again two days before", _until(app, vid, "voting_close_at", clock, 2))
    step("voting closes and the votes are counted", _until(app, vid, "voting_close_at", clock))
    if console is not None:
        console.print(f"                       {_result_line(app, vid)}", highlight=False)
    clock.advance(timedelta(hours=3))
    app.transitions.fire(vid, "declare", actor=coordinator)
    step(f"the coordinator declares the result, published at {base}/results/{vid}")
    clock.advance(timedelta(days=7))
    app.transitions.fire(vid, "fill", actor=coordinator)
    step("the seat is filled: the winner is appointed and the runner-up stands by as substitute")
    term(app, clock, step, mailbox, browser, _email)
    browser.close()


def _result_line(app: App, vid: int) -> str:
    with app.db.transaction() as session:
        view = result_view(session, vid)
    assert view is not None
    votes = ", ".join(f"{line.name} {line.votes}" for line in view.totals)
    return f"{view.method} count: {votes}; elected: {', '.join(n.nominee_name for n in view.winners)}"


def _email(name: str) -> str:
    return name.lower().replace(" ", ".").replace("'", "") + "@members.example"


def _vote(clock: FakeClock, mailbox: Mailbox, browser: Browser, base: str) -> int:
    # 16 of the 20 organisations vote and four abstain; the shuffle is seeded, so every run is alike.
    preferences = [0] * 7 + [1] * 5 + [2] * 4
    random.Random(2027).shuffle(preferences)
    for (_, contact), choice in zip(ORGANISATIONS[:16], preferences, strict=True):
        clock.advance(timedelta(hours=7))
        link = mailbox.link(_email(contact), "Your ballot", base)
        ballot = browser.client.get(link).text
        candidates = {html.unescape(name): value for value, name in _CHOICE.findall(ballot)}
        fields = {"choice": candidates[NOMINEES[choice][1]]}
        confirm = browser.submit(link, fields)
        receipt = browser.post_from(confirm.text, f"{link}/cast", fields)
        assert "Your vote has been cast" in receipt.text
    return len(preferences)


_CHOICE = re.compile(r'name="choice" value="(\d+)">\s*<label for="candidate-\d+">([^<]+)</label>')


def _until(app: App, vid: int, field: str, clock: FakeClock, days_before: int = 0) -> timedelta:
    with app.db.transaction() as session:
        deadline: datetime = getattr(session.get_one(Vacancy, vid), field)
    return max(deadline - timedelta(days=days_before) - clock.now(), timedelta())


def _seed(app: App) -> tuple[list[int], int]:
    with app.db.transaction() as session:
        network = Network(name=NETWORK[0], coordinator_name=NETWORK[1], coordinator_email=NETWORK[2])
        session.add(network)
        session.flush()
        assert network.id is not None
        orgs = []
        for name, contact in ORGANISATIONS:
            org = Organisation(
                network_id=network.id, name=name, contact_name=contact, contact_email=_email(contact)
            )
            session.add(org)
            orgs.append(org)
        partnership = Partnership(
            network_id=network.id,
            name=PARTNERSHIP[0],
            contact_name=PARTNERSHIP[1],
            contact_email=PARTNERSHIP[2],
        )
        session.add(partnership)
        session.flush()
        return [o.id for o in orgs if o.id is not None], partnership.id or 0


def _summary(app: App, mail_dir: Path, database: Path) -> dict[str, Any]:
    report = verify(app.db)
    with app.db.transaction() as session:
        states = session.exec(select(Vacancy.status, func.count()).group_by(col(Vacancy.status))).all()
        held = session.exec(select(Appointment.status, func.count()).group_by(col(Appointment.status))).all()
        reports = session.exec(select(func.count()).select_from(ReportBack)).one()
        reviews = session.exec(select(func.count()).select_from(Review)).one()
        sent = session.exec(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sent")
        ).one()
    return {
        "vacancies": {state: count for state, count in states},
        "appointments": {state: count for state, count in held},
        "report_backs": int(reports),
        "reviews": int(reviews),
        "emails_sent": int(sent),
        "audit_events": report.count,
        "audit_verified": report.ok,
        "audit_head": report.head,
        "mail_dir": str(mail_dir),
        "database": str(database),
    }


def _print_timeline(app: App, console: Console) -> None:
    table = Table(title="The audit trail", title_justify="left", box=None, pad_edge=False)
    for heading in ("#", "when (UTC)", "who", "what", "state", "emails"):
        table.add_column(heading, no_wrap=heading != "who", overflow="fold")
    with app.db.transaction() as session:
        names = {f"organisation:{o.id}": o.name for o in session.exec(select(Organisation))}
        names |= {f"partnership:{p.id}": p.name for p in session.exec(select(Partnership))}
        events = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))).all()
    for e in events:
        who = names.get(f"{e.actor_type}:{e.actor_id}", e.actor_type)
        moved = e.to_state is not None and e.to_state != e.from_state
        state = f"{e.from_state or ''} → {e.to_state}".strip() if moved else ""
        emails = sum(len(m["outbox_ids"]) for m in json.loads(e.payload).get("emails", []))
        table.add_row(
            str(e.seq),
            e.occurred_at[:16].replace("T", " "),
            who,
            e.action,
            state,
            str(emails) if emails else "",
        )
    console.print(table)


def _print_summary(summary: dict[str, Any], console: Console) -> None:
    verdict = "[green]verified[/]" if summary["audit_verified"] else "[red]BROKEN[/]"
    console.print(f"Vacancies by state: {summary['vacancies']}")
    console.print(f"Appointments by state: {summary['appointments']}")
    console.print(f"Report-backs filed: {summary['report_backs']}; yearly reviews: {summary['reviews']}")
    console.print(f"Emails sent over SMTP: {summary['emails_sent']}, saved in {summary['mail_dir']}")
    console.print(f"Database: {summary['database']}")
    console.print(f"Audit chain {verdict}: {summary['audit_events']} events, head {summary['audit_head']}")
