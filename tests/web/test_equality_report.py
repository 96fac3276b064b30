"""The equality monitoring report over HTTP: aggregate figures per sector, small numbers suppressed."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlmodel import select

from nominations.actors import Actor
from nominations.db.models import Network, Organisation, Partnership
from nominations.services.equality_report import equality_report
from nominations.services.participation import SeatRequest
from nominations.services.scope import Scope
from tests.integration.conftest import REQUEST, World
from tests.integration.test_vacancy_workflow import close_call
from tests.utils.console import sign_in_as
from tests.utils.elections import close_ballot
from tests.web.conftest import Site

ROW = re.compile(r'<tr><th scope="row">([^<]+)</th>((?:<td class="num">[^<]*</td>)+)</tr>')
CELL = re.compile(r'<td class="num">([^<]*)</td>')
FEW = "fewer than 5"


def tag(world: World, sectors: dict[int, list[str]]) -> None:
    """Tag member organisations (by their index in the world) with equality sectors."""
    with world.app.db.transaction() as session:
        for index, tags in sectors.items():
            org = session.get_one(Organisation, world.orgs[index])
            org.equality_sectors = tags
            session.add(org)


def ask(world: World, partnership_id: int, sector: str, seats: int) -> int:
    request = SeatRequest(**{**vars(REQUEST), "equality_sector": sector, "seats": seats})
    return world.app.participation.request_seat(
        partnership_id, request, Actor("partnership", str(partnership_id))
    )


def run_election(world: World) -> None:
    """Orgs 0-4 each nominate; orgs 0-4 vote (org 5 does not). Org 0's nominee wins and is seated;
    org 3's, the runner-up, becomes the substitute (who is not counted as appointed)."""
    vid = world.request()
    world.fire(vid, "accept")
    world.fire(vid, "open_nominations")
    ids = [world.nominate(vid, i, f"Nominee {i}") for i in range(5)]
    close_call(world, vid)
    for org, choice in [(0, 0), (1, 0), (2, 0), (3, 3), (4, 3)]:
        world.vote(vid, org, [ids[choice]])
    assert close_ballot(world, vid) == "counted"
    world.fire(vid, "declare")
    world.fire(vid, "fill")  # the winner is appointed too: still one person elected or appointed


def elect_unopposed(world: World) -> None:
    """Org 5 makes the only nomination for a seat: elected unopposed, with no ballot (so no turnout)."""
    vid = world.request()
    world.fire(vid, "accept")
    world.fire(vid, "open_nominations")
    world.nominate(vid, 5, "Sole Nominee")
    close_call(world, vid)
    assert world.fire(vid, "declare") == "declared"


def another_network(world: World) -> None:
    """Five organisations of another network, tagged BME, with a BME seat asked: never counted here."""
    with world.app.db.transaction() as session:
        network = Network(name="Elsewhere", coordinator_name="E", coordinator_email="e@elsewhere.example")
        session.add(network)
        session.flush()
        assert network.id is not None
        session.add_all(
            Organisation(
                network_id=network.id,
                name=f"Far {i}",
                contact_name="F",
                contact_email=f"far{i}@elsewhere.example",
                equality_sectors=["bme"],
            )
            for i in range(5)
        )
        partnership = Partnership(
            network_id=network.id, name="Far Board", contact_name="F", contact_email="f@x.example"
        )
        session.add(partnership)
        session.flush()
        partnership_id = partnership.id or 0
    ask(world, partnership_id, "bme", 6)


@pytest.fixture
def monitored(site: Site) -> Site:
    world = site.world
    # Orgs 0-5 are active; org 6 is lapsed, and its tags count nowhere.
    tag(world, {0: ["women", "faith", "disabled"], 1: ["women", "faith", "disabled", "lgbt"]})
    tag(world, {2: ["women", "faith", "disabled", "lgbt"], 3: ["women", "older", "disabled", "lgbt"]})
    tag(world, {4: ["women", "older", "lgbt"], 5: ["women", "older", "lgbt"], 6: ["women", "older"]})
    ask(world, world.partnership_id, "women", 5)
    ask(world, world.partnership_id, "faith", 2)
    elect_unopposed(world)
    run_election(world)
    another_network(world)
    return site


def table(page: str) -> dict[str, list[str]]:
    return {label: CELL.findall(cells) for label, cells in ROW.findall(page)}


EXPECTED = {
    "Women": ["6", "5", "6", FEW, "6", "5", "83%"],
    "Faith communities": [FEW, FEW, FEW, FEW, FEW, FEW, FEW],
    "Disabled people": [FEW, "0", FEW, FEW, FEW, FEW, FEW],  # four of most things
    "LGBT+ people": ["5", "0", "5", FEW, "5", FEW, FEW],  # 4 of 5 voted: 80% would give the 4 away
    "Black and minority ethnic people": ["0", "0", "0", "0", "0", "0", "no ballots"],
    "Older people": [FEW, "0", FEW, FEW, FEW, FEW, FEW],
    "All member organisations, for comparison": ["6", "9", "6", FEW, "6", "5", "83%"],
}


def test_the_figures_behind_the_page_are_counted_in_full(monitored: Site) -> None:
    world = monitored.world
    figures = {row.key: row for row in equality_report(world.app.db, Scope(world.network_id))}
    counted = {
        key: (f.organisations, f.seats_asked, f.nominations, f.elected, f.ballot_places, f.votes_cast)
        for key, f in figures.items()
    }
    assert counted == {
        "women": (6, 5, 6, 2, 6, 5),
        "bme": (0, 0, 0, 0, 0, 0),
        "disabled": (4, 0, 4, 1, 4, 4),
        "lgbt": (5, 0, 5, 1, 5, 4),
        "faith": (3, 2, 3, 1, 3, 3),
        "older": (3, 0, 3, 1, 3, 2),  # org 3's nominee is only the substitute, not counted
        "younger": (0, 0, 0, 0, 0, 0),
        "all": (6, 9, 6, 2, 6, 5),  # the unopposed seat's roll had no ballot: no places on it
    }
    assert all(f.cells() == ["0"] * 6 + ["no ballots"] for f in equality_report(world.app.db, Scope(None)))


def test_the_report_counts_each_sector_and_suppresses_numbers_under_five(monitored: Site) -> None:
    sign_in_as(monitored, "auditor")
    page = monitored.browser.get("/console/equality")
    assert page.status_code == 200
    rows = table(page.text)
    assert {label: rows[label] for label in EXPECTED} == EXPECTED
    assert len(rows) == 8  # seven sectors and everyone
    assert "Any number from 1 to 4 is shown as “fewer than 5”" in page.text
    shown = [cell for cells in rows.values() for cell in cells]
    assert not {"1", "2", "3", "4"} & set(shown)


def test_the_report_downloads_as_csv_with_the_same_suppressed_cells(monitored: Site) -> None:
    sign_in_as(monitored, "coordinator")
    answer = monitored.browser.get("/console/equality.csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"] == 'attachment; filename="equality-monitoring.csv"'
    header, *rows = list(csv.reader(io.StringIO(answer.text)))
    assert header[0] == "Equality sector" and header[-1] == "Turnout" and len(header) == 8
    assert {row[0]: row[1:] for row in rows if row[0] in EXPECTED} == EXPECTED
    assert len(rows) == 8


def test_the_report_is_refused_to_a_partnership_contact_and_an_admin(site: Site) -> None:
    for role, kwargs in (("partnership", {"partnership_id": site.world.partnership_id}), ("admin", {})):
        sign_in_as(site, role, **kwargs)
        for path in ("/console/equality", "/console/equality.csv"):
            page = site.browser.get(path)
            assert page.status_code == 403, (role, path)
            assert "(equality.view)" in page.text


def test_a_network_with_no_members_tagged_shows_zeros_not_blanks(site: Site) -> None:
    sign_in_as(site, "auditor")
    rows = table(site.browser.get("/console/equality").text)
    with site.world.app.db.transaction() as session:
        assert all(not o.equality_sectors for o in session.exec(select(Organisation)).all())
    assert rows["Women"] == ["0", "0", "0", "0", "0", "0", "no ballots"]
    assert rows["All member organisations, for comparison"] == ["6", "0", "0", "0", "0", "0", "no ballots"]
