"""The counting library's data: an election to count and the result of counting it. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal


class CountingError(ValueError):
    """The election cannot be counted as given (equal rankings, too few seats, …); says why."""


@dataclass(frozen=True)
class Ballot:
    """`weight` identical ballot papers ranking candidates (0-based, file order), most preferred first."""

    weight: int
    ranking: tuple[int, ...]


@dataclass(frozen=True)
class Election:
    candidates: tuple[str, ...]
    seats: int
    ballots: tuple[Ballot, ...]
    withdrawn: frozenset[int] = frozenset()
    title: str = ""


@dataclass(frozen=True)
class Tie:
    """How equal candidates were separated: by the latest earlier stage where they differed, or by lot."""

    by: Literal["earlier-stage", "lot"]
    candidates: tuple[int, ...]
    chosen: int
    stage: int | None = None  # the earlier stage that decided it
    seed: str | None = None  # the seed the lot was drawn from


@dataclass(frozen=True)
class Stage:
    number: int
    action: Literal["first", "surplus", "exclusion"]
    candidate: int | None  # whose surplus moved, or who was excluded; None at the first stage
    totals: tuple[Decimal, ...]  # every candidate's total after this stage, in file order
    non_transferable: Decimal
    elected: tuple[int, ...] = ()  # elected at this stage (deemed elected too), in order
    tie: Tie | None = None
    # Optional, added for scottish-stv and the X-vote methods; every other method may leave them empty.
    excluded: tuple[int, ...] = ()  # excluded at the end of this stage with no transfer (SSI 2007/42 r. 52)
    further_ties: tuple[Tie, ...] = ()  # ties settled at this stage after `tie` (a lot for several seats)

    def ties(self) -> tuple[Tie, ...]:
        """Every tie settled at this stage, in the order they were settled."""
        return ((self.tie,) if self.tie else ()) + self.further_ties


@dataclass(frozen=True)
class CountResult:
    method: str
    seats: int
    candidates: tuple[str, ...]
    valid: int
    invalid: int
    quota: Decimal | None
    winners: tuple[int, ...]  # in the order elected
    stages: tuple[Stage, ...]
    seed: str
    withdrawn: frozenset[int] = field(default_factory=frozenset)

    def winner_names(self) -> list[str]:
        return [self.candidates[i] for i in self.winners]
