"""Every counting method by name, and counting a BLT file by one of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from nominations.counting.av import count_av
from nominations.counting.blt import read_blt, read_blt_rows
from nominations.counting.meek import count_meek
from nominations.counting.model import CountingError, CountResult, Election
from nominations.counting.scottish import count_scottish, count_scottish_rows
from nominations.counting.xvote import count_approval, count_block, count_plurality

CountMethod = Callable[[Election, str], CountResult]

METHODS: dict[str, CountMethod] = {
    "plurality": count_plurality,
    "block": count_block,
    "approval": count_approval,
    "av": count_av,
    "scottish-stv": count_scottish,
    "meek-stv": count_meek,
}


def method_named(method: str) -> CountMethod:
    """The counting function called `method`, or a CountingError listing the methods there are."""
    try:
        return METHODS[method]
    except KeyError:
        raise CountingError(f"there is no method {method!r}; the methods are {', '.join(METHODS)}") from None


def count(election: Election, method: str, seed: str) -> CountResult:
    """Count `election` by `method`; any lot is drawn from `seed`, which the result records."""
    return method_named(method)(election, seed)


def count_file(
    path: str | Path, method: str, seed: str, *, seats: int | None = None, withdraw: Iterable[str] = ()
) -> tuple[Election, CountResult]:
    """Read a BLT file and count it, with other seats and withdrawals if given; the election counted
    (without its ballots when scottish-stv reads them fast, with no object for each), and the result."""
    counter = method_named(method)
    if counter is count_scottish:
        header, rows = read_blt_rows(path)
        election = adjust(header, seats, withdraw)
        return election, count_scottish_rows(election, rows, seed)
    election = adjust(read_blt(path), seats, withdraw)
    return election, counter(election, seed)


def adjust(election: Election, seats: int | None, withdraw: Iterable[str]) -> Election:
    """The election with another number of seats, and more candidates withdrawn (found by name)."""
    if seats is not None:
        election = replace(election, seats=seats)
    withdrawn = {candidate_named(election, name) for name in withdraw}
    return replace(election, withdrawn=election.withdrawn | withdrawn) if withdrawn else election


def candidate_named(election: Election, name: str) -> int:
    """The candidate called `name`: exactly, ignoring case, or the only one whose name contains it."""
    names = [c.casefold() for c in election.candidates]
    wanted = name.strip().casefold()
    exact = [i for i, c in enumerate(names) if c == wanted]
    partial = [i for i, c in enumerate(names) if wanted and wanted in c]
    found = exact or partial
    if len(found) == 1:
        return found[0]
    if found:
        which = "; ".join(election.candidates[i] for i in found)
        raise CountingError(f"{name!r} could be more than one candidate: {which}")
    everyone = "; ".join(election.candidates)
    raise CountingError(f"no candidate is called {name!r}; the candidates are: {everyone}")
