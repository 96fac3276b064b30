"""Read what the guards need to know about a vacancy."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from nominations.db.models import ElectorateMember, Nomination, Vacancy, VoteRecord
from nominations.workflow.facts import Facts


def gather_facts(session: Session, vacancy: Vacancy) -> Facts:
    """Counts of valid nominations, votes cast and electors (one query), and the seats to fill."""
    vid = vacancy.id
    counts = select(
        select(func.count())
        .select_from(Nomination)
        .where(Nomination.vacancy_id == vid, Nomination.status == "valid")
        .scalar_subquery(),
        select(func.count()).select_from(VoteRecord).where(VoteRecord.vacancy_id == vid).scalar_subquery(),
        select(func.count())
        .select_from(ElectorateMember)
        .where(ElectorateMember.vacancy_id == vid)
        .scalar_subquery(),
    )
    valid, votes, electorate = session.exec(counts).one()
    return Facts(seats=vacancy.seats, valid_nominations=valid, votes_cast=votes, electorate=electorate)
