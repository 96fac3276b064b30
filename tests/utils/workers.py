"""`nominations worker` as its own process against a test database, and what its mail server received."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tests.utils.smtp import FaultyServer

ROOT = Path(__file__).resolve().parents[2]


def start_worker(url: str, server: FaultyServer, now: datetime, **settings: str) -> subprocess.Popen[str]:
    """`nominations worker --once` at the frozen time `now`; `settings` are extra NOMINATIONS_* values."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("NOMINATIONS_")},
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "NOMINATIONS_DATABASE_URL": url,
        "NOMINATIONS_SMTP_HOST": "127.0.0.1",
        "NOMINATIONS_SMTP_PORT": str(server.port),
        "NOMINATIONS_MAIL_FROM": "network@example.org",
        "NOMINATIONS_FROZEN_CLOCK": now.isoformat(),
        **{f"NOMINATIONS_{name.upper()}": value for name, value in settings.items()},
    }
    return subprocess.Popen(
        [sys.executable, "-m", "nominations", "worker", "--once"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Poll `condition` until it holds; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.002)


def report(name: str, lines: list[str]) -> Path:
    """Keep a fault test's figures (kills, duplicates, lock waits) in artifacts/faults/NAME.txt for CI."""
    path = ROOT / "artifacts" / "faults" / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n" + "\n".join(lines))
    return path
