"""Counting a vacancy's ballots, and the result as templates and pages see it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from nominations.counting.methods import count
from nominations.counting.model import Tie
from nominations.counting.render import json_object
from nominations.counting.xvote import election_from_marks
from nominations.db.models import BallotPaper, ElectionResult, Nomination, Vacancy
from nominations.services.protocols import protocol_for
from nominations.services.recipients import valid_nominations

X_VOTE = frozenset({"plurality", "block", "approval"})


@dataclass(frozen=True)
class TotalLine:
    name: str
    votes: Decimal  # whole for X-vote counts; to five or nine places after an STV count


@dataclass(frozen=True)
class ResultView:
    method: str
    winners: list[Nomination]
    totals: list[TotalLine]


def count_vacancy(session: Session, vacancy: Vacancy) -> ElectionResult:
    """Count the ballot papers by the protocol's method; store the result with the seed of any lot."""
    assert vacancy.id is not None
    valid = [n.id for n in valid_nominations(session, vacancy.id) if n.id is not None]
    candidates = [c for c in vacancy.ballot_order if c in valid] or valid  # lots follow ballot order
    papers = session.exec(select(BallotPaper.choices).where(BallotPaper.vacancy_id == vacancy.id)).all()
    method = protocol_for(session, vacancy).method_for(vacancy.seats)
    most = {"plurality": 1, "block": vacancy.seats}.get(method)  # ranked and approval: any number
    election = election_from_marks(candidates, [list(p) for p in papers], vacancy.seats, most=most)
    seed = secrets.token_hex(16)
    counted = count(election, method, seed)
    last = counted.stages[-1]
    detail: dict[str, Any] = {
        "valid": counted.valid,
        "invalid": counted.invalid,
        "totals": {str(c): _votes(v) for c, v in zip(candidates, last.totals, strict=True)},
        "ties": _lots(last.ties(), candidates) if method in X_VOTE else [],
    }
    if method not in X_VOTE:  # a ranked count keeps every stage (candidates by nomination id)
        whole = json_object(counted, "")
        detail |= {"quota": whole["quota"], "stages": whole["stages"], "candidates": candidates}
    winners = [candidates[c] for c in counted.winners]
    result = ElectionResult(
        vacancy_id=vacancy.id, method=counted.method, seed=seed, winners=winners, detail=detail
    )
    session.add(result)
    return result


def _votes(value: Decimal) -> int | str:
    # Whole votes stay numbers, as X-vote counts always have them; transferred votes stay exact.
    return int(value) if value == value.to_integral_value() else str(value)


def _lots(ties: tuple[Tie, ...], candidates: list[int]) -> list[dict[str, Any]]:
    # The last seats drawn one by one from the tied nominees: recorded as one drawing of several.
    if not ties:
        return []
    drawn = [candidates[t.chosen] for t in ties]
    return [{"tied": [candidates[c] for c in ties[0].candidates], "seats_left": len(ties), "drawn": drawn}]


def elect_unopposed(session: Session, vacancy: Vacancy) -> ElectionResult:
    """Every valid nominee is elected; there is nothing to count."""
    assert vacancy.id is not None
    winners = [n.id for n in valid_nominations(session, vacancy.id) if n.id is not None]
    result = ElectionResult(vacancy_id=vacancy.id, method="unopposed", seed="", winners=winners, detail={})
    session.add(result)
    return result


def result_view(session: Session, vacancy_id: int) -> ResultView | None:
    result = session.get(ElectionResult, vacancy_id)
    if result is None:
        return None
    by_id = {n.id: n for n in session.exec(select(Nomination).where(Nomination.vacancy_id == vacancy_id))}
    stored = result.detail.get("totals", {}).items()
    totals = sorted(
        (TotalLine(by_id[int(c)].nominee_name, Decimal(str(v))) for c, v in stored),
        key=lambda line: (-line.votes, line.name),
    )
    return ResultView(method=result.method, winners=[by_id[w] for w in result.winners], totals=totals)
