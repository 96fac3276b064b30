"""A vacancy's or an appointment's history from the audit trail: who, what, when and why, in words.

Who is the kind of actor in words, with a name only where the coordinator already sees it
(a member organisation, a nominee, a panel member, a staff account); never an email address.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from nominations.console_words import ACTOR_WORDS, action_words, words
from nominations.db.account_models import User
from nominations.db.models import AuditEvent, Nomination, Organisation, Partnership
from nominations.db.term_models import Appointment, PanelMember


@dataclass(frozen=True)
class Entry:
    seq: int
    when: datetime | None  # None if the stored time cannot be read (verifying the chain says why)
    who: str
    what: str
    why: str | None


def timeline(session: Session, entity: str, entity_id: int) -> list[Entry]:
    """Every event recorded about the entity itself, oldest first."""
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.entity_type == entity, AuditEvent.entity_id == str(entity_id))
        .order_by(col(AuditEvent.seq))
    ).all()
    names = _Names(session, events)
    return [
        Entry(
            e.seq,
            _instant(e.occurred_at),
            names.who(e.actor_type, e.actor_id),
            _what(e, names),
            e.reason,
        )
        for e in events
    ]


def _what(event: AuditEvent, names: _Names) -> str:
    said = action_words(event.action, event.from_state, event.to_state)
    payload = _payload(event.payload)
    nominee = names.nominee(payload.get("nomination_id"))
    return f"{said} ({nominee})" if nominee else said


def _instant(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _payload(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}  # a damaged row still shows; verifying the chain says what is wrong with it
    return value if isinstance(value, dict) else {}


# Where the name behind an actor id is kept: the table and how to read the name from its row.
_NAMED: dict[str, tuple[Any, Callable[[Any], str]]] = {
    "organisation": (Organisation, lambda row: row.name),
    "nominee": (Nomination, lambda row: row.nominee_name),
    "panel": (PanelMember, lambda row: row.name),
    "partnership": (Partnership, lambda row: row.name),
    "user": (User, lambda row: row.name),  # a staff account: `user:5`
    "representative": (Appointment, lambda row: row.person_name),  # `appointment:3`
}
_PLAIN_IDS = frozenset({"organisation", "nominee", "panel", "partnership"})  # the id is the row's id


class _Names:
    """The names behind the events' actor ids: one query per kind of actor, none per event."""

    def __init__(self, session: Session, events: Sequence[AuditEvent]) -> None:
        wanted: dict[str, set[int]] = {}
        for e in events:
            kind, row_id = _row_of(e.actor_type, e.actor_id)
            if kind is not None:
                wanted.setdefault(kind, set()).add(row_id)
            nid = _payload(e.payload).get("nomination_id")
            if type(nid) is int:
                wanted.setdefault("nominee", set()).add(nid)
        self._names: dict[tuple[str, int], str] = {}
        for kind, ids in wanted.items():
            model, name = _NAMED[kind]
            for row in session.exec(select(model).where(col(model.id).in_(ids))):
                self._names[kind, row.id] = name(row)

    def who(self, actor_type: str, actor_id: str) -> str:
        said = ACTOR_WORDS.get(actor_type, words(actor_type))
        kind, row_id = _row_of(actor_type, actor_id)
        name = self._names.get((kind, row_id)) if kind is not None else None
        return f"{said}: {name}" if name else said

    def nominee(self, nomination_id: Any) -> str | None:
        return self._names.get(("nominee", nomination_id)) if type(nomination_id) is int else None


def _row_of(actor_type: str, actor_id: str) -> tuple[str | None, int]:
    """Which table an actor id names a row of: `user:5` an account, `appointment:3` its holder."""
    prefix, _, number = actor_id.rpartition(":")
    if not number.isdigit():
        return None, 0
    if prefix == "user":
        return "user", int(number)
    if prefix == "appointment" and actor_type == "representative":
        return "representative", int(number)
    if not prefix and actor_type in _PLAIN_IDS:
        return actor_type, int(number)
    return None, 0
