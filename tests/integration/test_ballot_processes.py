"""On PostgreSQL, 200 casts from four processes with duplicated tokens: one ballot per token, none lost."""

from __future__ import annotations

import multiprocessing
import re
import threading
from collections import Counter
from typing import Any

import pytest
from sqlmodel import col, select

from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.db.models import AuditEvent, BallotPaper, OutboxMessage, Vacancy, VoteRecord
from tests.integration.conftest import OPEN_SEAT, count, make_world


def _caster(url: str, now: str, tokens: list[str], choice: int, barrier: Any, out: Any) -> None:
    from datetime import datetime

    from nominations.bootstrap import build_app
    from nominations.services.access import LinkError
    from nominations.settings import Settings

    app = build_app(Settings(database_url=url), clock=FakeClock(datetime.fromisoformat(now)))
    outcomes: list[str] = []

    def cast(token: str) -> None:
        try:
            app.balloting.cast(token, [choice])
            outcomes.append("cast")
        except LinkError as exc:
            outcomes.append(exc.kind)
        except Exception as exc:  # anything else is a failure the test must see
            outcomes.append(f"error: {exc!r}")

    threads = [threading.Thread(target=cast, args=(token,)) for token in tokens]
    barrier.wait()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    app.db.dispose()
    out.put(outcomes)


@pytest.mark.postgres
@pytest.mark.slow
def test_duplicated_tokens_from_four_processes_leave_one_ballot_per_token(
    postgres_db: Database, clock: FakeClock
) -> None:
    db, url = postgres_db, postgres_db.url
    world = make_world(db, clock)
    vid = world.request(overrides=OPEN_SEAT)
    world.fire(vid, "accept")
    world.fire(vid, "open_nominations")
    nid = world.nominate(vid, 0, "Ann Able")
    world.nominate(vid, 1, "Bob Baker")
    with db.transaction() as session:
        deadline = session.get_one(Vacancy, vid).nominations_close_at
        assert deadline is not None
    clock.set(deadline)
    world.fire_timers()
    with db.transaction() as session:
        bodies = session.exec(select(OutboxMessage.text_body).where(OutboxMessage.template == "ballot_open"))
        tokens = [re.search(r"/ballot/(\S+)", b).group(1) for b in bodies]  # type: ignore[union-attr]
    assert len(tokens) == 6
    context = multiprocessing.get_context("spawn")
    barrier, out = context.Barrier(4), context.Queue()
    procs = [
        context.Process(
            target=_caster,
            args=(
                url,
                clock.now().isoformat(),
                [tokens[(p + i) % 6] for i in range(50)],
                nid,
                barrier,
                out,
            ),
        )
        for p in range(4)
    ]
    for p in procs:
        p.start()
    outcomes = Counter(o for _ in procs for o in out.get(timeout=120))
    for p in procs:
        p.join(60)
    assert outcomes == Counter({"cast": 6, "used": 194}), outcomes
    with db.transaction() as session:
        assert count(session, BallotPaper, BallotPaper.vacancy_id == vid) == 6
        assert count(session, VoteRecord, VoteRecord.vacancy_id == vid) == 6
        assert count(session, AuditEvent, col(AuditEvent.action) == "vote") == 6
