"""What guards may know about an entity, gathered before a trigger is tried."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Facts:
    # A vacancy's.
    seats: int = 1
    valid_nominations: int = 0
    votes_cast: int = 0
    electorate: int = 0
    incumbent_may_carry_on: bool = False
    panel_decided: bool = False  # an expert seat's selection panel has recorded its choice
    # An appointment's.
    open_induction_steps: int = 0
    term_remaining_days: int = 0
    successor_opened: bool = False
