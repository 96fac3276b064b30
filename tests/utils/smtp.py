"""A capture server whose faults the test chooses: 4xx/5xx replies, dropped connections, delays, holds."""

from __future__ import annotations

import asyncio
import re
import threading
from collections import Counter, deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nominations.mail.capture import CaptureHandler, CaptureServer

DROP = "drop"


class FaultyHandler(CaptureHandler):
    """Saves what it accepts, like CaptureHandler, unless told to misbehave first."""

    def __init__(self, mail_dir: Path) -> None:
        super().__init__(mail_dir)
        self.arrivals = 0  # DATA commands seen, whatever became of them
        self.delay = 0.0
        self.hold_from: int | None = None
        self.reached = threading.Event()
        self.released = threading.Event()
        self.holding = 0
        self.sender_refusal: str | None = None  # the reply to every MAIL FROM, when set
        self._faults: deque[str] = deque()

    def reply_next(self, reply: str, count: int = 1) -> None:
        """Answer the next `count` messages with `reply` (e.g. "451 4.3.0 Try later")."""
        with self._lock:
            self._faults.extend([reply] * count)

    def drop_next(self, count: int = 1) -> None:
        """Take the next `count` messages' data, then cut the connection without a reply."""
        self.reply_next(DROP, count)

    def hold(self, number: int) -> None:
        """Keep message `number` (in arrival order) and every later one unanswered until release()."""
        self.hold_from = number

    def release(self) -> None:
        self.released.set()

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.sender_refusal:
            return self.sender_refusal
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.arrivals += 1
            number = self.arrivals
            fault = self._faults.popleft() if self._faults else None
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.hold_from is not None and number >= self.hold_from:
            await self._hold()
            if server.transport is None or server.transport.is_closing():
                return "421 4.4.2 Client went away"  # nobody hears a 250 now: never saved
        if fault == DROP:
            server.transport.abort()
            await asyncio.sleep(5)  # aiosmtpd cancels this handler when it sees the connection go
            return "421 4.4.2 Dropped"
        if fault is not None:
            return fault
        return self.accept(envelope.original_content)

    async def _hold(self) -> None:
        # Polls a thread-safe event: the test thread releases, this loop must stay cancellable.
        self.holding += 1
        self.reached.set()
        try:
            while not self.released.is_set():
                await asyncio.sleep(0.01)
        finally:
            self.holding -= 1


class FaultyServer(CaptureServer):
    handler: FaultyHandler

    def __init__(self, mail_dir: Path) -> None:
        super().__init__(mail_dir, handler=FaultyHandler(mail_dir))


MESSAGE_ID = re.compile(rb"^Message-ID: (\S+)", re.MULTILINE | re.IGNORECASE)


def received_ids(server: CaptureServer) -> Counter[str]:
    """How many times each Message-ID arrived (read from the saved files: tests count thousands)."""
    found: Counter[str] = Counter()
    for path in server.paths:
        match = MESSAGE_ID.search(path.read_bytes())
        assert match is not None, f"{path} has no Message-ID"
        found[match.group(1).decode()] += 1
    return found


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[FaultyServer]:
    """A running capture server on a free port, with no faults until the test asks."""
    with FaultyServer(tmp_path / "mail") as server:
        yield server
