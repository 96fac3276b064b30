"""The records a term keeps: its induction checklist, its meetings and report-backs, its reviews."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from nominations.db.models import Vacancy
from nominations.db.term_models import Appointment, InductionItem, Meeting, ReportBack, Review
from nominations.protocol.model import Protocol
from nominations.workflow.durations import parse_duration


def create_induction(session: Session, appointment: Appointment, protocol: Protocol) -> list[str]:
    """The protocol's checklist, copied onto the appointment so a later protocol change keeps it."""
    assert appointment.id is not None
    existing = {i.key for i in induction(session, appointment.id)}
    for position, item in enumerate(protocol.induction_checklist):
        if item.id not in existing:
            session.add(
                InductionItem(
                    appointment_id=appointment.id,
                    key=item.id,
                    position=position,
                    text=item.text,
                    required=item.required,
                )
            )
    session.flush()
    return [item.id for item in protocol.induction_checklist]


def induction(session: Session, appointment_id: int) -> list[InductionItem]:
    query = select(InductionItem).where(InductionItem.appointment_id == appointment_id)
    return list(session.exec(query.order_by(col(InductionItem.position))).all())


def meetings_between(session: Session, partnership_id: int, start: datetime, end: datetime) -> list[Meeting]:
    """The partnership's scheduled (not cancelled) meetings that ended in [start, end)."""
    query = select(Meeting).where(
        Meeting.partnership_id == partnership_id,
        Meeting.status == "scheduled",
        col(Meeting.ends_at) >= start,
        col(Meeting.ends_at) < end,
    )
    return list(session.exec(query.order_by(col(Meeting.starts_at))).all())


def upcoming_meetings(session: Session, partnership_id: int, now: datetime) -> list[Meeting]:
    query = select(Meeting).where(
        Meeting.partnership_id == partnership_id,
        Meeting.status == "scheduled",
        col(Meeting.starts_at) >= now,
    )
    return list(session.exec(query.order_by(col(Meeting.starts_at))).all())


def overdue_meetings(session: Session, appointment: Appointment, now: datetime, within: str) -> list[Meeting]:
    """Meetings held while the appointment was in the seat whose report-back is past due."""
    assert appointment.term_start_at is not None and appointment.id is not None
    due_before = now - parse_duration(within)
    filed = select(ReportBack.meeting_id).where(ReportBack.appointment_id == appointment.id)
    query = select(Meeting).where(
        Meeting.partnership_id == appointment.partnership_id,
        Meeting.status == "scheduled",
        col(Meeting.ends_at) >= appointment.term_start_at,
        col(Meeting.ends_at) < due_before,
        col(Meeting.id).not_in(filed),
    )
    return list(session.exec(query.order_by(col(Meeting.starts_at))).all())


def latest_review(session: Session, appointment_id: int) -> Review | None:
    query = select(Review).where(Review.appointment_id == appointment_id)
    return session.exec(query.order_by(col(Review.year).desc())).first()


def open_review(session: Session, appointment: Appointment, now: datetime) -> dict[str, Any]:
    """A new review with its figures computed from the record: meetings, attendance, report-backs."""
    assert appointment.id is not None and appointment.term_start_at is not None
    last = latest_review(session, appointment.id)
    period_start = last.opened_at if last is not None and last.opened_at else appointment.term_start_at
    review = Review(
        appointment_id=appointment.id,
        year=(last.year + 1) if last is not None else 1,
        opened_at=now,
        period_start=period_start,
    )
    return _count(session, appointment, review, now)


def recount_review(session: Session, appointment: Appointment, now: datetime) -> dict[str, Any]:
    """The open review's figures again when it closes: report-backs filed meanwhile count."""
    assert appointment.id is not None
    review = latest_review(session, appointment.id)
    if review is None or review.outcome is not None:
        raise ValueError(f"appointment {appointment.id} has no open review to count")
    return _count(session, appointment, review, review.opened_at or now)


def _count(session: Session, appointment: Appointment, review: Review, until: datetime) -> dict[str, Any]:
    # The year under review runs from the last review (or the term's start) to this one's opening.
    assert review.period_start is not None
    held = meetings_between(session, appointment.partnership_id, review.period_start, until)
    reports = session.exec(
        select(ReportBack).where(
            ReportBack.appointment_id == appointment.id,
            col(ReportBack.meeting_id).in_([m.id for m in held]),
        )
    ).all()
    review.meetings_held = len(held)
    review.meetings_attended = sum(1 for r in reports if r.attended)
    review.report_backs_filed = len(reports)
    session.add(review)
    session.flush()
    return {
        "review_id": review.id,
        "year": review.year,
        "meetings_held": review.meetings_held,
        "meetings_attended": review.meetings_attended,
        "report_backs_filed": review.report_backs_filed,
    }


def record_review(
    session: Session, appointment: Appointment, outcome: str, reason: str | None, now: datetime
) -> dict[str, Any]:
    """The coordinator's decision on the open review, with its reasons."""
    assert appointment.id is not None
    review = latest_review(session, appointment.id)
    if review is None or review.outcome is not None:
        raise ValueError(f"appointment {appointment.id} has no review awaiting an outcome")
    review.outcome, review.outcome_reason, review.decided_at = outcome, reason, now
    session.add(review)
    return {"review_id": review.id, "year": review.year, "outcome": outcome}


def seat_of(session: Session, appointment: Appointment) -> Vacancy:
    return session.get_one(Vacancy, appointment.vacancy_id)
