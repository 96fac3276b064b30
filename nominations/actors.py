"""Who did something: a person's account, a member organisation, the timer, or the system."""

from __future__ import annotations

from dataclasses import dataclass

from nominations.workflow.vocabulary import ACTOR_KINDS


@dataclass(frozen=True)
class Actor:
    kind: str  # one of ACTOR_KINDS
    id: str

    def __post_init__(self) -> None:
        if self.kind not in ACTOR_KINDS:
            raise ValueError(f"unknown actor kind {self.kind!r}; expected one of {sorted(ACTOR_KINDS)}")

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


TIMER = Actor("timer", "timer")
SYSTEM = Actor("system", "system")
