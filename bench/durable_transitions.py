"""Durable transitions per second, beside raw single-row commits on the same database, same run.

Usage: python bench/durable_transitions.py [--transitions N] [--postgres URL]
PostgreSQL is measured too when --postgres or NOMINATIONS_TEST_POSTGRES_URL names a server;
a fresh database is created there and dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from sqlalchemy import Column, Integer, MetaData, String, Table, insert
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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
def sqlite_db() -> Iterator[Database]:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        db.create_schema()
        yield db
        db.dispose()


@contextmanager
def postgres_db(server: str) -> Iterator[Database]:
    name = f"nominations_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    db = Database(make_url(server).set(database=name).render_as_string(hide_password=False))
    try:
        db.create_schema()
        yield db
    finally:
        db.dispose()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(label: str, factory: Callable[[], Iterator[Database]], n: int) -> None:
    with factory() as db:  # type: ignore[attr-defined]
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
    measure("SQLite", sqlite_db, args.transitions)
    if args.postgres:
        measure("PostgreSQL", lambda: postgres_db(args.postgres), args.transitions)
    else:
        print("PostgreSQL  not measured: pass --postgres URL or set NOMINATIONS_TEST_POSTGRES_URL")


if __name__ == "__main__":
    main()
