"""Recompute the audit chain and name the first event that does not hold."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from nominations.audit import GENESIS_HASH, EventBody, canonical_json, chain_hash
from nominations.db.engine import Database
from nominations.db.models import AuditEvent, AuditHead
from nominations.services.audit_log import FIELDS, event_batches


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
    anchor: str | None = None
    anchor_seen: bool = False

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
        self.anchor_seen = self.anchor_seen or event.hash == self.anchor


def verify(
    db: Database,
    *,
    progress: Callable[[int], None] | None = None,
    batch: int = 5000,
    anchor: str | None = None,
) -> VerifyReport:
    """Recompute every hash from the stored rows, check links and sequence, then the head.

    `progress` is called after each batch with the number of events checked so far. `anchor` is a
    head kept outside the database (printed by an earlier verify): the chain must still contain it,
    which catches the one cut the database cannot see alone, the tail removed and the head rewound.
    """
    walk = _Walk(anchor=anchor if anchor != GENESIS_HASH else None)

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
        if walk.anchor is not None and not walk.anchor_seen:
            raise _Broken(
                None,
                f"the chain no longer contains the anchor {walk.anchor}: events recorded "
                "up to it have been removed or rewritten",
            )
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
