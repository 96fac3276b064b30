"""Plurality, block vote and approval: most X votes win; a tie for the last seats is drawn by lot.

The first four tests are the old plurality module's, on X-vote papers as the vacancy workflow
casts them (nomination ids); the rest read ranked ballots the way the issue says.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from nominations.counting.model import Ballot, CountingError, Election, Tie
from nominations.counting.xvote import count_approval, count_block, count_plurality, election_from_marks


def marks(papers: list[list[int]], candidates: list[int], seats: int) -> Election:
    return election_from_marks(candidates, papers, seats, most=seats)


def totals_by_id(election: Election, totals: tuple[Decimal, ...]) -> dict[int, int]:
    return {int(name): int(votes) for name, votes in zip(election.candidates, totals, strict=True)}


def test_most_votes_wins_and_blank_ballots_are_invalid() -> None:
    election = marks([[1], [2], [2], [], [3], [2]], [1, 2, 3], seats=1)
    result = count_plurality(election, seed="s")
    winners = tuple(int(election.candidates[c]) for c in result.winners)
    assert (result.method, winners, result.valid, result.invalid) == ("plurality", (2,), 5, 1)
    [stage] = result.stages
    assert totals_by_id(election, stage.totals) == {1: 1, 2: 3, 3: 1}
    assert stage.ties() == ()


def test_block_vote_fills_several_seats() -> None:
    election = marks([[1, 2], [2, 3], [2], [3, 1], [3]], [1, 2, 3, 4], seats=2)
    result = count_block(election, seed="s")
    assert result.method == "block"
    assert [int(election.candidates[c]) for c in result.winners] == [2, 3]


def test_a_tie_for_the_last_seat_is_drawn_by_lot_reproducibly() -> None:
    election = marks([[1], [2], [3], [3]], [1, 2, 3], seats=2)
    first = count_block(election, seed="witnessed-seed")
    again = count_block(election, seed="witnessed-seed")
    assert first == again
    ids = [int(c) for c in election.candidates]
    assert ids[first.winners[0]] == 3
    [tie] = first.stages[0].ties()
    assert ([ids[c] for c in tie.candidates], tie.by, tie.seed) == ([1, 2], "lot", "witnessed-seed")
    assert ids[first.winners[1]] in (1, 2) and tie.chosen == first.winners[1]
    drawn = {ids[count_block(election, seed=str(s)).winners[1]] for s in range(40)}
    assert drawn == {1, 2}  # the lot really depends on the seed


@pytest.mark.parametrize(
    ("ballot", "message"),
    [
        ([1, 1], "marks the same candidate twice"),
        ([9], "unknown candidates \\[9\\]"),
        ([1, 2], "marks 2 candidates but there are 1 seats"),
    ],
)
def test_a_bad_ballot_is_refused(ballot: list[int], message: str) -> None:
    with pytest.raises(CountingError, match=message):
        marks([ballot], [1, 2], seats=1)


def test_papers_may_be_limited_to_one_mark_or_not_at_all() -> None:
    with pytest.raises(CountingError, match="a ballot marks 2 candidates but it may mark 1"):
        election_from_marks([1, 2, 3], [[1, 2]], 2, most=1)
    ranked = election_from_marks([1, 2, 3], [[3, 1, 2]], 1, most=None)
    assert ranked.ballots == (Ballot(1, (2, 0, 1)),) and ranked.candidates == ("1", "2", "3")


# Ranked ballots read as X votes. Candidates A B C D; 10 papers in all.
RANKED = Election(
    candidates=("A", "B", "C", "D"),
    seats=2,
    ballots=(
        Ballot(4, (0, 1, 2)),  # A B C
        Ballot(3, (1, 2)),  # B C
        Ballot(2, (2, 3, 1)),  # C D B
        Ballot(1, (3,)),  # D
    ),
)


def test_plurality_reads_first_preferences() -> None:
    # A 4, B 3, C 2, D 1: the two seats go to A and B.
    result = count_plurality(RANKED, "s")
    assert result.stages[0].totals == (4, 3, 2, 1)
    assert result.winners == (0, 1)
    assert (result.valid, result.invalid, result.quota) == (10, 0, None)


def test_block_reads_the_first_k_preferences() -> None:
    # k = 2: A 4; B 4 + 3 = 7; C 3 + 2 = 5; D 2 + 1 = 3. B and C win, A does not.
    result = count_block(RANKED, "s")
    assert result.stages[0].totals == (4, 7, 5, 3)
    assert result.winners == (1, 2)


def test_approval_reads_every_ranked_candidate() -> None:
    # A 4; B 4 + 3 + 2 = 9; C 4 + 3 + 2 = 9; D 2 + 1 = 3: B and C, equal, both elected (no lot).
    result = count_approval(RANKED, "s")
    assert result.stages[0].totals == (4, 9, 9, 3)
    assert result.winners == (1, 2) and result.stages[0].ties() == ()


def test_a_withdrawn_candidate_is_skipped_and_a_ballot_with_nothing_left_is_invalid() -> None:
    # B withdrawn: A 4, C 3 + 2 = 5, D 1, and with one seat C wins.
    result = count_plurality(Election(RANKED.candidates, 1, RANKED.ballots, frozenset({1})), "s")
    assert result.stages[0].totals == (4, 0, 5, 1)
    assert result.winners == (2,)
    lonely = Election(("A", "B"), 1, (Ballot(2, (1,)), Ballot(1, (0,))), frozenset({1}))
    result = count_plurality(lonely, "s")
    assert (result.valid, result.invalid, result.winners) == (1, 2, (0,))


def test_a_lot_for_two_seats_among_three_draws_twice_and_records_both_draws() -> None:
    ballots = (Ballot(5, (3,)), Ballot(1, (0,)), Ballot(1, (1,)), Ballot(1, (2,)))  # D 5; A, B, C 1 each
    election = Election(("A", "B", "C", "D"), 3, ballots)
    result = count_plurality(election, "lot-seed")
    assert result.winners[0] == 3
    first, second = result.stages[0].ties()
    assert first == Tie("lot", (0, 1, 2), first.chosen, seed="lot-seed")
    assert set(second.candidates) == {0, 1, 2} - {first.chosen}
    assert result.winners[1:] == (first.chosen, second.chosen)


def test_fewer_candidates_than_seats_elects_everyone_standing() -> None:
    election = Election(("A", "B"), 3, (Ballot(1, (0,)),))
    assert count_block(election, "s").winners == (0, 1)


def test_no_seat_to_fill_is_refused() -> None:
    with pytest.raises(CountingError, match="at least one seat"):
        count_plurality(Election(("A",), 0, ()), "s")
