"""Scottish STV: the Scottish Local Government Elections Order 2007 (SSI 2007/42), rules 45 to 52.

- r. 45, 46: first preferences; the quota is the valid ballots over seats + 1, decimals ignored, plus 1.
- r. 47: a candidate whose votes reach the quota at the end of a stage is elected.
- r. 48, 49: while seats are open, the largest surplus (votes above the quota) moves first: *every*
  paper the candidate holds passes to its next continuing preference at the surplus times its value over
  the candidate's votes, to five decimal places with the remainder ignored; the candidate keeps the quota.
- r. 50, 51: with no surplus to move, the lowest continuing candidate is excluded and all their
  papers pass on, each at the value it arrived with, in one stage.
- Equal surpluses, and equal lowest candidates, are separated by the most recent preceding stage at
  which their votes differed, and then by lot (`ties`).
- r. 52: when the continuing candidates are no more than the seats left they are deemed elected,
  with no further transfer (if excluding the lowest brings that about, that exclusion moves nothing).

Votes are integers in units of 10⁻⁵ (the five places of r. 48), so the count is exact and fast.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import accumulate, islice
from operator import itemgetter, le
from typing import Any, Literal

from nominations.counting.blt import Rows, check_election, pack
from nominations.counting.model import CountResult, Election, Stage, Tie
from nominations.counting.ties import break_tie, by_history

UNIT = 100_000  # one vote; r. 48's transfer values are whole numbers of these


def count_scottish(election: Election, seed: str) -> CountResult:
    """Count `election` by SSI 2007/42 rules 45-52; any lot is drawn from `seed`."""
    return count_scottish_rows(election, pack(election), seed)


def count_scottish_rows(election: Election, rows: Rows, seed: str) -> CountResult:
    """Count ballots given as rows (`election.ballots` is not read): the fast path for BLT files."""
    papers = Papers(election, rows, UNIT, seed)
    count = _Count(papers, election.seats)
    count.run()
    return CountResult(
        method="scottish-stv",
        seats=election.seats,
        candidates=election.candidates,
        valid=papers.valid,
        invalid=papers.invalid,
        quota=Decimal(count.quota),
        winners=tuple(map(papers.index, count.elected)),
        stages=tuple(count.stages),
        seed=seed,
        withdrawn=election.withdrawn,
    )


class _Count:
    def __init__(self, papers: Papers, seats: int) -> None:
        self.papers, self.seats = papers, seats
        self.quota = papers.valid // (seats + 1) + 1
        self.elected: list[int] = []
        self.surpluses: list[int] = []  # elected candidates whose surplus has not moved yet
        self.stages: list[Stage] = []

    def run(self) -> None:
        papers, quota = self.papers, self.quota * UNIT
        finished = self.close("first", None, None)
        while not finished:
            if self.surpluses:
                c, tie = papers.pick(self.surpluses, highest=True, stage=len(self.stages) + 1)
                self.surpluses.remove(c)
                self.transfer_surplus(c, quota)
                finished = self.close("surplus", c, tie)
            else:
                c, tie = papers.pick(papers.continuing(), highest=False, stage=len(self.stages) + 1)
                papers.hopeful[c] = False
                papers.move(c, lambda value: value)
                papers.totals[c] = 0
                finished = self.close("exclusion", c, tie)

    def transfer_surplus(self, c: int, quota: int) -> None:
        """Rule 48: every paper moves at surplus x value / total, truncated; the candidate keeps the quota."""
        total = self.papers.totals[c]
        surplus = total - quota
        self.papers.move(c, lambda value: surplus * value // total)
        self.papers.totals[c] = quota

    def close(self, action: Literal["first", "surplus", "exclusion"], c: int | None, tie: Tie | None) -> bool:
        """End a stage: elect whoever reached the quota, apply rule 52, record it; True when done."""
        papers, number, quota = self.papers, len(self.stages) + 1, self.quota * UNIT
        papers.remember()
        reached = [h for h in papers.continuing() if papers.totals[h] >= quota]
        elected = papers.in_order(reached) if len(reached) > 1 else reached
        for h in elected:
            papers.hopeful[h] = False
            if papers.totals[h] > quota:
                self.surpluses.append(h)
        self.elected += elected
        left, continuing = self.seats - len(self.elected), papers.continuing()
        ties, excluded = [tie] if tie else [], []
        if left > 0 and not self.surpluses and len(continuing) == left + 1:
            # Rule 50 excludes the lowest; rule 52 then elects the rest, so nothing is transferred.
            lowest, closing = papers.pick(continuing, highest=False, stage=number + 1)
            papers.hopeful[lowest] = False
            continuing.remove(lowest)
            excluded, ties = [lowest], ties + ([closing] if closing else [])
        deemed = papers.in_order(continuing) if left > 0 and len(continuing) <= left else []
        self.elected += deemed
        self.stages.append(papers.stage(number, action, c, elected + deemed, ties, excluded))
        return left <= 0 or len(continuing) <= left


class Papers:
    """The ballot papers each candidate holds, everyone's votes at every stage, and the count's lots.

    Candidates are known by their codes in the rows (their numbers, from 1, unless the rows say
    otherwise); code 0 closes every row and is always "hopeful", so that the search for a paper's
    next hopeful preference always stops. What a count reads or records is by candidate index.

    The rows are sorted by their preferences, so rows that agree up to some preference sit
    together, sorted by the next one. A parcel -- rows that reached a candidate together, at one
    value -- is then a slice of them, and passing it on splits the slice by binary search: the
    work grows with the candidates, not with the ballots.
    """

    def __init__(self, election: Election, rows: Rows, unit: int, seed: str) -> None:
        check_election(election)
        n = len(election.candidates)
        self.seed, self.unit, self.places = seed, unit, len(str(unit)) - 1
        self.number = list(rows.numbers or range(n + 1))  # code -> candidate number (from 1)
        self.code = [self.number.index(k) for k in range(n + 1)]  # candidate number -> code
        self.hopeful = [True] * (n + 1)
        for c in election.withdrawn:
            self.hopeful[self.code[c + 1]] = False
        self.totals = [0] * (n + 1)
        self.parcels: list[list[tuple[int, int, int, int]]] = [[] for _ in range(n + 1)]  # value, at, slice
        self.history: list[tuple[int, ...]] = []
        self.ranks, weights = rows.ranks, rows.weights
        if not _in_order(self.ranks):  # the files in hand mostly are: the sort is then skipped
            ordered = sorted(rows.pairs(), key=itemgetter(1))
            self.ranks, weights = list(map(itemgetter(1), ordered)), list(map(itemgetter(0), ordered))
        self.before = list(accumulate(weights, initial=0))  # papers in rows[:i]
        self.invalid = self._give([(0, len(self.ranks), 0, unit)])  # no preference for anyone standing
        self.valid = self.before[-1] - self.invalid

    def move(self, c: int, value_of: Callable[[int], int]) -> None:
        """Pass every paper `c` holds to its next hopeful preference, valued `value_of(arrival value)`."""
        moving = [(lo, hi, at + 1, new) for value, at, lo, hi in self.parcels[c] if (new := value_of(value))]
        self.parcels[c] = []  # (papers now worth nothing are worth nothing later: non-transferable)
        self._give(moving)

    def _give(self, moving: list[tuple[int, int, int, int]]) -> int:
        """Give each slice of rows lo..hi, alike before preference `at`, to their first hopeful
        preference from there on, at `value`; returns how many papers had none (non-transferable)."""
        ranks, hopeful, before, lost = self.ranks, self.hopeful, self.before, 0
        parcels, totals = self.parcels, self.totals
        while moving:
            lo, hi, at, value = moving.pop()
            if hi - lo == 1:  # one row, as most parcels are: follow it to its next hopeful preference
                rank = ranks[lo]
                while not hopeful[rank[at]]:
                    at += 1
                if d := rank[at]:
                    parcels[d].append((value, at, lo, hi))
                    totals[d] += (before[hi] - before[lo]) * value
                else:
                    lost += before[hi] - before[lo]
                continue
            while lo < hi:
                d = ranks[lo][at]
                if hi - lo > 8:
                    end = bisect_right(ranks, d, lo, hi, key=itemgetter(at))
                else:  # a short slice: looking is quicker than searching
                    end = lo + 1
                    while end < hi and ranks[end][at] == d:
                        end += 1
                if not hopeful[d]:  # elected, excluded or withdrawn: look at the next preference
                    moving.append((lo, end, at + 1, value))
                elif d:
                    parcels[d].append((value, at, lo, end))
                    totals[d] += (before[end] - before[lo]) * value
                else:
                    lost += before[end] - before[lo]
                lo = end
        return lost

    def continuing(self) -> list[int]:
        return [c for c in range(1, len(self.hopeful)) if self.hopeful[c]]

    def index(self, code: int) -> int:
        """The candidate's index (0-based, file order)."""
        return self.number[code] - 1

    def remember(self) -> None:
        """Keep this stage's totals, by candidate index, for separating equal candidates later."""
        self.history.append(tuple(map(self.totals.__getitem__, self.code[1:])))

    def pick(self, candidates: Sequence[int], *, highest: bool, stage: int) -> tuple[int, Tie | None]:
        """The candidate with the most (or fewest) votes, and how a tie for it was settled."""
        best = (max if highest else min)(self.totals[c] for c in candidates)
        tied = [c for c in candidates if self.totals[c] == best]
        if len(tied) == 1:
            return tied[0], None
        tie = break_tie(map(self.index, tied), self.history, highest=highest, seed=self.seed, stage=stage)
        return self.code[tie.chosen + 1], tie

    def in_order(self, candidates: Iterable[int]) -> list[int]:
        """Candidates elected together, most votes first (then by earlier stages, then file order)."""
        ordered = by_history(map(self.index, candidates), self.history, highest=True)
        return [self.code[c + 1] for c in ordered]

    def stage(
        self,
        number: int,
        action: Literal["first", "surplus", "exclusion"],
        c: int | None,
        elected: list[int],
        ties: list[Tie],
        excluded: list[int],
    ) -> Stage:
        """The stage as the result records it: candidate indexes, exact `Decimal` votes."""
        places, index = self.places, self.index
        return Stage(
            number=number,
            action=action,
            candidate=None if c is None else index(c),
            totals=tuple(Decimal(t).scaleb(-places) for t in self.history[-1]),
            non_transferable=Decimal(self.valid * self.unit - sum(self.totals)).scaleb(-places),
            elected=tuple(map(index, elected)),
            tie=ties[0] if ties else None,
            excluded=tuple(map(index, excluded)),
            further_ties=tuple(ties[1:]),
        )


def _in_order(ranks: Sequence[Any]) -> bool:
    """Whether the rows are sorted (ranks are all bytes or all tuples, which compare)."""
    return all(map(le, ranks, islice(ranks, 1, None)))
