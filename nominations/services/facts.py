"""Read what the guards need to know about a vacancy or an appointment."""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from nominations.db.models import ElectionResult, ElectorateMember, Nomination, Vacancy, VoteRecord
from nominations.db.term_models import Appointment, InductionItem
from nominations.services.protocols import protocol_for
from nominations.workflow.facts import Facts


def vacancy_facts(session: Session, vacancy: Vacancy, now: datetime | None = None) -> Facts:
    """Counts of valid nominations, votes cast, electors and panel decisions (one query), and the seats."""
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
        select(func.count())
        .select_from(ElectionResult)
        .where(ElectionResult.vacancy_id == vid, ElectionResult.method == "panel")
        .scalar_subquery(),
    )
    valid, votes, electorate, decided = session.exec(counts).one()
    # A representative barred by the term limit may carry on if the protocol allows and nobody stands.
    carry_on = bool(vacancy.barred_emails) and vacancy.previous_appointment_id is not None
    if carry_on:
        carry_on = protocol_for(session, vacancy).carry_on_if_unopposed
    return Facts(
        seats=vacancy.seats,
        valid_nominations=valid,
        votes_cast=votes,
        electorate=electorate,
        incumbent_may_carry_on=carry_on,
        panel_decided=decided > 0,
    )


def appointment_facts(session: Session, appointment: Appointment, now: datetime) -> Facts:
    """Required induction steps still open, days left in the term, whether the next election is called."""
    open_steps = session.exec(
        select(func.count())
        .select_from(InductionItem)
        .where(
            InductionItem.appointment_id == appointment.id,
            InductionItem.required == True,  # noqa: E712 (SQL, not Python)
            InductionItem.status == "open",
        )
    ).one()
    assert appointment.term_end_at is not None
    left = (appointment.term_end_at - now).total_seconds() / 86400
    return Facts(
        open_induction_steps=open_steps,
        term_remaining_days=max(0, math.ceil(left)),
        successor_opened=appointment.successor_vacancy_id is not None,
    )
