"""The public record of a seat: who holds it now, and every report-back filed on it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from nominations.db.engine import Database
from nominations.db.models import Partnership, Vacancy
from nominations.db.term_models import Appointment
from nominations.errors import NotFoundError
from nominations.services.appointing import LEAVING_STATES
from nominations.services.digests import DigestLine, report_back_lines
from nominations.services.recipients import network_name


@dataclass(frozen=True)
class SeatReports:
    seat: Vacancy
    partnership: str
    holders: list[Appointment]  # in the seat now
    reports: list[DigestLine]  # newest meeting first
    network_name: str


def seat_reports(db: Database, vacancy_id: int) -> SeatReports:
    """The seat filled by a vacancy, or NotFoundError if nobody has been appointed to it."""
    with db.transaction() as session:
        seat = session.get(Vacancy, vacancy_id)
        appointments = session.exec(
            select(Appointment).where(Appointment.vacancy_id == vacancy_id).order_by(col(Appointment.id))
        ).all()
        if seat is None or not appointments:
            raise NotFoundError(f"nobody has been appointed to seat {vacancy_id}")
        ours = {a.id for a in appointments}
        lines = [
            line
            for report, line in report_back_lines(session, seat.network_id)
            if report.appointment_id in ours
        ]
        return SeatReports(
            seat,
            session.get_one(Partnership, seat.partnership_id).name,
            [a for a in appointments if a.status in LEAVING_STATES],
            lines[::-1],
            network_name(session, seat),
        )
