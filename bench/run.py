"""Measure every figure of issue 7 section 5, each beside its baseline, and write bench/RESULTS.md.

Usage: bench/run [--quick] [--out PATH] [--postgres URL | --no-postgres] [--note TEXT]
Each bench script runs as a process of its own with --json; inside it every figure and every
baseline runs in fresh processes (bench/measure.py), so each peak memory is that work's alone.
PostgreSQL rows are measured when --postgres or NOMINATIONS_TEST_POSTGRES_URL names a server.
--quick uses tiny sizes, to show the script works (tests/e2e/test_bench_run.py), not to quote.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import Record, render

from nominations.settings import Settings

BENCH = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Sizes:
    transitions: int = 2000
    workers: int = 4  # the many-worker rows of durable transitions (1 worker is always measured)
    emails: int = 2000
    per_call: int = 200
    voters: int = 1000
    concurrency: int = 200
    events: int = 1_000_000


# Two workers, not four, in quick mode: every worker is a new interpreter importing the app.
QUICK = Sizes(transitions=40, workers=2, emails=20, per_call=10, voters=20, concurrency=10, events=2000)


def scripts(sizes: Sizes) -> dict[str, list[str]]:
    """Each measure's script and its size options."""
    return {
        "durable_transitions": [
            "--transitions",
            str(sizes.transitions),
            "--workers",
            "1",
            str(sizes.workers),
        ],
        "emails": ["--emails", str(sizes.emails), "--per-call", str(sizes.per_call)],
        "ballots": ["--voters", str(sizes.voters), "--concurrency", str(sizes.concurrency)],
        "audit_verify": ["--events", str(sizes.events)],
    }


def run_script(name: str, options: list[str], postgres: str | None) -> list[Record]:
    """Run bench/<name>.py --json (its progress and errors go to our stderr); its records."""
    # An empty --postgres, rather than none, so the script does not fall back on the environment.
    command = [sys.executable, str(BENCH / f"{name}.py"), "--json", *options, "--postgres", postgres or ""]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench/{name}.py exited with status {done.returncode} (its errors are above)")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=BENCH.parent, capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _postgres_version(server: str | None) -> str:
    if not server:
        return "not measured (no server given)"
    conninfo = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "unknown"


def import_floor() -> str:
    """The peak memory of a process that only imports the app: every figure's starting point."""
    code = "import nominations.bootstrap, measure; print(f'{measure.peak_mib():.0f} MiB')"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(BENCH), str(BENCH.parent)])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    return done.stdout.strip() or "an unknown amount"


def header(sizes: Sizes, quick: bool, postgres: str | None, seconds: float, note: str | None) -> list[str]:
    commit = _git("rev-parse", "HEAD") or "unknown"
    dirty = " (with uncommitted changes)" if _git("status", "--porcelain") else ""
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        "# Figures (issue 7, section 5)",
        "",
        "Written by `bench/run`; every figure is beside its baseline, measured in the same run.",
        "",
    ]
    if quick:
        lines += [
            "**Quick sizes** (`--quick`): these show the script works; they are not figures to quote.",
            "",
        ]
    lines += [
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; the run took {seconds / 60:.1f} min",
        f"- Git commit: `{commit}`{dirty}",
        f"- Machine: {os.cpu_count()} cores ({_cpu_model()}), {ram:.1f} GiB RAM, {platform.platform()}",
        f"- Load average when the run began: {load}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"PostgreSQL {_postgres_version(postgres)}",
        f"- A process that only imports the app peaks at {import_floor()} resident: "
        "the floor under every peak below.",
    ]
    if note:
        lines.append(f"- Note: {note}")
    lines += [
        "",
        "Ratio is figure ÷ baseline: the share of the baseline's rate the real path keeps. Peak MiB is "
        "the peak resident memory (VmHWM) of the process(es) doing the measured work, setup included.",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks the script, quotes nothing")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--postgres", default=os.environ.get("NOMINATIONS_TEST_POSTGRES_URL"))
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only, whatever the environment")
    parser.add_argument("--note", help="a line for the file, e.g. that the machine was shared")
    parser.add_argument("--only", nargs="+", choices=list(scripts(Sizes())), help="some measures only")
    for field, default in asdict(Sizes()).items():
        parser.add_argument(f"--{field.replace('_', '-')}", type=int, help=f"default {default:,}")
    args = parser.parse_args()
    sizes = QUICK if args.quick else Sizes()
    sizes = replace(sizes, **{k: v for k, v in vars(args).items() if k in asdict(sizes) and v is not None})
    postgres = None if args.no_postgres else args.postgres

    started = time.perf_counter()
    records: list[Record] = []
    failures: dict[str, str] = {}
    for name, options in scripts(sizes).items():
        if args.only and name not in args.only:
            continue
        print(f"bench/run: {name} ...", file=sys.stderr, flush=True)
        began = time.perf_counter()
        try:
            records += run_script(name, options, postgres)
        except RuntimeError as exc:
            failures[name] = str(exc)
        print(f"bench/run: {name} took {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - started

    context: dict[str, Any] = {**asdict(sizes), "connections": Settings().mail_concurrency}
    text = render(header(sizes, args.quick, postgres, seconds, args.note), records, context, failures)
    args.out.write_text(text)
    print(f"bench/run: wrote {args.out} in {seconds / 60:.1f} min", file=sys.stderr)
    if failures:
        raise SystemExit("bench/run: " + "; ".join(failures.values()))


if __name__ == "__main__":
    main()
