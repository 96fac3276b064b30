"""What a representative's own page shows: the checklist, the term's meetings, the open review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from nominations.db.models import Partnership, Vacancy
from nominations.db.term_models import Appointment, InductionItem, Meeting, ReportBack, Review
from nominations.errors import NotFoundError
from nominations.services.access import resolve_link
from nominations.services.appointing import LEAVING_STATES
from nominations.services.protocols import protocol_for
from nominations.services.recipients import network_name
from nominations.services.term_records import induction, latest_review, seat_of, upcoming_meetings
from nominations.workflow.durations import parse_duration


@dataclass(frozen=True)
class PastMeeting:
    """A meeting held (or cancelled) during the term, and where its report-back stands."""

    meeting: Meeting
    status: str  # filed | overdue | due | cancelled
    due_at: datetime  # when the report-back is due: the meeting's end plus the protocol's allowance

    @property
    def open(self) -> bool:
        """Whether a report-back may still be filed on it."""
        return self.status in {"overdue", "due"}


@dataclass(frozen=True)
class RepresentativeView:
    appointment: Appointment
    seat: Vacancy
    partnership: str
    steps: list[InductionItem]
    upcoming: list[Meeting]
    past: list[PastMeeting]  # newest first
    review: Review | None  # the review open for the representative's reflection, if one is
    network_name: str

    @property
    def in_seat(self) -> bool:
        return self.appointment.status in LEAVING_STATES

    @property
    def induction_done(self) -> bool:
        return all(s.status != "open" for s in self.steps if s.required)


def linked_appointment(session: Session, token: str, now: datetime) -> Appointment:
    """The appointment behind a representative's link, or a LinkError saying why it cannot be used."""
    link = resolve_link(session, token, "representative", now)
    if link.appointment_id is None:
        raise NotFoundError("this link names no appointment")
    return session.get_one(Appointment, link.appointment_id)


def representative_view(session: Session, appointment: Appointment, now: datetime) -> RepresentativeView:
    assert appointment.id is not None and appointment.term_end_at is not None
    seat = seat_of(session, appointment)
    review = latest_review(session, appointment.id)
    is_open = appointment.status == "review_due" and review is not None and review.outcome is None
    return RepresentativeView(
        appointment,
        seat,
        session.get_one(Partnership, appointment.partnership_id).name,
        induction(session, appointment.id),
        [
            m
            for m in upcoming_meetings(session, appointment.partnership_id, now)
            if m.starts_at is not None and m.starts_at < appointment.term_end_at
        ],
        past_meetings(session, appointment, seat, now),
        review if is_open else None,
        network_name(session, seat),
    )


def past_meetings(
    session: Session, appointment: Appointment, seat: Vacancy, now: datetime
) -> list[PastMeeting]:
    """The partnership's meetings begun during the term up to now, each with its report-back status."""
    assert appointment.term_start_at is not None and appointment.term_end_at is not None
    query = select(Meeting).where(
        Meeting.partnership_id == appointment.partnership_id,
        col(Meeting.ends_at) >= appointment.term_start_at,
        col(Meeting.starts_at) <= min(now, appointment.term_end_at),
    )
    meetings = session.exec(query.order_by(col(Meeting.starts_at).desc())).all()
    filed = set(
        session.exec(select(ReportBack.meeting_id).where(ReportBack.appointment_id == appointment.id))
    )
    within = parse_duration(protocol_for(session, seat).report_back_within)
    lines = []
    for meeting in meetings:
        assert meeting.ends_at is not None
        due_at = meeting.ends_at + within
        if meeting.status == "cancelled":
            status = "cancelled"
        elif meeting.id in filed:
            status = "filed"
        else:
            status = "overdue" if due_at < now else "due"  # as the reminders count it
        lines.append(PastMeeting(meeting, status, due_at))
    return lines


def past_meeting(view: RepresentativeView, meeting_id: int) -> PastMeeting:
    """One of the term's past meetings, or NotFoundError for any other (unknown, later, elsewhere)."""
    for line in view.past:
        if line.meeting.id == meeting_id:
            return line
    raise NotFoundError(f"meeting {meeting_id} is not a past meeting of this term")
