"""The equality monitoring report: per equality sector, what the network's members and seats did.

Counted in full here; `SectorFigures.cells` is what may be shown (small numbers suppressed). Turnout
comes from the register of who voted, which says nothing of how anyone voted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from nominations.db.engine import Database
from nominations.db.models import (
    ElectionResult,
    ElectorateMember,
    Nomination,
    Organisation,
    Vacancy,
    VoteRecord,
)
from nominations.db.term_models import Appointment
from nominations.equality import EQUALITY_SECTORS
from nominations.monitoring import COLUMNS, SectorFigures
from nominations.services.audit_scope import in_network
from nominations.services.publishing import PUBLISHED
from nominations.services.scope import Scope
from nominations.spreadsheet import safe_cell

EVERY_MEMBER = ("all", "All member organisations, for comparison")


def equality_report(db: Database, scope: Scope) -> list[SectorFigures]:
    """A row per equality sector, then one for every member organisation (a handful of queries)."""
    mine = in_network(scope, Vacancy.network_id)
    with db.transaction() as session:
        orgs = session.exec(
            select(Organisation.id, Organisation.status, Organisation.equality_sectors).where(
                in_network(scope, Organisation.network_id)
            )
        ).all()
        seats = _seats_asked(session, scope)
        proposer = dict(
            session.exec(select(Nomination.id, Nomination.organisation_id).join(Vacancy).where(mine)).all()
        )
        chosen = _chosen(session, scope)
        counted = (
            select(ElectionResult.vacancy_id)
            .join(Vacancy)
            .where(mine, col(ElectionResult.method) != "unopposed")
        )
        places = _per_organisation(session, ElectorateMember, counted)
        votes = _per_organisation(session, VoteRecord, counted)
    tags = {org_id: set(sectors) for org_id, _, sectors in orgs}
    active = {org_id for org_id, status, _ in orgs if status == "active"}

    def figures(key: str, label: str, members: set[int | None]) -> SectorFigures:
        return SectorFigures(
            key,
            label,
            organisations=len(members & active),
            seats_asked=sum(seats.values()) if key == EVERY_MEMBER[0] else seats.get(key, 0),
            nominations=sum(1 for org in proposer.values() if org in members),
            elected=sum(1 for nomination in chosen if proposer.get(nomination) in members),
            ballot_places=sum(places.get(org, 0) for org in members if org is not None),
            votes_cast=sum(votes.get(org, 0) for org in members if org is not None),
        )

    rows = [
        figures(key, label[:1].upper() + label[1:], {org for org, sectors in tags.items() if key in sectors})
        for key, label in EQUALITY_SECTORS.items()
    ]
    return [*rows, figures(*EVERY_MEMBER, set(tags))]


def write_csv(rows: Iterable[SectorFigures]) -> str:
    """The report as shown (suppressed cells say so), one row per sector."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Equality sector", *COLUMNS])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in (row.label, *row.cells())])
    return out.getvalue()


def _seats_asked(session: Session, scope: Scope) -> dict[str | None, int]:
    """Seats requested, by equality sector (None: no particular focus)."""
    query = (
        select(Vacancy.equality_sector, func.sum(Vacancy.seats))
        .where(in_network(scope, Vacancy.network_id))
        .group_by(col(Vacancy.equality_sector))
    )
    return {sector: int(total or 0) for sector, total in session.exec(query).all()}


def _chosen(session: Session, scope: Scope) -> set[int]:
    """Nominations elected at a declared result, or appointed to a seat (substitutes are not counted)."""
    winners = session.exec(
        select(ElectionResult.winners)
        .join(Vacancy)
        .where(in_network(scope, Vacancy.network_id), col(Vacancy.status).in_(sorted(PUBLISHED)))
    ).all()
    appointed = session.exec(
        select(Appointment.nomination_id).where(
            in_network(scope, Appointment.network_id),
            col(Appointment.role) != "substitute",
            col(Appointment.nomination_id).is_not(None),
        )
    ).all()
    return {int(n) for listed in winners for n in listed} | {n for n in appointed if n is not None}


def _per_organisation(
    session: Session, table: type[ElectorateMember] | type[VoteRecord], vacancies: Any
) -> dict[int, int]:
    query = (
        select(table.organisation_id, func.count())
        .where(col(table.vacancy_id).in_(vacancies))
        .group_by(col(table.organisation_id))
    )
    return {org: int(n) for org, n in session.exec(query).all()}
