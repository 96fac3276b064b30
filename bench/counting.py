"""Count all 1,100 Scottish wards with scottish-stv, reading included, and in the same run with
pyrankvote's STV (its rules differ, so only the time is compared). Prints figures; asserts nothing.

    .venv/bin/python bench/counting.py [--data DIR] [--limit N] [--no-pyrankvote]
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from nominations.counting.blt import read_blt_rows
from nominations.counting.methods import count_file

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "scotland-stv"


def ours(files: list[Path]) -> int:
    """Read and count every file with scottish-stv; the number of ballots (valid and invalid)."""
    ballots = 0
    for path in files:
        _, result = count_file(path, "scottish-stv", "bench")
        ballots += result.valid + result.invalid
    return ballots


def pyrankvote_stv(files: list[Path]) -> int:
    """Read every file (with our reader: pyrankvote reads no BLT) and count it with pyrankvote's STV."""
    import pyrankvote  # type: ignore[import-untyped]

    ballots = 0
    for path in files:
        election, rows = read_blt_rows(path)
        candidates = [pyrankvote.Candidate(f"{i + 1} {name}") for i, name in enumerate(election.candidates)]
        papers = []
        for weight, rank in rows.pairs():
            # One Ballot object stands for all `weight` identical papers: pyrankvote only reads them.
            papers += [pyrankvote.Ballot([candidates[c - 1] for c in rank[:-1]])] * weight
        pyrankvote.single_transferable_vote(candidates, papers, election.seats)
        ballots += len(papers)
    return ballots


def timed(run: Callable[[list[Path]], int], files: list[Path]) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    ballots = run(files)
    return time.perf_counter() - wall, time.process_time() - cpu, ballots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder of BLT files")
    parser.add_argument("--limit", type=int, default=None, help="only the first N files")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each, taken in turn; the best counts")
    parser.add_argument("--no-pyrankvote", action="store_true", help="time scottish-stv only")
    args = parser.parse_args()
    files = sorted(args.data.glob("*.blt"))[: args.limit]
    print(f"{len(files)} BLT files in {args.data}; {args.rounds} round(s), each scottish-stv then pyrankvote")

    ours_runs: list[float] = []
    their_runs: list[float] = []
    peak_rss = 0.0
    ballots = 0
    for _ in range(args.rounds):
        wall, cpu, ballots = timed(ours, files)
        ours_runs.append(wall)
        peak_rss = peak_rss or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
        print(f"  scottish-stv: {wall:.2f} s ({cpu:.2f} s CPU)")
        if not args.no_pyrankvote:
            wall, cpu, _ = timed(pyrankvote_stv, files)
            their_runs.append(wall)
            print(f"  pyrankvote STV: {wall:.2f} s ({cpu:.2f} s CPU)")
    best = min(ours_runs)
    rate = f"{ballots / best:,.0f} ballots/s"
    print(f"scottish-stv: {best:.2f} s, {ballots:,} ballots, {rate} (reading included)")
    print(f"peak memory: {peak_rss:.0f} MB resident, the whole process after counting every file once")
    tracemalloc.start()
    ours(files)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak Python allocations while counting: {peak / 2**20:.1f} MB (tracemalloc, an untimed pass)")
    if their_runs:
        theirs = min(their_runs)
        print(f"pyrankvote STV: {theirs:.2f} s, {ballots / theirs:,.0f} ballots/s")
        print(f"scottish-stv is {theirs / best:.1f}x as fast as pyrankvote's STV (best run of each)")


if __name__ == "__main__":
    main()
