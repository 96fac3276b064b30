"""The audit trail: append an event to the hash chain, verify the chain, export it."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TextIO

from sqlalchemy import ColumnElement, and_, inspect, or_
from sqlmodel import Session, col, select

from nominations.actors import Actor
from nominations.audit import GENESIS_HASH, EventBody, canonical_json, chain_hash, format_instant
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
        select(AuditHead)
        .where(AuditHead.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
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


def export(
    db: Database,
    out: TextIO,
    *,
    fmt: Literal["jsonl", "csv"],
    vacancy_id: int | None = None,
    batch: int = 5000,
) -> int:
    """Write events in seq order as JSON lines or CSV; return how many were written.

    With `vacancy_id`: the vacancy's own events (entity "vacancy", that id) and events whose
    payload has a top-level "vacancy_id" equal to it. Nothing cleverer (no nested keys).
    """
    where: ColumnElement[bool] | None = None
    if vacancy_id is not None:
        # The LIKE only narrows what is fetched ("vacancy_id":5 also matches 55); the exact
        # test is made on the parsed payload below.
        own = and_(
            col(AuditEvent.entity_type) == "vacancy", col(AuditEvent.entity_id) == str(vacancy_id)
        )
        mentioned = col(AuditEvent.payload).contains(f'"vacancy_id":{vacancy_id}', autoescape=True)
        where = or_(own, mentioned)
    writer = csv.writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(FIELDS)
    written = 0
    for rows in event_batches(db, batch=batch, where=where):
        for event in rows:
            payload = _parsed(event.payload)
            if vacancy_id is not None and not _about_vacancy(event, payload, vacancy_id):
                continue
            row = {name: getattr(event, name) for name in FIELDS}
            if writer is not None:
                writer.writerow(["" if row[name] is None else row[name] for name in FIELDS])
            else:
                out.write(json.dumps(row | {"payload": payload}, ensure_ascii=False) + "\n")
            written += 1
    return written


def _parsed(payload: str) -> Any:
    # A tampered row may hold anything; export it as found and leave the verdict to verify.
    try:
        return json.loads(payload)
    except ValueError:
        return payload


def _about_vacancy(event: AuditEvent, payload: Any, vacancy_id: int) -> bool:
    if event.entity_type == "vacancy" and event.entity_id == str(vacancy_id):
        return True
    value = payload.get("vacancy_id") if isinstance(payload, dict) else None
    return type(value) is int and value == vacancy_id


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of `verify`. `count` is how many events checked out before any problem."""

    ok: bool
    count: int
    head: str
    first_bad_seq: int | None
    problem: str | None


class _Broken(Exception):
    def __init__(self, seq: int | None, problem: str) -> None:
        super().__init__(problem)
        self.seq, self.problem = seq, problem


@dataclass
class _Walk:
    """How far the chain has checked out: the last good event's seq and hash."""

    seq: int = 0
    hash: str = GENESIS_HASH

    def step(self, event: AuditEvent) -> None:
        seq, expected = event.seq, self.seq + 1
        if seq > expected:
            jump = f"sequence jumps from {self.seq} to {seq}"
            raise _Broken(expected, f"event {expected} is missing ({jump})")
        if seq < expected:
            raise _Broken(seq, f"event {seq} is out of sequence (expected event {expected})")
        if event.prev_hash != self.hash:
            before = f"event {self.seq}" if self.seq else "the genesis hash"
            raise _Broken(seq, f"event {seq}: previous hash does not match {before}")
        try:
            payload = json.loads(event.payload)
            if not isinstance(payload, dict):
                raise ValueError("not an object")
            fields = {name: getattr(event, name) for name in FIELDS[:-3]}
            digest = chain_hash(event.prev_hash, EventBody(**fields, payload=payload))
        except ValueError:  # not JSON, or JSON with NaN that canonical_json refuses
            raise _Broken(seq, f"event {seq}: payload is not a JSON object") from None
        if digest != event.hash:
            raise _Broken(seq, f"event {seq}: hash does not match its contents")
        if canonical_json(payload) != event.payload:
            raise _Broken(seq, f"event {seq}: payload text is not in canonical form")
        self.seq, self.hash = seq, event.hash


def verify(
    db: Database, *, progress: Callable[[int], None] | None = None, batch: int = 5000
) -> VerifyReport:
    """Recompute every hash from the stored rows, check links and sequence, then the head.

    `progress` is called after each batch with the number of events checked so far.
    """
    walk = _Walk()

    def check(after: int | None) -> int:
        before = walk.seq
        for rows in event_batches(db, after=after, batch=batch):
            for event in rows:
                walk.step(event)
            if progress is not None:
                progress(walk.seq)
        return walk.seq - before

    try:
        check(after=None)
        while True:
            with db.transaction() as session:
                head = session.get(AuditHead, 1)
            # An append commits its event and the head together, so a head that is ahead of
            # what we read means appends landed meanwhile: read on until nothing new comes.
            if head is None or head.seq <= walk.seq or check(after=walk.seq) == 0:
                break
        _check_head(head, walk)
    except _Broken as broken:
        return VerifyReport(False, walk.seq, walk.hash, broken.seq, broken.problem)
    return VerifyReport(True, walk.seq, walk.hash, None, None)


def _check_head(head: AuditHead | None, walk: _Walk) -> None:
    if head is None:
        raise _Broken(None, "the chain's head record is missing")
    if head.seq > walk.seq:
        ends = f"the chain ends at {walk.seq}, its head at {head.seq}"
        raise _Broken(walk.seq + 1, f"event {walk.seq + 1} is missing ({ends})")
    if head.seq < walk.seq:
        raise _Broken(
            head.seq + 1,
            f"event {head.seq + 1} is past the chain's head (the head ends at {head.seq})",
        )
    if head.hash != walk.hash:
        last = f"event {walk.seq}" if walk.seq else "the genesis hash"
        raise _Broken(walk.seq or None, f"the head's hash does not match {last}")
