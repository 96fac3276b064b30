"""A partnership's meeting schedule: add, move or cancel a meeting, and send updated calendars."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from nominations.actors import Actor
from nominations.calendar import calendar_attachment
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import Partnership
from nominations.db.term_models import Appointment, Meeting
from nominations.errors import NominationsError, NotFoundError
from nominations.mail.render import MailRenderer
from nominations.services.appointing import LEAVING_STATES
from nominations.services.appointment_domain import partnership_calendar_text
from nominations.services.audit_log import append_event
from nominations.services.mailing import queue_to_holder

SEATED = LEAVING_STATES  # the appointments whose holders sit on the partnership now


class MeetingError(NominationsError):
    """A meeting that cannot be scheduled, moved or cancelled as asked."""


def _when(at: datetime) -> str:
    return at.strftime("%A %d %B %Y at %H:%M UTC")


class Meetings:
    def __init__(self, db: Database, clock: Clock, renderer: MailRenderer) -> None:
        self.db = db
        self.clock = clock
        self.renderer = renderer

    def schedule(
        self,
        partnership_id: int,
        title: str,
        starts_at: datetime,
        ends_at: datetime,
        actor: Actor,
        location: str = "",
    ) -> int:
        """Add a meeting; the seated representatives get the updated calendar."""
        _check_times(starts_at, ends_at)
        with self.db.transaction() as session:
            if session.get(Partnership, partnership_id) is None:
                raise NotFoundError(f"there is no partnership {partnership_id}")
            meeting = Meeting(
                partnership_id=partnership_id,
                uid=f"{uuid.uuid4()}@nominations",
                title=title.strip() or "Partnership meeting",
                location=location.strip(),
                starts_at=starts_at,
                ends_at=ends_at,
                updated_at=self.clock.now(),
            )
            session.add(meeting)
            session.flush()
            assert meeting.id is not None
            said = f"A meeting was added on {_when(starts_at)}."
            self._announce(session, meeting, actor, "schedule_meeting", said)
            return meeting.id

    def move(
        self,
        meeting_id: int,
        starts_at: datetime,
        ends_at: datetime,
        actor: Actor,
        location: str | None = None,
    ) -> None:
        """Move a meeting; it keeps its calendar id, so calendars move their copy."""
        _check_times(starts_at, ends_at)
        with self.db.transaction() as session:
            meeting = self._open_meeting(session, meeting_id)
            assert meeting.starts_at is not None
            said = f"The meeting on {_when(meeting.starts_at)} moved to {_when(starts_at)}."
            meeting.starts_at, meeting.ends_at = starts_at, ends_at
            if location is not None:
                meeting.location = location.strip()
            self._announce(session, meeting, actor, "move_meeting", said)

    def cancel(self, meeting_id: int, actor: Actor) -> None:
        """Cancel a meeting; calendars mark their copy cancelled, and no report-back is due for it."""
        with self.db.transaction() as session:
            meeting = self._open_meeting(session, meeting_id)
            assert meeting.starts_at is not None
            meeting.status = "cancelled"
            said = f"The meeting on {_when(meeting.starts_at)} is cancelled."
            self._announce(session, meeting, actor, "cancel_meeting", said)

    def _open_meeting(self, session: Session, meeting_id: int) -> Meeting:
        meeting = session.get(Meeting, meeting_id, with_for_update=True)
        if meeting is None:
            raise NotFoundError(f"there is no meeting {meeting_id}")
        if meeting.status == "cancelled":
            raise MeetingError(f"meeting {meeting_id} is cancelled; schedule a new one instead")
        return meeting

    def _announce(self, session: Session, meeting: Meeting, actor: Actor, action: str, change: str) -> None:
        now = self.clock.now()
        if action != "schedule_meeting":
            meeting.sequence += 1  # calendars replace their copy only when the sequence rises
        meeting.updated_at = now
        session.add(meeting)
        session.flush()
        assert meeting.id is not None
        partnership = session.get_one(Partnership, meeting.partnership_id)
        seated = session.exec(
            select(Appointment)
            .where(Appointment.partnership_id == meeting.partnership_id, col(Appointment.status).in_(SEATED))
            .order_by(col(Appointment.id))
        ).all()
        outbox = []
        for appointment in seated:
            assert appointment.id is not None
            text = partnership_calendar_text(session, appointment, partnership, now)
            message = queue_to_holder(
                session,
                self.renderer,
                appointment,
                now=now,
                template="schedule_updated",
                context={"changes": [change]},
                attachments=[calendar_attachment(text)],
            )
            outbox.append(message.id)
        append_event(
            session,
            occurred_at=now,
            actor=actor,
            action=action,
            entity_type="meeting",
            entity_id=meeting.id,
            payload={
                "partnership_id": meeting.partnership_id,
                "uid": meeting.uid,
                "sequence": meeting.sequence,
                "starts_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
                "status": meeting.status,
                "outbox_ids": outbox,
            },
        )


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise MeetingError("a meeting's times need a time zone")
    if ends_at <= starts_at:
        raise MeetingError("a meeting must end after it starts")
