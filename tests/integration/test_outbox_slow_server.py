"""A slow SMTP server: within the timeout the mail goes; past it, the mail stays queued and is retried."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from nominations.clock import FakeClock
from nominations.db.engine import Database
from tests.integration.test_outbox_dispatch import dispatcher, queue, rows
from tests.utils.smtp import FaultyServer, received_ids, smtp_server

__all__ = ["smtp_server"]  # the fixture


async def test_a_slow_server_within_the_timeout_gets_every_message_once(
    db: Database, clock: FakeClock, smtp_server: FaultyServer
) -> None:
    ids = queue(db, clock, 4)
    smtp_server.handler.delay = 0.5  # each reply half a second late; the timeout is 5 s

    report = await dispatcher(db, clock, smtp_server.port, concurrency=2).run_until_idle()

    assert (report.sent, report.retried, report.failed) == (4, 0, 0)
    assert received_ids(smtp_server) == {i: 1 for i in ids}


async def test_a_reply_later_than_the_timeout_is_not_taken_for_acceptance(
    db: Database, clock: FakeClock, smtp_server: FaultyServer
) -> None:
    [mid] = queue(db, clock, 1)
    smtp_server.handler.delay = 2.0
    worker = dispatcher(db, clock, smtp_server.port, timeout=0.5)

    report = await worker.run_until_idle()

    row = rows(db)[mid]
    assert (report.sent, report.retried) == (0, 1)
    assert (row.status, row.attempts, row.sent_at) == ("queued", 1, None)  # never marked sent
    assert "Timeout" in str(row.last_error) or "timed out" in str(row.last_error).lower()
    assert row.next_attempt_at == clock.now() + timedelta(minutes=1)  # the backoff's first step

    await asyncio.sleep(2.0)  # the slow server finishes its reply to nobody
    late = received_ids(smtp_server)[mid]  # it may have kept the message: SMTP's one blind spot
    smtp_server.handler.delay = 0
    clock.advance(timedelta(minutes=1))
    assert (await worker.run_until_idle()).sent == 1
    assert rows(db)[mid].status == "sent"
    assert received_ids(smtp_server)[mid] == late + 1  # the retry arrived; at most one copy more
