"""Scottish STV (SSI 2007/42 rules 45-52) on small elections worked by hand, each written out here.

Ballots are written "papers: preferences", one letter per candidate. Votes are in 1/100000ths.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from nominations.counting.model import Ballot, CountingError, CountResult, Election, Tie
from nominations.counting.scottish import count_scottish


def election(names: str, seats: int, *ballots: str, withdrawn: str = "") -> Election:
    """`election("ABC", 2, "5: AB", "3: C")`: candidates named by letter, ballots as papers: preferences."""
    index = {name: i for i, name in enumerate(names)}
    parsed = []
    for ballot in ballots:
        papers, _, ranks = ballot.partition(":")
        parsed.append(Ballot(int(papers), tuple(index[c] for c in ranks.strip())))
    return Election(tuple(names), seats, tuple(parsed), frozenset(index[c] for c in withdrawn))


def totals(result: CountResult, number: int) -> list[str]:
    """A stage's totals, and non-transferable last, as strings to five places."""
    stage = result.stages[number - 1]
    return [str(t) for t in (*stage.totals, stage.non_transferable)]


def d(*values: str) -> list[str]:
    return [str(Decimal(v).quantize(Decimal("0.00001"))) for v in values]


def test_a_surplus_moves_every_paper_at_a_truncated_transfer_value() -> None:
    # 14 valid, 2 seats: quota 14 // 3 + 1 = 5.
    # Stage 1: A 8 (elected, surplus 3), B 3, C 2, D 1.
    # Stage 2: A's 8 papers move at 3 x 1 / 8 = 0.375: B +5 x 0.375 = 1.875, C +2 x 0.375 = 0.75;
    #          the paper with no next preference loses 0.375. A keeps the quota, 5.
    # Stage 3: nobody reached 5, no surplus left: D (1) is excluded, the D C paper goes to C at 1.
    #          B 4.875, C 3.75 continue for 1 seat: C, the lower, is excluded, and B is deemed
    #          elected (rule 52), with no further transfer.
    e = election("ABCD", 2, "5: AB", "2: AC", "1: A", "3: B", "2: C", "1: DC")
    result = count_scottish(e, "seed")
    assert result.quota == 5 and result.valid == 14
    actions = [(s.action, s.candidate) for s in result.stages]
    assert actions == [("first", None), ("surplus", 0), ("exclusion", 3)]
    assert totals(result, 1) == d("8", "3", "2", "1", "0")
    assert totals(result, 2) == d("5", "4.875", "2.75", "1", "0.375")
    assert totals(result, 3) == d("5", "4.875", "3.75", "0", "0.375")
    assert [s.elected for s in result.stages] == [(0,), (), (1,)]
    assert result.stages[2].excluded == (2,)
    assert result.winners == (0, 1)


def test_a_second_surplus_moves_first_preferences_and_transferred_papers_each_at_its_own_value() -> None:
    # 28 valid, 3 seats: quota 28 // 4 + 1 = 8.
    # Stage 1: A 12 (elected, surplus 4), B 6, C 5, D 3, E 2.
    # Stage 2: A's 12 papers at 4 x 1 / 12 = 0.333333... -> 0.33333 go to B: +3.99996, B 9.99996
    #          (elected, surplus 1.99996); 0.00004 lost to truncation.
    # Stage 3: *all* B's papers move, at surplus x value / 9.99996, truncated:
    #          B's 6 first preferences at 1.99996 x 1 / 9.99996 = 0.199999... -> 0.19999: +1.19994;
    #          the 12 papers that came from A at 1.99996 x 0.33333 / 9.99996 -> 0.06666: +0.79992.
    #          C 5 + 1.99986 = 6.99986; 0.00010 more is lost (0.00014 in all). B keeps 8.
    # Stage 4: E (2) is excluded; both E D papers go to D: D 5. C and D continue for 1 seat:
    #          D is excluded and C deemed elected (rule 52).
    e = election("ABCDE", 3, "12: ABC", "6: BC", "5: C", "3: D", "2: ED")
    result = count_scottish(e, "seed")
    assert result.quota == 8
    assert totals(result, 2) == d("8", "9.99996", "5", "3", "2", "0.00004")
    assert totals(result, 3) == d("8", "8", "6.99986", "3", "2", "0.00014")
    assert totals(result, 4) == d("8", "8", "6.99986", "5", "0", "0.00014")
    assert [(s.action, s.candidate, s.elected) for s in result.stages] == [
        ("first", None, (0,)),
        ("surplus", 0, (1,)),
        ("surplus", 1, ()),
        ("exclusion", 4, (2,)),
    ]
    assert result.stages[3].excluded == (3,)
    assert result.winners == (0, 1, 2)


def test_equal_surpluses_go_by_the_most_recent_stage_at_which_they_differed() -> None:
    # 43 valid, 4 seats: quota 43 // 5 + 1 = 9.
    # Stage 1: A 12 and C 11 elected; B 8, D 5, E 4, F 3. A's surplus (3) is the larger.
    # Stage 2: A's 12 A B papers at 3 / 12 = 0.25: B 11, elected. C and B now both have 11.
    # Stage 3: surpluses equal (2 each); at stage 1, C had 11 and B 8: C's moves first.
    #          C's 11 C D papers at 2 / 11 = 0.181818... -> 0.18181: D +1.99991 = 6.99991.
    # Stage 4: B's surplus: no paper of B's has a next preference; all 2 votes are lost.
    # Stage 5: F (3) excluded, its papers exhausted. D and E continue for 1 seat: E excluded, D elected.
    e = election("ABCDEF", 4, "12: AB", "11: CD", "8: B", "5: D", "4: E", "3: F")
    result = count_scottish(e, "seed")
    assert result.quota == 9
    surplus_of_c = result.stages[2]
    assert (surplus_of_c.action, surplus_of_c.candidate) == ("surplus", 2)
    assert surplus_of_c.tie == Tie("earlier-stage", (1, 2), 2, stage=1)
    assert totals(result, 3) == d("9", "11", "9", "6.99991", "4", "3", "0.00009")
    assert totals(result, 4) == d("9", "9", "9", "6.99991", "4", "3", "2.00009")
    assert [(s.action, s.candidate) for s in result.stages[3:]] == [("surplus", 1), ("exclusion", 5)]
    assert (result.stages[4].excluded, result.winners) == ((4,), (0, 2, 1, 3))


def test_equal_lowest_go_by_the_most_recent_stage_at_which_they_differed_not_the_first() -> None:
    # 163 valid, 2 seats: quota 163 // 3 + 1 = 55. W 55 is elected at stage 1 with no surplus.
    # Stage 1: R 35, X 30, Y 20, Q 12, P 11.  P excluded: its papers go to Y.
    # Stage 2: X 30, Y 31.                     Q excluded: 1 paper to X, 11 exhausted.
    # Stage 3: X 31, Y 31, R 35: X and Y are lowest and equal. At stage 2 X was lower (30 < 31),
    #          though at stage 1 Y was (20 < 30): the most recent stage counts, so X is excluded.
    # Stage 4: X's 30 X R papers lift R to 65: elected; the Q X paper is exhausted.
    e = election("WRXYPQ", 2, "55: W", "35: R", "30: XR", "20: Y", "11: PY", "1: QX", "11: Q")
    result = count_scottish(e, "seed")
    actions = [(s.action, s.candidate) for s in result.stages]
    assert actions == [("first", None), ("exclusion", 4), ("exclusion", 5), ("exclusion", 2)]
    assert result.stages[3].tie == Tie("earlier-stage", (2, 3), 2, stage=2)
    assert totals(result, 4) == d("55", "65", "0", "31", "0", "0", "12")
    assert result.winners == (0, 1)


def test_equal_at_every_stage_is_settled_by_lot_from_the_seed() -> None:
    # 4 valid, 1 seat: quota 3. A 2, B 1, C 1: B and C have always been equal, so a lot excludes one.
    # Then A and the other continue for the seat: the other is excluded and A deemed elected.
    e = election("ABC", 1, "2: A", "1: B", "1: C")
    result = count_scottish(e, "witnessed-seed")
    tie = result.stages[1].tie
    assert tie is not None and (tie.by, tie.candidates, tie.seed) == ("lot", (1, 2), "witnessed-seed")
    assert result.stages[1].candidate == tie.chosen
    assert result == count_scottish(e, "witnessed-seed")
    assert {count_scottish(e, str(s)).stages[1].candidate for s in range(30)} == {1, 2}
    assert result.winners == (0,)


def test_when_the_candidates_left_equal_the_seats_they_are_deemed_elected_at_once() -> None:
    result = count_scottish(election("ABC", 3, "5: A", "1: B"), "s")
    assert [s.elected for s in result.stages] == [(0, 1, 2)]
    assert result.winners == (0, 1, 2)


def test_a_withdrawn_candidate_is_skipped_and_ballots_with_nothing_left_are_invalid() -> None:
    # B withdrawn: the B A papers count for A; the lone B paper is invalid. 6 valid, quota 4.
    result = count_scottish(election("ABC", 1, "3: BA", "1: B", "3: C", "1: A", withdrawn="B"), "s")
    assert (result.valid, result.invalid, result.quota) == (7, 1, 4)
    assert totals(result, 1) == d("4", "0", "3", "0")
    assert result.winners == (0,)


def test_an_election_that_cannot_be_counted_is_refused() -> None:
    with pytest.raises(CountingError, match="at least one seat"):
        count_scottish(election("AB", 0, "1: A"), "s")
    with pytest.raises(CountingError, match="ranks the same candidate twice"):
        count_scottish(Election(("A", "B"), 1, (Ballot(1, (0, 0)),)), "s")
    with pytest.raises(CountingError, match="does not exist"):
        count_scottish(Election(("A", "B"), 1, (Ballot(1, (2,)),)), "s")
    with pytest.raises(CountingError, match="withdrawn candidate"):
        count_scottish(Election(("A", "B"), 1, (), frozenset({5})), "s")
