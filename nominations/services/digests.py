"""The periodic digest of report-backs to a network's members, as often as its protocol says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from nominations.actors import SYSTEM
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import Network, Organisation, Partnership, Vacancy
from nominations.db.term_models import Appointment, Digest, Meeting, ReportBack
from nominations.mail.render import MailRenderer
from nominations.services.audit_log import append_event
from nominations.services.mailing import queue_to
from nominations.services.protocols import named_protocol
from nominations.services.recipients import Recipient
from nominations.workflow.durations import parse_duration


@dataclass(frozen=True)
class DigestLine:
    seat: str
    partnership: str
    person: str
    meeting: str
    held_at: datetime
    attended: bool
    discussed: str
    sector_said: str
    coming_up: str
    needs_from_members: str


def report_back_lines(
    session: Session, network_id: int, *, undigested: bool = False
) -> list[tuple[ReportBack, DigestLine]]:
    """The network's report-backs, oldest meeting first (only those not yet sent, if asked)."""
    query = (
        select(ReportBack, Appointment, Meeting, Vacancy)
        .join(Appointment, col(Appointment.id) == col(ReportBack.appointment_id))
        .join(Meeting, col(Meeting.id) == col(ReportBack.meeting_id))
        .join(Vacancy, col(Vacancy.id) == col(Appointment.vacancy_id))
        .where(Appointment.network_id == network_id)
        .order_by(col(Meeting.starts_at), col(ReportBack.appointment_id))
    )
    if undigested:
        query = query.where(col(ReportBack.digested_at).is_(None))
    partnerships = {
        p.id: p.name for p in session.exec(select(Partnership).where(Partnership.network_id == network_id))
    }
    lines = []
    for report, appointment, meeting, seat in session.exec(query):
        assert meeting.starts_at is not None
        lines.append(
            (
                report,
                DigestLine(
                    seat=seat.title,
                    partnership=partnerships[appointment.partnership_id],
                    person=appointment.person_name,
                    meeting=meeting.title,
                    held_at=meeting.starts_at,
                    attended=report.attended,
                    discussed=report.discussed,
                    sector_said=report.sector_said,
                    coming_up=report.coming_up,
                    needs_from_members=report.needs_from_members,
                ),
            )
        )
    return lines


class Digests:
    def __init__(self, db: Database, clock: Clock, renderer: MailRenderer, base_url: str) -> None:
        self.db = db
        self.clock = clock
        self.renderer = renderer
        self.base_url = base_url

    def send_due(self) -> int:
        """Send each network whose digest is due the report-backs filed since its last; return how many."""
        now = self.clock.now()
        sent = 0
        with self.db.transaction() as session:
            # A network another worker is sending a digest for is locked, and skipped here.
            networks = select(Network).order_by(col(Network.id)).with_for_update(skip_locked=True)
            for network in session.exec(networks).all():
                sent += self._send(session, network, now)
        return sent

    def _send(self, session: Session, network: Network, now: datetime) -> int:
        assert network.id is not None
        last = session.exec(
            select(Digest)
            .where(Digest.network_id == network.id)
            .order_by(col(Digest.sent_at).desc())
            .limit(1)
        ).first()
        every = parse_duration(named_protocol(network.protocol).digest_every)
        if last is not None and last.sent_at is not None and now - last.sent_at < every:
            return 0
        lines = report_back_lines(session, network.id, undigested=True)
        if not lines:
            return 0
        members = session.exec(
            select(Organisation)
            .where(Organisation.network_id == network.id, Organisation.status == "active")
            .order_by(col(Organisation.id))
        ).all()
        context = {
            "network": network,
            "since": last.sent_at if last is not None else None,
            "report_backs": [line for _, line in lines],
            "base_url": self.base_url,
        }
        ids = []
        for org in members:
            message = queue_to(
                session,
                self.renderer,
                now=now,
                entity_id=network.id,
                template="report_back_digest",
                recipient=Recipient(org.contact_name, org.contact_email, org.id),
                context=context,
                entity_type="network",
            )
            ids.append(message.id)
        for report, _ in lines:
            report.digested_at = now
            session.add(report)
        digest = Digest(network_id=network.id, sent_at=now, report_backs=len(lines))
        session.add(digest)
        session.flush()
        append_event(
            session,
            occurred_at=now,
            actor=SYSTEM,
            action="report_back_digest",
            entity_type="network",
            entity_id=network.id,
            payload={"digest_id": digest.id, "report_backs": len(lines), "outbox_ids": ids},
        )
        return 1
