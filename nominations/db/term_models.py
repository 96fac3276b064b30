"""The tables of a term in the seat: appointments, induction, meetings, report-backs, reviews, costs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from nominations.db.types import UTCDateTime


def _when(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable))


def _text() -> Any:
    return Field(default="", sa_column=Column(Text, nullable=False))


class Appointment(SQLModel, table=True):
    """A person holding (or standing by for) a seat for a term, and where its workflow stands."""

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", index=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)  # the vacancy that filled it
    nomination_id: int | None = Field(default=None, foreign_key="nomination.id")
    workflow: str = "appointment"
    status: str = Field(index=True)
    version: int = 1
    role: str = "representative"  # representative | substitute | expert
    person_name: str
    person_email: str
    person_organisation: str = ""
    consecutive_terms: int = 1
    # A substitute stands in for this appointment; it inherits its term if it steps up.
    stands_in_for: int | None = Field(default=None, foreign_key="appointment.id")
    # The vacancy already opened to fill the seat after this term (re-election or casual).
    successor_vacancy_id: int | None = Field(default=None, foreign_key="vacancy.id")
    created_at: datetime | None = _when(nullable=False)
    term_start_at: datetime | None = _when(nullable=False)
    term_end_at: datetime | None = _when(nullable=False)
    reelection_at: datetime | None = _when(nullable=False)
    induction_due_at: datetime | None = _when()
    next_review_at: datetime | None = _when()
    review_close_at: datetime | None = _when()
    ended_at: datetime | None = _when()


class InductionItem(SQLModel, table=True):
    """One step of an appointment's induction checklist: open, done or waived (with a reason)."""

    appointment_id: int = Field(foreign_key="appointment.id", primary_key=True)
    key: str = Field(primary_key=True)
    position: int = 0
    text: str
    required: bool = True
    status: str = "open"  # open | done | waived
    done_at: datetime | None = _when()
    done_by: str | None = None  # the actor, as kind:id
    waive_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class Meeting(SQLModel, table=True):
    """A partnership meeting on the schedule; `uid` and `sequence` keep calendar copies in step."""

    __table_args__ = (Index("ix_meeting_partnership_start", "partnership_id", "starts_at"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id")
    uid: str = Field(unique=True)
    title: str
    location: str = ""
    starts_at: datetime | None = _when(nullable=False)
    ends_at: datetime | None = _when(nullable=False)
    status: str = "scheduled"  # scheduled | cancelled
    sequence: int = 0  # bumped on every change, as iCalendar asks
    updated_at: datetime | None = _when(nullable=False)


class ReportBack(SQLModel, table=True):
    """A representative's attendance and report on one partnership meeting, on the standard form."""

    appointment_id: int = Field(foreign_key="appointment.id", primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    attended: bool
    discussed: str = _text()
    sector_said: str = _text()
    coming_up: str = _text()
    needs_from_members: str = _text()
    submitted_at: datetime | None = _when(nullable=False)
    digested_at: datetime | None = _when()


class ReportBackReminder(SQLModel, table=True):
    """A reminder sent for an overdue report-back: one per meeting, so chasing stops when sent."""

    appointment_id: int = Field(foreign_key="appointment.id", primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    sent_at: datetime | None = _when(nullable=False)


class Review(SQLModel, table=True):
    """One annual review of an appointment: figures computed when it opens, then the outcome."""

    __table_args__ = (UniqueConstraint("appointment_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int = Field(foreign_key="appointment.id", index=True)
    year: int
    opened_at: datetime | None = _when(nullable=False)
    period_start: datetime | None = _when(nullable=False)
    meetings_held: int = 0
    meetings_attended: int = 0
    report_backs_filed: int = 0
    reflection: str = _text()
    seat_worthwhile: str | None = None  # yes | no | unsure: is this seat still worth the sector's time?
    seat_worthwhile_why: str = _text()
    reflected_at: datetime | None = _when()
    outcome: str | None = None  # continue | continue_with_support | stand_down | rerun_election
    outcome_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    decided_at: datetime | None = _when()


class ReviewFeedback(SQLModel, table=True):
    """A member organisation's answer to a review's feedback form: one each."""

    review_id: int = Field(foreign_key="review.id", primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    rating: int  # 1 (poorly) to 5 (very well): how well the representative spoke for the sector
    seat_worthwhile: str  # yes | no | unsure
    comment: str = _text()
    submitted_at: datetime | None = _when(nullable=False)


class PanelMember(SQLModel, table=True):
    """Someone on the selection panel of an expert vacancy."""

    __table_args__ = (UniqueConstraint("vacancy_id", "email"),)
    id: int | None = Field(default=None, primary_key=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    name: str
    email: str


class PanelScore(SQLModel, table=True):
    """A panel member's score of one applicant against one criterion of the request, with reasons."""

    panel_member_id: int = Field(foreign_key="panelmember.id", primary_key=True)
    nomination_id: int = Field(foreign_key="nomination.id", primary_key=True)
    criterion: str = Field(primary_key=True)
    score: int  # 0 (no evidence) to 4 (strong evidence)
    reason: str = _text()
    scored_at: datetime | None = _when(nullable=False)


class CostEntry(SQLModel, table=True):
    """Coordinator time or an expense spent on representation, and the public body that funds it."""

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", index=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    vacancy_id: int | None = Field(default=None, foreign_key="vacancy.id")
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id")
    kind: str  # coordinator_time | expense
    minutes: int = 0
    amount_pence: int = 0
    funder: str
    description: str = ""
    incurred_on: date
    recorded_at: datetime | None = _when(nullable=False)
    recorded_by: str


class Digest(SQLModel, table=True):
    """A periodic email of report-backs to a network's members."""

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", index=True)
    sent_at: datetime | None = _when(nullable=False)
    report_backs: int = 0
