"""The dashboard's two listings: vacancies and appointments in scope, filtered, a capped number per state.

One query each. A window function counts each state and ranks its rows newest first, so ten years of
history cost one scan of the network's rows and the page carries only what it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, exists, func, or_
from sqlalchemy import select as sql_select
from sqlmodel import Session, col

from nominations.db.models import Nomination, Vacancy
from nominations.db.term_models import Appointment
from nominations.next_deadline import APPOINTMENT_FIELDS, VACANCY_FIELDS
from nominations.services.scope import Scope


@dataclass(frozen=True)
class DashboardFilter:
    """What the dashboard's form asked for; empty means no limit."""

    partnership_id: int | None = None
    state: str = ""
    equality_sector: str = ""
    search: str = ""


def vacancy_rows(session: Session, scope: Scope, where: DashboardFilter, cap: int) -> Sequence[RowMapping]:
    """id, title, partnership_id, state, total, and the deadline columns of each vacancy shown."""
    conditions = [scope.where(Vacancy.network_id, Vacancy.partnership_id)]
    conditions += _common(where, Vacancy.partnership_id, Vacancy.status)
    if where.search:
        named = exists().where(
            col(Nomination.vacancy_id) == Vacancy.id,
            col(Nomination.nominee_name).icontains(where.search, autoescape=True),
        )
        conditions.append(or_(col(Vacancy.title).icontains(where.search, autoescape=True), named))
    deadlines = [getattr(Vacancy, field) for field in VACANCY_FIELDS]
    query = sql_select(
        col(Vacancy.id).label("id"),
        col(Vacancy.title).label("title"),
        col(Vacancy.partnership_id).label("partnership_id"),
        *deadlines,
    )
    return _capped(session, query, Vacancy.status, Vacancy.id, conditions, cap)


def appointment_rows(
    session: Session, scope: Scope, where: DashboardFilter, cap: int
) -> Sequence[RowMapping]:
    """id, title (the seat's), person_name, partnership_id, state, total, deadline columns."""
    conditions = [scope.where(Appointment.network_id, Appointment.partnership_id)]
    conditions += _common(where, Appointment.partnership_id, Appointment.status)
    if where.search:
        conditions.append(
            or_(
                col(Appointment.person_name).icontains(where.search, autoescape=True),
                col(Vacancy.title).icontains(where.search, autoescape=True),
            )
        )
    deadlines = [getattr(Appointment, field) for field in APPOINTMENT_FIELDS]
    query = sql_select(
        col(Appointment.id).label("id"),
        col(Vacancy.title).label("title"),
        col(Appointment.person_name).label("person_name"),
        col(Appointment.partnership_id).label("partnership_id"),
        *deadlines,
    ).join_from(Appointment, Vacancy, col(Vacancy.id) == Appointment.vacancy_id)
    return _capped(session, query, Appointment.status, Appointment.id, conditions, cap)


def _common(where: DashboardFilter, partnership: Any, status: Any) -> list[ColumnElement[bool]]:
    # An appointment's equality sector is its seat's: both queries have the vacancy to hand.
    found = []
    if where.partnership_id is not None:
        found.append(col(partnership) == where.partnership_id)
    if where.state:
        found.append(col(status) == where.state)
    if where.equality_sector:
        found.append(col(Vacancy.equality_sector) == where.equality_sector)
    return found


def _capped(
    session: Session,
    query: Select[Any],
    status: Any,
    newest: Any,
    conditions: list[ColumnElement[bool]],
    cap: int,
) -> Sequence[RowMapping]:
    total = func.count().over(partition_by=status).label("total")
    rank = func.row_number().over(partition_by=status, order_by=col(newest).desc()).label("rank")
    inner = query.add_columns(col(status).label("state"), total, rank).where(*conditions).subquery()
    shown = sql_select(inner).where(inner.c.rank <= cap).order_by(inner.c.state, inner.c.rank)
    return session.execute(shown).mappings().all()
