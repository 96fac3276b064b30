"""Meek STV by the PR Foundation's Reference Meek Rule: counts worked by hand, published counts, real files.

The hand-worked counts below apply the rule step by step with nine-decimal fixed point: a paper's
weight w gives a candidate w * kf rounded up; the quota is the votes / (seats + 1) truncated, plus
0.000000001; an elected candidate's keep factor becomes kf * quota (rounded up) / vote (rounded up);
iteration stops at an election, at a total surplus below 0.000001, or when the surplus stops falling.
Each stage is written out as (action, candidate, totals in file order, non-transferable, elected).
"""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from nominations.counting.blt import parse_blt, read_blt
from nominations.counting.meek import count_meek
from nominations.counting.model import Ballot, CountingError, CountResult, Election, Tie

SCOTLAND = Path(__file__).resolve().parents[3] / "shared" / "data" / "scotland-stv"

Row = tuple[str, str | None, str, str, str]


def election(seats: int, *ballots: str, candidates: str = "", withdrawn: str = "") -> Election:
    """Candidates are letters; "7 AB" is seven papers ranking A then B; "1" is a paper ranking no one."""
    rows = [(int(weight), ranking) for weight, _, ranking in (b.partition(" ") for b in ballots)]
    names = candidates or "".join(sorted({c for _, ranking in rows for c in ranking}))
    return Election(
        candidates=tuple(names),
        seats=seats,
        ballots=tuple(Ballot(weight, tuple(names.index(c) for c in ranking)) for weight, ranking in rows),
        withdrawn=frozenset(names.index(c) for c in withdrawn),
    )


def table(result: CountResult, sep: str = "") -> list[Row]:
    """Each stage as (action, candidate, totals, non-transferable, elected), numbers as a sheet shows them."""
    names = result.candidates
    return [
        (
            stage.action,
            None if stage.candidate is None else names[stage.candidate],
            " ".join(format(total, "f") for total in stage.totals),
            format(stage.non_transferable, "f"),
            sep.join(names[c] for c in stage.elected),
        )
        for stage in result.stages
    ]


def winners(result: CountResult) -> str:
    """The winners' letters, in the order elected."""
    return "".join(result.winner_names())


def test_a_surplus_moves_by_lowering_the_keep_factor_and_elects() -> None:
    result = count_meek(election(2, "7 AB", "2 C", "3 B"), seed="s")
    # Stage 1: quota 12 / 3 = 4, plus 0.000000001. A has 7 and is elected.
    # Round 2, iteration 1: the same votes; surplus 7 - 4.000000001 = 2.999999999, not below omega, so
    #   kf(A) = 1 * 4.000000001 / 7 = 0.571428571571... rounded up = 0.571428572.
    # Iteration 2: each AB paper keeps 0.571428572 for A (7 papers: 4.000000004) and passes on
    #   1 - 0.571428572 = 0.428571428, so B has 3 + 7 * 0.428571428 = 5.999999996 >= quota: elected.
    assert table(result) == [
        ("first", None, "7.000000000 3.000000000 2.000000000", "0.000000000", "A"),
        ("surplus", None, "4.000000004 5.999999996 2.000000000", "0.000000000", "B"),
    ]
    assert (winners(result), result.quota) == ("AB", Decimal("4.000000001"))
    assert (result.valid, result.invalid) == (12, 0)
    assert result.method == "meek-stv" and result.seed == "s"


def test_keep_values_round_up_which_settles_what_exact_arithmetic_would_tie() -> None:
    result = count_meek(election(2, "6 AB", "2 B", "3 C", "1 DC"), seed="s")
    # Stage 1: quota 12 / 3 + 0.000000001 = 4.000000001; A (6) is elected.
    # Round 2: kf(A) = 4.000000001 / 6 = 0.6666666668333 rounded up = 0.666666667. Then A keeps
    #   6 * 0.666666667 = 4.000000002 and B gets 2 + 6 * 0.333333333 = 3.999999998. The surplus,
    #   0.000000001, is below omega: D (1, alone within 0.000000001 of the lowest) is defeated.
    # Round 3: D's paper goes to C: 4.000000000, still short of 4.000000001; the surplus is again
    #   0.000000001, so B (3.999999998) is defeated: C is not within the surplus of B (it would need
    #   3.999999999 or less). In exact arithmetic B and C would both have 4.
    # Then A and C are as many as the seats: C is elected (rule C.1).
    assert table(result) == [
        ("first", None, "6.000000000 2.000000000 3.000000000 1.000000000", "0.000000000", "A"),
        ("exclusion", "D", "4.000000002 3.999999998 3.000000000 1.000000000", "0.000000000", ""),
        ("exclusion", "B", "4.000000002 3.999999998 4.000000000 0.000000000", "0.000000000", "C"),
    ]
    assert winners(result) == "AC"
    assert all(stage.tie is None for stage in result.stages)


def test_iterations_converge_as_the_surplus_partly_exhausts() -> None:
    result = count_meek(election(2, "8 AB", "1 A", "5 C", "4 D"), seed="s")
    # Stage 1: quota 18 / 3 + 0.000000001 = 6.000000001; A has 9 and is elected.
    # Round 2, iteration by iteration (the A paper's remainder is exhausted, so the quota falls):
    #   it  kf(A)        A            B            quota        surplus
    #   1   1            9            0            6.000000001  2.999999999
    #   2   0.666666667  6.000000003  2.666666664  5.888888890  0.111111113
    #   3   0.654320988  5.888888892  2.765432096  5.884773663  0.004115229
    #   4   0.653863741  5.884773669  2.769090072  5.884621248  0.000152421
    #   5   0.653846806  5.884621254  2.769225552  5.884615603  0.000005651
    #   6   0.653846179  5.884615611  2.769230568  5.884615394  0.000000217 < omega: defeat B
    # E.g. iteration 2: kf = 6.000000001 / 9 = 0.66666666677 -> 0.666666667; A = 9 * 0.666666667;
    #   B = 8 * 0.333333333; votes 17.666666667 / 3 = 5.888888889 (exact), + 0.000000001.
    # Iteration 3: kf * quota = 0.666666667 * 5.888888890 = 3.92592592863 -> 3.925925929, divided
    #   by 6.000000003 = 0.65432098784 -> 0.654320988.
    # Round 3: B's 8 papers now pass their remainder to no one: A 5.884615611 + C 5 + D 4 is
    #   14.884615611, quota 4.961538537 + 0.000000001; C (5) reaches it at once and is elected.
    assert table(result) == [
        ("first", None, "9.000000000 0.000000000 5.000000000 4.000000000", "0.000000000", "A"),
        ("exclusion", "B", "5.884615611 2.769230568 5.000000000 4.000000000", "0.346153821", ""),
        ("surplus", None, "5.884615611 0.000000000 5.000000000 4.000000000", "3.115384389", "C"),
    ]
    assert (winners(result), result.quota) == ("AC", Decimal("4.961538538"))


def test_a_tie_for_defeat_is_settled_by_the_latest_earlier_stage_where_they_differed() -> None:
    result = count_meek(election(1, "4 A", "3 B", "1 CB", "1 C"), seed="s")
    # Stage 1: quota 9 / 2 + 0.000000001 = 4.500000001; no one reaches it; the surplus is 0, so C (2)
    #   is defeated. Round 3: one of C's papers goes to B (4), the other is exhausted; the quota is
    #   8 / 2 + 0.000000001 = 4.000000001 and A and B are tied at 4. At stage 2 B had 3 and A 4: B is
    #   defeated, and A, the only candidate left, is elected.
    assert table(result) == [
        ("first", None, "4.000000000 3.000000000 2.000000000", "0.000000000", ""),
        ("exclusion", "C", "4.000000000 3.000000000 2.000000000", "0.000000000", ""),
        ("exclusion", "B", "4.000000000 4.000000000 0.000000000", "1.000000000", "A"),
    ]
    assert result.stages[2].tie == Tie("earlier-stage", (0, 1), chosen=1, stage=2)
    assert (winners(result), result.quota) == ("A", Decimal("4.000000001"))


def test_a_tie_no_stage_separates_is_drawn_by_lot_from_the_seed() -> None:
    ballots = election(1, "2 A", "2 B", "1 C")
    result = count_meek(ballots, seed="witnessed")
    # C (1) is defeated; its paper is exhausted; A and B have 2 each at every stage: a lot.
    tie = result.stages[2].tie
    assert tie is not None
    assert (tie.by, tie.candidates, tie.stage, tie.seed) == ("lot", (0, 1), None, "witnessed")
    loser = "AB"[tie.chosen]
    assert table(result) == [
        ("first", None, "2.000000000 2.000000000 1.000000000", "0.000000000", ""),
        ("exclusion", "C", "2.000000000 2.000000000 1.000000000", "0.000000000", ""),
        ("exclusion", loser, "2.000000000 2.000000000 0.000000000", "1.000000000", "AB".replace(loser, "")),
    ]
    assert count_meek(ballots, seed="witnessed") == result  # the same seed, the same count
    assert {winners(count_meek(ballots, seed=str(s))) for s in range(40)} == {"A", "B"}


def test_three_tied_are_narrowed_by_an_earlier_stage_then_drawn_by_lot() -> None:
    ballots = election(1, "3 A", "3 B", "4 C", "1 DA", "1 DB")
    # D (2) is defeated; A, B and C then have 4 each. At stage 2 C had 4 and A and B 3: C is safe, and
    # as A and B were equal at every stage, a lot decides between them. The other then ties with C at
    # 4, and is defeated by stage 2 again, so C wins whatever the lot.
    for seed in ("1", "2", "3", "4"):
        result = count_meek(ballots, seed=seed)
        third, fourth = result.stages[2].tie, result.stages[3].tie
        assert third is not None and fourth is not None
        assert (third.by, third.candidates, third.stage, third.seed) == ("lot", (0, 1, 2), 2, seed)
        other = 1 - third.chosen
        assert fourth == Tie("earlier-stage", tuple(sorted((other, 2))), chosen=other, stage=2)
        assert table(result)[2][2] == "4.000000000 4.000000000 4.000000000 0.000000000"
        assert winners(result) == "C"


def test_candidates_within_the_total_surplus_of_the_lowest_are_tied_with_it() -> None:
    result = count_meek(election(3, "2 BACD", "8 C", "4 DA"), seed="s")
    # Stage 1: quota 14 / 4 + 0.000000001 = 3.500000001: C (8) and D (4) are elected.
    # Round 2, iteration 2: kf(C) = 3.500000001 / 8 -> 0.437500001, kf(D) = 3.500000001 / 4 ->
    #   0.875000001; C 8 * 0.437500001 = 3.500000008, D 3.500000004, A 4 * 0.124999999 = 0.499999996.
    # After 13 iterations the surplus (0.000000275 + 0.000000271 = 0.000000546) is below omega; in
    #   exact arithmetic all four would have 2. A (1.999999636) is the lowest, and B (2.000000000) is
    #   within 0.000000546 of it, so the two are tied; at stage 1 A had 0 and B 2: A is defeated.
    assert table(result) == [
        ("first", None, "0.000000000 2.000000000 8.000000000 4.000000000", "0.000000000", "CD"),
        ("exclusion", "A", "1.999999636 2.000000000 2.000000368 2.000000364", "5.999999632", "B"),
    ]
    assert result.stages[1].tie == Tie("earlier-stage", (0, 1), chosen=0, stage=1)
    assert (winners(result), result.quota) == ("CDB", Decimal("2.000000093"))


def test_iteration_stops_when_the_surplus_stops_falling() -> None:
    result = count_meek(election(2, "12 A", candidates="ABC"), seed="s")
    # A's surplus can go nowhere, so every iteration the quota follows A's vote down (to a third):
    #   it  kf(A)        A            quota        surplus
    #   2   0.333333334  4.000000008  1.333333337  2.666666671
    #   3   0.111111112  1.333333344  0.444444449  0.888888895
    #   ...
    #   12  0.000009337  0.000112044  0.000037349  0.000074695
    #   13  0.000008926  0.000107112  0.000035705  0.000071407
    #   14  0.000009337  0.000112044  0.000037349  0.000074695 >= the previous surplus: stop
    # (rounding up keeps kf from falling further). The surplus is still above omega, but B.3 follows:
    # B and C have nothing at every stage, so a lot defeats one and the other takes the second seat.
    assert table(result)[1][2:4] == ("0.000112044 0.000000000 0.000000000", "11.999887956")
    tie = result.stages[1].tie
    assert tie is not None and (tie.by, tie.candidates) == ("lot", (1, 2))
    assert result.winners == (0, 3 - tie.chosen)
    assert result.quota == Decimal("0.000037349")


def test_withdrawn_candidates_are_skipped_and_ballots_left_empty_are_invalid() -> None:
    result = count_meek(
        election(1, "3 DA", "3 B", "1 CB", "1 CD", "1 D", "1", candidates="ABCD", withdrawn="D"), seed="s"
    )
    # D is skipped everywhere: "3 DA" counts for A; "1 D" and the blank paper are invalid (2).
    # Stage 1: quota 8 / 2 + 0.000000001 = 4.000000001; C (2) is defeated. Then "1 CB" goes to B (4)
    # and "1 CD" is exhausted: quota 7 / 2 + 0.000000001 = 3.500000001, which B reaches.
    assert table(result) == [
        ("first", None, "3.000000000 3.000000000 2.000000000 0.000000000", "0.000000000", ""),
        ("exclusion", "C", "3.000000000 3.000000000 2.000000000 0.000000000", "0.000000000", ""),
        ("surplus", None, "3.000000000 4.000000000 0.000000000 0.000000000", "1.000000000", "B"),
    ]
    assert (winners(result), result.valid, result.invalid) == ("B", 8, 2)
    assert result.withdrawn == frozenset({3})


def test_candidates_elected_together_are_listed_highest_first_then_in_file_order() -> None:
    result = count_meek(election(3, "5 A", "2 C", "2 B", "1 D", candidates="ABCD"), seed="s")
    # Stage 1: quota 10 / 4 + 0.000000001 = 2.500000001; A (5) is elected. Round 2: kf(A) =
    # 2.500000001 / 5 -> 0.500000001, so A keeps 2.500000005 and 2.499999995 is exhausted: the quota
    # becomes 7.500000005 / 4 = 1.875000001 (truncated) + 0.000000001, and B and C (2) both reach it.
    assert table(result) == [
        ("first", None, "5.000000000 2.000000000 2.000000000 1.000000000", "0.000000000", "A"),
        ("surplus", None, "2.500000005 2.000000000 2.000000000 1.000000000", "2.499999995", "BC"),
    ]
    assert (winners(result), result.quota) == ("ABC", Decimal("1.875000002"))


def test_when_the_candidates_left_equal_the_seats_left_they_are_deemed_elected() -> None:
    result = count_meek(election(2, "3 A", "3 B", "3 C", "2 D"), seed="deemed")
    # Quota 11 / 3 = 3.666666666 + 0.000000001; D (2) is defeated, its papers exhausted; A, B and C
    # then have 3 each, at every stage: one is defeated by lot and the other two fill the seats.
    tie = result.stages[2].tie
    assert tie is not None and (tie.by, tie.candidates) == ("lot", (0, 1, 2))
    rest = "ABC".replace("ABC"[tie.chosen], "")
    assert table(result)[2] == (
        "exclusion", "ABC"[tie.chosen], "3.000000000 3.000000000 3.000000000 0.000000000", "2.000000000", rest
    )  # fmt: skip
    assert (winners(result), result.quota) == (rest, Decimal("3.000000001"))


@pytest.mark.parametrize(
    ("seats", "withdrawn", "expected"),
    [(3, "", "AB"), (2, "", "AB"), (2, "C", "AB"), (1, "B", "A")],
)
def test_no_more_candidates_than_seats_are_all_elected_at_the_first_stage(
    seats: int, withdrawn: str, expected: str
) -> None:
    candidates = "ABC" if withdrawn == "C" else "AB"
    result = count_meek(election(seats, "2 A", "1 BA", candidates=candidates, withdrawn=withdrawn), seed="s")
    assert [row[0] for row in table(result)] == ["first"]
    assert (winners(result), table(result)[0][4]) == (expected, expected)
    if (seats, withdrawn) == (3, ""):
        assert table(result)[0][2] == "2.000000000 1.000000000"
        assert result.quota == Decimal("0.750000001")  # 3 / 4, plus 0.000000001


# Published counts: Droop, the PR Foundation's own counting program, run with its meek-prf rule (the
# Reference Meek Rule), test/ref/dump/*-meek-prf-o6-fixed-p9-d9.txt in github.com/jklundell/droop.


@pytest.mark.parametrize(
    ("blt", "exclusion"),
    [
        ("3 2\n4 1 2 0\n2 3 0\n0\n", "2.000000004 1.999999996 2.000000000"),  # 42t.blt
        ("3 2\n5 1 2 0\n1 2 0\n3 3 0\n0\n", "3.000000005 2.999999995 3.000000000"),  # 513.blt
    ],
)
def test_droops_castor_pollux_helen_counts(blt: str, exclusion: str) -> None:
    # "Pollux and Helen should tie", in exact arithmetic; in nine decimals rounded up, Pollux loses.
    result = count_meek(parse_blt(blt + '"Castor"\n"Pollux"\n"Helen"\n"Pollux and Helen should tie"\n'), "s")
    assert [row[:3] for row in table(result)][1:] == [("exclusion", "Pollux", exclusion)]
    assert result.winner_names() == ["Castor", "Helen"]


GPUS_2005 = """13 4
1 7 8 9 11 12 0\n1 7 8 9 11 12 0\n1 13 7 5 4 2 1 0\n1 5 13 2 7 4 1 0\n1 13 4 1 2 0\n1 4 2 13 1 3 0
1 4 13 2 7 0\n1 7 8 12 1 13 9 2 4 11 5 0\n1 1 13 3 4 7 5 2 0\n1 4 1 13 7 3 5 2 0\n1 4 1 13 7 3 5 2 0
1 1 4 13 2 7 5 3 9 8 12 11 0\n1 7 1 8 9 13 3 2 4 12 5 11 0\n1 7 8 9 11 12 0\n1 7 1 8 9 13 3 2 4 12 5 11 0
1 7 8 9 11 12 0\n1 7 8 9 11 12 0\n1 7 8 9 11 12 0\n1 5 1 13 3 2 4 7 0\n1 7 8 9 3 12 2 13 5 1 4 0
1 3 13 1 2 0\n1 3 13 1 2 0\n1 4 7 13 5 0\n1 4 5 13 3 2 1 0\n1 7 8 9 11 12 0\n1 7 9 8 12 11 2 13 0
1 7 8 9 11 12 0\n1 7 8 9 11 12 0\n1 4 3 13 1 0\n1 4 3 13 1 0\n1 13 3 4 1 7 2 5 0\n1 3 13 4 1 7 2 5 0
1 13 3 4 1 2 5 7 0\n1 13 1 4 2 5 3 7 0\n1 13 4 3 1 2 5 0\n1 3 13 1 4 2 7 5 0\n1 4 3 13 8 0\n1 4 3 13 1 0
1 1 4 13 7 0\n1 1 4 13 7 0\n1 7 3 4 13 1 5 0\n1 9 11 8 7 0\n1 7 8 9 11 12 0\n1 13 3 5 2 0\n1 4 5 2 3 13 0
1 13 5 2 4 1 3 7 0\n1 13 5 2 1 7 3 8 0\n1 7 8 9 12 11 0\n1 7 8 4 9 12 0\n1 13 4 7 2 8 0\n1 4 13 2 7 1 8 0
1 7 8 11 9 12 0\n1 8 4 7 11 13 9 0\n1 7 4 2 13 0\n1 13 1 7 4 0\n1 4 1 2 13 9 5 0\n1 1 4 13 5 3 2 0
1 7 5 4 8 11 2 13 1 3 9 12 0\n1 4 8 7 5 13 2 1 3 9 0\n1 3 4 7 2 12 13 8 1 5 0\n1 7 8 9 11 12 0
1 7 8 11 9 0\n1 7 8 11 9 0\n1 7 8 9 11 12 0\n1 7 8 9 11 12 0\n1 7 8 9 11 12 0\n1 13 2 4 7 5 1 0
1 7 8 9 11 12 0\n1 7 8 9 11 0\n1 7 8 9 11 12 0\n1 2 7 8 12 13 11 1 5 9 0\n1 4 7 8 2 0\n1 4 13 5 2 1 3 0
1 13 4 7 3 1 5 8 2 9 0\n1 4 3 13 1 7 0\n1 13 4 1 3 0\n1 4 1 13 3 2 7 8 0\n1 2 4 13 5 0\n1 2 3 4 1 13 7 0
1 3 1 4 13 0\n1 4 3 1 2 11 0\n1 3 1 4 13 2 7 0\n1 4 1 2 8 3 0\n1 4 1 5 13 2 3 0\n1 4 1 5 13 2 3 0
1 7 8 9 11 12 0\n1 7 8 9 11 12 0\n1 13 7 3 2 5 4 1 0\n1 13 5 7 2 4 1 0\n1 7 8 9 11 12 0
1 1 13 3 7 2 4 5 0\n1 13 1 2 7 4 5 3 0\n1 13 1 2 7 4 5 3 0\n1 3 1 4 2 13 7 9 5 8 0
0
"Budd Dickinson"\n"Kirit Mookerjee"\n"Tom Sevigny"\n"Pat LaMarche"\n"Michael Piacsek"\n"Write-In 2"
"Rebecca Rotzler"\n"Kristen Olsen"\n"Jason Jones"\n"Write-In 1"\n"Steve Greenfield"\n"Jimmy Leas"
"Steve Kramer"\n"GPUS Steering Committee Election 2005-07-24"
"""


def nine(*values: str) -> str:
    """Totals as a stage shows them: "6" -> "6.000000000"."""
    return " ".join(format(Decimal(value), ".9f") for value in values)


# Droop's figures for SC.blt (13 candidates in file order, then the residual), in this module's stages.
_ROUND_2 = ("8.006073598", "3.232685848", "9.408174589", "18.800000609", "2.759954125", "0", "18.800000299")
_JONES = ("13.000470959", "1.435843893", "0", "0", "0", "18.556796080")  # Olsen to Kramer, in round 2
_GPUS_STAGES = [
    ("first", None, nine("6", "3", "8", "22", "2", "0", "33", "1", "1", "0", "0", "0", "18"), nine("0"),
     "Rebecca Rotzler|Pat LaMarche"),
    ("exclusion", "Jason Jones", nine(*_ROUND_2, *_JONES), nine("0"), ""),
    ("exclusion", "Michael Piacsek", nine(*_ROUND_2, "14.436314852", "0", "0", "0", "0", "18.556796080"),
     nine("0"), ""),
    ("surplus", None, nine("9.006073598", "3.394740964", "9.408174589", "19.165213770", "0", "0",
     "18.800000299", "14.506945584", "0", "0", "0", "0", "19.718851196"), nine("0"), "Steve Kramer"),
    ("exclusion", "Kirit Mookerjee", nine("9.427381450", "3.730149807", "9.774255128", "18.799133460", "0",
     "0", "18.799133416", "14.666479770", "0", "0", "0", "0", "18.799133497"), "0.004333472", ""),
    ("exclusion", "Budd Dickinson", nine("10.204118384", "0", "11.498644230", "18.789719457", "0", "0",
     "18.789719396", "15.876675538", "0", "0", "0", "0", "18.789719467"), "0.051403528", ""),
    ("surplus", None, nine("0", "0", "16.482212783", "19.087429756", "0", "0", "19.073682122",
     "19.085721549", "0", "0", "0", "0", "19.202438090"), "1.068515700", "Kristen Olsen"),
]  # fmt: skip


def test_droops_published_meek_prf_count_of_the_gpus_2005_steering_committee() -> None:
    result = count_meek(parse_blt(GPUS_2005), seed="s")
    rows = table(result, sep="|")
    # Stages 2-5 defeat the four candidates with no votes, at round 2's converged totals, in an order
    # drawn by lot (Droop uses its own tie order); everything else is Droop's figures, to 10⁻⁹.
    assert {row[1] for row in rows[1:5]} == {"Write-In 2", "Write-In 1", "Steve Greenfield", "Jimmy Leas"}
    zeros = nine(*_ROUND_2, *_JONES)
    assert all(row[0] == "exclusion" and row[2:] == (zeros, nine("0"), "") for row in rows[1:5])
    assert [rows[0], *rows[5:]] == _GPUS_STAGES
    assert result.winner_names() == ["Rebecca Rotzler", "Pat LaMarche", "Steve Kramer", "Kristen Olsen"]
    assert (result.quota, result.valid) == (Decimal("18.586296861"), 94)


# Droop's figures for SCwopt.blt: the same ballots with Pat LaMarche withdrawn.
_ROUND_2W = ("14.687022182", "4.902015388", "15.084894966", "0", "5.084894966", "0", "18.800000256")
_GPUS_WITHDRAWN_STAGES = [
    ("first", None, nine("13", "4", "14", "0", "4", "0", "35", "2", "1", "0", "0", "0", "21"), nine("0"),
     "Rebecca Rotzler|Steve Kramer"),
    ("exclusion", "Jason Jones", nine(*_ROUND_2W, "15.170786944", "1.470385248", "0", "0", "0",
     "18.800000050"), nine("0"), ""),
    ("exclusion", "Kirit Mookerjee", nine(*_ROUND_2W, "16.641172192", "0", "0", "0", "0", "18.800000050"),
     nine("0"), ""),
    ("exclusion", "Michael Piacsek", nine("15.639274312", "0", "16.592840051", "0", "5.920644023", "0",
     "18.756279762", "18.116080339", "0", "0", "0", "0", "18.756279695"), "0.218601818", ""),
    ("surplus", None, nine("18.540475691", "0", "18.198870038", "0", "0", "0", "18.968235543",
     "18.881601093", "0", "0", "0", "0", "18.701472096"), "0.709345539", "Kristen Olsen"),
    ("surplus", None, nine("18.653554186", "0", "18.253929123", "0", "0", "0", "18.655165128",
     "18.671139499", "0", "0", "0", "0", "18.651849140"), "1.114362924", "Budd Dickinson"),
]  # fmt: skip


def test_droops_published_count_of_the_same_election_with_a_candidate_withdrawn() -> None:
    result = count_meek(replace(parse_blt(GPUS_2005), withdrawn=frozenset({3})), seed="s")
    rows = table(result, sep="|")
    assert {row[1] for row in rows[1:5]} == {"Write-In 2", "Write-In 1", "Steve Greenfield", "Jimmy Leas"}
    assert [rows[0], *rows[5:]] == _GPUS_WITHDRAWN_STAGES
    assert result.winner_names() == ["Rebecca Rotzler", "Steve Kramer", "Kristen Olsen", "Budd Dickinson"]
    assert result.quota == Decimal("18.577127416")


def test_the_same_seed_gives_the_same_count_whatever_the_order_of_the_ballots() -> None:
    ballots = election(1, "2 A", "2 B", "1 C", "3 DC", "1 DAB")
    shuffled = list(ballots.ballots)
    random.Random(7).shuffle(shuffled)
    for seed in ("a", "b", "c"):
        result = count_meek(ballots, seed)
        assert count_meek(replace(ballots, ballots=tuple(shuffled)), seed) == result
        assert all(total.as_tuple().exponent == -9 for stage in result.stages for total in stage.totals)


_BASE = election(1, "1 AB")


@pytest.mark.parametrize(
    ("refused", "message"),
    [
        (replace(_BASE, seats=0), "at least one seat"),
        (replace(_BASE, ballots=(Ballot(1, (0, 0)),)), "ranks a candidate twice"),
        (replace(_BASE, ballots=(Ballot(1, (0, 5)),)), "ranks \\[0, 5\\]"),
        (replace(_BASE, ballots=(Ballot(-1, (0,)),)), "negative weight"),
        (replace(_BASE, withdrawn=frozenset({4})), "withdrawn candidate 4"),
    ],
)
def test_an_election_that_cannot_be_counted_is_refused(refused: Election, message: str) -> None:
    with pytest.raises(CountingError, match=message):
        count_meek(refused, seed="s")


@pytest.mark.slow  # some seconds: reads and counts 5.6 million ballots
@pytest.mark.skipif(not SCOTLAND.is_dir(), reason="the Scottish ballot data is not here")
def test_all_scottish_council_elections_count() -> None:
    files = sorted(SCOTLAND.glob("*.blt"))
    assert len(files) == 1100
    for path in files:
        result = count_meek(read_blt(path), seed="scotland")
        assert len(result.winners) == result.seats, path.name
        for stage in result.stages:  # the votes and the excess account for every valid ballot
            assert sum(stage.totals) + stage.non_transferable == result.valid, (path.name, stage.number)
