"""SIGKILL the worker 20 times in a row while it closes three ballots, counts them and sends 1,500 emails.

The first six kills land a random moment after one or two of the timers' transitions have
committed (among the ballot reminders, closes and counts), the other fourteen after a random
number of emails. Afterwards every transition happened exactly once, every email arrived at least
once (duplicates are counted and printed: the one window is a message the server accepted just
before the kill), and the chain verifies.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import col, select

from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.db.models import AuditEvent, BallotPaper, ElectionResult, OutboxMessage, Timer, Vacancy
from nominations.services.audit_verify import verify
from tests.integration.conftest import World, make_world
from tests.utils.smtp import FaultyServer, received_ids
from tests.utils.workers import report, start_worker, wait_for

pytestmark = pytest.mark.slow

KILLS = 20
TIMER_KILLS = 6  # of the KILLS, those aimed at the ballot close and count
MEMBERS = 200
VACANCIES = 3
VOTERS = 150
CONCURRENCY = 4
LEASE = timedelta(seconds=60)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'close.db'}")
        db.create_schema()
        return db
    return request.getfixturevalue("postgres_db")  # type: ignore[no-any-return]


def ballots_ready_to_close(world: World) -> list[int]:
    """VACANCIES contested seats with VOTERS votes cast each, at the moment their ballots close."""
    vacancies = []
    for _ in range(VACANCIES):
        vid = world.request()
        world.fire(vid, "accept")
        world.fire(vid, "open_nominations")
        candidates = [world.nominate(vid, i, f"Candidate {i}") for i in range(3)]
        world.fire(vid, "close_nominations")
        world.fire_timers()  # the tally opens the ballot and queues a ballot paper for every member
        for voter in range(VOTERS):
            world.vote(vid, voter, [candidates[voter % 3]])
        vacancies.append(vid)
    with world.app.db.transaction() as session:
        world.clock.set(max(session.get_one(Vacancy, v).voting_close_at for v in vacancies))  # type: ignore[type-var]
    return vacancies


def chain_length(db: Database) -> int:
    """The audit head's seq, read without a lock (a SQLite transaction here would stall the worker)."""
    if db.dialect == "sqlite":
        with closing(sqlite3.connect(f"file:{make_url(db.url).database}?mode=ro", uri=True)) as conn:
            return int(conn.execute("SELECT seq FROM audit_head").fetchone()[0])
    with db.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT seq FROM audit_head").scalar_one())


def phase(db: Database, vacancies: list[int]) -> str:
    with db.transaction() as session:
        states = Counter(session.exec(select(Vacancy.status).where(col(Vacancy.id).in_(vacancies))).all())
        sent = len(session.exec(select(OutboxMessage.id).where(OutboxMessage.status == "sent")).all())
    return f"{dict(states)}, audit event {chain_length(db)}, {sent} emails sent"


def test_twenty_kills_during_a_large_send_and_a_ballot_close_lose_and_double_nothing(
    database: Database, tmp_path: Path
) -> None:
    world = make_world(database, FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)), members=MEMBERS)
    vacancies = ballots_ready_to_close(world)
    closes_at = world.clock.now()
    rng = random.Random(7)
    landed = []

    def progress(kill: int) -> Callable[[], bool]:
        # The first kills land among the timers (one or two transitions in), the rest in the send.
        arrived = len(server.paths)
        if kill < TIMER_KILLS:
            # (Mail goes out once every due timer has fired: then the kill lands in the send.)
            target = chain_length(database) + rng.randint(1, 2)
            return lambda: chain_length(database) >= target or len(server.paths) > arrived
        target = arrived + rng.randint(30, 90)
        return lambda: len(server.paths) >= target

    with FaultyServer(tmp_path / "mail") as server:
        for kill in range(KILLS):
            # Each restart comes after the dead worker's leases have run out, as a real restart would.
            now = closes_at + kill * (LEASE + timedelta(seconds=1))
            worker = start_worker(
                database.url, server, now, mail_concurrency=str(CONCURRENCY),
                mail_lease_seconds=str(int(LEASE.total_seconds())),
            )  # fmt: skip
            wait_for(progress(kill), f"the worker to reach kill {kill + 1}'s point", timeout=300)
            time.sleep(rng.uniform(0, 0.02))  # then somewhere in the next step: a write, a send, a commit
            if worker.poll() is not None:
                pytest.fail(f"the worker was done before kill {kill + 1}:\n{worker.communicate()[0]}")
            os.kill(worker.pid, signal.SIGKILL)
            worker.communicate(timeout=30)
            landed.append(phase(database, vacancies))
        final = start_worker(database.url, server, closes_at + KILLS * (LEASE + timedelta(seconds=1)))
        output, _ = final.communicate(timeout=600)
        assert final.returncode == 0, output
        arrivals = received_ids(server)

    with database.transaction() as session:
        actions = Counter(
            session.exec(
                select(AuditEvent.entity_id, AuditEvent.action).where(AuditEvent.entity_type == "vacancy")
            ).all()
        )
        fired = Counter(
            session.exec(select(Timer.entity_id, Timer.trigger).where(Timer.status == "fired")).all()
        )
        pending = session.exec(select(Timer).where(Timer.status == "pending")).all()
        results = session.exec(select(ElectionResult.vacancy_id)).all()
        papers = Counter(session.exec(select(BallotPaper.vacancy_id)).all())
        outbox = session.exec(select(OutboxMessage.message_id, OutboxMessage.status)).all()
        states = {v: session.get_one(Vacancy, v).status for v in vacancies}
    assert states == dict.fromkeys(vacancies, "counted")
    for vid in vacancies:
        for trigger in ("close_voting", "count", "remind_voters"):
            # Exactly once per timer that fired it: no transition lost, none doubled.
            assert actions[(str(vid), trigger)] == fired[(vid, trigger)], (vid, trigger)
        assert actions[(str(vid), "close_voting")] == actions[(str(vid), "count")] == 1
    assert pending == []
    assert sorted(results) == sorted(vacancies)  # one count each
    assert papers == dict.fromkeys(vacancies, VOTERS)  # every ballot kept
    assert {status for _, status in outbox} == {"sent"}
    assert len(outbox) > 1_500  # the large send: calls, ballot papers, reminders
    assert set(arrivals) == {message_id for message_id, _ in outbox}  # every email at least once
    duplicates = sum(n - 1 for n in arrivals.values())
    summary = f"{len(outbox)} emails, {duplicates} delivered twice after {KILLS} kills"
    report(f"sigkill-{database.dialect}", [summary, "where each kill landed:", *landed])
    assert duplicates <= KILLS * CONCURRENCY  # at most the message each connection had in the air
    verified = verify(database)
    assert verified.ok, verified
