"""A network with a bit of everything, named after a marker word, for tests of what crosses networks.

Every name and address made here carries the marker, so that a page which shows any of it says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlmodel import col, select

from nominations.actors import Actor
from nominations.db.models import Network, Organisation, OutboxMessage, Partnership, Vacancy
from nominations.mail.outbox import queue_mail
from nominations.mail.render import RenderedMail
from nominations.services.accounts import SignedIn
from nominations.services.costs import CostInput, record_cost
from nominations.services.induction import representative
from nominations.services.panel import Panel
from nominations.services.report_backs import ReportForm
from nominations.services.seat_requests import SeatRequests, TermsPdf
from tests.integration.conftest import COORDINATOR, OPEN_SEAT, REQUEST, World
from tests.integration.test_appointment_term import appointments, finish_induction, travel
from tests.utils.console_seats import nominate_with_seconder, open_call, seat

DAY = timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ROLES = ("coordinator", "auditor", "partnership", "admin")


@dataclass(frozen=True)
class Filled:
    """The ids of what `fill` made, to put in addresses."""

    vacancy_id: int  # an election counted, declared and filled
    appointment_id: int  # its representative, inducted, reviewed, with a report-back filed
    meeting_id: int
    organisation_id: int
    account_id: int  # the network's coordinator's account


def add_world(world: World, marker: str) -> World:
    """Another network in the same database and app: members, a partnership, all named `marker`."""
    low = marker.lower()
    with world.app.db.transaction() as session:
        network = Network(
            name=f"{marker} Network",
            coordinator_name=f"Cora {marker}",
            coordinator_email=f"cora@{low}.example",
        )
        session.add(network)
        session.flush()
        assert network.id is not None
        orgs = [
            Organisation(
                network_id=network.id,
                name=f"{marker} Org {i}",
                contact_name=f"Contact {i} {marker}",
                contact_email=f"contact{i}@{low}.example",
            )
            for i in range(6)
        ]
        partnership = Partnership(
            network_id=network.id,
            name=f"{marker} Partnership",
            contact_name=f"Pat {marker}",
            contact_email=f"pat@{low}.example",
        )
        session.add_all([*orgs, partnership])
        session.flush()
        return World(world.app, world.clock, network.id, partnership.id or 0, [o.id for o in orgs if o.id])


def fill(world: World, marker: str) -> Filled:
    """Seats in every state worth a page, people in them, costs, accounts and mail, all named `marker`."""
    _tag_members(world)
    accounts = {role: _invite(world, marker, role) for role in ROLES}
    seat(world, f"{marker} requested seat")
    nominate_with_seconder(
        world, open_call(world, f"{marker} pending call", overrides={}), f"Cy {marker}", 2, 3
    )
    elected = _elect(world, marker, accounts["partnership"])
    holder = appointments(world, elected)["Ada"]
    assert holder.id is not None
    meeting = _serve(world, marker, holder.id)
    today = world.clock.now().date()
    cost = CostInput("expense", f"{marker} Council", today, amount_pence=4200, vacancy_id=elected)
    record_cost(world.app.db, world.clock, replace(cost, description=f"{marker} bus fares"), COORDINATOR)
    _undelivered(world, marker, elected, accounts["coordinator"])
    return Filled(elected, holder.id, meeting, world.orgs[0], accounts["coordinator"])


def _invite(world: World, marker: str, role: str) -> int:
    where = (
        {"partnership_id": world.partnership_id}
        if role == "partnership"
        else {"network_id": world.network_id}
    )
    email, name = f"{role}@{marker.lower()}.example", f"{marker} {role.title()}"
    return world.app.accounts.invite(email, name, role, Actor("system", "test"), **where)[0]


def _elect(world: World, marker: str, contact_id: int) -> int:
    """A seat requested with its terms as a PDF, contested, counted, declared and filled; and an expert
    seat that reaches its panel meanwhile. Returns the first."""
    app = world.app
    contact = SignedIn(contact_id, "", "partnership", world.network_id, world.partnership_id)
    requests = SeatRequests(app.db, app.transitions.renderer, app.participation, app.transitions, "")
    asked = replace(REQUEST, title=f"{marker} harbour seat")
    elected = requests.file(contact, world.partnership_id, asked, TermsPdf(f"{marker} terms.pdf", PDF))
    with app.db.transaction() as session:
        session.get_one(Vacancy, elected).protocol_overrides = OPEN_SEAT
    world.fire(elected, "accept")
    world.fire(elected, "open_nominations")
    first = world.nominate(elected, 0, f"Ada {marker}")
    second = world.nominate(elected, 1, f"Ben {marker}")
    expert = _expert_seat(world, marker)
    travel(world, 22 * DAY)
    for i, choice in enumerate([first, first, first, second, second]):
        world.vote(elected, i, [choice])
    travel(world, 15 * DAY)
    world.fire(elected, "declare")
    world.fire(elected, "fill")
    assert world.status(expert) == "shortlisting"
    return elected


def _serve(world: World, marker: str, appointment_id: int) -> int:
    """The representative inducted, a meeting held and reported back on, the yearly review opened."""
    app = world.app
    finish_induction(world, appointment_id)
    start = world.clock.now() + timedelta(hours=1)
    meeting = app.term.meetings.schedule(
        world.partnership_id, f"{marker} board", start, start + timedelta(hours=2), COORDINATOR
    )
    travel(world, DAY)
    said = ReportForm(True, discussed=f"{marker} harbour plans", sector_said="Much", coming_up="More")
    app.term.report_backs.submit(appointment_id, meeting, said, representative(appointment_id))
    app.transitions.fire(appointment_id, "open_review", actor=COORDINATOR, entity="appointment")
    return meeting


def _tag_members(world: World) -> None:
    # Some members in equality sectors, so that the equality report has figures to leak.
    with world.app.db.transaction() as session:
        for org_id, sectors in zip(world.orgs, (["women"], ["younger", "women"], ["bme"]), strict=False):
            org = session.get_one(Organisation, org_id)
            org.equality_sectors = sectors
            session.add(org)


def _expert_seat(world: World, marker: str) -> int:
    """An expert seat whose call has one consenting applicant and a panel member: it reaches the panel."""
    request = replace(REQUEST, title=f"{marker} expert seat", kind="expert", knowledge_skills="- Harbours\n")
    vid = world.app.participation.request_seat(world.partnership_id, request, COORDINATOR)
    world.fire(vid, "accept")
    Panel(world.app.transitions).add_member(
        vid, f"Pam {marker}", f"pam@{marker.lower()}.example", COORDINATOR
    )
    world.fire(vid, "open_nominations")
    world.nominate(vid, 4, f"Eve {marker}")
    with world.app.db.transaction() as session:
        [text] = session.exec(
            select(OutboxMessage.text_body)
            .where(OutboxMessage.template == "consent_request", col(OutboxMessage.to_email).contains("eve."))
            .where(OutboxMessage.entity_id == vid)
        ).all()
    token = re.search(r"/consent/(\S+)", text)
    assert token is not None
    world.app.nominating.consent(token.group(1))
    return vid


def _undelivered(world: World, marker: str, vacancy_id: int, account_id: int) -> None:
    """Two emails the server refused: one about the seat, one an account's invitation."""
    with world.app.db.transaction() as session:
        for kind, about in (("vacancy", vacancy_id), ("user", account_id)):
            row = queue_mail(
                session,
                now=world.clock.now(),
                entity_type=kind,
                entity_id=about,
                template="request_accepted",
                to_name=f"Lost {marker}",
                to_email=f"lost@{marker.lower()}.example",
                rendered=RenderedMail(f"{marker} news", "Text\n", "<p>HTML</p>\n"),
            )
            row.status, row.attempts, row.last_error = "failed", 1, f"550 5.1.1 {marker} has no such user"
