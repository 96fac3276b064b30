"""Plurality (one seat, one X) and block vote (k seats, up to k X): most votes win, ties by lot."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field


class BallotError(ValueError):
    """A ballot names a candidate twice, an unknown candidate, or too many."""


@dataclass(frozen=True)
class TieBreak:
    """A tie for the last seats, settled by lot from the recorded seed."""

    tied: tuple[int, ...]
    seats_left: int
    drawn: tuple[int, ...]


@dataclass(frozen=True)
class PluralityResult:
    method: str
    seats: int
    valid: int
    invalid: int
    totals: dict[int, int]
    winners: tuple[int, ...]
    seed: str
    ties: tuple[TieBreak, ...] = field(default_factory=tuple)


def count_plurality(
    ballots: Sequence[Sequence[int]], candidates: Sequence[int], seats: int, seed: str
) -> PluralityResult:
    """Count X votes: each ballot may mark up to `seats` different candidates; blank ones are invalid."""
    if seats < 1:
        raise ValueError("seats must be at least 1")
    known = set(candidates)
    totals: Counter[int] = Counter({c: 0 for c in candidates})
    invalid = 0
    for ballot in ballots:
        if not ballot:
            invalid += 1
            continue
        if len(set(ballot)) != len(ballot):
            raise BallotError(f"a ballot marks the same candidate twice: {list(ballot)}")
        if len(ballot) > seats:
            raise BallotError(f"a ballot marks {len(ballot)} candidates but there are {seats} seats")
        unknown = set(ballot) - known
        if unknown:
            raise BallotError(f"a ballot names unknown candidates {sorted(unknown)}")
        totals.update(ballot)
    winners, ties = _top(totals, min(seats, len(candidates)), seed)
    return PluralityResult(
        method="plurality" if seats == 1 else "block",
        seats=seats,
        valid=len(ballots) - invalid,
        invalid=invalid,
        totals=dict(totals),
        winners=winners,
        seed=seed,
        ties=ties,
    )


def _top(totals: Counter[int], seats: int, seed: str) -> tuple[tuple[int, ...], tuple[TieBreak, ...]]:
    # Sort by votes; if the last seats fall inside a group of equal totals, draw that group by lot.
    ranked = sorted(totals, key=lambda c: (-totals[c], c))
    if seats >= len(ranked):
        return tuple(ranked), ()
    cutoff = totals[ranked[seats - 1]]
    sure = [c for c in ranked if totals[c] > cutoff]
    tied = [c for c in ranked if totals[c] == cutoff]
    left = seats - len(sure)
    if len(tied) == left:
        return tuple(sure + tied), ()
    drawn = random.Random(seed).sample(sorted(tied), left)
    return tuple(sure + drawn), (TieBreak(tuple(sorted(tied)), left, tuple(drawn)),)
