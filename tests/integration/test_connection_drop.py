"""The database connection cut mid-transaction: the transition is retried or refused, never half-written.

PostgreSQL only: a SQLite database is a file in the same process, with no connection to lose.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlmodel import select

from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.db.models import Timer, Vacancy
from nominations.errors import DatabaseUnavailableError
from nominations.services.timers import fire_due_timers
from tests.integration.conftest import COORDINATOR, World, make_world, snapshot
from tests.utils.dropper import Dropper


@pytest.fixture
def world(postgres_db: Database, clock: FakeClock) -> Iterator[World]:
    yield make_world(postgres_db, clock)


def state(world: World, vacancy_id: int) -> tuple[str, int]:
    with world.app.db.transaction() as session:
        vacancy = session.get_one(Vacancy, vacancy_id)
        return vacancy.status, vacancy.version


def call_closing_now(world: World) -> int:
    """A vacancy whose call for nominations closes now: its timers are due."""
    vid = accepted(world)
    world.fire(vid, "open_nominations")
    with world.app.db.transaction() as session:
        deadline = session.get_one(Vacancy, vid).nominations_close_at
    assert deadline is not None
    world.clock.set(deadline)
    return vid


def accepted(world: World) -> int:
    vid = world.request()
    world.fire(vid, "accept")
    return vid


def written_by(world: World, vacancy_id: int, dropper: Dropper | None) -> dict[str, int]:
    """What opening the call wrote (audit events, timers, mail), with `dropper` cutting in or not."""
    before = snapshot(world.app.db)
    with dropper or contextlib.nullcontext():
        outcome = world.app.transitions.fire(vacancy_id, "open_nominations", actor=COORDINATOR)
    assert outcome.to_state == "nominations_open"
    after = snapshot(world.app.db)
    return {name: after[name] - before[name] for name in after}


@pytest.mark.parametrize("at", ["UPDATE vacancy", "INSERT INTO outboxmessage", "FROM audit_head"])
def test_a_cut_before_the_commit_is_retried_once_on_a_new_connection_and_done_once(
    world: World, at: str
) -> None:
    clean = written_by(world, accepted(world), None)
    assert clean == {"audit": 1, "timers": 3, "outbox": 6}  # the close, two reminders; the call to six
    vid = accepted(world)
    dropper = Dropper(world.app.db, at)
    assert written_by(world, vid, dropper) == clean  # not lost, not doubled
    assert dropper.dropped == 1
    assert state(world, vid) == ("nominations_open", 3)


def test_a_connection_that_stays_down_is_refused_and_nothing_is_written(world: World) -> None:
    vid = accepted(world)
    before = snapshot(world.app.db)
    with (
        Dropper(world.app.db, "INSERT INTO outboxmessage", times=2),
        pytest.raises(DatabaseUnavailableError, match="nothing was saved, so try again") as refused,
    ):
        world.app.transitions.fire(vid, "open_nominations", actor=COORDINATOR)
    assert not refused.value.committing
    assert state(world, vid) == ("accepted", 2)
    assert snapshot(world.app.db) == before
    # And when the database answers again, the same transition goes through.
    assert world.fire(vid, "open_nominations") == "nominations_open"


def test_a_cut_during_the_commit_is_not_retried_and_says_to_reload(world: World) -> None:
    vid = accepted(world)
    before = snapshot(world.app.db)
    with (
        Dropper(world.app.db, "COMMIT") as dropper,
        pytest.raises(DatabaseUnavailableError, match="reload to see whether it was saved"),
    ):
        world.app.transitions.fire(vid, "open_nominations", actor=COORDINATOR)
    assert dropper.dropped == 1
    # The server never saw the COMMIT, so it rolled back: all of it, not half.
    assert state(world, vid) == ("accepted", 2)
    assert snapshot(world.app.db) == before


def test_a_timer_whose_connection_drops_stays_due_and_fires_once_on_the_next_pass(world: World) -> None:
    vid = call_closing_now(world)
    before = snapshot(world.app.db)
    with Dropper(world.app.db, "UPDATE vacancy"), pytest.raises(DatabaseUnavailableError):
        fire_due_timers(world.app.transitions)
    assert snapshot(world.app.db) == before and state(world, vid)[0] == "nominations_open"
    fire_due_timers(world.app.transitions)
    assert state(world, vid)[0] == "no_valid_nominations"
    with world.app.db.transaction() as session:
        timers = Counter(session.exec(select(Timer.name, Timer.status).where(Timer.entity_id == vid)).all())
    assert timers == {
        ("close_nominations", "fired"): 1,
        ("nomination_reminder", "fired"): 2,
        ("tally_nominations", "fired"): 1,
    }


def test_the_worker_loop_outlives_a_dropped_connection(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    vid = call_closing_now(world)
    worker = world.app.worker()

    async def run_for_a_while() -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(worker.run_forever(poll_seconds=0.1), timeout=3)

    with Dropper(world.app.db, "UPDATE vacancy") as dropper:
        asyncio.run(run_for_a_while())
    assert dropper.dropped == 1
    assert "worker: database unavailable, trying again in 0.1 s" in capsys.readouterr().err
    assert state(world, vid)[0] == "no_valid_nominations"
