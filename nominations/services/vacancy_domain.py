"""The vacancy's half of carrying out intents: its audiences, links and election steps."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from typing import Any, ClassVar

from sqlmodel import Session, select

from nominations.db.models import ElectorateMember, Network, Organisation, Partnership, Vacancy
from nominations.services.access import issue_link
from nominations.services.appointing import appoint_winners, elect_incumbent
from nominations.services.balloting import seal_ballots
from nominations.services.effects import Domain, Step
from nominations.services.panel_roster import panel_link_to, panel_recipients
from nominations.services.protocols import protocol_for
from nominations.services.recipients import Recipient, recipients, valid_nominations
from nominations.services.results import count_vacancy, elect_unopposed, result_view
from nominations.workflow.intents import Effect
from nominations.workflow.vocabulary import VACANCY


class VacancyDomain(Domain):
    entity_type = "vacancy"
    log_keys: ClassVar[dict[str, str]] = {
        "freeze_electorate": "electorate",
        "open_ballot": "ballot",
        "seal_ballots": "sealed_ballots",
        "count_votes": "count",
        "elect_unopposed": "elected_unopposed",
    }

    def recipients(self, step: Step, audience: str) -> list[Recipient]:
        if audience == "panel":
            return panel_recipients(step.session, step.row_id)
        return recipients(step.session, step.row, audience)

    def context(self, step: Step) -> dict[str, Callable[[], Any]]:
        session, vacancy = step.session, step.row
        return {
            "vacancy": lambda: vacancy,
            "partnership": lambda: session.get_one(Partnership, vacancy.partnership_id),
            "network": lambda: session.get_one(Network, vacancy.network_id),
            "reason": lambda: step.reason,
            "nominations": lambda: valid_nominations(session, step.row_id),
            "result": lambda: result_view(session, step.row_id),
            "base_url": lambda: step.base_url,
        }

    def link(self, step: Step, purpose: str, person: Recipient) -> str:
        if purpose == "panel":  # a panel member's link, not an organisation's
            return panel_link_to(step.session, step.row_id, person.email, step.now, step.base_url)
        expires_at = getattr(step.row, VACANCY.links[purpose].expires_at)
        assert person.organisation_id is not None and expires_at is not None
        token = issue_link(
            step.session,
            purpose=purpose,
            vacancy_id=step.row_id,
            expires_at=expires_at,
            organisation_id=person.organisation_id,
        )
        return f"{step.base_url}/{purpose}/{token}"

    def effect(self, step: Step, intent: Effect) -> Any:
        session, vacancy = step.session, step.row
        if intent.kind == "freeze_electorate":
            return freeze_electorate(session, vacancy)
        if intent.kind == "open_ballot":
            return open_ballot(session, vacancy)
        if intent.kind == "seal_ballots":
            return seal_ballots(session, step.row_id)
        if intent.kind == "count_votes":
            result = count_vacancy(session, vacancy)
            return {"method": result.method, "seed": result.seed, "winners": result.winners, **result.detail}
        if intent.kind == "elect_unopposed":
            return elect_unopposed(session, vacancy).winners
        if intent.kind == "elect_incumbent":
            return elect_incumbent(step)
        if intent.kind == "appoint":
            return appoint_winners(step)
        return super().effect(step, intent)


def open_ballot(session: Session, vacancy: Vacancy) -> dict[str, Any]:
    """Fix the order the ballot shows the candidates in: alphabetical, or drawn once and recorded."""
    assert vacancy.id is not None
    order = [n.id or 0 for n in valid_nominations(session, vacancy.id)]
    drawn: dict[str, Any] = {}
    if protocol_for(session, vacancy).candidate_order == "random":
        seed = secrets.token_hex(16)
        random.Random(seed).shuffle(order)
        drawn = {"order_seed": seed}
    vacancy.ballot_order = order
    return {"order": order, **drawn}


def freeze_electorate(session: Session, vacancy: Vacancy) -> int:
    """Copy the network's members in good standing onto the vacancy's roll; return its size."""
    # A re-opened call keeps the roll frozen when the first call opened.
    vid = vacancy.id
    existing = session.exec(select(ElectorateMember).where(ElectorateMember.vacancy_id == vid)).all()
    if existing:
        return len(existing)
    members = session.exec(
        select(Organisation).where(
            Organisation.network_id == vacancy.network_id, Organisation.status == "active"
        )
    ).all()
    for org in members:
        assert vid is not None and org.id is not None
        session.add(
            ElectorateMember(
                vacancy_id=vid,
                organisation_id=org.id,
                contact_name=org.contact_name,
                contact_email=org.contact_email,
            )
        )
    return len(members)
