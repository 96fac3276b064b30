"""A vacancy's console page over HTTP: details, timeline, buttons, reasons, conflicts, scope, export."""

from __future__ import annotations

import csv
import io
import json
import re

import httpx
from sqlmodel import select

from nominations.db.models import AuditEvent
from nominations.services.audit_log import FIELDS
from tests.integration.conftest import snapshot
from tests.utils.console import sign_in_as
from tests.utils.console_seats import buttons, open_call, other_network, seat, version_on
from tests.utils.seats import add_seat
from tests.web.conftest import Site


def page_of(vacancy_id: int) -> str:
    return f"/console/vacancies/{vacancy_id}"


def press(
    site: Site, vacancy_id: int, trigger: str, reason: str | None = None, version: str | None = None
) -> httpx.Response:
    """Press a button as a browser does: the page's own form, its CSRF field and version."""
    page, csrf = site.form(page_of(vacancy_id))
    fields = {"trigger": trigger, "version": version or version_on(page.text), "csrf_token": csrf}
    if reason is not None:
        fields["reason"] = reason
    return site.browser.post(f"{page_of(vacancy_id)}/fire", data=fields)


def timeline(html: str) -> list[str]:
    """What each timeline entry says happened, oldest first."""
    found = re.search(r'<ol class="timeline">(.*?)</ol>', html, re.S)
    return re.findall(r"<strong>([^<]+)</strong>", found.group(1)) if found else []


def events(site: Site, vacancy_id: int) -> list[AuditEvent]:
    with site.world.app.db.transaction() as session:
        query = select(AuditEvent).where(
            AuditEvent.entity_type == "vacancy", AuditEvent.entity_id == str(vacancy_id)
        )
        return list(session.exec(query).all())


def test_a_coordinator_runs_a_seat_from_request_to_declaration_with_the_buttons(site: Site) -> None:
    world = site.world
    vid = seat(world, "Community safety seat", sector="women")
    user_id = sign_in_as(site, "coordinator")
    page = site.browser.get(page_of(vid))
    assert page.status_code == 200
    assert "<h1>Community safety seat</h1>" in page.text
    assert "<dt>Equality sector</dt><dd>Women</dd>" in page.text
    assert "Reduce crime and the fear of crime." in page.text  # the terms of reference
    assert buttons(page.text) == ["accept", "ask_for_information", "decline", "cancel"]
    assert timeline(page.text) == ["Requested the seat"]
    assert "Partnership contact: Safer Town Partnership" in page.text

    accepted = press(site, vid, "accept")
    assert accepted.status_code == 200 and accepted.url.path == page_of(vid)
    assert "Accept the request: the vacancy is now accepted." in accepted.text
    assert '<strong class="tag tag--blue">Accepted</strong>' in accepted.text
    assert timeline(accepted.text) == ["Requested the seat", "Accept the request: requested → accepted"]
    assert "Coordinator: Test Coordinator" in accepted.text
    [_, accept] = events(site, vid)
    assert (accept.action, accept.actor_type, accept.actor_id) == ("accept", "coordinator", f"user:{user_id}")

    opened = press(site, vid, "open_nominations")
    assert "the vacancy is now nominations open" in opened.text
    assert buttons(opened.text) == ["remind_nominators", "close_nominations", "cancel"]
    assert "<dt>Nominations close</dt>" in opened.text
    alice, bob = world.nominate(vid, 0, "Alice Able"), world.nominate(vid, 1, "Bob Baker")
    listed = site.browser.get(page_of(vid)).text
    assert "<td>Alice Able</td><td>Org 0</td>" in listed and "<td>Bob Baker</td><td>Org 1</td>" in listed

    closed = press(site, vid, "close_nominations")
    assert "the vacancy is now nominations closed" in closed.text
    world.fire_timers()  # the tally: two valid nominations for one seat, so a ballot
    world.vote(vid, 0, [alice])
    voting = site.browser.get(page_of(vid)).text
    assert '<strong class="tag tag--blue">Voting open</strong>' in voting
    assert "<strong>1 of 6</strong> member organisations have voted." in voting
    assert "<h2>Result</h2>" not in voting and "Votes</th>" not in voting  # never a partial result
    world.vote(vid, 1, [alice])
    world.vote(vid, 2, [bob])

    press(site, vid, "close_voting")
    world.fire_timers()  # the count
    counted = site.browser.get(page_of(vid)).text
    assert "<h2>Result</h2>" in counted and "<dt>Method</dt><dd>plurality</dd>" in counted
    assert "<dt>Elected</dt><dd>Alice Able</dd>" in counted
    assert '<td>Alice Able</td><td class="num">2</td>' in counted
    assert "Ties settled by lot" not in counted
    assert "declare" in buttons(counted)

    declared = press(site, vid, "declare")
    assert "Declare the result: the vacancy is now declared." in declared.text
    assert buttons(declared.text) == ["fill", "cancel"]
    said = timeline(declared.text)
    assert said[-1] == "Declare the result: counted → declared"
    assert len(said) == len(events(site, vid)) == 13  # a request, 5 buttons, 2 nominations, 3 votes, 2 timers
    assert said.count("Voted") == 3


def test_a_decision_without_its_reason_shows_the_error_summary_and_writes_nothing(site: Site) -> None:
    vid = seat(site.world, "Community safety seat")
    sign_in_as(site, "coordinator")
    page = site.browser.get(page_of(vid)).text
    assert '<textarea id="reason-decline" name="reason"' in page
    assert 'id="reason-accept"' not in page  # accepting records no decision to explain
    before = snapshot(site.world.app.db)
    refused = press(site, vid, "decline", reason="   ")
    assert refused.status_code == 400
    assert "<title>Error: Community safety seat" in refused.text
    assert '<h2 id="error-summary-title">There is a problem</h2>' in refused.text
    assert '<a href="#reason-decline">Give a reason to decline the request</a>' in refused.text
    assert 'id="reason-decline-error"' in refused.text
    assert snapshot(site.world.app.db) == before and site.world.status(vid) == "requested"

    declined = press(site, vid, "decline", reason="The partnership has no budget for support.")
    assert "the vacancy is now declined" in declined.text
    assert "Why: The partnership has no budget for support." in declined.text
    assert buttons(declined.text) == []


def test_a_stale_page_gets_the_conflict_message_rather_than_a_double_action(site: Site) -> None:
    vid = seat(site.world, "Community safety seat")
    sign_in_as(site, "coordinator")
    stale = version_on(site.browser.get(page_of(vid)).text)
    assert press(site, vid, "accept", version=stale).status_code == 200
    before = snapshot(site.world.app.db)
    # A second coordinator, on the page as it was, presses accept, then open_nominations.
    for trigger in ("accept", "open_nominations"):
        again = press(site, vid, trigger, version=stale)
        assert again.status_code == 409
        assert "Someone else changed this vacancy while you were looking at it" in again.text
        assert '<a href="#actions">' in again.text
    assert snapshot(site.world.app.db) == before and site.world.status(vid) == "accepted"
    assert [e.action for e in events(site, vid)] == ["request", "accept"]


def test_an_auditor_reads_the_page_without_buttons_and_may_not_fire(site: Site) -> None:
    vid = seat(site.world, "Community safety seat")
    sign_in_as(site, "auditor")
    page = site.browser.get(page_of(vid))
    assert page.status_code == 200 and "<h1>Community safety seat</h1>" in page.text
    assert buttons(page.text) == [] and "What you can do now" not in page.text
    assert "Requested the seat" in page.text and "download as CSV" in page.text
    before = snapshot(site.world.app.db)
    refused = site.post(f"{page_of(vid)}/fire", {"trigger": "accept", "version": "1"}, from_page=page_of(vid))
    assert refused.status_code == 403 and "You may not do this" in refused.text
    assert snapshot(site.world.app.db) == before and site.world.status(vid) == "requested"


def test_another_networks_vacancy_and_appointment_are_not_found(site: Site) -> None:
    world = site.world
    _, elsewhere = other_network(world)
    theirs = seat(world, "Their seat", partnership_id=elsewhere)
    _, their_appointment = add_seat(world.app.db, elsewhere)
    sign_in_as(site, "coordinator")
    for path in (page_of(theirs), f"{page_of(theirs)}/audit.csv", f"{page_of(theirs)}/audit.json"):
        missing = site.browser.get(path)
        assert missing.status_code == 404 and "Page not found" in missing.text
        assert "Their seat" not in missing.text
    assert site.browser.get(f"/console/appointments/{their_appointment}").status_code == 404
    ours = open_call(world, "Our seat")
    before = snapshot(world.app.db)
    refused = site.post(
        f"{page_of(theirs)}/fire", {"trigger": "accept", "version": "1"}, from_page=page_of(ours)
    )
    assert refused.status_code == 404
    assert snapshot(world.app.db) == before and world.status(theirs) == "requested"
    sign_in_as(site, "auditor")
    assert site.browser.get(page_of(theirs)).status_code == 404
    assert site.browser.get(page_of(ours)).status_code == 200


def test_the_vacancys_audit_history_downloads_as_csv_and_json(site: Site) -> None:
    vid = seat(site.world, "Community safety seat")
    seat(site.world, "Another seat")  # its events are not this vacancy's
    sign_in_as(site, "coordinator")
    press(site, vid, "accept")
    as_csv = site.browser.get(f"{page_of(vid)}/audit.csv")
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.headers["content-disposition"] == f'attachment; filename="vacancy-{vid}-audit.csv"'
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert list(rows[0]) == FIELDS
    assert [(r["action"], r["entity_id"]) for r in rows] == [("request", str(vid)), ("accept", str(vid))]
    as_json = site.browser.get(f"{page_of(vid)}/audit.json")
    assert as_json.headers["content-type"] == "application/json"
    assert as_json.headers["content-disposition"] == f'attachment; filename="vacancy-{vid}-audit.json"'
    entries = json.loads(as_json.text)
    assert [e["action"] for e in entries] == ["request", "accept"]
    assert entries[1]["payload"]["workflow"] == "vacancy" and entries[1]["hash"] == rows[1]["hash"]
    sign_in_as(site, "auditor")
    assert site.browser.get(f"{page_of(vid)}/audit.json").json() == entries


def test_a_tie_settled_by_lot_is_shown_with_its_seed_for_the_coordinator_to_announce(site: Site) -> None:
    world = site.world
    vid = open_call(world, "Tied seat")
    alice, bob = world.nominate(vid, 0, "Alice Able"), world.nominate(vid, 1, "Bob Baker")
    world.fire(vid, "close_nominations")
    world.fire_timers()
    world.vote(vid, 0, [alice])
    world.vote(vid, 1, [bob])
    world.fire(vid, "close_voting")
    world.fire_timers()
    sign_in_as(site, "coordinator")
    page = site.browser.get(page_of(vid)).text
    seed = re.search(r"<dt>Seed of the count</dt><dd><code>([0-9a-f]+)</code></dd>", page)
    assert seed is not None
    assert f"<li>Alice Able and Bob Baker were tied; a lot drawn from seed {seed.group(1)} chose " in page


def test_a_partnership_contact_follows_the_seat_on_their_own_request_page(site: Site) -> None:
    world = site.world
    ours = seat(world, "Community safety seat")
    _, elsewhere = other_network(world)
    _, their_appointment = add_seat(world.app.db, elsewhere)
    sign_in_as(site, "partnership", partnership_id=world.partnership_id)
    page = site.browser.get(page_of(ours))
    assert page.url.path == f"/console/requests/{ours}"
    assert buttons(page.text) == [] and "<h2>Timeline</h2>" not in page.text
    assert site.browser.get(f"/console/appointments/{their_appointment}").status_code == 404
    refused = site.post(
        f"{page_of(ours)}/fire", {"trigger": "accept", "version": "1"}, from_page="/console/requests"
    )
    assert refused.status_code == 403 and world.status(ours) == "requested"
