"""A real SMTP server that keeps every message it accepts as a `.eml` file: for the demo and tests."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller


class CaptureHandler:
    """aiosmtpd handler: numbers accepted messages in arrival order and writes them to `mail_dir`."""

    def __init__(self, mail_dir: Path) -> None:
        self.mail_dir = mail_dir
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.connections = 0
        self.paths: list[Path] = []
        self._lock = threading.Lock()  # the server thread writes, the caller's thread reads
        existing = [int(p.stem) for p in mail_dir.glob("*.eml") if p.stem.isdigit()]
        self._next = max(existing, default=0) + 1

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self._greeted(session, hostname)
        return responses

    async def handle_HELO(self, server: Any, session: Any, envelope: Any, hostname: str) -> str:
        self._greeted(session, hostname)
        return f"250 {server.hostname}"

    def _greeted(self, session: Any, hostname: str) -> None:
        # A session greets once (again only after STARTTLS), so first greetings count connections.
        if session.host_name is None:
            with self._lock:
                self.connections += 1
        session.host_name = hostname

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return self.accept(envelope.original_content)

    def saved(self) -> list[Path]:
        with self._lock:
            return list(self.paths)

    def accept(self, content: bytes) -> str:
        """Keep the message and return the acceptance reply."""
        with self._lock:
            path = self.mail_dir / f"{self._next:06d}.eml"
            self._next += 1
            partial = path.with_suffix(".part")  # a reader never sees half a message
            partial.write_bytes(content)
            partial.replace(path)
            self.paths.append(path)
        return f"250 OK: saved as {path.name}"


class CaptureServer:
    """Runs a CaptureHandler (or a subclass) on aiosmtpd's Controller, in its own thread."""

    def __init__(
        self,
        mail_dir: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        handler: CaptureHandler | None = None,
    ) -> None:
        self.host = host
        # The Controller checks it is up by connecting to its own port, so it needs a real one.
        self.port = port or free_port(host)
        self.handler = handler or CaptureHandler(mail_dir)
        self._controller = Controller(
            self.handler, hostname=host, port=self.port, server_hostname="nominations-capture"
        )

    @property
    def connections(self) -> int:
        return self.handler.connections

    @property
    def paths(self) -> list[Path]:
        """The saved files, in arrival order."""
        return self.handler.saved()

    @property
    def messages(self) -> list[EmailMessage]:
        """Every accepted message, parsed, in arrival order."""
        return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in self.paths]

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
