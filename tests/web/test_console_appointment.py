"""An appointment's console page over HTTP: term, induction, reviews, report-backs, buttons with reasons."""

from __future__ import annotations

from datetime import timedelta

import httpx

from nominations.actors import Actor
from tests.integration.conftest import snapshot
from tests.integration.test_appointment_term import (
    appointment,
    appointments,
    filled_seat,
    finish_induction,
    schedule_meetings,
    travel,
)
from tests.utils.console import sign_in_as
from tests.utils.console_seats import buttons, version_on
from tests.web.conftest import Site

DAY = timedelta(days=1)
COORDINATOR = Actor("coordinator", "c1")


def page_of(appointment_id: int) -> str:
    return f"/console/appointments/{appointment_id}"


def press(site: Site, appointment_id: int, trigger: str, reason: str | None = None) -> httpx.Response:
    page, csrf = site.form(page_of(appointment_id))
    fields = {"trigger": trigger, "version": version_on(page.text), "csrf_token": csrf}
    if reason is not None:
        fields["reason"] = reason
    return site.browser.post(f"{page_of(appointment_id)}/fire", data=fields)


def test_the_page_shows_the_term_the_induction_and_overdue_report_backs(site: Site) -> None:
    world = site.world
    vid = filled_seat(world)
    alice = appointments(world, vid)["Alice"]
    assert alice.id is not None and alice.term_start_at is not None and alice.term_end_at is not None
    world.app.term.induction.tick(alice.id, "chair_meeting", COORDINATOR)
    schedule_meetings(world, world.clock.now() + DAY, 1, 30 * DAY)
    travel(world, 20 * DAY)  # the meeting was 19 days ago: its report-back was due after 14
    sign_in_as(site, "coordinator")
    page = site.browser.get(page_of(alice.id))
    assert page.status_code == 200 and "<h1>Alice Able</h1>" in page.text
    assert f'<dd><a href="/console/vacancies/{vid}">VCS representative</a></dd>' in page.text
    assert "<dt>Role</dt><dd>Representative of the sector</dd>" in page.text
    assert f"{alice.term_start_at:%d %B %Y} to {alice.term_end_at:%d %B %Y}" in page.text
    assert '<strong class="tag tag--blue">Inducting</strong>' in page.text
    assert "Meet the partnership&#39;s chair." in page.text
    assert '<strong class="tag tag--green">Done</strong>' in page.text
    assert page.text.count('<strong class="tag tag--yellow">Open</strong>') == 4  # one optional
    assert "<li>Safer Town board, " in page.text  # the overdue report-back
    assert "No review yet." in page.text
    assert buttons(page.text) == ["remind_induction", "call_reelection", "end_term", "resign", "remove"]
    assert "Start the induction" in page.text  # the timeline: the system started it when the seat was filled


def test_a_review_decision_needs_its_reason_and_then_shows_with_the_figures(site: Site) -> None:
    world = site.world
    alice = appointments(world, filled_seat(world))["Alice"]
    assert alice.id is not None
    finish_induction(world, alice.id)
    for trigger in ("open_review", "close_review"):
        world.app.transitions.fire(alice.id, trigger, actor=COORDINATOR, entity="appointment")
    sign_in_as(site, "coordinator")
    page = site.browser.get(page_of(alice.id)).text
    assert buttons(page)[:4] == ["continue", "continue_with_support", "stand_down", "rerun_election"]
    assert "<td>1 <span" in page and "Not decided yet" in page
    before = snapshot(world.app.db)
    refused = press(site, alice.id, "continue")
    assert refused.status_code == 400
    assert '<a href="#reason-continue">Give a reason to continue in the seat</a>' in refused.text
    assert snapshot(world.app.db) == before and appointment(world, alice.id).status == "under_review"
    done = press(site, alice.id, "continue", reason="Attends every meeting and reports back well.")
    assert "Continue in the seat: the appointment is now active." in done.text
    assert "<td>Continue in the seat: Attends every meeting and reports back well.</td>" in done.text
    assert "Why: Attends every meeting and reports back well." in done.text


def test_an_auditor_reads_the_appointment_without_buttons_and_may_not_fire(site: Site) -> None:
    world = site.world
    alice = appointments(world, filled_seat(world))["Alice"]
    assert alice.id is not None
    sign_in_as(site, "auditor")
    page = site.browser.get(page_of(alice.id))
    assert page.status_code == 200 and buttons(page.text) == []
    before = snapshot(world.app.db)
    refused = site.post(
        f"{page_of(alice.id)}/fire", {"trigger": "end_term", "version": "2"}, from_page=page_of(alice.id)
    )
    assert refused.status_code == 403 and "You may not do this" in refused.text
    assert snapshot(world.app.db) == before and appointment(world, alice.id).status == "inducting"
