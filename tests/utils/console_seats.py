"""Seats for console tests: a named request in any partnership, another network, a page's buttons."""

from __future__ import annotations

import re

from nominations.actors import Actor
from nominations.db.models import Vacancy
from nominations.eligibility import NominationInput
from nominations.services.participation import SeatRequest
from tests.integration.conftest import OPEN_SEAT, REQUEST, World
from tests.utils.seats import add_network, add_partnership

BUTTON = re.compile(r'<input type="hidden" name="trigger" value="([a-z_]+)">')
VERSION = re.compile(r'<input type="hidden" name="version" value="(\d+)">')


def seat(
    world: World,
    title: str,
    *,
    partnership_id: int | None = None,
    sector: str | None = None,
    overrides: dict[str, object] | None = None,
) -> int:
    """A requested seat called `title`; by default in the world's partnership, needing no seconder."""
    pid = partnership_id or world.partnership_id
    request = SeatRequest(**{**vars(REQUEST), "title": title, "equality_sector": sector})
    vid = world.app.participation.request_seat(pid, request, Actor("partnership", str(pid)))
    with world.app.db.transaction() as session:
        vacancy = session.get_one(Vacancy, vid)
        vacancy.protocol_overrides = OPEN_SEAT if overrides is None else overrides
        session.add(vacancy)
    return vid


def open_call(world: World, title: str, **kwargs: object) -> int:
    """A seat whose call for nominations is open."""
    vid = seat(world, title, **kwargs)  # type: ignore[arg-type]
    world.fire(vid, "accept")
    world.fire(vid, "open_nominations")
    return vid


def nominate_with_seconder(world: World, vacancy_id: int, name: str, proposer: int, seconder: int) -> int:
    """A nomination the default protocol leaves pending: consent and the seconding still to come."""
    data = NominationInput(
        name,
        f"{name.split()[0].lower()}@example.org",
        "",
        f"{name} will speak for the sector.",
        frozenset({"not_employed_by_partnership"}),
        (world.orgs[seconder],),
    )
    return world.app.nominating.propose_for(vacancy_id, world.orgs[proposer], data)


def other_network(world: World) -> tuple[int, int]:
    """A second network with one partnership: (network id, partnership id)."""
    network_id = add_network(world.app.db, "Elsewhere Network")
    return network_id, add_partnership(world.app.db, network_id, "Elsewhere Board")


def buttons(html: str) -> list[str]:
    """The triggers the page offers as buttons, in order."""
    return BUTTON.findall(html)


def version_on(html: str) -> str:
    [found] = set(VERSION.findall(html))
    return found
