"""Meek STV exactly as the Proportional Representation Foundation's "Reference Meek Rule" lays it down.

The rule (https://prfound.org/resources/reference/reference-meek-rule/), in the words used below:

- A. Every candidate is *hopeful* (keep factor 1) or *withdrawn* (keep factor 0); omega is 10⁻⁶.
- B.1 The count is complete when every seat is filled, or when the elected plus hopeful candidates
  are no more than the seats.
- B.2 Iterate: (a) every ballot starts at weight 1 and gives each candidate it ranks, in order,
  ``w * kf`` rounded *up* to nine decimals, its weight falling by the same amount; (b) the quota is
  the sum of all votes ÷ (seats + 1), *truncated* to nine decimals, plus 10⁻⁹; (c) every hopeful
  candidate with ``v ≥ quota`` is elected; (d) the total surplus ``s`` is the sum of ``v - quota`` over
  the elected, not below 0; (e) if (c) elected anyone, go back to B.1; otherwise if ``s < omega``, or
  (after the round's first iteration) ``s`` is no smaller than the previous iteration's, go to B.3;
  (f) each elected candidate's keep factor becomes ``kf * quota`` (rounded up) ``÷ v`` (rounded up),
  and the iteration repeats.
- B.3 Defeat the hopeful candidate with the lowest vote; every hopeful candidate whose vote is at
  most that lowest vote plus ``s`` is tied with it. The defeated candidate's keep factor becomes 0.
- C. If seats are unfilled the remaining hopeful candidates are elected; otherwise they are defeated.

Ties (procedure T) are settled as the issue asks, by the shared `nominations.counting.ties`: of the
candidates B.3 counts as tied, the one with the fewest votes at the most recent earlier stage at
which they differed is defeated (with three or more, each earlier stage keeps only those behind),
and if no earlier stage separates them, a lot drawn from the count's seed decides. Only stages
before the defeat are consulted: at the defeat itself the rule counts them as equal, even when
their votes differ by less than the total surplus.

Arithmetic is integers scaled by 10⁹, so nine-decimal fixed point is exact and fast; never float.

Stages. Meek's method has rounds of iterations rather than transfers, so they are recorded thus:

- stage 1, ``"first"``: the first-preference votes (every keep factor 1) and whoever they elect;
- ``"surplus"`` (candidate ``None``): a round whose iterations, by lowering elected candidates' keep
  factors, lifted someone to the quota — the totals at that iteration and who was elected;
- ``"exclusion"`` (the defeated candidate): a round whose iterations converged without electing
  anyone — the converged totals that made the candidate lowest (the candidate's votes move on at the
  next stage), and how any tie was settled.

Candidates elected at the end because they are no more than the seats left (rule C.1) are added
to the last stage's ``elected``. Candidates elected together are listed highest vote first (equal
votes by earlier stages, then file order). ``non_transferable`` is the excess: the valid ballots
less the votes held by candidates. The result's quota is the quota of the last iteration.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from itertools import accumulate
from typing import Final, Literal

from nominations.counting.model import Ballot, CountingError, CountResult, Election, Stage, Tie
from nominations.counting.ties import break_tie, by_history

SCALE: Final = 10**9  # nine decimal places
OMEGA: Final = 10**3  # 10⁻⁶ in units of 10⁻⁹

_HOPEFUL: Final = 0
_ELECTED: Final = 1
_DEFEATED: Final = 2
_WITHDRAWN: Final = 3

# A ballot as the count sees it: its candidates (withdrawn dropped), and how many papers say so.
_Paper = tuple[tuple[int, ...], int]
# Papers grouped by the elected candidates they rank before any hopeful one: those candidates, how many
# papers, and how many of them then reach each hopeful candidate (the rest are exhausted).
_Prefixes = list[tuple[tuple[int, ...], int, list[tuple[int, int]]]]


def count_meek(election: Election, seed: str) -> CountResult:
    """Count `election` by the PR Foundation's Reference Meek Rule; lots are drawn from `seed`."""
    if election.seats < 1:
        raise CountingError(f"there must be at least one seat to fill, not {election.seats}")
    n = len(election.candidates)
    for c in election.withdrawn:
        if not 0 <= c < n:
            raise CountingError(f"withdrawn candidate {c} is not one of the {n} candidates")
    papers, valid, invalid = _papers(election.ballots, n, election.withdrawn)
    count = _Count(n, election.seats, election.withdrawn, papers, valid, seed)
    count.run()
    return CountResult(
        method="meek-stv",
        seats=election.seats,
        candidates=election.candidates,
        valid=valid,
        invalid=invalid,
        quota=_decimal(count.quota),
        winners=tuple(count.winners),
        stages=tuple(count.stages),
        seed=seed,
        withdrawn=election.withdrawn,
    )


class _Count:
    """The state of one count: candidates' states and keep factors, and the stages recorded so far."""

    def __init__(
        self, n: int, seats: int, withdrawn: frozenset[int], papers: list[_Paper], valid: int, seed: str
    ) -> None:
        self.n = n
        self.seats = seats
        self.valid = valid
        self.state = [_WITHDRAWN if c in withdrawn else _HOPEFUL for c in range(n)]
        self.kf = [0 if c in withdrawn else SCALE for c in range(n)]  # A: hopeful 1, withdrawn 0
        self.ballots = _Ballots(papers, self.state)
        self.winners: list[int] = []
        self.stages: list[Stage] = []
        self.votes = [0] * n  # the last iteration's votes
        self.quota = 0  # the last iteration's quota
        self.seed = seed

    def run(self) -> None:
        """Rounds (B) until the count is complete, then the end of the count (C)."""
        while self._round():
            pass
        if not self.stages:  # complete before any round (no more candidates than seats): show first prefs
            self._iterate(self.ballots.prefixes())
            self._record("first", None, ())
        # C.1: if seats are unfilled, elect the remaining hopeful candidates (C.2: otherwise they lose).
        remaining = [c for c in range(self.n) if self.state[c] == _HOPEFUL]
        if len(self.winners) < self.seats and remaining:
            deemed = by_history(remaining, self._history(), highest=True)
            self.winners.extend(deemed)
            last = self.stages[-1]
            self.stages[-1] = replace(last, elected=last.elected + tuple(deemed))

    def _round(self) -> bool:
        """One round (B.1-B.4); False when the count is complete."""
        hopeful = [c for c in range(self.n) if self.state[c] == _HOPEFUL]
        if len(self.winners) >= self.seats or len(self.winners) + len(hopeful) <= self.seats:
            return False  # B.1
        prefixes = self.ballots.prefixes()  # states are fixed within a round; only keep factors change
        previous: int | None = None  # the total surplus at the round's previous iteration
        while True:
            self._iterate(prefixes)
            votes, quota = self.votes, self.quota
            newly = [c for c in hopeful if votes[c] >= quota]  # B.2.c
            if len(newly) > 1:  # listed highest first, equals by earlier stages, then file order
                newly = by_history(newly, [*self._history(), self._totals()], highest=True)
            for c in newly:
                self.state[c] = _ELECTED
                self.ballots.moved_on(c)
            self.winners.extend(newly)
            surplus = max(0, sum(votes[c] - quota for c in self.winners))  # B.2.d
            if not self.stages:
                self._record("first", None, newly)
            elif newly:
                self._record("surplus", None, newly)
            if newly:
                return True  # B.2.e: back to B.1
            if surplus < OMEGA or (previous is not None and surplus >= previous):
                self._defeat_low(hopeful, surplus)
                return True  # B.4
            previous = surplus
            for c in self.winners:  # B.2.f
                self.kf[c] = _div_up(_mul_up(self.kf[c], quota), votes[c])

    def _iterate(self, prefixes: _Prefixes) -> None:
        """B.2.a-b: distribute the votes and update the quota."""
        self.votes = _distribute(prefixes, self.kf, self.n)
        # The sum of the votes ÷ (seats + 1), truncated to nine decimals, plus 10⁻⁹.
        self.quota = sum(self.votes) // (self.seats + 1) + 1

    def _defeat_low(self, hopeful: Sequence[int], surplus: int) -> None:
        """B.3: defeat the lowest hopeful candidate; those within the total surplus of it are tied."""
        low = min(self.votes[c] for c in hopeful)
        tied = [c for c in hopeful if self.votes[c] <= low + surplus]
        tie: Tie | None = None
        if len(tied) == 1:
            loser = tied[0]
        else:  # procedure T, by the stages before this one: at this one the rule counts them as equal
            number = len(self.stages) + 1
            tie = break_tie(tied, self._history(), highest=False, seed=self.seed, stage=number)
            loser = tie.chosen
        self.state[loser] = _DEFEATED
        self.kf[loser] = 0
        self.ballots.moved_on(loser)
        self._record("exclusion", loser, (), tie)

    def _record(
        self, action: Literal["first", "surplus", "exclusion"], candidate: int | None,
        elected: Sequence[int], tie: Tie | None = None,
    ) -> None:  # fmt: skip
        """Append a stage showing the last iteration's votes."""
        self.stages.append(
            Stage(
                number=len(self.stages) + 1,
                action=action,
                candidate=candidate,
                totals=self._totals(),
                non_transferable=_decimal(self.valid * SCALE - sum(self.votes)),
                elected=tuple(elected),
                tie=tie,
            )
        )

    def _totals(self) -> tuple[Decimal, ...]:
        """The last iteration's votes, as a stage shows them."""
        return tuple(_decimal(v) for v in self.votes)

    def _history(self) -> list[tuple[Decimal, ...]]:
        """Every candidate's total at each stage so far, for separating equal candidates."""
        return [stage.totals for stage in self.stages]


def _papers(ballots: Sequence[Ballot], n: int, withdrawn: frozenset[int]) -> tuple[list[_Paper], int, int]:
    """Drop withdrawn candidates from every ballot and merge equal ones; a ballot left empty is invalid."""
    merged: dict[tuple[int, ...], int] = {}
    invalid = 0
    for ballot in ballots:
        ranking, weight = ballot.ranking, ballot.weight
        if weight < 0:
            raise CountingError(f"a ballot has a negative weight: {weight}")
        if withdrawn:
            ranking = tuple(c for c in ranking if c not in withdrawn)
        if ranking:
            merged[ranking] = merged.get(ranking, 0) + weight
        else:
            invalid += weight
    # Checked once per distinct ranking, after merging: real ballot files repeat rankings a lot.
    known = frozenset(range(n))
    for ranking in merged:
        if not known.issuperset(ranking):
            raise CountingError(f"a ballot ranks {list(ranking)}, but the candidates are 0 to {n - 1}")
        if len(set(ranking)) != len(ranking):
            raise CountingError(f"a ballot ranks a candidate twice: {list(ranking)}")
    return list(merged.items()), sum(merged.values()), invalid


class _Ballots:
    """The ballots cut to what can take votes: the elected candidates each ranks, up to its first hopeful.

    Defeated and withdrawn candidates have keep factor 0, so they take nothing and are skipped; a
    hopeful candidate's keep factor is 1, so it takes all that is left and nothing goes further.
    Ballots cut alike are merged, since the arithmetic per paper is the same.

    The rankings are sorted, so ballots sharing their first preferences are neighbours: a group of
    them is a range of the list, its papers a difference of running sums, and its split by the next
    preference a few binary searches. A group's cut only changes when the hopeful candidate ending it
    is elected or defeated, so only then is it split again.
    """

    def __init__(self, papers: Sequence[_Paper], state: Sequence[int]) -> None:
        self.state = state  # shared with the count, which changes it
        ordered = sorted(papers)
        self.rankings = [ranking for ranking, _ in ordered]
        self.running = [0, *accumulate(weight for _, weight in ordered)]
        self.merged: dict[tuple[int, ...], int] = {}  # cut -> papers
        # hopeful candidate -> the groups whose cut ends there: cut, depth of the candidate, range
        self.waiting: dict[int, list[tuple[tuple[int, ...], int, int, int]]] = {}
        self._split((), 0, 0, len(ordered))

    def moved_on(self, candidate: int) -> None:
        """`candidate` is no longer hopeful: cut again the ballots whose cut ended at it."""
        elected = self.state[candidate] == _ELECTED
        for cut, depth, lo, hi in self.waiting.pop(candidate, ()):
            self._add(cut, self.running[lo] - self.running[hi])
            self._split(cut if elected else cut[:-1], depth + 1, lo, hi)

    def _split(self, cut: tuple[int, ...], depth: int, lo: int, hi: int) -> None:
        """Cut rankings[lo:hi], which share their first `depth` preferences (cut to `cut`), by the next."""
        rankings, running = self.rankings, self.running
        # A ranking that stops here sorts first, and rankings are distinct, so there is one at most.
        if lo < hi and len(rankings[lo]) == depth:
            if cut:  # its papers give what they have left to `cut` and are then exhausted
                self._add(cut, running[lo + 1] - running[lo])
            lo += 1
        while lo < hi:
            ranking = rankings[lo]
            c = ranking[depth]
            end = bisect_left(rankings, (*ranking[:depth], c + 1), lo, hi)  # the first ranking past c
            if self.state[c] == _HOPEFUL:
                self._add((*cut, c), running[end] - running[lo])
                self.waiting.setdefault(c, []).append(((*cut, c), depth, lo, end))
            else:  # elected: kept on the cut; defeated: skipped
                self._split((*cut, c) if self.state[c] == _ELECTED else cut, depth + 1, lo, end)
            lo = end

    def _add(self, cut: tuple[int, ...], papers: int) -> None:
        left = self.merged.get(cut, 0) + papers
        if left:
            self.merged[cut] = left
        else:
            del self.merged[cut]

    def prefixes(self) -> _Prefixes:
        """The cuts grouped by their elected candidates: papers in all, and papers per hopeful at the end."""
        grouped: dict[tuple[int, ...], tuple[list[int], dict[int, int]]] = {}
        for cut, weight in self.merged.items():
            last = cut[-1]
            reaches_hopeful = self.state[last] == _HOPEFUL
            total, ends = grouped.setdefault(cut[:-1] if reaches_hopeful else cut, ([0], {}))
            total[0] += weight
            if reaches_hopeful:
                ends[last] = ends.get(last, 0) + weight
        return [(head, total[0], list(ends.items())) for head, (total, ends) in grouped.items()]


def _distribute(prefixes: _Prefixes, kf: Sequence[int], n: int) -> list[int]:
    """B.2.a: every candidate's vote, each paper keeping w * kf rounded up at each candidate in turn.

    Papers ranking the same elected candidates first lose the same weight to them, so that is worked
    out once for them all; the hopeful candidate after them (keep factor 1) takes what is left.
    """
    votes = [0] * n
    for elected, papers, ends in prefixes:
        w = SCALE
        for c in elected:
            keep = _mul_up(w, kf[c])
            votes[c] += keep * papers
            w -= keep
            if w <= 0:
                break
        if w > 0:
            for c, weight in ends:
                votes[c] += w * weight
    return votes


def _mul_up(a: int, b: int) -> int:
    """a * b in nine-decimal fixed point, rounded up."""
    return -(-a * b // SCALE)


def _div_up(a: int, b: int) -> int:
    """a ÷ b in nine-decimal fixed point, rounded up."""
    return -(-a * SCALE // b)


def _decimal(value: int) -> Decimal:
    """A scaled integer as a Decimal with exactly nine places."""
    return Decimal(value).scaleb(-9)
