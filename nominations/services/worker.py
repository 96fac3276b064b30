"""The worker: fires due timers and sends queued mail, until idle or for ever."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError

from nominations.errors import DatabaseUnavailableError
from nominations.mail.dispatch import OutboxDispatcher
from nominations.services.timers import TimerReport, fire_due_timers
from nominations.services.transitions import TransitionService

if TYPE_CHECKING:
    from nominations.bootstrap import Term


def worker_id() -> str:
    """Unique among live workers: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class WorkerReport:
    timers: TimerReport
    sent: int = 0
    retried: int = 0
    failed: int = 0


class Worker:
    def __init__(
        self, service: TransitionService, dispatcher: OutboxDispatcher, term: Term | None = None
    ) -> None:
        self.service = service
        self.dispatcher = dispatcher
        self.term = term

    def _sweep(self) -> int:
        # Work that no single timer owns: overdue report-backs and the members' digests.
        if self.term is None:
            return 0
        return self.term.report_backs.chase() + self.term.digests.send_due()

    async def run_until_idle(self) -> WorkerReport:
        """Fire timers and send mail until nothing is due now; timers may queue more mail."""
        report = WorkerReport(timers=TimerReport())
        while True:
            fired = await asyncio.to_thread(fire_due_timers, self.service)
            swept = await asyncio.to_thread(self._sweep)
            sent = await self.dispatcher.run_until_idle()
            report.timers.fired += fired.fired
            report.timers.skipped += fired.skipped
            report.timers.failed += fired.failed
            report.sent += sent.sent
            report.retried += sent.retried
            report.failed += sent.failed
            if fired.total == 0 and swept == 0:
                return report

    async def run_forever(self, poll_seconds: float) -> None:
        """Poll for due work; a killed worker loses nothing (claims are transactional or leased)."""
        while True:
            try:
                await self.run_until_idle()
            except (DatabaseUnavailableError, OperationalError) as exc:
                # The unit of work in hand was rolled back (or its claim will lapse): wait, go again.
                print(
                    f"worker: database unavailable, trying again in {poll_seconds:g} s: {exc}",
                    file=sys.stderr,
                )
            await asyncio.sleep(poll_seconds)
