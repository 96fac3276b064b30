"""`bench/run --quick` writes a RESULTS.md with every table filled, so the benchmarks cannot rot unseen.

SQLite only, unless NOMINATIONS_TEST_POSTGRES_URL names a server: then its rows must be there too.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
NUMBER = re.compile(r"^\d[\d,]*(\.\d+)?( ms| s)?$")
# Each table's title, and the settings its rows must cover on each database.
TABLES = {
    "Durable transitions per second": ["{db}, 1 worker", "{db}, 2 workers"],
    "Emails per second, rendered, queued and delivered": ["{db}"],
    "Ballot casts per second and latency": ["{db}, 10 at once"],
    "`audit verify` events per second": ["{db}"],
}


def rows_under(text: str, title: str) -> dict[str, list[str]]:
    """The table under `## title`, as {setting: the other cells}."""
    section = text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    cells = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| ")
    ]
    return {row[0]: row[1:] for row in cells[1:]}  # the first is the header


def test_quick_run_writes_every_table_with_numbers(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    postgres = os.environ.get("NOMINATIONS_TEST_POSTGRES_URL")
    command = [str(ROOT / "bench" / "run"), "--quick", "--out", str(out)]
    command += ["--postgres", postgres] if postgres else ["--no-postgres"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]

    text = out.read_text()
    assert "Git commit: `" in text and "Python 3." in text and "SQLite 3." in text
    databases = ["SQLite", "PostgreSQL"] if postgres else ["SQLite"]
    for title, settings in TABLES.items():
        rows = rows_under(text, title)
        expected = {setting.format(db=db) for db in databases for setting in settings}
        assert set(rows) == expected, title
        for setting, cells in rows.items():
            assert all(NUMBER.match(cell) for cell in cells), (title, setting, cells)
            assert float(cells[1].split()[0].replace(",", "")) > 0, (title, setting)
