"""The audit log as people read it: names for the ids an event carries, and the filter form's choices."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session, col, select

from nominations.console_words import ACTOR_WORDS, action_words
from nominations.db.account_models import User
from nominations.db.engine import Database
from nominations.db.models import AuditEvent, Organisation, Partnership, Vacancy
from nominations.db.term_models import Appointment, Meeting
from nominations.services.audit_scope import in_network
from nominations.services.scope import Scope

# How each kind of entity is named, and how the log is filtered to it (None: it cannot be).
_NAMED: dict[str, tuple[Any, str, str | None]] = {
    "vacancy": (Vacancy, "title", "vacancy"),
    "appointment": (Appointment, "person_name", "person"),
    "user": (User, "name", "person"),
    "organisation": (Organisation, "name", "organisation"),
    "meeting": (Meeting, "title", None),
    "partnership": (Partnership, "name", None),
}


@dataclass(frozen=True)
class EventRow:
    """One event, with names where the record has only ids."""

    event: AuditEvent
    actor: str  # the kind of actor in words, and who where known
    did: str  # the action in words, with the change of state
    entity: str
    entity_link: str | None  # the log filtered to this entity


@dataclass(frozen=True)
class Choices:
    """What the filter form offers: (value, label) pairs."""

    organisations: list[tuple[int, str]]
    people: list[tuple[str, str]]  # "user:3" or "appointment:5"


def event_rows(db: Database, events: list[AuditEvent]) -> list[EventRow]:
    """The events with the names of what they refer to (a query per kind of entity on the page)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.entity_type in _NAMED and event.entity_id.isdigit():
            wanted[event.entity_type].add(int(event.entity_id))
        kind, number = _actor_ref(event)
        if number is not None:
            wanted[kind].add(number)
    names: dict[tuple[str, int], str] = {}
    with db.transaction() as session:
        for kind, ids in wanted.items():
            names |= _names(session, kind, ids)
    return [_row(event, names) for event in events]


def filter_choices(db: Database, scope: Scope, finished: list[str], chosen: str = "") -> Choices:
    """The network's member organisations, and its people: accounts, and appointments not `finished`.

    Appointments that are over (years of them) are reached from the log's links instead; the one
    `chosen` is offered whatever its state, so that the form keeps it.
    """
    with db.transaction() as session:
        orgs = session.exec(_mine(select(Organisation.id, Organisation.name), Organisation, scope)).all()
        users = session.exec(_mine(select(User.id, User.name, User.role), User, scope)).all()
        held = _mine(select(Appointment.id, Appointment.person_name, Appointment.role), Appointment, scope)
        seats = session.exec(held.where(col(Appointment.status).not_in(finished))).all()
    people = [(f"user:{i}", f"{name} ({role} account)") for i, name, role in sorted(users, key=_by_name)]
    people += [(f"appointment:{i}", f"{name} ({role}, appointment {i})") for i, name, role in seats]
    if chosen and chosen not in {value for value, _ in people}:
        people.append((chosen, chosen.replace(":", " ")))
    return Choices(sorted(((i or 0, n) for i, n in orgs), key=lambda o: o[1].casefold()), people)


def _mine(query: Any, table: Any, scope: Scope) -> Any:
    return query.where(in_network(scope, table.network_id)).order_by(col(table.id))


def _by_name(row: Any) -> str:
    return str(row[1]).casefold()


def _names(session: Session, kind: str, ids: set[int]) -> dict[tuple[str, int], str]:
    table, column, _ = _NAMED[kind]
    rows = session.exec(select(table.id, getattr(table, column)).where(col(table.id).in_(sorted(ids)))).all()
    return {(kind, row_id): str(name) for row_id, name in rows}


def _actor_ref(event: AuditEvent) -> tuple[str, int | None]:
    # Console actions carry "user:<id>"; a member organisation acts under its own id.
    if event.actor_id.startswith("user:") and event.actor_id[5:].isdigit():
        return "user", int(event.actor_id[5:])
    if event.actor_type == "organisation" and event.actor_id.isdigit():
        return "organisation", int(event.actor_id)
    return "", None


def _row(event: AuditEvent, names: dict[tuple[str, int], str]) -> EventRow:
    kind, number = _actor_ref(event)
    who = names.get((kind, number)) if number is not None else None
    actor = ACTOR_WORDS.get(event.actor_type, event.actor_type)
    actor = f"{actor}: {who}" if who else f"{actor} ({event.actor_id})"
    entity, link = f"{event.entity_type} {event.entity_id}", None
    if event.entity_type in _NAMED and event.entity_id.isdigit():
        name = names.get((event.entity_type, int(event.entity_id)))
        entity = f"{entity}: {name}" if name else entity
        param = _NAMED[event.entity_type][2]
        if param is not None:
            value = event.entity_id if param != "person" else f"{event.entity_type}:{event.entity_id}"
            link = "/console/audit?" + urlencode({param: value})
    return EventRow(event, actor, action_words(event.action, event.from_state, event.to_state), entity, link)
