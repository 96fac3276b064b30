"""The outbox dispatcher against a real SMTP server, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import pytest
from sqlmodel import col, select

from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.db.models import OutboxMessage
from nominations.mail.capture import free_port
from nominations.mail.dispatch import OutboxDispatcher
from nominations.mail.outbox import RetryPolicy, failed_messages, pending_count, queue_mail
from nominations.mail.render import RenderedMail
from nominations.mail.transport import SmtpConfig
from tests.utils.smtp import FaultyServer, received_ids, smtp_server

__all__ = ["smtp_server"]  # the fixture


def queue(db: Database, clock: FakeClock, count: int, to_email: str = "") -> list[str]:
    """Queue `count` messages in one transaction; return their Message-IDs."""
    with db.transaction() as session:
        rows = [
            queue_mail(
                session,
                now=clock.now(),
                entity_type="vacancy",
                entity_id=1,
                template="ballot_open",
                to_name=f"Contact {i}",
                to_email=to_email or f"contact{i}@org.example",
                rendered=RenderedMail(f"Ballot {i}", f"Text {i}\n", f"<p>HTML {i}</p>\n"),
            )
            for i in range(count)
        ]
        return [row.message_id for row in rows]


def dispatcher(
    db: Database, clock: FakeClock, port: int, worker_id: str = "w1", timeout: float = 5, **options: object
) -> OutboxDispatcher:
    config = SmtpConfig(host="127.0.0.1", port=port, timeout=timeout, mail_from="network@example.org")
    return OutboxDispatcher(db, clock, config, worker_id=worker_id, **options)  # type: ignore[arg-type]


def rows(db: Database) -> dict[str, OutboxMessage]:
    with db.transaction() as session:
        return {r.message_id: r for r in session.exec(select(OutboxMessage)).all()}


async def test_every_message_is_sent_once_over_a_few_reused_connections(
    db: Database, clock: FakeClock, smtp_server: FaultyServer
) -> None:
    ids = queue(db, clock, 50)

    report = await dispatcher(db, clock, smtp_server.port, concurrency=4).run_until_idle()

    assert (report.sent, report.retried, report.failed) == (50, 0, 0)
    assert received_ids(smtp_server) == {i: 1 for i in ids}
    assert 1 <= smtp_server.connections <= 4  # one connect per connection, not per message
    assert all(
        r.status == "sent" and r.sent_at == clock.now() and r.claimed_by is None for r in rows(db).values()
    )
    with db.transaction() as session:
        assert pending_count(session) == 0
    first = smtp_server.messages[0]
    assert [p.get_content_type() for p in first.iter_parts()] == ["text/plain", "text/html"]


async def test_a_451_reply_retries_later_with_a_growing_backoff(
    db: Database, clock: FakeClock, smtp_server: FaultyServer
) -> None:
    [mid] = queue(db, clock, 1)
    smtp_server.handler.reply_next("451 4.3.0 Mailbox busy, try later", count=2)
    worker = dispatcher(db, clock, smtp_server.port)
    start = clock.now()

    report = await worker.send_due()

    row = rows(db)[mid]
    assert (report.sent, report.retried) == (0, 1)
    assert (row.status, row.attempts, row.next_attempt_at) == ("queued", 1, start + timedelta(minutes=1))
    assert row.last_error is not None and "451" in row.last_error and "Mailbox busy" in row.last_error
    assert row.claimed_by is None and row.claimed_until is None
    assert (await worker.run_until_idle()).sent == 0  # not due yet

    clock.advance(timedelta(minutes=1))
    await worker.run_until_idle()
    assert rows(db)[mid].next_attempt_at == clock.now() + timedelta(minutes=2)

    clock.advance(timedelta(minutes=2))
    report = await worker.run_until_idle()

    assert report.sent == 1 and received_ids(smtp_server) == {mid: 1}
    assert (rows(db)[mid].status, rows(db)[mid].attempts) == ("sent", 2)


async def test_temporary_failures_give_up_after_max_attempts(
    db: Database, clock: FakeClock, smtp_server: FaultyServer
) -> None:
    [mid] = queue(db, clock, 1)
    smtp_server.handler.reply_next("421 4.7.0 Try again", count=3)
    worker = dispatcher(db, clock, smtp_server.port, policy=RetryPolicy(max_attempts=3))

    for _ in range(3):
        await worker.run_until_idle()
        clock.advance(timedelta(hours=6))

    row = rows(db)[mid]
    assert (row.status, row.attempts, row.sent_at) == ("failed", 3, None)
    assert row.last_error == "gave up after 3 attempts: 421 4.7.0 Try again"
    assert received_ids(smtp_server) == {}


async def test_a_550_reply_fails_the_message_for_good(
    db: Database, clock: FakeClock, smtp_server: FaultyServer
) -> None:
    bad, good = queue(db, clock, 2)
    smtp_server.handler.reply_next("550 5.1.1 No such mailbox here")
    worker = dispatcher(db, clock, smtp_server.port, concurrency=1)

    report = await worker.run_until_idle()
    clock.advance(timedelta(days=2))
    later = await worker.run_until_idle()

    assert (report.sent, report.failed, later.sent, later.failed) == (1, 1, 0, 0)
    row = rows(db)[bad]
    assert (row.status, row.attempts, row.sent_at) == ("failed", 1, None)
    assert row.last_error == "550 5.1.1 No such mailbox here"
    assert received_ids(smtp_server) == {good: 1}
    with db.transaction() as session:
        assert [r.message_id for r in failed_messages(session)] == [bad]


async def test_a_refused_sender_is_a_setup_problem_so_the_message_waits(
    db: Database, clock: FakeClock, smtp_server: FaultyServer
) -> None:
    [mid] = queue(db, clock, 1)
    smtp_server.handler.sender_refusal = "553 5.7.1 Sender address not allowed"

    report = await dispatcher(db, clock, smtp_server.port).run_until_idle()

    row = rows(db)[mid]
    assert (report.retried, report.failed) == (1, 0)
    assert (row.status, row.last_error) == ("queued", "553 5.7.1 Sender address not allowed")


def test_the_backoff_doubles_from_a_minute_up_to_six_hours() -> None:
    delays = [RetryPolicy().delay(n) for n in (1, 2, 3, 9, 10)]

    assert delays[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert delays[3:] == [timedelta(hours=4, minutes=16), timedelta(hours=6)]


async def test_an_invalid_address_fails_without_touching_the_server(
    db: Database, clock: FakeClock, smtp_server: FaultyServer
) -> None:
    [mid] = queue(db, clock, 1, to_email="not an address")

    report = await dispatcher(db, clock, smtp_server.port).run_until_idle()

    assert report.failed == 1 and smtp_server.connections == 0
    row = rows(db)[mid]
    assert row.status == "failed" and "'not an address' is not an email address" in str(row.last_error)


async def test_a_connection_dropped_mid_message_is_retried_not_marked_sent(
    db: Database, clock: FakeClock, smtp_server: FaultyServer
) -> None:
    ids = queue(db, clock, 3)
    smtp_server.handler.drop_next()
    worker = dispatcher(db, clock, smtp_server.port, concurrency=1)

    report = await worker.run_until_idle()

    assert (report.sent, report.retried) == (2, 1)
    dropped = next(r for r in rows(db).values() if r.status != "sent")
    assert (dropped.status, dropped.attempts, dropped.sent_at) == ("queued", 1, None)
    assert "SMTPServerDisconnected" in str(dropped.last_error)
    assert dropped.message_id not in received_ids(smtp_server)
    assert smtp_server.connections == 2  # reconnected for the next message

    clock.advance(timedelta(minutes=1))
    await worker.run_until_idle()
    assert received_ids(smtp_server) == {i: 1 for i in ids}


async def test_with_the_server_down_everything_stays_queued_with_an_error(
    db: Database, clock: FakeClock
) -> None:
    ids = queue(db, clock, 6)

    report = await dispatcher(db, clock, free_port(), concurrency=2).run_until_idle()

    assert report.sent == 0 and report.failed == 0
    assert (report.retried, report.deferred) == (2, 4)  # two connections tried, the rest handed back
    for mid, row in rows(db).items():
        assert mid in ids and row.status == "queued" and row.sent_at is None
        assert row.claimed_by is None and row.next_attempt_at is not None
        assert row.next_attempt_at > clock.now() and "SMTPConnect" in str(row.last_error)


async def test_a_lease_too_short_to_send_in_hands_messages_back_untried(
    db: Database, clock: FakeClock, smtp_server: FaultyServer
) -> None:
    queue(db, clock, 3)

    report = await dispatcher(db, clock, smtp_server.port, lease=timedelta(seconds=5)).run_until_idle()

    assert (report.sent, report.deferred) == (0, 3)
    assert smtp_server.connections == 0
    assert all(r.claimed_by is None and r.attempts == 0 for r in rows(db).values())


def test_a_lease_keeps_others_off_until_it_expires_and_the_stale_holder_loses(
    db: Database, clock: FakeClock
) -> None:
    queue(db, clock, 5)
    first, second = dispatcher(db, clock, 1, "first"), dispatcher(db, clock, 1, "second")
    with db.transaction() as session:
        assert len(first.claim(session)) == 5
    with db.transaction() as session:
        assert second.claim(session) == []

    clock.advance(timedelta(minutes=5, seconds=1))
    with db.transaction() as session:
        taken = second.claim(session)

    assert {r.claimed_by for r in taken} == {"second"} and len(taken) == 5
    assert {r.claimed_by for r in rows(db).values()} == {"second"}


def claim_race(db: Database, clock: FakeClock, workers: list[OutboxDispatcher]) -> list[list[int]]:
    """Each worker claims in its own thread, all starting together, until nothing is left."""
    start = threading.Barrier(len(workers))
    taken: list[list[int]] = [[] for _ in workers]

    def run(index: int) -> None:
        start.wait()
        while True:
            with db.transaction() as session:
                batch = workers[index].claim(session)
            if not batch:
                return
            taken[index].extend(r.id for r in batch if r.id is not None)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return taken


def test_concurrent_claims_never_take_the_same_message(db: Database, clock: FakeClock) -> None:
    queue(db, clock, 300)
    workers = [dispatcher(db, clock, 1, f"w{i}", batch=7) for i in range(3)]

    taken = claim_race(db, clock, workers)

    everything = [i for ids in taken for i in ids]
    assert len(everything) == len(set(everything)) == 300
    assert sum(1 for ids in taken if ids) >= 2, "the claims should really have raced"
    with db.transaction() as session:
        owner = {r.id: r.claimed_by for r in session.exec(select(OutboxMessage)).all()}
    assert all(owner[i] == f"w{n}" for n, ids in enumerate(taken) for i in ids)


def test_a_claim_skips_rows_another_worker_has_locked_without_waiting(db: Database, clock: FakeClock) -> None:
    if db.dialect != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises whole transactions")
    queue(db, clock, 20)
    result: list[list[int]] = []
    with db.transaction() as holder:
        locked = holder.exec(
            select(OutboxMessage.id).order_by(col(OutboxMessage.id)).limit(10).with_for_update()
        ).all()
        worker = dispatcher(db, clock, 1, "other")

        def claim() -> None:
            with db.transaction() as session:
                result.append([r.id for r in worker.claim(session) if r.id is not None])

        thread = threading.Thread(target=claim)
        thread.start()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the claim waited for another worker's locks"

    assert len(result[0]) == 10 and not set(result[0]) & set(locked)


def test_two_workers_sending_at_once_deliver_each_message_once(
    db: Database, clock: FakeClock, smtp_server: FaultyServer
) -> None:
    ids = queue(db, clock, 60)
    workers = [dispatcher(db, clock, smtp_server.port, f"w{i}", batch=5) for i in range(2)]
    start = threading.Barrier(2)
    sent = [0, 0]

    def run(index: int) -> None:
        start.wait()
        sent[index] = asyncio.run(workers[index].run_until_idle()).sent

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(sent) == 60 and all(sent)
    assert received_ids(smtp_server) == {i: 1 for i in ids}
    assert all(r.status == "sent" for r in rows(db).values())
