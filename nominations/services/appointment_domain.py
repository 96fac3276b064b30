"""The appointment's half of carrying out intents: its audiences, links, calendar and term steps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from nominations.calendar import CalendarEntry, calendar_attachment, meeting_calendar
from nominations.db.models import Network, Organisation, Partnership
from nominations.db.term_models import Appointment, Meeting
from nominations.protocol.model import Protocol
from nominations.services.access import issue_link
from nominations.services.appointing import open_vacancy, release_substitutes, replace
from nominations.services.effects import Domain, Step
from nominations.services.protocols import protocol_for
from nominations.services.recipients import Recipient
from nominations.services.term_records import (
    create_induction,
    induction,
    latest_review,
    open_review,
    overdue_meetings,
    record_review,
    recount_review,
    seat_of,
    upcoming_meetings,
)
from nominations.workflow.intents import Effect
from nominations.workflow.vocabulary import APPOINTMENT


class AppointmentDomain(Domain):
    entity_type = "appointment"

    def recipients(self, step: Step, audience: str) -> list[Recipient]:
        session, appointment = step.session, step.row
        if audience == "representative":
            return [Recipient(appointment.person_name, appointment.person_email)]
        if audience == "coordinator":
            network = session.get_one(Network, appointment.network_id)
            return [Recipient(network.coordinator_name, network.coordinator_email)]
        if audience == "partnership":
            partnership = session.get_one(Partnership, appointment.partnership_id)
            return [Recipient(partnership.contact_name, partnership.contact_email)]
        if audience == "members":
            members = session.exec(
                select(Organisation)
                .where(Organisation.network_id == appointment.network_id, Organisation.status == "active")
                .order_by(col(Organisation.id))
            )
            return [Recipient(o.contact_name, o.contact_email, o.id) for o in members]
        raise ValueError(f"unknown audience {audience!r}")

    def context(self, step: Step) -> dict[str, Callable[[], Any]]:
        session, appointment = step.session, step.row

        def protocol() -> Protocol:
            return protocol_for(session, seat_of(session, appointment))

        return {
            "appointment": lambda: appointment,
            "vacancy": lambda: seat_of(session, appointment),
            "partnership": lambda: session.get_one(Partnership, appointment.partnership_id),
            "network": lambda: session.get_one(Network, appointment.network_id),
            "reason": lambda: step.reason,
            "induction": lambda: induction(session, step.row_id),
            "review": lambda: latest_review(session, step.row_id),
            "meetings": lambda: upcoming_meetings(session, appointment.partnership_id, step.now),
            "overdue": lambda: overdue_meetings(
                session, appointment, step.now, protocol().report_back_within
            ),
            "base_url": lambda: step.base_url,
        }

    def link(self, step: Step, purpose: str, person: Recipient) -> str:
        appointment = step.row
        expires_at = getattr(appointment, APPOINTMENT.links[purpose].expires_at)
        review = latest_review(step.session, step.row_id) if purpose == "feedback" else None
        token = issue_link(
            step.session,
            purpose=purpose,
            vacancy_id=appointment.vacancy_id,
            appointment_id=step.row_id,
            organisation_id=person.organisation_id,
            review_id=review.id if review is not None else None,
            expires_at=expires_at,
        )
        return f"{step.base_url}/{purpose}/{token}"

    def attachment(self, step: Step, name: str, person: Recipient) -> dict[str, str]:
        if name != "calendar":
            return super().attachment(step, name, person)
        partnership = step.session.get_one(Partnership, step.row.partnership_id)
        return calendar_attachment(partnership_calendar_text(step.session, step.row, partnership, step.now))

    def effect(self, step: Step, intent: Effect) -> Any:
        session, appointment = step.session, step.row
        if intent.kind == "create_induction":
            return create_induction(
                session, appointment, protocol_for(session, seat_of(session, appointment))
            )
        if intent.kind == "open_review":
            return open_review(session, appointment, step.now)
        if intent.kind == "recount_review":
            return recount_review(session, appointment, step.now)
        if intent.kind == "record_review":
            return record_review(session, appointment, intent.arg("outcome"), step.reason, step.now)
        if intent.kind == "replace":
            return replace(step)
        if intent.kind == "open_vacancy":
            return open_vacancy(step, intent.arg("origin"))
        if intent.kind == "release_substitute":
            return release_substitutes(step)
        if intent.kind == "end_appointment":
            appointment.ended_at = step.now
            return step.now.isoformat()
        return super().effect(step, intent)


def partnership_calendar_text(
    session: Session, appointment: Appointment, partnership: Partnership, now: datetime
) -> str:
    """Every meeting of the partnership from the term's start, cancelled ones marked so."""
    query = select(Meeting).where(
        Meeting.partnership_id == partnership.id, col(Meeting.ends_at) >= appointment.term_start_at
    )
    meetings = session.exec(query.order_by(col(Meeting.starts_at))).all()
    return meeting_calendar(
        [calendar_entry(m, partnership) for m in meetings], name=partnership.name, stamp=now
    )


def calendar_entry(meeting: Meeting, partnership: Partnership) -> CalendarEntry:
    assert meeting.starts_at is not None and meeting.ends_at is not None
    return CalendarEntry(
        uid=meeting.uid,
        sequence=meeting.sequence,
        title=meeting.title or partnership.name,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location=meeting.location,
        cancelled=meeting.status == "cancelled",
    )
