"""Report-backs: filed by the representative per meeting, chased when overdue, sent to members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from nominations.actors import SYSTEM, Actor
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import Vacancy
from nominations.db.term_models import Appointment, Meeting, ReportBack, ReportBackReminder
from nominations.errors import NominationsError, NotFoundError
from nominations.mail.render import MailRenderer
from nominations.services.access import issue_link
from nominations.services.appointing import LEAVING_STATES
from nominations.services.audit_log import append_event
from nominations.services.mailing import queue_to_holder
from nominations.services.protocols import protocol_for
from nominations.services.term_records import overdue_meetings

FIELD_LIMIT = 2000  # characters per answer on the standard form
FIELDS = ("discussed", "sector_said", "coming_up", "needs_from_members")


class ReportBackError(NominationsError):
    """A report-back that cannot be filed as given; `field` names the answer at fault, if one is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ReportForm:
    attended: bool
    discussed: str = ""
    sector_said: str = ""
    coming_up: str = ""
    needs_from_members: str = ""


class ReportBacks:
    def __init__(self, db: Database, clock: Clock, renderer: MailRenderer, base_url: str) -> None:
        self.db = db
        self.clock = clock
        self.renderer = renderer
        self.base_url = base_url

    def submit(self, appointment_id: int, meeting_id: int, form: ReportForm, actor: Actor) -> None:
        """File the report-back on one meeting; one per meeting, and only once it has been held."""
        for name in FIELDS:
            if len(getattr(form, name)) > FIELD_LIMIT:
                raise ReportBackError(f"keep each answer under {FIELD_LIMIT} characters", name)
        if form.attended and not form.discussed.strip():
            raise ReportBackError("say what was discussed at the meeting", "discussed")
        now = self.clock.now()
        with self.db.transaction() as session:
            appointment = session.get(Appointment, appointment_id)
            if appointment is None:
                raise NotFoundError(f"there is no appointment {appointment_id}")
            if appointment.status not in LEAVING_STATES:
                raise ReportBackError(f"this appointment is {appointment.status}: it files no report-backs")
            meeting = session.get(Meeting, meeting_id)
            if meeting is None or meeting.partnership_id != appointment.partnership_id:
                raise ReportBackError(f"meeting {meeting_id} is not one of this partnership's", "meeting")
            assert meeting.starts_at is not None
            if meeting.status == "cancelled":
                raise ReportBackError("that meeting was cancelled: there is nothing to report", "meeting")
            if meeting.starts_at > now:
                raise ReportBackError("that meeting has not happened yet", "meeting")
            if session.get(ReportBack, (appointment_id, meeting_id)) is not None:
                raise ReportBackError("the report-back on that meeting is already filed", "meeting")
            session.add(
                ReportBack(
                    appointment_id=appointment_id,
                    meeting_id=meeting_id,
                    submitted_at=now,
                    attended=form.attended,
                    **{name: getattr(form, name).strip() for name in FIELDS},
                )
            )
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                action="report_back",
                entity_type="appointment",
                entity_id=appointment_id,
                payload={"meeting_id": meeting_id, "attended": form.attended},
            )

    def chase(self) -> int:
        """Remind each seated representative once per meeting whose report-back is overdue."""
        now = self.clock.now()
        sent = 0
        with self.db.transaction() as session:
            # Workers running side by side each chase the appointments the others have not locked.
            seated = session.exec(
                select(Appointment)
                .where(col(Appointment.status).in_(LEAVING_STATES))
                .order_by(col(Appointment.id))
                .with_for_update(skip_locked=True)
            ).all()
            for appointment in seated:
                sent += self._chase_one(session, appointment, now)
        return sent

    def _chase_one(self, session: Session, appointment: Appointment, now: datetime) -> int:
        assert appointment.id is not None and appointment.term_end_at is not None
        seat = session.get_one(Vacancy, appointment.vacancy_id)
        within = protocol_for(session, seat).report_back_within
        reminded = set(
            session.exec(
                select(ReportBackReminder.meeting_id).where(
                    ReportBackReminder.appointment_id == appointment.id
                )
            )
        )
        overdue = [m for m in overdue_meetings(session, appointment, now, within) if m.id not in reminded]
        if not overdue:
            return 0
        token = issue_link(
            session,
            purpose="representative",
            vacancy_id=appointment.vacancy_id,
            appointment_id=appointment.id,
            expires_at=appointment.term_end_at,
        )
        message = queue_to_holder(
            session,
            self.renderer,
            appointment,
            now=now,
            template="report_back_reminder",
            context={"overdue": overdue, "link": f"{self.base_url}/representative/{token}"},
        )
        for meeting in overdue:
            assert meeting.id is not None
            session.add(ReportBackReminder(appointment_id=appointment.id, meeting_id=meeting.id, sent_at=now))
        append_event(
            session,
            occurred_at=now,
            actor=SYSTEM,
            action="remind_report_back",
            entity_type="appointment",
            entity_id=appointment.id,
            payload={"meetings": [m.id for m in overdue], "outbox_ids": [message.id]},
        )
        return 1
