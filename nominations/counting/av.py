"""The alternative vote (instant run-off) for one seat.

Every ballot counts for its first preference among the candidates still standing. A candidate with
more than half of those votes (ballots with no preference left no longer count) is elected;
otherwise the candidate with the fewest votes is excluded and their papers pass to each paper's
next preference, one stage per exclusion. Equal lowest candidates are separated by the most recent
earlier stage at which their votes differed, then by lot (`ties`). Whole votes: plain integers.
"""

from __future__ import annotations

from typing import Literal

from nominations.counting.blt import pack
from nominations.counting.model import CountingError, CountResult, Election, Stage, Tie
from nominations.counting.scottish import Papers


def count_av(election: Election, seed: str) -> CountResult:
    """Count `election` by the alternative vote; any lot is drawn from `seed`."""
    if election.seats != 1:
        raise CountingError(
            f"av fills one seat and this election has {election.seats}: count it with scottish-stv or "
            "meek-stv, or give one seat"
        )
    papers = Papers(election, pack(election), 1, seed)
    stages: list[Stage] = []
    excluded: int | None = None
    tie: Tie | None = None
    while True:
        papers.remember()
        continuing = papers.continuing()
        votes = sum(papers.totals[c] for c in continuing)
        leader = max(continuing, key=papers.totals.__getitem__, default=None)
        won = leader is not None and (len(continuing) == 1 or 2 * papers.totals[leader] > votes)
        elected = [leader] if won and leader is not None else []
        action: Literal["first", "exclusion"] = "exclusion" if stages else "first"
        stages.append(papers.stage(len(stages) + 1, action, excluded, elected, [tie] if tie else [], []))
        if leader is None or won:
            break
        excluded, tie = papers.pick(continuing, highest=False, stage=len(stages) + 1)
        papers.hopeful[excluded] = False
        papers.move(excluded, lambda value: value)
        papers.totals[excluded] = 0
    return CountResult(
        method="av",
        seats=1,
        candidates=election.candidates,
        valid=papers.valid,
        invalid=papers.invalid,
        quota=None,
        winners=tuple(map(papers.index, elected)),
        stages=tuple(stages),
        seed=seed,
        withdrawn=election.withdrawn,
    )
