"""Commands stop at start-up with one clear line when a setting is wrong, and work when it is right."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def nominations(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NOMINATIONS_")}
    return subprocess.run(
        [sys.executable, "-m", "nominations", *args],
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=cwd,
        timeout=60,
    )


@pytest.mark.parametrize("command", [["worker", "--once"], ["db", "init"]])
@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {"NOMINATIONS_SMTP_PORT": "twenty-five"},
            "settings: NOMINATIONS_SMTP_PORT='twenty-five': Input should be a valid integer, "
            "unable to parse string as an integer",
        ),
        (
            {"NOMINATIONS_SMTP_USERNAME": "relay"},
            "settings: NOMINATIONS_SMTP_PASSWORD is missing: "
            "it is needed when NOMINATIONS_SMTP_USERNAME is set",
        ),
    ],
)
def test_a_bad_setting_stops_start_up_with_one_line(
    tmp_path: Path, command: list[str], env: dict[str, str], line: str
) -> None:
    run = nominations(*command, env=env, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip() == line
    assert run.stdout == ""
    assert not (tmp_path / "nominations.db").exists()  # nothing was written


def test_db_init_then_an_idle_worker(tmp_path: Path) -> None:
    env = {"NOMINATIONS_DATABASE_URL": f"sqlite:///{tmp_path / 'n.db'}", "NOMINATIONS_SMTP_PORT": "1"}
    assert nominations("db", "init", env=env, cwd=tmp_path).returncode == 0
    run = nominations("worker", "--once", env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "timers fired 0, skipped 0, failed 0; mail sent 0, retried 0, failed 0"
