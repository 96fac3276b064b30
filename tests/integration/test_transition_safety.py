"""A refused or failing transition leaves nothing behind and says why; conflicts have one winner."""

from __future__ import annotations

import multiprocessing
import shutil
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.db.models import AuditEvent, Timer, Vacancy
from nominations.errors import ActionFailedError, ConflictError, GuardRefusedError
from nominations.mail.render import MailRenderer
from nominations.paths import templates_dir
from nominations.services.timers import fire_due_timers
from nominations.services.transitions import TransitionService
from nominations.services.workflows import WorkflowSet
from tests.integration.conftest import COORDINATOR, World, count, make_world, snapshot

FIXTURES = Path(__file__).parent.parent / "fixtures"


def service_with(
    world: World, *, workflows: WorkflowSet | None = None, renderer: MailRenderer | None = None
) -> TransitionService:
    base = world.app.transitions
    return TransitionService(
        base.db, base.clock, renderer or base.renderer, workflows or base.workflows, base.base_url
    )


def test_a_guard_that_refuses_writes_nothing_and_says_why(world: World) -> None:
    vid = world.request()
    service = service_with(world, workflows=WorkflowSet(FIXTURES / "engine"))
    before = snapshot(world.app.db)
    with pytest.raises(
        GuardRefusedError, match="cannot accept a vacancy that is requested: there are no more"
    ):
        service.fire(vid, "accept", actor=COORDINATOR)
    assert snapshot(world.app.db) == before
    with world.app.db.transaction() as session:
        assert session.get_one(Vacancy, vid).version == 1


def test_an_action_that_raises_rolls_the_whole_transition_back(world: World, tmp_path: Path) -> None:
    shutil.copytree(templates_dir(), tmp_path / "templates")
    broken = tmp_path / "templates" / "email" / "call_for_nominations" / "subject.txt"
    broken.write_text(broken.read_text() + "{{ vacancy.no_such_field }}")
    service = service_with(world, renderer=MailRenderer(tmp_path / "templates"))
    vid = world.request()
    world.fire(vid, "accept")
    before = snapshot(world.app.db)
    with pytest.raises(
        ActionFailedError, match=r"open_nominations on vacancy .* failed and was undone: .*no_such_field"
    ):
        service.fire(vid, "open_nominations", actor=COORDINATOR)
    assert snapshot(world.app.db) == before
    with world.app.db.transaction() as session:
        vacancy = session.get_one(Vacancy, vid)
        assert (vacancy.status, vacancy.version, vacancy.nominations_close_at) == ("accepted", 2, None)


def _race(world: World, vid: int) -> list[Any]:
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def attempt(trigger: str, reason: str | None) -> None:
        barrier.wait()
        try:
            results.append(
                world.app.transitions.fire(vid, trigger, actor=COORDINATOR, reason=reason, expected_version=1)
            )
        except ConflictError as exc:
            results.append(exc)

    threads = [
        threading.Thread(target=attempt, args=("accept", None)),
        threading.Thread(target=attempt, args=("decline", "Out of area")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_conflicting_triggers_at_once_have_exactly_one_winner(world: World) -> None:
    for _ in range(5):
        vid = world.request()
        results = _race(world, vid)
        winners = [r for r in results if not isinstance(r, Exception)]
        losers = [r for r in results if isinstance(r, ConflictError)]
        assert len(winners) == 1 and len(losers) == 1
        assert "changed by someone else" in str(losers[0]) and "reload it and try again" in str(losers[0])
        assert world.status(vid) == winners[0].to_state
        with world.app.db.transaction() as session:
            assert (
                count(
                    session, AuditEvent, AuditEvent.entity_type == "vacancy", AuditEvent.entity_id == str(vid)
                )
                == 2
            )  # request + the winner


def _fire_in_process(url: str, vid: int, trigger: str, reason: str | None, barrier: Any, out: Any) -> None:
    from datetime import UTC, datetime

    from nominations.bootstrap import build_app
    from nominations.settings import Settings

    app = build_app(Settings(database_url=url), clock=FakeClock(datetime(2026, 3, 2, tzinfo=UTC)))
    barrier.wait()
    try:
        outcome = app.transitions.fire(vid, trigger, actor=COORDINATOR, reason=reason, expected_version=1)
        out.put(("won", outcome.to_state))
    except ConflictError as exc:
        out.put(("conflict", str(exc)))
    finally:
        app.db.dispose()


@pytest.mark.postgres
@pytest.mark.slow
def test_two_processes_on_postgresql_have_exactly_one_winner(postgres_db: Database, clock: FakeClock) -> None:
    world = make_world(postgres_db, clock)
    context = multiprocessing.get_context("spawn")
    for _ in range(3):
        vid = world.request()
        barrier, out = context.Barrier(2), context.Queue()
        procs = [
            context.Process(target=_fire_in_process, args=(postgres_db.url, vid, t, r, barrier, out))
            for t, r in [("accept", None), ("decline", "Out of area")]
        ]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        results = sorted(out.get(timeout=5)[0] for _ in procs)
        assert results == ["conflict", "won"]
        with postgres_db.transaction() as session:
            assert (
                count(
                    session, AuditEvent, AuditEvent.entity_type == "vacancy", AuditEvent.entity_id == str(vid)
                )
                == 2
            )


def test_timers_fired_from_several_threads_fire_exactly_once(world: World) -> None:
    vids = []
    for _ in range(8):
        vid = world.request()
        world.fire(vid, "accept")
        world.fire(vid, "open_nominations")
        vids.append(vid)
    world.clock.advance(timedelta(days=22))
    threads = [threading.Thread(target=fire_due_timers, args=(world.app.transitions,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with world.app.db.transaction() as session:
        assert count(session, Timer, col(Timer.status) == "pending") == 0
        for vid in vids:
            assert session.get_one(Vacancy, vid).status == "no_valid_nominations"
            actions = session.exec(
                select(AuditEvent.action).where(
                    AuditEvent.entity_type == "vacancy", AuditEvent.entity_id == str(vid)
                )
            ).all()
            assert sorted(actions) == sorted(
                [
                    "request",
                    "accept",
                    "open_nominations",
                    "remind_nominators",
                    "remind_nominators",
                    "close_nominations",
                    "tally_nominations",
                ]
            )
