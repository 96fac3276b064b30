"""Counting a vacancy's ballots, and the result as templates and pages see it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from nominations.counting.plurality import count_plurality
from nominations.db.models import BallotPaper, ElectionResult, Nomination, Vacancy
from nominations.services.recipients import valid_nominations


@dataclass(frozen=True)
class TotalLine:
    name: str
    votes: int


@dataclass(frozen=True)
class ResultView:
    method: str
    winners: list[Nomination]
    totals: list[TotalLine]


def count_vacancy(session: Session, vacancy: Vacancy) -> ElectionResult:
    """Count the ballot papers and store the result with the seed any lot was drawn from."""
    assert vacancy.id is not None
    candidates = [n.id for n in valid_nominations(session, vacancy.id) if n.id is not None]
    papers = session.exec(select(BallotPaper.choices).where(BallotPaper.vacancy_id == vacancy.id)).all()
    seed = secrets.token_hex(16)
    counted = count_plurality([list(p) for p in papers], candidates, vacancy.seats, seed)
    detail: dict[str, Any] = {
        "valid": counted.valid,
        "invalid": counted.invalid,
        "totals": {str(c): v for c, v in counted.totals.items()},
        "ties": [
            {"tied": list(t.tied), "seats_left": t.seats_left, "drawn": list(t.drawn)} for t in counted.ties
        ],
    }
    result = ElectionResult(
        vacancy_id=vacancy.id, method=counted.method, seed=seed, winners=list(counted.winners), detail=detail
    )
    session.add(result)
    return result


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
    totals = sorted(
        (TotalLine(by_id[int(c)].nominee_name, v) for c, v in result.detail.get("totals", {}).items()),
        key=lambda line: (-line.votes, line.name),
    )
    return ResultView(method=result.method, winners=[by_id[w] for w in result.winners], totals=totals)
