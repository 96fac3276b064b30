"""What the terms in the seat need: stalled inductions, overdue report-backs, reviews to decide."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, exists

from nominations.db.models import Vacancy
from nominations.db.term_models import Appointment, Meeting, ReportBack
from nominations.services.appointing import LEAVING_STATES
from nominations.services.needs import Item, seat_title
from nominations.services.scope import Scope
from nominations.services.seat_protocols import protocols_for, rules_key
from nominations.workflow.durations import parse_duration


def term_needs(
    session: Session, scope: Scope, now: datetime, partnerships: Mapping[int, str]
) -> Iterator[tuple[str, Item]]:
    """(kind of need, item) for every appointment in the seat that waits on someone."""
    # Columns, not whole rows: a large network has hundreds of people in seats at once.
    rows = session.execute(
        sql_select(
            col(Appointment.id),
            col(Appointment.status),
            col(Appointment.person_name),
            col(Appointment.induction_due_at),
            col(Vacancy.title),
            col(Vacancy.partnership_id),
            col(Vacancy.network_id),
            col(Vacancy.kind),
            col(Vacancy.protocol_overrides),
        )
        .join_from(Appointment, Vacancy, col(Vacancy.id) == Appointment.vacancy_id)
        .where(
            scope.where(Appointment.network_id, Appointment.partnership_id),
            col(Appointment.status).in_(LEAVING_STATES),
        )
        .order_by(col(Appointment.id))
    ).all()
    protocols = protocols_for(session, [(r.network_id, r.kind, r.protocol_overrides) for r in rows])
    within = {key: parse_duration(p.report_back_within) for key, p in protocols.items()}
    allowance = {r.id: within[rules_key(r.network_id, r.kind, r.protocol_overrides)] for r in rows}
    overdue = _overdue_report_backs(session, allowance, now)
    for r in rows:
        href = f"/console/appointments/{r.id}"
        title = f"{r.person_name}, {seat_title(r.title, partnerships.get(r.partnership_id, ''))}"
        due = r.induction_due_at
        if r.status == "inducting" and due is not None and due < now:
            yield "inductions", Item(href, title, f"Induction was due on {due:%d %B %Y}", due)
        if r.status == "under_review":
            yield "reviews", Item(href, title, "The yearly review awaits your decision")
        if r.id in overdue:
            count, oldest = overdue[r.id]
            plural = "s are" if count > 1 else " is"
            yield "report_backs", Item(href, title, f"{count} report-back{plural} overdue", oldest)


def _overdue_report_backs(
    session: Session, allowance: Mapping[int, timedelta], now: datetime
) -> dict[int, tuple[int, datetime]]:
    """Per appointment: how many report-backs are past due, and when the oldest meeting ended.

    The rule of `term_records.overdue_meetings`, counted in SQL: one query per allowance the
    protocols give (almost always one), never one per appointment.
    """
    by_allowance: dict[timedelta, list[int]] = defaultdict(list)
    for appointment_id, within in allowance.items():
        by_allowance[within].append(appointment_id)
    filed = exists().where(
        col(ReportBack.appointment_id) == Appointment.id, col(ReportBack.meeting_id) == Meeting.id
    )
    found: dict[int, tuple[int, datetime]] = {}
    for within, ids in by_allowance.items():
        query = (
            sql_select(col(Appointment.id), func.count(), func.min(col(Meeting.ends_at)))
            .join_from(Appointment, Meeting, col(Meeting.partnership_id) == Appointment.partnership_id)
            .where(
                col(Appointment.id).in_(ids),
                col(Meeting.status) == "scheduled",
                col(Meeting.ends_at) >= Appointment.term_start_at,
                col(Meeting.ends_at) < now - within,
                ~filed,
            )
            .group_by(col(Appointment.id))
        )
        found |= {a: (n, oldest) for a, n, oldest in session.execute(query)}
    return found
