"""The coordinator's dashboard over HTTP: seats by state, deadlines, filters, and what needs a person."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from nominations.actors import Actor
from nominations.services import dashboard as dashboard_module
from tests.integration.test_appointment_term import (
    appointments,
    filled_seat,
    finish_induction,
    schedule_meetings,
    travel,
)
from tests.utils.console import PASSWORD, sign_in_as
from tests.utils.console_seats import nominate_with_seconder, open_call, other_network, seat
from tests.utils.dashboard_queries import dashboard_selects
from tests.utils.seats import add_partnership
from tests.web.conftest import Site

DAY = timedelta(days=1)


def table(html: str, entity: str, state: str) -> str:
    """One state's table on the dashboard ("" when the state has no rows)."""
    found = re.search(rf'<table id="{entity}-{state}"[^>]*>(.*?)</table>', html, re.S)
    return found.group(1) if found else ""


def need(html: str, key: str) -> str:
    """One kind of need's list ("" when nothing of that kind waits)."""
    found = re.search(rf'<h3 id="need-{key}">.*?</h3>\s*<ul[^>]*>(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


def titles(fragment: str) -> list[str]:
    """The seats or people a fragment links to, as a person reads them."""
    return [
        html.unescape(found)
        for found in re.findall(r'<a href="/console/(?:vacancies|appointments)/\d+">([^<]+)</a>', fragment)
    ]


def test_every_seat_is_listed_by_state_with_its_next_deadline(site: Site) -> None:
    world = site.world
    seat(world, "Health and wellbeing board seat")
    open_call(world, "Community safety seat")
    declined = seat(world, "Domestic abuse partnership seat")
    world.fire(declined, "decline", reason="The partnership has no budget for support this year.")
    sign_in_as(site, "coordinator")
    page = site.browser.get("/console")
    assert page.status_code == 200
    assert "<h1>Dashboard</h1>" in page.text
    assert "You are signed in as Test Coordinator, coordinator" in page.text
    assert titles(table(page.text, "vacancy", "requested")) == ["Health and wellbeing board seat"]
    call = table(page.text, "vacancy", "nominations_open")
    assert titles(call) == ["Community safety seat"]
    closes = world.clock.now() + timedelta(days=21)
    assert f"Nominations close: {closes:%d %B %Y at %H:%M} UTC" in call
    assert titles(table(page.text, "vacancy", "declined")) == ["Domestic abuse partnership seat"]
    assert "None" in table(page.text, "vacancy", "declined")  # a final state waits for nothing
    assert '<strong class="tag tag--red">Declined</strong>' in page.text
    assert "No appointments." in page.text


def test_appointments_are_listed_with_the_person_and_the_next_deadline(site: Site) -> None:
    world = site.world
    vid = filled_seat(world)
    seat_of = appointments(world, vid)
    sign_in_as(site, "coordinator")
    page = site.browser.get("/console").text
    inducting = table(page, "appointment", "inducting")
    assert "Alice Able" in inducting and "Bob Baker" not in inducting
    due = seat_of["Alice"].induction_due_at
    assert due is not None and f"Induction due: {due:%d %B %Y at %H:%M} UTC" in inducting
    standing_by = table(page, "appointment", "standing_by")
    end = seat_of["Bob"].term_end_at
    assert end is not None and "Bob Baker" in standing_by and f"Term ends: {end:%d %B %Y}" in standing_by
    assert titles(table(page, "vacancy", "filled")) == ["VCS representative"]


def test_filters_by_partnership_state_and_sector_and_a_search_by_seat_or_person(site: Site) -> None:
    world = site.world
    youth_board = add_partnership(world.app.db, world.network_id, "Youth Board")
    seat(world, "Women's safety seat", sector="women")
    seat(world, "Young people's seat", partnership_id=youth_board, sector="younger")
    call = open_call(world, "Community safety seat")
    world.nominate(call, 0, "Priya Patel")
    sign_in_as(site, "coordinator")

    def shown(**query: str) -> list[str]:
        page = site.browser.get("/console", params=query)
        assert page.status_code == 200
        return sorted(titles(re.split(r"<h2>Vacancies</h2>", page.text)[1]))

    everything = ["Community safety seat", "Women's safety seat", "Young people's seat"]
    assert shown() == everything
    assert shown(partnership=str(youth_board)) == ["Young people's seat"]
    assert shown(state="nominations_open") == ["Community safety seat"]
    assert shown(sector="women") == ["Women's safety seat"]
    assert shown(q="SAFETY") == ["Community safety seat", "Women's safety seat"]
    assert shown(q="priya") == ["Community safety seat"]  # found by the nominee's name
    assert shown(q="safety", state="requested") == ["Women's safety seat"]
    assert shown(q="nobody by this name") == []
    # A value the form does not offer (an edited link) is no filter rather than an error.
    assert shown(state="no_such_state", partnership="999", sector="martians") == everything
    page = site.browser.get("/console", params={"sector": "younger"}).text
    assert 'option value="younger" selected' in page and "No appointments match these filters." in page


def test_a_long_history_shows_the_newest_of_each_state_and_links_to_the_rest(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_module, "CAP", 2)
    for name in ("Oldest seat", "Middle seat", "Newest seat"):
        seat(site.world, name)
    sign_in_as(site, "coordinator")
    page = site.browser.get("/console").text
    assert titles(table(page, "vacancy", "requested")) == ["Newest seat", "Middle seat"]
    assert "3 vacancies</caption>" in page and "Showing the newest 2 of 3." in page
    more = re.search(r'<a href="(/console\?[^"]+)">show only requested vacancies</a>', page)
    assert more is not None
    every = site.browser.get(html.unescape(more.group(1))).text
    assert titles(table(every, "vacancy", "requested")) == ["Newest seat", "Middle seat", "Oldest seat"]
    assert 'option value="requested" selected' in every


def test_the_filters_and_search_find_appointments_by_person(site: Site) -> None:
    world = site.world
    filled_seat(world)
    sign_in_as(site, "coordinator")
    page = site.browser.get("/console", params={"q": "bob"}).text
    assert "Bob Baker" in table(page, "appointment", "standing_by")
    assert table(page, "appointment", "inducting") == ""
    assert titles(table(page, "vacancy", "filled")) == ["VCS representative"]  # Bob was nominated for it
    assert "Alice Able" in site.browser.get("/console", params={"state": "inducting"}).text


def test_needs_a_person_now_lists_what_waits_on_the_vacancies(site: Site) -> None:
    world = site.world
    tied = open_call(world, "Tied seat")
    alice, bob = world.nominate(tied, 0, "Alice Able"), world.nominate(tied, 1, "Bob Baker")
    closing = open_call(world, "Closing seat")
    cai = world.nominate(closing, 2, "Cai Jones")
    world.nominate(closing, 3, "Dee Smith")
    travel(world, 22 * DAY)
    assert world.status(tied) == world.status(closing) == "voting_open"
    world.vote(tied, 0, [alice])
    world.vote(tied, 1, [bob])
    world.fire(tied, "close_voting")
    world.fire_timers()
    assert world.status(tied) == "counted"
    world.vote(closing, 4, [cai])
    travel(world, 11 * DAY)  # the closing seat's ballot now closes in under three days
    seat(world, "Requested seat")
    open_call(world, "Empty call")
    pending = open_call(world, "Pending call", overrides={})  # the default protocol: consent, one seconder
    nominate_with_seconder(world, pending, "Erin Evans", proposer=0, seconder=1)
    sign_in_as(site, "coordinator")
    page = site.browser.get("/console").text

    assert titles(need(page, "requests")) == ["Requested seat (Safer Town Partnership)"]
    assert titles(need(page, "empty_calls")) == ["Empty call (Safer Town Partnership)"]
    assert "Nobody has been nominated yet" in need(page, "empty_calls")
    incomplete = need(page, "incomplete")
    assert titles(incomplete) == ["Erin Evans, for Pending call"]
    assert "Still needs the nominee&#39;s consent and 1 seconder" in incomplete
    ballots = need(page, "closing")
    assert titles(ballots) == ["Closing seat (Safer Town Partnership)"]
    assert "1 of 6 member organisations have voted" in ballots
    declare = need(page, "declare")
    assert titles(declare) == ["Tied seat (Safer Town Partnership)"]
    assert "Alice Able and Bob Baker were tied; a lot drawn from seed " in declare
    assert "witness it and announce it" in declare
    for quiet in ("inductions", "report_backs", "reviews"):
        assert need(page, quiet) == ""


def test_needs_a_person_now_lists_what_waits_on_the_terms(site: Site) -> None:
    world = site.world
    stalled = appointments(world, filled_seat(world))["Alice"]
    reviewed = appointments(world, filled_seat(world))["Alice"]
    assert stalled.id is not None and reviewed.id is not None
    finish_induction(world, reviewed.id)
    for trigger in ("open_review", "close_review"):
        world.app.transitions.fire(
            reviewed.id, trigger, actor=Actor("coordinator", "c1"), entity="appointment"
        )
    schedule_meetings(world, world.clock.now() - 30 * DAY, 2, 10 * DAY)  # ended 30 and 20 days ago
    travel(world, 10 * DAY)  # the first seat's induction is now past due
    sign_in_as(site, "coordinator")
    page = site.browser.get("/console").text

    inductions = need(page, "inductions")
    assert titles(inductions) == ["Alice Able, VCS representative (Safer Town Partnership)"]
    assert f'href="/console/appointments/{stalled.id}"' in inductions
    assert f'href="/console/appointments/{reviewed.id}"' in need(page, "reviews")
    late = need(page, "report_backs")
    # Both meetings were held in the first seat's term; the second seat was filled after them.
    assert f'href="/console/appointments/{stalled.id}"' in late and "2 report-backs are overdue" in late
    assert f'href="/console/appointments/{reviewed.id}"' not in late
    assert need(page, "requests") == ""


def test_an_admin_with_no_network_sees_every_network_and_a_coordinator_only_their_own(site: Site) -> None:
    world = site.world
    seat(world, "Our seat")
    _, elsewhere = other_network(world)
    seat(world, "Their seat", partnership_id=elsewhere)
    sign_in_as(site, "coordinator")
    ours = site.browser.get("/console").text
    assert "Our seat" in ours and "Their seat" not in ours and "Elsewhere Board" not in ours
    sign_in_as(site, "auditor")
    assert "Their seat" not in site.browser.get("/console").text
    world.app.accounts.invite("root@network.example", "Root Admin", "admin", Actor("system", "test"))
    [path] = [p for to, p in site.links("account_invite") if to == "root@network.example"]
    site.browser.cookies.clear()
    site.post(path, {"password": PASSWORD, "confirm": PASSWORD})
    every = site.browser.get("/console").text
    assert "Our seat" in every and "Their seat" in every
    assert titles(need(every, "requests")) == [
        "Our seat (Safer Town Partnership)",
        "Their seat (Elsewhere Board)",
    ]


def test_the_dashboard_asks_the_database_the_same_few_questions_however_many_seats(site: Site) -> None:
    world = site.world
    filled_seat(world)

    def add(first: int, last: int) -> None:
        for i in range(first, last):
            vid = open_call(world, f"Seat {i}", overrides={})
            nominate_with_seconder(world, vid, f"Nominee {i}", proposer=i % 5, seconder=(i + 1) % 5)
            seat(world, f"Request {i}")

    def selects() -> tuple[list[str], int]:
        statements, view = dashboard_selects(world)
        [incomplete] = [len(n.items) for n in view.needs if n.key == "incomplete"]
        return statements, incomplete

    add(0, 1)
    few, one = selects()
    add(1, 12)
    many, twelve = selects()
    assert (one, twelve) == (1, 12)  # every pending nomination is read...
    assert len(many) == len(few) <= 12, "\n---\n".join(many)  # ...by the same few queries
