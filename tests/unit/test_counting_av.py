"""The alternative vote, on small elections worked by hand."""

from __future__ import annotations

import pytest

from nominations.counting.av import count_av
from nominations.counting.model import CountingError, Election, Tie
from tests.unit.test_counting_scottish import election as scottish_election


def election(names: str, *ballots: str, withdrawn: str = "") -> Election:
    return scottish_election(names, 1, *ballots, withdrawn=withdrawn)


def test_the_lowest_are_excluded_until_someone_has_a_majority_of_the_votes_still_counting() -> None:
    # 22 valid. Stage 1: A 8, B 6, C 5, D 3: nobody has more than 11.
    # Stage 2: D excluded; D C papers (2) go to C, the lone D paper is exhausted. A 8, B 6, C 7;
    #          21 votes still count, so 11 is a majority: nobody yet.
    # Stage 3: B excluded; B C papers (6) go to C: C 13 of 21, elected, though A led at first.
    result = count_av(election("ABCD", "8: A", "6: BC", "5: CB", "2: DC", "1: D"), "s")
    assert [[int(t) for t in s.totals] for s in result.stages] == [[8, 6, 5, 3], [8, 6, 7, 0], [8, 0, 13, 0]]
    assert [int(s.non_transferable) for s in result.stages] == [0, 1, 1]
    assert [(s.action, s.candidate, s.elected) for s in result.stages] == [
        ("first", None, ()),
        ("exclusion", 3, ()),
        ("exclusion", 1, (2,)),
    ]
    assert (result.winners, result.quota, result.valid) == ((2,), None, 22)


def test_a_majority_at_the_first_stage_ends_the_count() -> None:
    result = count_av(election("AB", "3: A", "2: B"), "s")
    assert (len(result.stages), result.winners) == (1, (0,))


def test_equal_lowest_are_separated_by_an_earlier_stage_then_by_lot() -> None:
    # Stage 1: A 5, B 4, C 3, D 1. D's paper goes to C: stage 2 A 5, B 4, C 4.
    # B and C are equal lowest; at stage 1 C had fewer (3 < 4), so C is excluded, to A: A 8 wins.
    result = count_av(election("ABCD", "5: A", "4: B", "3: CA", "1: DC"), "s")
    assert result.stages[2].tie == Tie("earlier-stage", (1, 2), 2, stage=1)
    assert result.winners == (0,)
    # A 2, B 1, C 1 from the start: a lot, recorded with its seed, excludes B or C.
    tied = election("ABC", "2: A", "1: B", "1: C")
    lots = {count_av(tied, str(seed)).stages[1].candidate for seed in range(30)}
    assert lots == {1, 2}
    tie = count_av(tied, "witnessed").stages[1].tie
    assert tie is not None and (tie.by, tie.seed) == ("lot", "witnessed")


def test_withdrawn_candidates_are_skipped_and_empty_ballots_are_invalid() -> None:
    result = count_av(election("ABC", "3: BC", "2: A", "1: B", withdrawn="B"), "s")
    assert (result.valid, result.invalid, result.winners) == (5, 1, (2,))


def test_av_fills_one_seat_only() -> None:
    with pytest.raises(CountingError, match="av fills one seat and this election has 2"):
        count_av(Election(("A", "B", "C"), 2, ()), "s")
