"""A coordinator's day in a real browser, with axe-core on every page and screenshots kept.

A partnership contact files a request and sees only their own; the coordinator signs in, accepts
it, opens the call, sees nominations arrive, closes it, watches turnout, counts a tie settled by
lot, declares, and exports the audit history; an auditor verifies the chain and is refused every
action.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from nominations.actors import Actor
from nominations.db.models import Partnership, Vacancy
from tests.integration.conftest import OPEN_SEAT
from tests.utils.browser import assert_accessible, chromium_page, needs_chromium, screenshot
from tests.utils.console import PASSWORD
from tests.web.conftest import Site

pytestmark = [pytest.mark.slow, needs_chromium]

REQUEST = {
    "title": "VCS representative on the Safer Town board",
    "terms_of_reference": "Reduce crime and the fear of crime in the borough.",
    "membership_details": "Council, police, fire, probation, health and one VCS seat.",
    "knowledge_skills": "Community safety.\nSpeaking for the sector.",
    "time_commitment": "6 hours a month",
    "meeting_schedule": "Second Tuesday of every other month, Town Hall",
    "seats": "1",
    "term_months": "24",
}


def invited(site: Site, email: str, role: str, **scope: int) -> str:
    """Invite someone; return the path of the link in their invitation email."""
    site.world.app.accounts.invite(email, f"Test {role.title()}", role, Actor("system", "test"), **scope)
    [path] = [p for to, p in site.links("account_invite") if to == email]
    return path


def accept_invitation(page: Any, site: Site, path: str) -> None:
    page.goto(site.url + path)
    assert_accessible(page)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("button[type=submit]")


def visit(page: Any, site: Site, path: str) -> str:
    page.goto(site.url + path)
    assert_accessible(page)
    return str(page.content())


def press(page: Any, label: str, reason: str | None = None) -> None:
    """Press the button for a trigger on the vacancy page (giving a reason where one is asked)."""
    form = page.locator("form", has=page.get_by_role("button", name=label))
    if reason is not None:
        form.locator("textarea, input[name=reason]").first.fill(reason)
    form.get_by_role("button", name=label).click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_a_coordinators_day(site: Site) -> None:
    world = site.world
    with world.app.db.transaction() as session:
        other = Partnership(
            network_id=world.network_id, name="Health Board", contact_name="H", contact_email="h@x.example"
        )
        session.add(other)
        session.flush()
        other_id = other.id or 0
    theirs = world.request()  # a request of another partnership the contact must not see
    with world.app.db.transaction() as session:
        row = session.get_one(Vacancy, theirs)
        row.partnership_id = other_id
        session.add(row)

    with chromium_page() as page:
        # The partnership contact files a request and sees only their own.
        accept_invitation(
            page,
            site,
            invited(site, "pat@council.example", "partnership", partnership_id=world.partnership_id),
        )
        visit(page, site, "/console/requests/new")
        for name, value in REQUEST.items():
            page.fill(f"#{name}", value)
        page.check("input[name=kind][value=representative]")
        page.get_by_role("button", name="Send the request").click()
        page.wait_for_load_state()
        assert_accessible(page)
        assert "Your reference is" in page.content()
        listing = visit(page, site, "/console/requests")
        assert REQUEST["title"] in listing and "Health Board" not in listing
        assert page.goto(f"{site.url}/console/requests/{theirs}").status == 404
        with world.app.db.transaction() as session:
            vid = max(session.exec(select(Vacancy.id)).all(), key=lambda i: i or 0) or 0
            filed = session.get_one(Vacancy, vid)
            filed.protocol_overrides = OPEN_SEAT  # nominations valid at once, to keep the day short
            session.add(filed)

        # The coordinator's day.
        page.context.clear_cookies()
        accept_invitation(
            page, site, invited(site, "cora@network.example", "coordinator", network_id=world.network_id)
        )
        dashboard = visit(page, site, "/console")
        assert REQUEST["title"] in dashboard
        screenshot(page, "dashboard")
        visit(page, site, f"/console/vacancies/{vid}")
        press(page, "Accept the request")
        press(page, "Open the call for nominations")
        ann = world.nominate(vid, 0, "Ann Able")
        bob = world.nominate(vid, 1, "Bob Baker")
        arrived = visit(page, site, f"/console/vacancies/{vid}")
        assert "Ann Able" in arrived and "Bob Baker" in arrived
        press(page, "Close the call now")
        world.fire_timers()  # the tally follows the close at once
        for i, choice in enumerate([ann, bob]):
            world.vote(vid, i, [choice])
        turnout = visit(page, site, f"/console/vacancies/{vid}")
        assert "2 of 6" in turnout and "Ann Able" in turnout
        press(page, "Close the ballot now")
        world.fire_timers()  # the count: one vote each, so the lot decides
        counted = visit(page, site, f"/console/vacancies/{vid}")
        assert "lot" in counted.lower()
        screenshot(page, "vacancy")
        press(page, "Declare the result")
        with page.expect_download() as download:
            page.click(f"a[href='/console/vacancies/{vid}/audit.csv']")
        exported = download.value.path().read_text(encoding="utf-8")
        assert "declare" in exported and "accept" in exported

        # The auditor verifies the chain and may change nothing.
        page.context.clear_cookies()
        accept_invitation(
            page, site, invited(site, "audrey@network.example", "auditor", network_id=world.network_id)
        )
        visit(page, site, "/console/audit")
        page.get_by_role("button", name="Verify the record now").click()
        page.wait_for_load_state()
        assert_accessible(page)
        assert "verified" in page.content().lower()
        seen = visit(page, site, f"/console/vacancies/{vid}")
        assert "Fill the seat" not in seen
        refused = page.request.post(f"{site.url}/console/vacancies/{vid}/fire", form={"trigger": "fill"})
        assert refused.status == 403
