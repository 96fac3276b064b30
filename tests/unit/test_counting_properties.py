"""Properties every method must have, on elections hypothesis makes up.

- The number elected equals the seats (when enough candidates stand).
- At every stage the candidates' totals plus the non-transferable equal the valid ballots (for
  block and approval, where a ballot has several X votes, the totals are at most votes x ballots).
- The order of the ballots never changes the result.
- Renaming candidates never changes the result; putting them in another order changes it only
  by the relabelling, unless a lot was drawn (a lot is drawn over the candidates' places).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nominations.counting.methods import METHODS, count
from nominations.counting.model import Ballot, CountResult, Election

PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def elections(draw: st.DrawFn, method: str) -> Election:
    n = draw(st.integers(1, 6))
    seats = 1 if method == "av" else draw(st.integers(1, 3))
    rankings = st.lists(st.integers(0, n - 1), unique=True, max_size=n).map(tuple)
    ballots = draw(st.lists(st.builds(Ballot, st.integers(1, 9), rankings), max_size=10))
    withdrawn = draw(st.frozensets(st.integers(0, n - 1), max_size=1))
    return Election(tuple(f"C{i}" for i in range(n)), seats, tuple(ballots), withdrawn)


def every_method(data: st.DataObject) -> Iterator[tuple[str, Election]]:
    """Each method, with an election shaped for it."""
    for method in METHODS:
        yield method, data.draw(elections(method), label=method)


def lots(result: CountResult) -> bool:
    return any(t.by == "lot" for s in result.stages for t in s.ties())


@PROPERTIES
@given(st.data())
def test_as_many_are_elected_as_there_are_seats(data: st.DataObject) -> None:
    for method, election in every_method(data):
        result = count(election, method, "seed")
        standing = len(election.candidates) - len(election.withdrawn)
        assert len(result.winners) == min(election.seats, standing), method
        assert len(set(result.winners)) == len(result.winners)
        assert not set(result.winners) & election.withdrawn


@PROPERTIES
@given(st.data())
def test_totals_and_non_transferable_make_up_the_valid_ballots_at_every_stage(data: st.DataObject) -> None:
    for method, election in every_method(data):
        result = count(election, method, "seed")
        votes = {"block": election.seats, "approval": len(election.candidates)}.get(method, 1)
        for stage in result.stages:
            assert min(stage.totals, default=0) >= 0 and stage.non_transferable >= 0, method
            if votes == 1:
                assert sum(stage.totals) + stage.non_transferable == result.valid, (method, stage)
            else:
                assert sum(stage.totals) <= votes * result.valid
        losses = [s.non_transferable for s in result.stages]
        assert losses == sorted(losses), method  # nothing comes back from the non-transferable pile


@PROPERTIES
@given(st.data())
def test_the_order_of_the_ballots_never_changes_the_result(data: st.DataObject) -> None:
    for method, election in every_method(data):
        shuffled = replace(election, ballots=tuple(data.draw(st.permutations(election.ballots))))
        assert count(shuffled, method, "seed") == count(election, method, "seed"), method


@PROPERTIES
@given(st.data())
def test_renaming_candidates_changes_nothing_but_the_names(data: st.DataObject) -> None:
    for method, election in every_method(data):
        renamed = replace(election, candidates=tuple(f"New {name}" for name in election.candidates))
        result, again = count(election, method, "seed"), count(renamed, method, "seed")
        assert again == replace(result, candidates=renamed.candidates), method


@PROPERTIES
@given(st.data())
def test_reordering_candidates_relabels_the_result_unless_a_lot_was_drawn(data: st.DataObject) -> None:
    for method, election in every_method(data):
        n = len(election.candidates)
        new_place = data.draw(st.permutations(range(n)))  # candidate c is now at new_place[c]
        moved = Election(
            tuple(name for _, name in sorted(zip(new_place, election.candidates, strict=True))),
            election.seats,
            tuple(Ballot(b.weight, tuple(new_place[c] for c in b.ranking)) for b in election.ballots),
            frozenset(new_place[c] for c in election.withdrawn),
        )
        result, other = count(election, method, "seed"), count(moved, method, "seed")
        if lots(result) or lots(other):
            continue
        assert sorted(new_place[c] for c in result.winners) == sorted(other.winners), method
        for stage, mirror in zip(result.stages, other.stages, strict=True):
            assert (stage.action, stage.non_transferable) == (mirror.action, mirror.non_transferable)
            assert stage.candidate is None or new_place[stage.candidate] == mirror.candidate
            assert all(stage.totals[c] == mirror.totals[new_place[c]] for c in range(n)), method
            assert {new_place[c] for c in stage.elected} == set(mirror.elected), method
