"""The coordinator's dashboard: every vacancy and appointment in scope by state, and what needs a person."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import RowMapping
from sqlmodel import col, select

from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import Partnership
from nominations.equality import EQUALITY_SECTORS
from nominations.next_deadline import APPOINTMENT_FIELDS, VACANCY_FIELDS, Deadline, next_deadline
from nominations.services.attention import needs_attention
from nominations.services.attention_mail import Undelivered, undelivered_mail
from nominations.services.dashboard_rows import DashboardFilter, appointment_rows, vacancy_rows
from nominations.services.needs import Need
from nominations.services.scope import Scope
from nominations.services.workflows import WorkflowSet
from nominations.whole_numbers import whole_number

CAP = 50  # rows per state on the whole dashboard; a search or a filter finds the rest
CAP_ONE_STATE = 500  # rows when the coordinator asked for one state
MAIL_SHOWN = 50  # undelivered emails listed; the count says how many more there are
WORKFLOWS = {"vacancy": ("vacancy", "expert"), "appointment": ("appointment",)}


@dataclass(frozen=True)
class Line:
    href: str
    title: str  # the seat
    person: str  # who holds it (an appointment), or ""
    partnership: str
    deadline: Deadline | None


@dataclass(frozen=True)
class Group:
    state: str
    total: int  # in this state, of which `lines` are the newest `cap`
    lines: list[Line]


@dataclass(frozen=True)
class Dashboard:
    vacancies: list[Group]
    appointments: list[Group]
    needs: list[Need]
    undelivered: Undelivered
    partnerships: dict[int, str]  # for the filter, in name order
    states: dict[str, list[str]]  # "vacancy" / "appointment": every state, in workflow order
    where: DashboardFilter


def read_filter(
    asked: Mapping[str, str], partnerships: Mapping[int, str], states: set[str]
) -> DashboardFilter:
    """The form's values as a filter; a value not on offer (an old or edited link) is no limit."""
    partnership, state, sector = (asked.get(k, "").strip() for k in ("partnership", "state", "sector"))
    chosen = whole_number(partnership)
    return DashboardFilter(
        chosen if chosen in partnerships else None,
        state if state in states else "",
        sector if sector in EQUALITY_SECTORS else "",
        " ".join(asked.get("q", "").split())[:200],
    )


def dashboard(
    db: Database,
    workflows: WorkflowSet,
    clock: Clock,
    scope: Scope,
    asked: dict[str, str],
    *,
    account_mail: bool = False,
) -> Dashboard:
    """The dashboard for `scope`, filtered by the form's `partnership`, `state`, `sector` and `q`.

    `account_mail`: list undelivered invitations and resets too (for those who manage accounts).
    """
    states = {entity: _states(workflows, names) for entity, names in WORKFLOWS.items()}
    final = {s for names in WORKFLOWS.values() for n in names for s in workflows[n].definition.final_states()}
    now = clock.now()
    with db.transaction() as session:
        query = select(Partnership.id, Partnership.name).where(
            scope.where(Partnership.network_id, Partnership.id)
        )
        partnerships = {pid: name for pid, name in session.exec(query.order_by(col(Partnership.name))) if pid}
        known = {s for found in states.values() for s in found}
        where = read_filter(asked, partnerships, known)
        cap = CAP_ONE_STATE if where.state else CAP
        vacancies = vacancy_rows(session, scope, where, cap)
        appointments = appointment_rows(session, scope, where, cap)
        needs = needs_attention(session, scope, now, partnerships)
        mail = undelivered_mail(session, scope, partnerships, accounts=account_mail, limit=MAIL_SHOWN)
    return Dashboard(
        _groups("vacancy", vacancies, states["vacancy"], final, partnerships, now),
        _groups("appointment", appointments, states["appointment"], final, partnerships, now),
        needs,
        mail,
        partnerships,
        states,
        where,
    )


def _states(workflows: WorkflowSet, names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(s for name in names for s in workflows[name].definition.states))


def _groups(
    entity: str,
    rows: Sequence[RowMapping],
    order: list[str],
    final: set[str],
    partnerships: Mapping[int, str],
    now: datetime,
) -> list[Group]:
    fields = VACANCY_FIELDS if entity == "vacancy" else APPOINTMENT_FIELDS
    by_state: dict[str, list[Line]] = {}
    totals: dict[str, int] = {}
    for row in rows:
        state = row["state"]
        deadline = next_deadline(entity, state, state in final, {f: row[f] for f in fields}, now)
        line = Line(
            f"/console/{'vacancies' if entity == 'vacancy' else 'appointments'}/{row['id']}",
            row["title"],
            row.get("person_name", ""),
            partnerships.get(row["partnership_id"], ""),
            deadline,
        )
        by_state.setdefault(state, []).append(line)
        totals[state] = row["total"]
    # Where something is still to happen, soonest first; the rest newest first, as fetched.
    for lines in by_state.values():
        lines.sort(key=lambda line: (line.deadline is None, line.deadline.at if line.deadline else now))
    return [Group(state, totals[state], by_state[state]) for state in order if state in by_state]
