"""The pictures page through the real server: a counted STV election in three pictures, scoped, signed in."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest

from nominations.actors import Actor
from tests.integration.conftest import REQUEST
from tests.utils.console import sign_in_as
from tests.utils.seats import add_network, add_partnership
from tests.web.conftest import Site
from tests.web.test_ballot_pages import ballot_open

SVG = re.compile(r"<svg .*?</svg>", re.S)
STV = {"voting_method": {"several_seats": "scottish-stv"}}


def counted_stv(site: Site) -> int:
    """Two seats by Scottish STV, five of six members voting over four days, then counted."""
    world = site.world
    vid, (ann, bob, cat) = ballot_open(site, STV, seats=2)
    days = [  # (days after the last vote, who, their ranking)
        (0, 0, [ann, bob]),
        (0, 1, [ann, bob]),
        (1, 2, [ann]),
        (2, 3, [cat, bob]),
        (0, 4, [bob, cat]),
    ]
    for later, org, ranking in days:
        world.clock.advance(timedelta(days=later))
        world.vote(vid, org, ranking)
    world.fire(vid, "close_voting")
    world.fire_timers()
    assert world.status(vid) == "counted"
    return vid


def figures(page: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in SVG.findall(page)]


def test_a_coordinator_sees_the_workflow_turnout_and_count_of_a_counted_stv_election(site: Site) -> None:
    vid = counted_stv(site)
    sign_in_as(site, "coordinator")
    page = site.browser.get(f"/console/vacancies/{vid}/pictures")
    assert page.status_code == 200, page.text[:500]
    workflow, turnout, count = figures(page.text)
    title = "{http://www.w3.org/2000/svg}title"
    assert [f.findtext(title) for f in (workflow, turnout, count)] == [
        "The vacancy workflow",
        "Turnout, day by day",
        "The count, stage by stage",
    ]
    assert all(f.get("role") == "img" for f in (workflow, turnout, count))
    [here] = [
        g for g in workflow.iter("{http://www.w3.org/2000/svg}g") if "current" in (g.get("class") or "")
    ]
    assert here.get("data-state") == "counted"
    # Turnout: who had voted by the end of each day (the ballot opened on Monday 23 March), never how.
    voted = [
        b.get("data-votes")
        for b in turnout.iter("{http://www.w3.org/2000/svg}rect")
        if b.get("class") == "bar"
    ]
    assert voted == ["2", "3", "3", "5"]
    for day, n, part in [("Mon 23 Mar", 2, "33%"), ("Tue 24 Mar", 3, "50%"), ("Thu 26 Mar", 5, "83%")]:
        assert re.search(
            rf'<th scope="row">{day}</th><td class="num">{n}</td><td class="num">{part}</td>', page.text
        )
    assert "of 6 on the roll" in page.text
    # The count: quota floor(5 / 3) + 1 = 2. Ann is elected on first preferences; her surplus of 1 moves
    # at a third a paper, two thirds to Bob and a third to nobody. Bob (1.67) and Cat (1.00) are left for
    # one seat: Cat is excluded and Bob elected. (No tie: a tie would be settled by a random lot.)
    assert "quota 2" in "".join(count.itertext())
    assert '<th scope="col" class="num">Ann Able</th>' in page.text
    first, second = page.text.split('<th scope="row">')[-2:]
    assert re.match(r'1</th><td>First preferences</td>\s*<td class="num">3.00 \(elected\)</td>', first)
    assert re.match(r"2</th><td>Surplus of Ann Able</td>", second)
    assert re.findall(r"\((\w+)\)", second) == ["elected", "elected", "excluded"]
    drawn = "".join(count.itertext())
    assert "Stage 2: surplus of Ann Able" in drawn and "1.00 excluded" in drawn and "1.67 elected" in drawn
    assert "You are here" in page.text and "Back to the vacancy" in page.text


def test_before_the_ballot_only_the_workflow_is_drawn(site: Site) -> None:
    vid = site.world.request()
    site.world.fire(vid, "accept")
    sign_in_as(site, "coordinator")
    page = site.browser.get(f"/console/vacancies/{vid}/pictures")
    assert page.status_code == 200
    [workflow] = figures(page.text)
    [here] = [
        g for g in workflow.iter("{http://www.w3.org/2000/svg}g") if "current" in (g.get("class") or "")
    ]
    assert here.get("data-state") == "accepted"
    assert "The ballot has not opened" in page.text and "once the votes of a ranked ballot" in page.text


def test_turnout_shows_while_the_ballot_is_open_with_no_result(site: Site) -> None:
    vid, ids = ballot_open(site, STV, seats=2)
    site.world.vote(vid, 0, [ids[2]])
    sign_in_as(site, "coordinator")
    page = site.browser.get(f"/console/vacancies/{vid}/pictures")
    _, turnout = figures(page.text)
    assert [
        b.get("data-votes") for b in turnout.iter("{http://www.w3.org/2000/svg}rect") if b.get("class")
    ] == ["1"]
    assert "Cat Cole" not in page.text  # no names, no votes: only how many have voted


def test_another_networks_vacancy_is_not_found(site: Site) -> None:
    world = site.world
    elsewhere = add_partnership(world.app.db, add_network(world.app.db, "Other Network"), "Elsewhere")
    theirs = replace(REQUEST, title="Their seat")
    their_id = world.app.participation.request_seat(elsewhere, theirs, Actor("partnership", str(elsewhere)))
    ours = site.world.request()
    sign_in_as(site, "coordinator")
    refused = site.browser.get(f"/console/vacancies/{their_id}/pictures")
    assert refused.status_code == 404 and "Their seat" not in refused.text
    assert site.browser.get(f"/console/vacancies/{their_id + 1000}/pictures").status_code == 404
    assert site.browser.get(f"/console/vacancies/{ours}/pictures").status_code == 200


def test_a_partnership_contact_sees_only_their_own_partnerships_seats(site: Site) -> None:
    world = site.world
    ours = world.request()
    neighbour = add_partnership(world.app.db, world.network_id, "Neighbouring Board")
    sign_in_as(site, "partnership", "next.door@council.example", partnership_id=neighbour)
    assert site.browser.get(f"/console/vacancies/{ours}/pictures").status_code == 404
    sign_in_as(site, "partnership", partnership_id=world.partnership_id)
    assert site.browser.get(f"/console/vacancies/{ours}/pictures").status_code == 200


def test_a_signed_out_visitor_is_sent_to_sign_in_and_back(site: Site) -> None:
    vid = site.world.request()
    with httpx.Client(base_url=site.url, follow_redirects=False) as stranger:
        answer = stranger.get(f"/console/vacancies/{vid}/pictures")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/sign-in?next=/console/vacancies/{vid}/pictures"


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("chromium") is None, reason="Debian's chromium is not installed (make test installs it)"
)
def test_axe_finds_nothing_at_wcag_2_2_aa_on_the_pictures_page(site: Site) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from tests.web.test_browser_ballot import ARGS, CHROMIUM

    vid = counted_stv(site)
    sign_in_as(site, "coordinator")
    cookies = [{"name": c.name, "value": c.value or "", "url": site.url} for c in site.browser.cookies.jar]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context()
        context.add_cookies(cookies)  # type: ignore[arg-type]
        page = context.new_page()
        page.goto(f"{site.url}/console/vacancies/{vid}/pictures")
        assert page.locator("svg[role=img]").count() == 3
        tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
        browser.close()
    assert results.violations_count == 0, results.generate_report()
