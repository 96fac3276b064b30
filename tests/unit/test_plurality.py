"""Plurality and block counting: most votes win; ties are drawn by lot from a recorded seed."""

from __future__ import annotations

import pytest

from nominations.counting.plurality import BallotError, count_plurality


def test_most_votes_wins_and_blank_ballots_are_invalid() -> None:
    result = count_plurality([[1], [2], [2], [], [3], [2]], [1, 2, 3], seats=1, seed="s")
    assert (result.method, result.winners, result.valid, result.invalid) == ("plurality", (2,), 5, 1)
    assert result.totals == {1: 1, 2: 3, 3: 1}
    assert result.ties == ()


def test_block_vote_fills_several_seats() -> None:
    result = count_plurality([[1, 2], [2, 3], [2], [3, 1], [3]], [1, 2, 3, 4], seats=2, seed="s")
    assert result.method == "block"
    assert result.winners == (2, 3)


def test_a_tie_for_the_last_seat_is_drawn_by_lot_reproducibly() -> None:
    ballots = [[1], [2], [3], [3]]
    first = count_plurality(ballots, [1, 2, 3], seats=2, seed="witnessed-seed")
    again = count_plurality(ballots, [1, 2, 3], seats=2, seed="witnessed-seed")
    assert first == again
    assert first.winners[0] == 3
    [tie] = first.ties
    assert (tie.tied, tie.seats_left) == ((1, 2), 1)
    assert first.winners[1] in (1, 2) and tie.drawn == (first.winners[1],)
    drawn = {count_plurality(ballots, [1, 2, 3], seats=2, seed=str(s)).winners[1] for s in range(40)}
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
    with pytest.raises(BallotError, match=message):
        count_plurality([ballot], [1, 2], seats=1, seed="s")
