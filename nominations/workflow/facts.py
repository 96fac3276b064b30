"""What guards may know about an entity, gathered before a trigger is tried."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Facts:
    seats: int = 1
    valid_nominations: int = 0
    votes_cast: int = 0
    electorate: int = 0
