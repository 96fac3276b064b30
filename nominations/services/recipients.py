"""Who an audience named in a workflow is, for one vacancy."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from nominations.db.models import (
    ElectionResult,
    ElectorateMember,
    Network,
    Nomination,
    Organisation,
    Partnership,
    Vacancy,
    VoteRecord,
)


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    organisation_id: int | None = None  # set for the electorate audiences


def network_name(session: Session, vacancy: Vacancy) -> str:
    """The name of the network filling the seat (pages show it in their header)."""
    return session.get_one(Network, vacancy.network_id).name


def valid_nominations(session: Session, vacancy_id: int) -> list[Nomination]:
    """The valid nominations, in ballot order (alphabetical by nominee, then by id)."""
    rows = session.exec(
        select(Nomination).where(Nomination.vacancy_id == vacancy_id, Nomination.status == "valid")
    ).all()
    return sorted(rows, key=lambda n: (n.nominee_name.casefold(), n.id or 0))


def _sector_first(session: Session, people: list[Recipient], sector: str) -> list[Recipient]:
    # A seat for an equality sector reaches the organisations tagged with it before the rest.
    tagged = {
        org.id
        for org in session.exec(
            select(Organisation).where(col(Organisation.id).in_([p.organisation_id for p in people]))
        )
        if sector in org.equality_sectors
    }
    return sorted(people, key=lambda p: p.organisation_id not in tagged)


def recipients(session: Session, vacancy: Vacancy, audience: str) -> list[Recipient]:
    """Resolve an audience to people, each once, in a stable order."""
    vid = vacancy.id
    assert vid is not None
    found: list[Recipient]
    if audience == "partnership":
        p = session.get_one(Partnership, vacancy.partnership_id)
        found = [Recipient(p.contact_name, p.contact_email)]
    elif audience == "coordinator":
        n = session.get_one(Network, vacancy.network_id)
        found = [Recipient(n.coordinator_name, n.coordinator_email)]
    elif audience in {"electorate", "electorate_not_voted"}:
        query = select(ElectorateMember).where(ElectorateMember.vacancy_id == vid)
        if audience == "electorate_not_voted":
            voted = select(VoteRecord.organisation_id).where(VoteRecord.vacancy_id == vid)
            query = query.where(col(ElectorateMember.organisation_id).not_in(voted))
        rows = session.exec(query.order_by(col(ElectorateMember.organisation_id))).all()
        found = [Recipient(m.contact_name, m.contact_email, m.organisation_id) for m in rows]
        if vacancy.equality_sector:
            found = _sector_first(session, found, vacancy.equality_sector)
    elif audience == "nominees":
        found = [Recipient(n.nominee_name, n.nominee_email) for n in valid_nominations(session, vid)]
    elif audience == "elected":
        result = session.get(ElectionResult, vid)
        winners = [session.get_one(Nomination, w) for w in (result.winners if result else [])]
        found = [Recipient(n.nominee_name, n.nominee_email) for n in winners]
    else:
        raise ValueError(f"unknown audience {audience!r}")
    return list({r.email.casefold(): r for r in found}.values())
