"""The demo after the seat is filled: induction, two report-backs and the first yearly review.

The representative and the members act through the links in their delivered email, over HTTP.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from sqlmodel import col, select

from nominations.actors import Actor
from nominations.bootstrap import App
from nominations.clock import FakeClock
from nominations.db.term_models import Appointment, InductionItem, Meeting
from nominations.demo_data import ORGANISATIONS, PARTNERSHIP
from nominations.demo_members import Browser, Mailbox

Step = Callable[[str, timedelta], None]
_REPORT_LINK = re.compile(r'href="(/representative/[^"]+/report/\d+)"')

REPORTS = [
    {
        "attended": "yes",
        "discussed": "The community safety plan for next year and the budget for youth outreach.",
        "sector_said": "Outreach works best through groups young people already trust; fund them.",
        "coming_up": "A consultation on the night-time economy in the spring.",
        "needs_from_members": "Examples of outreach that worked, by the end of the month.",
    },
    {
        "attended": "yes",
        "discussed": "Anti-social behaviour figures and the new neighbourhood policing teams.",
        "sector_said": "Tenants' groups want to be asked before hot-spot patrols start.",
        "coming_up": "The partnership's strategic assessment.",
        "needs_from_members": "Views on what the assessment should cover.",
    },
]


def schedule_meetings(app: App, partnership_id: int, coordinator: Actor) -> None:
    """The partnership's board meets every other month for the first year."""
    first = app.clock.now() + timedelta(days=90)
    for i in range(6):
        starts = first + timedelta(days=61 * i)
        app.term.meetings.schedule(
            partnership_id,
            f"{PARTNERSHIP[0]} board",
            starts,
            starts + timedelta(hours=2),
            coordinator,
            "Town Hall",
        )


def term(
    app: App, clock: FakeClock, step: Step, mailbox: Mailbox, browser: Browser, email_of: Callable[[str], str]
) -> None:
    """Induction, two report-backs and the first review, each through the representative's own page."""
    base = app.settings.base_url
    coordinator = Actor("coordinator", "coordinator-1")
    with app.db.transaction() as session:
        holder = session.exec(
            select(Appointment).where(Appointment.role == "representative").order_by(col(Appointment.id))
        ).one()
        steps = session.exec(
            select(InductionItem)
            .where(InductionItem.appointment_id == holder.id)
            .order_by(col(InductionItem.position))
        ).all()
    assert holder.id is not None and holder.term_start_at is not None
    page = mailbox.link(holder.person_email, "Welcome", base)
    step(
        f"{holder.person_name} gets a welcome email with the meeting calendar (.ics) and a page of their own",
        timedelta(),
    )
    required = [item.key for item in steps if item.required]
    for key in required[:-1]:
        clock.advance(timedelta(days=4))
        browser.submit(page, {"step": key}, action=f"{page}/induction")
        step(f"{holder.person_name} ticks off an induction step on their page: {key}", timedelta())
    step(
        "two weeks before the induction deadline, a reminder lists what is still open",
        _until(clock, holder, 14),
    )
    app.term.induction.waive(holder.id, required[-1], coordinator, "Covered at the partnership's away day.")
    step(
        f"the coordinator waives '{required[-1]}' with a reason: the induction is complete",
        timedelta(hours=2),
    )
    for answers in REPORTS:
        step("a partnership meeting is held", _next_meeting(app, clock) + timedelta(days=2))
        report = _REPORT_LINK.search(browser.client.get(page).text)
        assert report is not None, "the representative's page offers no report-back form"
        url = base + report.group(1)
        browser.submit(url, answers)
        step(f"{holder.person_name} files a report-back on the standard form", timedelta())
    step("members get the digest of report-backs", timedelta(days=28))
    step(
        "a year after the term began, the first yearly review opens",
        holder.term_start_at + timedelta(days=366) - clock.now(),
    )
    review_page = mailbox.link(holder.person_email, "Your yearly review", base)
    browser.submit(
        review_page,
        {
            "reflection": "A busy first year: the outreach budget was kept, and members were asked first.",
            "worthwhile": "yes",
            "why": "The board decides where the community safety money goes.",
        },
        action=f"{review_page}/review",
    )
    step(f"{holder.person_name} writes a reflection on the year", timedelta(days=1))
    for _, contact in ORGANISATIONS[:5]:
        link = mailbox.link(email_of(contact), "Your feedback, please", base)
        browser.submit(link, {"rating": "4", "worthwhile": "yes", "comment": "Clear, regular reports."})
    step("five member organisations give feedback, one answer each", timedelta(days=2))
    step("the review closes; the coordinator is asked to decide", timedelta(days=21))
    app.transitions.fire(
        holder.id,
        "continue",
        actor=coordinator,
        reason="Attends every meeting and reports back well.",
        entity="appointment",
    )
    step("the coordinator records the outcome: continue, with reasons", timedelta(hours=1))


def _until(clock: FakeClock, holder: Appointment, days_before: int) -> timedelta:
    assert holder.created_at is not None
    due = holder.created_at + timedelta(weeks=6) - timedelta(days=days_before)
    return max(due - clock.now(), timedelta())


def _next_meeting(app: App, clock: FakeClock) -> timedelta:
    with app.db.transaction() as session:
        meeting = session.exec(
            select(Meeting).where(col(Meeting.ends_at) > clock.now()).order_by(col(Meeting.starts_at))
        ).first()
    assert meeting is not None and meeting.ends_at is not None
    return meeting.ends_at - clock.now()
