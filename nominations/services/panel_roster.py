"""Who sits on an expert vacancy's selection panel, and the personal link each of them scores through."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from nominations.db.models import Vacancy
from nominations.db.term_models import PanelMember, PanelScore
from nominations.errors import NotFoundError
from nominations.selection import Score, criteria
from nominations.selection_errors import NoCriteriaError, NotExpertSeatError
from nominations.services.access import issue_link
from nominations.services.recipients import Recipient

# The decision closes a panel link (the vacancy leaves shortlisting); this only bounds a forgotten one.
PANEL_LINK_LIFETIME = timedelta(days=90)


def expert_seat(session: Session, vacancy_id: int, *, lock: bool = False) -> Vacancy:
    """The vacancy, if it is an expert's seat (only those have a panel); locked if asked."""
    query = select(Vacancy).where(Vacancy.id == vacancy_id)
    vacancy = session.exec(query.with_for_update() if lock else query).first()
    if vacancy is None:
        raise NotFoundError(f"there is no vacancy {vacancy_id}")
    if vacancy.kind != "expert":
        raise NotExpertSeatError(
            f"vacancy {vacancy_id} is a representative's seat: it has no selection panel"
        )
    return vacancy


def panel_members(session: Session, vacancy_id: int) -> list[PanelMember]:
    """The panel, in the order its members were added."""
    query = select(PanelMember).where(PanelMember.vacancy_id == vacancy_id).order_by(col(PanelMember.id))
    return list(session.exec(query).all())


def panel_recipients(session: Session, vacancy_id: int) -> list[Recipient]:
    """The `panel` audience of a workflow."""
    return [Recipient(m.name, m.email) for m in panel_members(session, vacancy_id)]


def panel_link(session: Session, member: PanelMember, now: datetime, base_url: str) -> str:
    """Issue a panel member's personal scoring link and return its address."""
    assert member.id is not None
    token = issue_link(
        session,
        purpose="panel",
        vacancy_id=member.vacancy_id,
        panel_member_id=member.id,
        expires_at=now + PANEL_LINK_LIFETIME,
    )
    return f"{base_url}/panel/{token}"


def panel_link_to(session: Session, vacancy_id: int, email: str, now: datetime, base_url: str) -> str:
    """The link for the panel member a workflow's `panel` audience resolved to (by their email)."""
    member = session.exec(
        select(PanelMember).where(PanelMember.vacancy_id == vacancy_id, PanelMember.email == email)
    ).first()
    if member is None:
        raise NotFoundError(f"{email} is not on the panel of vacancy {vacancy_id}")
    return panel_link(session, member, now, base_url)


def criteria_of(vacancy: Vacancy) -> list[str]:
    """What the panel scores against; NoCriteriaError when the request names nothing."""
    found = criteria(vacancy.knowledge_skills)
    if not found:
        raise NoCriteriaError(
            f"vacancy {vacancy.id} names no knowledge, skills or experience for the panel to score against"
        )
    return found


def stored_scores(session: Session, vacancy_id: int) -> list[Score]:
    """Every score the vacancy's panel has given, as the pure rules read them."""
    rows = session.exec(
        select(PanelScore)
        .join(PanelMember, col(PanelMember.id) == col(PanelScore.panel_member_id))
        .where(PanelMember.vacancy_id == vacancy_id)
    ).all()
    return [Score(r.panel_member_id, r.nomination_id, r.criterion, r.score, r.reason) for r in rows]
