"""Time one piece of work in fresh processes, so the peak memory reported is that work's own.

A measurement is a `setup` function: it runs in a new (spawned) process, prepares what it needs,
and returns the zero-argument `go` that is timed. With several workers, every process finishes
its setup before any starts its `go`, and the figure is all their work over the wall time from
the first start to the last finish. Spawned, not forked: a forked child would begin with its
parent's resident memory and report it as its own.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from multiprocessing.synchronize import Barrier
from typing import Any

# Generous: setup may fill a database, and a full-size `go` may take minutes on a busy machine.
TIMEOUT = 3600.0


@dataclass(frozen=True)
class Tally:
    """What one worker's `go` did: how many things, and the seconds of any named parts of it."""

    count: int
    phases: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Measured:
    """All workers together: `peak_mib` is the sum of their peak resident memories."""

    count: int
    seconds: float
    peak_mib: float
    workers: int = 1
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.count / self.seconds


Setup = Callable[..., Callable[[], Tally]]


def peak_mib() -> float:
    """This process's peak resident memory so far, in MiB."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a spawned child's would
    # start at the size of the parent it was forked from.
    mine = peak_mib_of(os.getpid())
    if mine is not None:
        return mine
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


def peak_mib_of(pid: int) -> float | None:
    """The peak resident memory of a live process (Linux: VmHWM), or None where unknown."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _worker(setup: Setup, args: tuple[Any, ...], barrier: Barrier, results: Any) -> None:
    try:
        go = setup(*args)
        barrier.wait()
        start = time.monotonic()  # CLOCK_MONOTONIC: comparable between processes on one machine
        tally = go()
        results.put(("done", start, time.monotonic(), tally, peak_mib()))
    except BaseException as exc:
        barrier.abort()  # the others would otherwise wait for this one for ever
        results.put(("failed", f"{type(exc).__name__}: {exc}"))
        raise


def measure(setup: Setup, *args: Any, workers: int = 1) -> Measured:
    """Run `setup(*args)` then its `go` in each of `workers` new processes; raise if any fails."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers)
    results = context.Queue()
    processes = [
        context.Process(target=_worker, args=(setup, args, barrier, results)) for _ in range(workers)
    ]
    for process in processes:
        process.start()
    try:
        reports = _collect(results, processes)
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
    failures = [report[1] for report in reports if report[0] == "failed"]
    failures.sort(key=lambda failure: failure.startswith("BrokenBarrierError"))  # the cause first
    if failures:
        raise RuntimeError(f"{setup.__name__} failed: {failures[0]}")
    _, starts, ends, tallies, peaks = zip(*reports, strict=True)
    phases: dict[str, float] = {}
    for tally in tallies:  # with several workers a part lasts as long as its slowest worker's
        for name, seconds in tally.phases.items():
            phases[name] = max(phases.get(name, 0.0), seconds)
    return Measured(
        count=sum(t.count for t in tallies),
        seconds=max(ends) - min(starts),
        peak_mib=sum(peaks),
        workers=workers,
        phases=phases,
    )


def _collect(results: Any, processes: list[Any]) -> list[tuple[Any, ...]]:
    """Every worker's report; a worker that died without one (killed, say) is a failure too."""
    reports: list[tuple[Any, ...]] = []
    deadline = time.monotonic() + TIMEOUT
    while len(reports) < len(processes):
        try:
            reports.append(results.get(timeout=1))
        except queue.Empty:
            # A worker's report is flushed before it exits, so once all have exited and one more
            # second brought nothing, nothing more is coming.
            if time.monotonic() > deadline:
                raise RuntimeError(f"no report within {TIMEOUT:.0f} s") from None
            if not any(p.is_alive() for p in processes):
                try:
                    reports.append(results.get(timeout=1))
                except queue.Empty:
                    codes = [p.exitcode for p in processes]
                    raise RuntimeError(f"workers exited without reporting (exit codes {codes})") from None
    return reports


def emit(measure: str, setting: str, size: int, figure: dict[str, Any], baseline: dict[str, Any]) -> None:
    """One table row as one line of JSON on stdout, for bench/run to collect."""
    row = {"measure": measure, "setting": setting, "size": size, "figure": figure, "baseline": baseline}
    print(json.dumps(row), flush=True)


def side(name: str, measured: Measured, **extra: Any) -> dict[str, Any]:
    """A figure or a baseline as bench/run reads it: what it is, its rate, and its peak memory."""
    return {"name": name, "rate": measured.rate, **asdict(measured), **extra}
