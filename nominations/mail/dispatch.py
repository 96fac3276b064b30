"""The outbox worker: claim due messages, send them over a few reused SMTP connections."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from datetime import timedelta
from functools import partial
from typing import TypeVar

from sqlmodel import Session

from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import OutboxMessage
from nominations.mail import outbox
from nominations.mail.message import InvalidAddressError, build_message
from nominations.mail.transport import (
    DeliveryError,
    PermanentDeliveryError,
    ServerUnavailableError,
    SmtpConfig,
    SmtpConnection,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class DispatchReport:
    """What one or more passes did; `deferred` were claimed, then handed back untried."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0

    def __add__(self, other: DispatchReport) -> DispatchReport:
        sums = (getattr(self, f.name) + getattr(other, f.name) for f in fields(self))
        return DispatchReport(*sums)


def _key(row: OutboxMessage) -> int:
    assert row.id is not None  # claimed rows always come from the database
    return row.id


class _DbThread:
    """Runs units of work, one transaction each, on one thread beside the event loop."""

    def __init__(self, db: Database, executor: ThreadPoolExecutor) -> None:
        self.db, self.executor = db, executor

    async def run(self, work: Callable[[Session], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.executor, self._run, work)

    def _run(self, work: Callable[[Session], T]) -> T:
        with self.db.transaction() as session:
            return work(session)


class OutboxDispatcher:
    """Sends due outbox messages; several may run at once, in one process or many."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        config: SmtpConfig,
        *,
        worker_id: str,
        concurrency: int = 4,
        lease: timedelta = timedelta(minutes=5),
        batch: int = 200,
        policy: outbox.RetryPolicy = outbox.RetryPolicy(),  # noqa: B008  (frozen, shared safely)
    ) -> None:
        self.db, self.clock, self.config, self.worker_id = db, clock, config, worker_id
        self.concurrency, self.lease, self.batch, self.policy = concurrency, lease, batch, policy

    def claim(self, session: Session) -> list[OutboxMessage]:
        """Lease a batch of due messages to this worker (call in a short transaction of its own)."""
        return outbox.claim_due(
            session,
            now=self.clock.now(),
            worker_id=self.worker_id,
            lease=self.lease,
            limit=self.batch,
            skip_locked=self.db.dialect == "postgresql",
        )

    async def run_until_idle(self) -> DispatchReport:
        """Pass after pass until a pass finds nothing it can do now."""
        total = DispatchReport()
        while True:
            report = await self.send_due()
            total += report
            if not (report.sent or report.retried or report.failed):
                return total

    async def send_due(self) -> DispatchReport:
        """Claim one batch and send it; every outcome is committed as soon as it is known."""
        # Database calls block (SQLite may wait on another process's write lock), so they run
        # off the event loop; one thread keeps this worker's own commits from contending.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-db") as executor:
            db = _DbThread(self.db, executor)
            claimed = await db.run(self.claim)
            queue: asyncio.Queue[OutboxMessage] = asyncio.Queue()
            for row in claimed:
                queue.put_nowait(row)
            report = DispatchReport()
            try:
                async with asyncio.TaskGroup() as group:
                    senders = [
                        group.create_task(self._sender(queue, report, db))
                        for _ in range(min(self.concurrency, len(claimed)))
                    ]
            except ExceptionGroup as failure:
                raise failure.exceptions[0] from None  # a database error: stop, leases expire
            down = next((s.result() for s in senders if s.result() is not None), "")
            while not queue.empty():  # every connection failed: hand the rest back untried
                row = queue.get_nowait()
                await self._release(db, row, report, f"not tried: {down}", delay=True)
        return report

    async def _sender(
        self, queue: asyncio.Queue[OutboxMessage], report: DispatchReport, db: _DbThread
    ) -> str | None:
        """Feed one connection from the queue; return why it stopped early, if it did."""
        connection = SmtpConnection(self.config)
        try:
            while not queue.empty():
                try:
                    await self._deliver(queue.get_nowait(), connection, report, db)
                except ServerUnavailableError as exc:
                    return str(exc)
            return None
        finally:
            await connection.quit()

    async def _deliver(
        self, row: OutboxMessage, connection: SmtpConnection, report: DispatchReport, db: _DbThread
    ) -> None:
        assert row.claimed_until is not None  # set by claim()
        now = self.clock.now()
        if row.claimed_until - now <= timedelta(seconds=self.config.timeout):
            # Past here another worker could take the message over while we still send it.
            return await self._release(db, row, report, "lease ran short", delay=False)
        try:
            await connection.send(
                build_message(
                    mail_from=self.config.mail_from,
                    to_name=row.to_name,
                    to_email=row.to_email,
                    subject=row.subject,
                    text=row.text_body,
                    html=row.html_body,
                    message_id=row.message_id,
                    date=now,
                    attachments=row.attachments,
                )
            )
        except InvalidAddressError as exc:
            return await self._record_failure(db, row, report, PermanentDeliveryError(str(exc)))
        except DeliveryError as exc:
            await self._record_failure(db, row, report, exc)
            if isinstance(exc, ServerUnavailableError):
                raise
            return
        # Committed at once, alone: a crash between the server's acceptance and this commit is
        # the one window in which a message can be sent twice; keep it as short as possible.
        await db.run(partial(outbox.mark_sent, outbox_id=_key(row), now=self.clock.now()))
        report.sent += 1

    async def _record_failure(
        self, db: _DbThread, row: OutboxMessage, report: DispatchReport, exc: DeliveryError
    ) -> None:
        status = await db.run(
            partial(
                outbox.record_failure,
                outbox_id=_key(row),
                worker_id=self.worker_id,
                now=self.clock.now(),
                error=str(exc),
                permanent=isinstance(exc, PermanentDeliveryError),
                policy=self.policy,
            )
        )
        log.warning("outbox %s %s: %s", row.message_id, status or "taken over", exc)
        if status == "failed":
            report.failed += 1
        elif status == "queued":
            report.retried += 1

    async def _release(
        self, db: _DbThread, row: OutboxMessage, report: DispatchReport, error: str, *, delay: bool
    ) -> None:
        due = self.clock.now() + (self.policy.base if delay else timedelta(0))
        await db.run(
            partial(outbox.release, outbox_id=_key(row), worker_id=self.worker_id, error=error, due=due)
        )
        report.deferred += 1
