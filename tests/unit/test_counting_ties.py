"""Separating equal candidates: the most recent earlier stage at which they differed, then a lot."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from nominations.counting.model import Tie
from nominations.counting.ties import break_tie, by_history, draw_lot

# Candidates 0, 1, 2. At stage 1, 1 was behind 0; at stage 2, 0 was behind 1; at stage 3 all equal.
HISTORY = [(5, 2, 9), (6, 7, 9), (8, 8, 8)]


def by_stage(tied: list[int], history: list[tuple[int, ...]], highest: bool) -> Tie:
    return break_tie(tied, history, highest=highest, seed="s", stage=len(history) + 1)


def test_the_most_recent_differing_stage_decides_not_the_first() -> None:
    assert by_stage([0, 1], HISTORY, highest=False) == Tie("earlier-stage", (0, 1), 0, stage=2)
    assert by_stage([0, 1], HISTORY, highest=True) == Tie("earlier-stage", (0, 1), 1, stage=2)


def test_three_equal_candidates_are_narrowed_stage_by_stage() -> None:
    # Stage 2: 0 and 1 are lower than 2; stage 1 then separates 1 (2) from 0 (5).
    history = [(5, 2, 9), (6, 6, 9), (8, 8, 8)]
    assert by_stage([2, 1, 0], history, highest=False) == Tie("earlier-stage", (0, 1, 2), 1, stage=1)
    # Highest: stage 2 picks 2 at once.
    assert by_stage([0, 1, 2], history, highest=True) == Tie("earlier-stage", (0, 1, 2), 2, stage=2)


def test_equal_at_every_stage_goes_to_a_lot_recorded_with_its_seed() -> None:
    history = [(3, 3, 1), (4, 4, 4)]
    tie = break_tie([0, 1, 2], history, highest=True, seed="witnessed", stage=3)
    # Stage 1 drops candidate 2 (lower); 0 and 1 were never apart, so a lot decides between them.
    assert (tie.by, tie.candidates, tie.stage, tie.seed) == ("lot", (0, 1, 2), 1, "witnessed")
    assert tie.chosen == draw_lot("witnessed", 3, [0, 1])
    drawn = {break_tie([0, 1], history, highest=True, seed=str(s), stage=3).chosen for s in range(30)}
    assert drawn == {0, 1}


def test_with_no_earlier_stage_a_lot_decides() -> None:
    tie = break_tie([4, 7], [], highest=False, seed="x", stage=1)
    assert (tie.by, tie.stage, tie.chosen in (4, 7)) == ("lot", None, True)


def test_a_lot_depends_on_the_seed_the_stage_and_the_set_of_candidates_only() -> None:
    assert draw_lot("s", 2, [3, 1, 2]) == draw_lot("s", 2, (2, 3, 1)) == draw_lot("s", 2, {1, 2, 3})
    assert {draw_lot("s", stage, [1, 2, 3]) for stage in range(40)} == {1, 2, 3}
    assert draw_lot("s", 1, [5]) == 5
    with pytest.raises(ValueError, match="at least one"):
        draw_lot("s", 1, [])


def test_totals_may_be_decimal_or_fraction() -> None:
    decimals = [(Decimal("1.00001"), Decimal("1.00002")), (Decimal(2), Decimal(2))]
    assert break_tie([0, 1], decimals, highest=False, seed="s", stage=3).chosen == 0
    fractions = [(Fraction(1, 3), Fraction(1, 4)), (Fraction(1, 2), Fraction(1, 2))]
    assert break_tie([0, 1], fractions, highest=False, seed="s", stage=3).chosen == 1


def test_a_tie_needs_two_candidates() -> None:
    with pytest.raises(ValueError, match="at least two"):
        break_tie([1, 1], HISTORY, highest=True, seed="s", stage=1)


def test_by_history_orders_by_latest_totals_then_earlier_stages_then_file_order() -> None:
    history = [(1, 5, 5, 5), (4, 9, 9, 9)]
    # 1, 2 and 3 are equal at stage 2; at stage 1 too, so file order; 0 is lowest.
    assert by_history([3, 0, 2, 1], history, highest=True) == [1, 2, 3, 0]
    assert by_history([3, 0, 2, 1], history, highest=False) == [0, 1, 2, 3]
    assert by_history([1, 0], [(2, 1), (3, 3)], highest=True) == [0, 1]
