"""Durable transitions per second, beside raw single-row commits on the same database, same run.

Usage: python bench/durable_transitions.py [--transitions N] [--workers 1 4] [--postgres URL] [--json]
Each figure is measured in fresh processes (bench/measure.py): with 4 workers, four processes
fire at once, each on its own vacancy, against one database. PostgreSQL is measured too when
--postgres or NOMINATIONS_TEST_POSTGRES_URL names a server; a fresh database is made and dropped.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Tally, emit, measure, side
from scratch import add_database_options, bench_partnership, databases

from nominations.actors import Actor
from nominations.bootstrap import build_app
from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.services.participation import SeatRequest
from nominations.settings import Settings

COORDINATOR = Actor("coordinator", "bench")
RAW = Table("bench_raw", MetaData(), Column("id", Integer, primary_key=True), Column("note", String(40)))


def raw_commits(url: str, n: int) -> Callable[[], Tally]:
    """Single-row INSERTs, each committed alone: the floor any durable write pays."""
    db = Database(url)
    with db.engine.begin() as conn:  # untimed: opens the pooled connection
        conn.execute(insert(RAW).values(note="warm-up"))

    def go() -> Tally:
        for i in range(n):
            with db.engine.begin() as conn:
                conn.execute(insert(RAW).values(note=f"row {i}"))
        return Tally(n)

    return go


def durable_transitions(url: str, n: int) -> Callable[[], Tally]:
    """ask_for_information / resubmit cycles on a vacancy of this worker's own: each a guarded
    update, a rendered email queued and an audit event, in one transaction."""
    db = Database(url)
    app = build_app(Settings(database_url=url), clock=FakeClock(datetime(2027, 1, 1, tzinfo=UTC)), db=db)
    _, partnership_id = bench_partnership(db)
    request = SeatRequest("Seat", "ToR", "Members", "Skills", "Time", "Schedule")
    vid = app.participation.request_seat(partnership_id, request, Actor("partnership", "1"))

    def cycle(i: int) -> None:
        if i % 2 == 0:
            app.transitions.fire(vid, "ask_for_information", actor=COORDINATOR, reason="More detail, please")
        else:
            app.transitions.fire(vid, "resubmit", actor=COORDINATOR)

    for i in range(2):  # untimed: loads the templates and the state machine
        cycle(i)

    def go() -> Tally:
        for i in range(n):
            cycle(i)
        return Tally(n)

    return go


@contextmanager
def scratch_db(url_of: AbstractContextManager[str]) -> Iterator[str]:
    """A throwaway database (see scratch.py) with the schema and the baseline's table created."""
    with url_of as url:
        db = Database(url)
        try:
            db.create_schema()
            RAW.create(db.engine, checkfirst=True)
        finally:
            db.dispose()
        yield url


def compare(label: str, url_of: AbstractContextManager[str], n: int, workers: int, as_json: bool) -> None:
    """Both figures on one fresh database; `n` transitions (and commits) in all, shared by the workers."""
    each = max(n // workers, 2)
    with scratch_db(url_of) as url:
        raw = measure(raw_commits, url, each, workers=workers)
        durable = measure(durable_transitions, url, each, workers=workers)
    setting = f"{label}, {workers} worker{'s' if workers > 1 else ''}"
    if as_json:
        emit(
            "durable_transitions",
            setting,
            durable.count,
            side("durable transitions/s", durable),
            side("raw single-row commits/s", raw),
        )
        return
    print(
        f"{setting:<23} raw single-row commits/s {raw.rate:>9.1f}   durable transitions/s "
        f"{durable.rate:>8.1f}   ratio {durable.rate / raw.rate:.2f}   peak {durable.peak_mib:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transitions", type=int, default=2000, help="in all, shared by the workers")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4], help="processes at once")
    add_database_options(parser)
    args = parser.parse_args()
    if not args.json:
        print(f"{args.transitions} of each per setting, on this machine ({os.cpu_count()} cores)")
    for label, scratch_url in databases(args):
        for workers in args.workers:
            compare(label, scratch_url(), args.transitions, workers, args.json)


if __name__ == "__main__":
    main()
