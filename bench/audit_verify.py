"""`audit verify` events per second on a long chain, beside a bare streaming read and sha256 per row.

Usage: python bench/audit_verify.py [--events N] [--postgres URL] [--json]
The chain (1,000,000 events by default) is made with the project's own canonical form and hash
(nominations/audit.py), bulk inserted with SQLAlchemy Core, and the head moved to its last event;
how long that took is reported too. The figure is the verify service that `nominations audit
verify` runs, which must find the chain intact. Baseline: the same rows read in one streaming
query, in seq order, with one sha256 over each row's text: the reading and hashing any check pays.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import col

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Tally, emit, measure, side
from scratch import add_database_options, databases

from nominations.audit import GENESIS_HASH, EventBody, canonical_json, chain_hash, format_instant
from nominations.db.engine import Database
from nominations.db.models import AuditEvent, AuditHead
from nominations.services.audit_verify import verify

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
VACANCIES = 5000  # the events are spread over this many vacancies, as years of use would spread them
BATCH = 20_000
EVENTS = AuditEvent.__table__  # type: ignore[attr-defined]  # SQLModel declares it at runtime
# The two transitions bench/durable_transitions.py fires, as the service records them.
STEPS = [
    ("ask_for_information", "requested", "information_requested", "More detail, please", "partnership"),
    ("resubmit", "information_requested", "requested", None, "coordinator"),
]


def bodies(total: int) -> Iterator[EventBody]:
    """Events shaped like real transitions: a coordinator's, with the email it queued by id."""
    for seq in range(1, total + 1):
        action, source, dest, reason, audience = STEPS[seq % 2]
        template = "information_requested" if audience == "partnership" else "request_resubmitted"
        yield EventBody(
            seq=seq,
            occurred_at=format_instant(START + timedelta(seconds=seq)),
            actor_type="coordinator",
            actor_id="7",
            action=action,
            entity_type="vacancy",
            entity_id=str(seq % VACANCIES + 1),
            from_state=source,
            to_state=dest,
            reason=reason,
            payload={
                "emails": [{"outbox_ids": [seq], "template": template, "to": audience}],
                "version": seq // VACANCIES + 2,
                "workflow": "vacancy",
            },
        )


def write_chain(db: Database, total: int) -> None:
    """`total` chained events, inserted BATCH at a time, then the head set to the last of them."""
    prev, rows = GENESIS_HASH, []
    for body in bodies(total):
        digest = chain_hash(prev, body)
        rows.append(
            body.as_dict() | {"payload": canonical_json(body.payload), "prev_hash": prev, "hash": digest}
        )
        prev = digest
        if len(rows) == BATCH:
            _insert(db, rows)
            rows = []
    if rows:
        _insert(db, rows)
    with db.engine.begin() as conn:
        conn.execute(update(AuditHead).where(col(AuditHead.id) == 1).values(seq=total, hash=prev))


def _insert(db: Database, rows: list[dict[str, Any]]) -> None:
    with db.engine.begin() as conn:
        conn.execute(insert(EVENTS), rows)


def project_verify(url: str, total: int) -> Callable[[], Tally]:
    """What `nominations audit verify` does, on a chain that must check out to its end."""
    db = Database(url)

    def go() -> Tally:
        report = verify(db)
        if not report.ok or report.count != total:
            raise RuntimeError(f"verify: ok={report.ok} after {report.count} events: {report.problem}")
        return Tally(report.count)

    return go


def read_and_hash(url: str, total: int) -> Callable[[], Tally]:
    """One streaming SELECT of every column in seq order, and a sha256 over each row's text."""
    db = Database(url)

    def go() -> Tally:
        count = 0
        with db.engine.connect() as conn:
            rows = conn.execution_options(yield_per=5000).execute(select(EVENTS).order_by(EVENTS.c.seq))
            for row in rows:
                hashlib.sha256("\x1f".join(map(str, row)).encode()).hexdigest()
                count += 1
        if count != total:
            raise RuntimeError(f"read {count} events, expected {total}")
        return Tally(count)

    return go


def compare(label: str, url_of: AbstractContextManager[str], total: int, as_json: bool) -> None:
    with url_of as url:
        db = Database(url)
        db.create_schema()
        started = time.perf_counter()
        write_chain(db, total)
        written = time.perf_counter() - started
        db.dispose()
        bare = measure(read_and_hash, url, total)
        verified = measure(project_verify, url, total)
    if as_json:
        emit(
            "audit_verify",
            label,
            total,
            side("events verified/s", verified, generated_seconds=written),
            side("rows read and hashed/s", bare),
        )
        return
    print(
        f"{label:<11} {total:,} events (written in {written:.1f} s): verify {verified.rate:9,.0f}/s "
        f"({verified.seconds:.1f} s)   read+sha256 {bare.rate:9,.0f}/s   "
        f"ratio {verified.rate / bare.rate:.2f}   peak {verified.peak_mib:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    add_database_options(parser)
    args = parser.parse_args()
    for label, scratch_url in databases(args):
        compare(label, scratch_url(), args.events, args.json)


if __name__ == "__main__":
    main()
