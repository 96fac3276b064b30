"""Durable transitions per second, beside raw single-row commits on the same database, same run.

Usage: python bench/durable_transitions.py [--transitions N] [--postgres URL]
PostgreSQL is measured too when --postgres or NOMINATIONS_TEST_POSTGRES_URL names a server;
a fresh database is created there and dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch import postgres_url, sqlite_url

from nominations.actors import Actor
from nominations.bootstrap import build_app
from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.db.models import Network, Partnership
from nominations.services.participation import SeatRequest
from nominations.settings import Settings

COORDINATOR = Actor("coordinator", "bench")


def raw_commits(db: Database, n: int) -> float:
    """Single-row INSERTs, each committed alone: the floor any durable write pays."""
    table = Table(
        "bench_raw", MetaData(), Column("id", Integer, primary_key=True), Column("note", String(40))
    )
    table.create(db.engine, checkfirst=True)
    start = time.perf_counter()
    for i in range(n):
        with db.engine.begin() as conn:
            conn.execute(insert(table).values(note=f"row {i}"))
    return n / (time.perf_counter() - start)


def durable_transitions(db: Database, n: int) -> float:
    """ask_for_information / resubmit cycles: each a guarded update, a rendered email and an audit event."""
    app = build_app(Settings(database_url=db.url), clock=FakeClock(datetime(2027, 1, 1, tzinfo=UTC)), db=db)
    with db.transaction() as session:
        network = Network(name="Bench", coordinator_name="C", coordinator_email="c@bench.example")
        session.add(network)
        session.flush()
        partnership = Partnership(
            network_id=network.id or 0, name="P", contact_name="P", contact_email="p@bench.example"
        )
        session.add(partnership)
        session.flush()
    request = SeatRequest("Seat", "ToR", "Members", "Skills", "Time", "Schedule")
    vid = app.participation.request_seat(partnership.id or 0, request, Actor("partnership", "1"))
    start = time.perf_counter()
    for i in range(n):
        if i % 2 == 0:
            app.transitions.fire(vid, "ask_for_information", actor=COORDINATOR, reason="More detail, please")
        else:
            app.transitions.fire(vid, "resubmit", actor=COORDINATOR)
    return n / (time.perf_counter() - start)


@contextmanager
def scratch_db(url_of: AbstractContextManager[str]) -> Iterator[Database]:
    """A throwaway database (see scratch.py) with the schema created."""
    with url_of as url:
        db = Database(url)
        try:
            db.create_schema()
            yield db
        finally:
            db.dispose()


def measure(label: str, url_of: AbstractContextManager[str], n: int) -> None:
    with scratch_db(url_of) as db:
        raw = raw_commits(db, n)
        durable = durable_transitions(db, n)
    print(
        f"{label:<11} raw single-row commits/s {raw:>9.1f}   durable transitions/s {durable:>8.1f}"
        f"   ratio {durable / raw:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transitions", type=int, default=2000)
    parser.add_argument("--postgres", default=os.environ.get("NOMINATIONS_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    print(f"{args.transitions} of each, one at a time, on this machine ({os.cpu_count()} cores)")
    measure("SQLite", sqlite_url(), args.transitions)
    if args.postgres:
        measure("PostgreSQL", postgres_url(args.postgres), args.transitions)
    else:
        print("PostgreSQL  not measured: pass --postgres URL or set NOMINATIONS_TEST_POSTGRES_URL")


if __name__ == "__main__":
    main()
