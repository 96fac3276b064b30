"""What makes an audit event about a vacancy, an organisation or a person (an account or an appointment).

Each subject is matched twice: in SQL, loosely, so that little is fetched; then exactly, on the
parsed payload (a LIKE cannot tell a top-level key from a nested one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col

from nominations.db.account_models import User
from nominations.db.models import AuditEvent, Organisation, Vacancy
from nominations.db.term_models import Appointment
from nominations.errors import NotFoundError
from nominations.services.scope import Scope

KINDS = ("vacancy", "organisation", "appointment", "user")
_TABLES: dict[str, Any] = {
    "vacancy": Vacancy,
    "organisation": Organisation,
    "appointment": Appointment,
    "user": User,
}
# The payload key that names a subject of this kind, where one does.
_KEYS = {"vacancy": "vacancy_id", "organisation": "organisation_id", "appointment": "appointment_id"}
# Payload lists of organisation ids: the seconders asked, the members an import added or changed.
_ORGANISATION_LISTS = ("seconders", "added_ids", "updated_ids")


@dataclass(frozen=True)
class Subject:
    """A vacancy, a member organisation, an appointment or an account, by id."""

    kind: str
    id: int

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown subject {self.kind!r}; expected one of {', '.join(KINDS)}")

    def narrow(self) -> ColumnElement[bool]:
        """SQL true for every event about the subject (and perhaps a few more)."""
        clauses = [and_(col(AuditEvent.entity_type) == self.kind, col(AuditEvent.entity_id) == str(self.id))]
        if self.kind in _KEYS:
            clauses.append(_mentions(self.id, f'"{_KEYS[self.kind]}":', (",", "}")))
        if self.kind == "organisation":
            actor = and_(
                col(AuditEvent.actor_type) == "organisation", col(AuditEvent.actor_id) == str(self.id)
            )
            clauses.append(actor)
            for key in _ORGANISATION_LISTS:
                listed = _mentions(self.id, "[", (",", "]")) | _mentions(self.id, ",", (",", "]"))
                clauses.append(and_(_contains(f'"{key}":['), listed))
        if self.kind == "user":
            clauses.append(col(AuditEvent.actor_id) == f"user:{self.id}")
        return or_(*clauses)

    def matches(self, event: AuditEvent) -> bool:
        """Exactly whether the event is about the subject."""
        if event.entity_type == self.kind and event.entity_id == str(self.id):
            return True
        if self.kind == "user":
            return event.actor_id == f"user:{self.id}"
        if self.kind == "organisation" and (event.actor_type, event.actor_id) == (
            "organisation",
            str(self.id),
        ):
            return True
        parsed = parse_payload(event.payload)
        payload: dict[str, Any] = parsed if isinstance(parsed, dict) else {}
        if _is_id(payload.get(_KEYS[self.kind]), self.id):
            return True
        if self.kind != "organisation":
            return False
        lists = (payload.get(key) for key in _ORGANISATION_LISTS)
        return any(isinstance(ids, list) and any(_is_id(v, self.id) for v in ids) for ids in lists)

    def check(self, session: Session, scope: Scope) -> None:
        """NotFoundError unless the subject is in the scope's network (another's is not shown to exist)."""
        row = session.get(_TABLES[self.kind], self.id)
        network_id = getattr(row, "network_id", None)
        if row is None or not (
            scope.every_network or (network_id is not None and network_id == scope.network_id)
        ):
            raise NotFoundError(f"there is no {self.kind} {self.id}")


def _contains(text: str) -> ColumnElement[bool]:
    return col(AuditEvent.payload).contains(text, autoescape=True)


def _mentions(value: int, before: str, afters: tuple[str, ...]) -> ColumnElement[bool]:
    # Canonical JSON has no spaces, so a whole number is followed by "," or a closing bracket.
    return or_(*(_contains(f"{before}{value}{after}") for after in afters))


def parse_payload(payload: str) -> Any:
    """The payload parsed, or its text as found: a tampered row may hold anything (verify judges it)."""
    try:
        return json.loads(payload)
    except ValueError:
        return payload


def _is_id(value: Any, wanted: int) -> bool:
    return type(value) is int and value == wanted
