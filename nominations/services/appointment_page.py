"""An appointment as its coordinator sees it: person, term, induction, reviews, overdue report-backs."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import col, select

from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import Partnership, Vacancy
from nominations.db.term_models import Appointment, InductionItem, Meeting, Review
from nominations.services.appointing import LEAVING_STATES
from nominations.services.console_actions import Offer, offers
from nominations.services.protocols import protocol_for
from nominations.services.scope import Scope, visible
from nominations.services.term_records import induction, overdue_meetings
from nominations.services.timeline import Entry, timeline
from nominations.services.transitions import TransitionService


@dataclass(frozen=True)
class AppointmentPage:
    appointment: Appointment
    seat: Vacancy
    partnership: str
    steps: list[InductionItem]
    reviews: list[Review]  # newest first, each with its figures and outcome
    overdue: list[Meeting]  # meetings whose report-back is past due
    timeline: list[Entry]
    offers: list[Offer]  # empty for a role that may not act


def visible_appointment(db: Database, scope: Scope, appointment_id: int) -> Appointment:
    """The appointment, or NotFoundError when it does not exist or belongs to another network."""
    return visible(db, scope, Appointment, appointment_id, "appointment")


def appointment_page(
    db: Database,
    transitions: TransitionService,
    clock: Clock,
    scope: Scope,
    appointment_id: int,
    *,
    may_act: bool,
) -> AppointmentPage:
    """The page's content; NotFoundError outside the scope, before anything else is read."""
    visible_appointment(db, scope, appointment_id)
    with db.transaction() as session:
        appointment = session.get_one(Appointment, appointment_id)
        seat = session.get_one(Vacancy, appointment.vacancy_id)
        reviews = session.exec(
            select(Review).where(Review.appointment_id == appointment_id).order_by(col(Review.year).desc())
        ).all()
        within = protocol_for(session, seat).report_back_within
        in_seat = appointment.status in LEAVING_STATES  # as the reminders chase them
        page = AppointmentPage(
            appointment,
            seat,
            session.get_one(Partnership, appointment.partnership_id).name,
            induction(session, appointment_id),
            list(reviews),
            overdue_meetings(session, appointment, clock.now(), within) if in_seat else [],
            timeline(session, "appointment", appointment_id),
            [],
        )
    if not may_act:
        return page
    found = offers(transitions, "appointment", appointment_id, appointment.status, appointment.workflow)
    return replace(page, offers=found)
