"""X-vote methods: plurality, block vote and approval. Most votes win; a tie for the last seats is lot.

A ballot's X votes are read from its ranking: plurality, its first preference; block, its first k
preferences (k seats); approval, every candidate it ranks. Withdrawn candidates are skipped first.
A ballot left with no vote is invalid. There is one stage; `non_transferable` is always 0.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from decimal import Decimal
from typing import Literal

from nominations.counting.blt import check_election, pack
from nominations.counting.model import Ballot, CountingError, CountResult, Election, Stage, Tie
from nominations.counting.ties import draw_lot

XMethod = Literal["plurality", "block", "approval"]


def count_plurality(election: Election, seed: str) -> CountResult:
    """One X each (a ranked ballot's first preference); the `seats` with most votes win."""
    return count_xvote(election, seed, "plurality")


def count_block(election: Election, seed: str) -> CountResult:
    """Up to one X a seat (a ranked ballot's first `seats` preferences); most votes win."""
    return count_xvote(election, seed, "block")


def count_approval(election: Election, seed: str) -> CountResult:
    """An X for every candidate the ballot approves (ranks); most votes win."""
    return count_xvote(election, seed, "approval")


def count_xvote(election: Election, seed: str, method: XMethod) -> CountResult:
    """Count X votes by `method`; a tie for the last seats is drawn by lot from `seed`."""
    check_election(election)
    limit = {"plurality": 1, "block": election.seats, "approval": None}[method]
    standing = [c for c in range(len(election.candidates)) if c not in election.withdrawn]
    totals = [0] * len(election.candidates)
    valid = invalid = 0
    for weight, rank in pack(election).pairs():
        marks = [c - 1 for c in rank[:-1] if c - 1 not in election.withdrawn][:limit]
        if not marks:
            invalid += weight
        valid += weight if marks else 0
        for c in marks:
            totals[c] += weight
    winners, ties = _most_votes(totals, standing, election.seats, seed)
    stage = Stage(
        number=1,
        action="first",
        candidate=None,
        totals=tuple(map(Decimal, totals)),
        non_transferable=Decimal(0),
        elected=tuple(winners),
        tie=ties[0] if ties else None,
        further_ties=tuple(ties[1:]),
    )
    return CountResult(
        method,
        election.seats,
        election.candidates,
        valid,
        invalid,
        None,
        tuple(winners),
        (stage,),
        seed,
        election.withdrawn,
    )


def _most_votes(totals: list[int], standing: list[int], seats: int, seed: str) -> tuple[list[int], list[Tie]]:
    # Most votes first; if the last seats fall inside a group of equal votes, draw them one at a time.
    ranked = sorted(standing, key=lambda c: (-totals[c], c))
    if seats >= len(ranked):
        return ranked, []
    cutoff = totals[ranked[seats - 1]]
    sure = [c for c in ranked if totals[c] > cutoff]
    pool = [c for c in ranked if totals[c] == cutoff]
    if len(sure) + len(pool) == seats:
        return sure + pool, []
    ties: list[Tie] = []
    while len(sure) < seats:
        chosen = draw_lot(seed, 1, pool)
        ties.append(Tie("lot", tuple(pool), chosen, seed=seed))
        sure.append(chosen)
        pool.remove(chosen)
    return sure, ties


def election_from_marks(
    candidates: Sequence[Hashable],
    papers: Iterable[Sequence[Hashable]],
    seats: int,
    *,
    most: int | None,
    title: str = "",
) -> Election:
    """Ballot papers (the candidates each marks, or ranks, in order) as an election to count; a paper
    may mark at most `most` candidates (None: any number, as a ranking or approval ballot may)."""
    index = {c: i for i, c in enumerate(candidates)}
    ballots = []
    for marks in papers:
        if len(set(marks)) != len(marks):
            raise CountingError(f"a ballot marks the same candidate twice: {list(marks)}")
        if most is not None and len(marks) > most:
            allowed = f"there are {seats} seats" if most == seats else f"it may mark {most}"
            raise CountingError(f"a ballot marks {len(marks)} candidates but {allowed}")
        unknown = set(marks) - index.keys()
        if unknown:
            raise CountingError(f"a ballot names unknown candidates {sorted(unknown, key=str)}")
        ballots.append(Ballot(1, tuple(index[m] for m in marks)))
    return Election(tuple(str(c) for c in candidates), seats, tuple(ballots), title=title)
