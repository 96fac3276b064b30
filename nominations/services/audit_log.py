"""Append to the audit chain inside a transition's transaction, and read it back in batches."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, inspect
from sqlmodel import Session, col, select

from nominations.actors import Actor
from nominations.audit import EventBody, canonical_json, chain_hash, format_instant
from nominations.db.engine import Database
from nominations.db.models import AuditEvent, AuditHead

FIELDS = [
    "seq", "occurred_at", "actor_type", "actor_id", "action", "entity_type", "entity_id",
    "from_state", "to_state", "reason", "payload", "prev_hash", "hash",
]  # fmt: skip


def _check_json(value: Any, where: str) -> None:
    # json.dumps would quietly turn {1: ...} into {"1": ...}, colliding with a real "1";
    # refusing such values keeps the hashed payload exactly what the caller meant.
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError(f"{where} is {value}, which JSON cannot hold")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_json(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where} has the key {key!r}: JSON keys must be strings")
            _check_json(item, f"{where}[{key!r}]")
    else:
        raise TypeError(f"{where} is a {type(value).__name__}, which is not JSON")


def append_event(
    session: Session,
    *,
    occurred_at: datetime,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: str | int,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event to the chain inside the caller's transaction (this does not commit).

    Raises TypeError when the payload is not a JSON object (it is checked all the way down).
    """
    payload = {} if payload is None else payload
    if not isinstance(payload, dict):
        raise TypeError(f"payload is a {type(payload).__name__}, not a JSON object")
    _check_json(payload, "payload")
    # FOR UPDATE serialises appenders on PostgreSQL (SQLite's BEGIN IMMEDIATE already has);
    # populate_existing so that a head this session loaded earlier is not reused stale.
    head = session.exec(
        select(AuditHead).where(AuditHead.id == 1).with_for_update().execution_options(populate_existing=True)
    ).one()
    body = EventBody(
        seq=head.seq + 1,
        occurred_at=format_instant(occurred_at),
        actor_type=actor.kind,
        actor_id=actor.id,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        payload=payload,
    )
    fields = body.as_dict() | {"payload": canonical_json(payload)}
    event = AuditEvent(**fields, prev_hash=head.hash, hash=chain_hash(head.hash, body))
    head.seq, head.hash = event.seq, event.hash
    session.add_all([event, head])
    session.flush()
    return event


def event_batches(
    db: Database,
    *,
    after: int | None = None,
    batch: int = 5000,
    where: ColumnElement[bool] | None = None,
) -> Iterator[list[AuditEvent]]:
    """Events in seq order, `batch` at a time (keyset paging), each batch one short transaction."""
    while True:
        query = select(AuditEvent).order_by(col(AuditEvent.seq)).limit(batch)
        if after is not None:  # no lower bound at first: a forged seq <= 0 must be seen too
            query = query.where(col(AuditEvent.seq) > after)
        if where is not None:
            query = query.where(where)
        with db.transaction() as session:
            rows = list(session.exec(query))
        if rows:
            yield rows
        if len(rows) < batch:
            return
        after = rows[-1].seq


def has_audit_trail(db: Database) -> bool:
    """Whether this database has the audit tables at all."""
    return inspect(db.engine).has_table("audit_event")


def recorded_length(db: Database) -> int:
    """How many events the chain's head says there are (0 when the head is missing)."""
    with db.transaction() as session:
        head = session.get(AuditHead, 1)
        return 0 if head is None else head.seq
