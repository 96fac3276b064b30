"""A member organisation's feedback on a representative's yearly review, through its own link.

One response per organisation: the link is marked used once the feedback is taken, and a link
whose organisation has already answered (through another of its links) counts as used too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import AccessLink, Organisation, Partnership, Vacancy
from nominations.db.term_models import Appointment, Review, ReviewFeedback
from nominations.errors import NotFoundError
from nominations.links import token_hash
from nominations.services.access import LinkError, resolve_link
from nominations.services.recipients import network_name
from nominations.services.reviews import ReviewError, Reviews
from nominations.services.term_records import latest_review, seat_of


@dataclass(frozen=True)
class FeedbackView:
    appointment: Appointment
    review: Review
    seat: Vacancy
    partnership: str
    organisation_id: int
    organisation: str
    network_name: str


def feedback_view(session: Session, token: str, now: datetime) -> FeedbackView:
    """The open review behind a feedback link, or a LinkError: damaged, unknown, expired or used."""
    link = resolve_link(session, token, "feedback", now)
    if link.review_id is None or link.organisation_id is None:
        raise NotFoundError("this link names no review")
    review = session.get_one(Review, link.review_id)
    appointment = session.get_one(Appointment, review.appointment_id)
    latest = latest_review(session, review.appointment_id)
    if appointment.status != "review_due" or latest is None or latest.id != review.id or review.outcome:
        # Closed early by the coordinator: to the member it is the same as a deadline passed.
        raise LinkError("expired", "This review has closed, so the link no longer works.")
    if session.get(ReviewFeedback, (review.id, link.organisation_id)) is not None:
        raise LinkError("used", "Your organisation has already given its feedback on this review.")
    seat = seat_of(session, appointment)
    return FeedbackView(
        appointment,
        review,
        seat,
        session.get_one(Partnership, appointment.partnership_id).name,
        link.organisation_id,
        session.get_one(Organisation, link.organisation_id).name,
        network_name(session, seat),
    )


class FeedbackPage:
    def __init__(self, db: Database, clock: Clock, reviews: Reviews) -> None:
        self.db = db
        self.clock = clock
        self.reviews = reviews

    def view(self, token: str) -> FeedbackView:
        with self.db.transaction() as session:
            return feedback_view(session, token, self.clock.now())

    def give(self, token: str, rating: int, worthwhile: str, comment: str) -> FeedbackView:
        """Take the organisation's one response (ReviewError says what is wrong with the answers)."""
        view = self.view(token)
        assert view.review.id is not None
        try:
            self.reviews.give_feedback(view.review.id, view.organisation_id, rating, worthwhile, comment)
        except ReviewError as exc:
            if exc.field is None:
                self.view(token)  # answered meanwhile, or closed: the link's own page says which
            raise
        # The response is recorded; the link's use follows it (a response alone already refuses
        # the link again, so a failure between the two loses nothing).
        with self.db.transaction() as session:
            link = session.get_one(AccessLink, token_hash(token), with_for_update=True)
            link.used_at = self.clock.now()
            session.add(link)
        return view
