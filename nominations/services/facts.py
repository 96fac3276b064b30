"""Read what the guards need to know about a vacancy."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from nominations.db.models import ElectorateMember, Nomination, Vacancy, VoteRecord
from nominations.workflow.facts import Facts


def _count(session: Session, statement: object) -> int:
    return int(session.exec(statement).one())  # type: ignore[call-overload]


def gather_facts(session: Session, vacancy: Vacancy) -> Facts:
    """Counts of valid nominations, votes cast and electors, and the seats to fill."""
    vid = vacancy.id
    return Facts(
        seats=vacancy.seats,
        valid_nominations=_count(
            session,
            select(func.count())
            .select_from(Nomination)
            .where(Nomination.vacancy_id == vid, Nomination.status == "valid"),
        ),
        votes_cast=_count(
            session, select(func.count()).select_from(VoteRecord).where(VoteRecord.vacancy_id == vid)
        ),
        electorate=_count(
            session,
            select(func.count()).select_from(ElectorateMember).where(ElectorateMember.vacancy_id == vid),
        ),
    )
