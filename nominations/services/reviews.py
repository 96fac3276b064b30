"""The yearly review: the representative's reflection, members' feedback, and the kept record."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from nominations.actors import Actor
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import Partnership, Vacancy
from nominations.db.term_models import Appointment, Review, ReviewFeedback
from nominations.errors import NominationsError, NotFoundError
from nominations.services.audit_log import append_event
from nominations.services.term_records import latest_review

ANSWERS = ("yes", "no", "unsure")  # is this seat still worth the sector's time?
TEXT_LIMIT = 4000


class ReviewError(NominationsError):
    """A reflection or feedback that cannot be taken; `field` names the answer at fault, if one is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _answer(worthwhile: str) -> str:
    if worthwhile not in ANSWERS:
        raise ReviewError(
            "say whether the seat is still worth the sector's time: yes, no or unsure", "worthwhile"
        )
    return worthwhile


def _text(value: str, field: str) -> str:
    if len(value) > TEXT_LIMIT:
        raise ReviewError(f"keep this under {TEXT_LIMIT} characters", field)
    return value.strip()


class Reviews:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def reflect(self, appointment_id: int, reflection: str, worthwhile: str, why: str, actor: Actor) -> None:
        """The representative's own reflection on the open review (it may be revised until it closes)."""
        reflection, why = _text(reflection, "reflection"), _text(why, "why")
        if not reflection:
            raise ReviewError("write a few words of reflection on the year", "reflection")
        _answer(worthwhile)
        now = self.clock.now()
        with self.db.transaction() as session:
            review = self._open_review(session, appointment_id)
            review.reflection, review.seat_worthwhile, review.seat_worthwhile_why = (
                reflection,
                worthwhile,
                why,
            )
            review.reflected_at = now
            session.add(review)
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                action="review_reflection",
                entity_type="appointment",
                entity_id=appointment_id,
                payload={"review_id": review.id, "seat_worthwhile": worthwhile},
            )

    def give_feedback(
        self, review_id: int, organisation_id: int, rating: int, worthwhile: str, comment: str
    ) -> None:
        """One member organisation's feedback on a review that is open; one response each."""
        if rating not in range(1, 6):
            raise ReviewError("choose a rating from 1 to 5", "rating")
        _answer(worthwhile)
        comment = _text(comment, "comment")
        now = self.clock.now()
        with self.db.transaction() as session:
            review = session.get(Review, review_id)
            if review is None:
                raise NotFoundError(f"there is no review {review_id}")
            if review is not self._open_review(session, review.appointment_id):
                raise ReviewError("this review has closed")
            if session.get(ReviewFeedback, (review_id, organisation_id)) is not None:
                raise ReviewError("your organisation has already given its feedback on this review")
            session.add(
                ReviewFeedback(
                    review_id=review_id,
                    organisation_id=organisation_id,
                    rating=rating,
                    seat_worthwhile=worthwhile,
                    comment=comment,
                    submitted_at=now,
                )
            )
            append_event(
                session,
                occurred_at=now,
                actor=Actor("organisation", str(organisation_id)),
                action="review_feedback",
                entity_type="appointment",
                entity_id=review.appointment_id,
                payload={"review_id": review_id},
            )

    def _open_review(self, session: Session, appointment_id: int) -> Review:
        appointment = session.get(Appointment, appointment_id, with_for_update=True)
        if appointment is None:
            raise NotFoundError(f"there is no appointment {appointment_id}")
        review = latest_review(session, appointment_id)
        if appointment.status != "review_due" or review is None or review.outcome is not None:
            raise ReviewError("there is no review open for this appointment now")
        return review


def review_records(session: Session, network_id: int) -> list[dict[str, Any]]:
    """Every review of the network's appointments, oldest first, with its feedback summarised."""
    query = (
        select(Review, Appointment, Vacancy)
        .join(Appointment, col(Appointment.id) == col(Review.appointment_id))
        .join(Vacancy, col(Vacancy.id) == col(Appointment.vacancy_id))
        .where(Appointment.network_id == network_id)
        .order_by(col(Review.opened_at), col(Review.id))
    )
    partnerships = {p.id: p.name for p in session.exec(select(Partnership))}
    records = []
    for review, appointment, seat in session.exec(query):
        feedback = session.exec(select(ReviewFeedback).where(ReviewFeedback.review_id == review.id)).all()
        ratings = [f.rating for f in feedback]
        records.append(
            {
                "review_id": review.id,
                "appointment_id": appointment.id,
                "seat": seat.title,
                "partnership": partnerships.get(appointment.partnership_id, ""),
                "representative": appointment.person_name,
                "year": review.year,
                "opened_at": review.opened_at.isoformat() if review.opened_at else "",
                "meetings_held": review.meetings_held,
                "meetings_attended": review.meetings_attended,
                "attendance_rate": round(review.meetings_attended / review.meetings_held, 2)
                if review.meetings_held
                else None,
                "report_backs_filed": review.report_backs_filed,
                "feedback_responses": len(feedback),
                "feedback_mean_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
                **{f"members_worthwhile_{a}": sum(f.seat_worthwhile == a for f in feedback) for a in ANSWERS},
                "reflection": review.reflection,
                "seat_worthwhile": review.seat_worthwhile or "",
                "seat_worthwhile_why": review.seat_worthwhile_why,
                "outcome": review.outcome or "",
                "outcome_reason": review.outcome_reason or "",
                "decided_at": review.decided_at.isoformat() if review.decided_at else "",
            }
        )
    return records
