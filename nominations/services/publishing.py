"""The public result of a declared election: winners, counts, turnout, receipts, recount files."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from nominations.counting.blt import format_blt
from nominations.counting.model import Ballot, Election
from nominations.db.engine import Database
from nominations.db.models import (
    BallotPaper,
    ElectionResult,
    Nomination,
    Vacancy,
)
from nominations.errors import NotFoundError
from nominations.services.balloting import turnout_in
from nominations.services.protocols import protocol_for
from nominations.services.recipients import network_name

PUBLISHED = frozenset({"declared", "filled"})


@dataclass(frozen=True)
class Receipt:
    code: str
    choices: list[str]  # candidate names in the order marked; empty when the protocol shows codes only


@dataclass(frozen=True)
class StageColumn:
    heading: str
    non_transferable: str
    elected: list[str]
    excluded: list[str]  # excluded at this stage with nothing to transfer (the count ended)
    ties: list[str]  # how each tie at this stage was settled, in words


@dataclass(frozen=True)
class PublicResult:
    vacancy: Vacancy
    method: str
    winners: list[str]
    candidates: list[str]  # in ballot order
    detail: dict[str, Any]
    totals: list[tuple[str, str]]  # (candidate, votes) highest first, for X-vote counts
    stages: list[StageColumn]  # for ranked counts: what each stage did, every total after it
    stage_rows: list[tuple[str, list[str]]]  # candidate, then their total after each stage
    voted: int
    electorate: int
    receipts: list[Receipt]
    choices_shown: bool
    network_name: str


class Publishing:
    def __init__(self, db: Database) -> None:
        self.db = db

    def result(self, vacancy_id: int) -> PublicResult:
        """The result page's content; NotFoundError until the result is declared."""
        with self.db.transaction() as session:
            vacancy, result = _declared(session, vacancy_id)
            names = _names(session, vacancy)
            shown, papers = _papers(session, vacancy)
            receipts = [Receipt(p.receipt, [names[c] for c in p.choices] if shown else []) for p in papers]
            turnout = turnout_in(session, vacancy_id)
            totals = sorted(
                ((names[int(c)], str(v)) for c, v in result.detail.get("totals", {}).items()),
                key=lambda line: (-float(line[1]), line[0]),
            )
            columns, rows = _stage_table(result.detail, names)
            return PublicResult(
                vacancy,
                result.method,
                [names[w] for w in result.winners],
                [names[i] for i in vacancy.ballot_order],
                dict(result.detail),
                totals,
                columns,
                rows,
                turnout.voted,
                turnout.electorate,
                receipts,
                shown,
                network_name(session, vacancy),
            )

    def ballots_blt(self, vacancy_id: int) -> str:
        """The anonymised ballots as BLT, for a recount with any STV tool."""
        with self.db.transaction() as session:
            return format_blt(_election(session, vacancy_id))

    def ballots_csv(self, vacancy_id: int) -> str:
        """One row per ballot: its receipt code (when the protocol shows choices) and its choices in order."""
        with self.db.transaction() as session:
            vacancy, _ = _declared(session, vacancy_id)
            names = _names(session, vacancy)
            shown, papers = _papers(session, vacancy)
            out = io.StringIO()
            writer = csv.writer(out)
            width = max((len(p.choices) for p in papers), default=0)
            writer.writerow((["receipt"] if shown else []) + [f"choice_{i + 1}" for i in range(width)])
            for paper in sorted(papers, key=lambda p: p.receipt if shown else p.id):
                row = [names[c] for c in paper.choices]
                writer.writerow(([paper.receipt] if shown else []) + row + [""] * (width - len(row)))
            return out.getvalue()


def _stage_table(
    detail: dict[str, Any], names: dict[int, str]
) -> tuple[list[StageColumn], list[tuple[str, list[str]]]]:
    """A returning officer's sheet: a column per stage, a row per candidate (ranked counts only)."""
    stages, order = detail.get("stages", []), detail.get("candidates", [])
    if not stages:
        return [], []

    def name(candidate: str | None) -> str:
        return names[int(candidate)] if candidate is not None else ""

    actions = {"first": "First preferences", "surplus": "Surplus of", "exclusion": "Exclusion of"}
    columns = [
        StageColumn(
            f"{i + 1}. {actions[s['action']]} {name(s['candidate'])}".strip(),
            s["non_transferable"],
            [name(e) for e in s["elected"]],
            [name(e) for e in s.get("excluded_without_transfer", [])],
            [_tie_words(t, name) for t in s.get("ties", [])],
        )
        for i, s in enumerate(stages)
    ]
    rows = [(names[cid], [s["totals"][k] for s in stages]) for k, cid in enumerate(order)]
    return columns, rows


def _tie_words(tie: dict[str, Any], name: Callable[[str | None], str]) -> str:
    tied = ", ".join(name(c) for c in tie["candidates"])
    if tie["by"] == "lot":
        return f"{tied} were equal; {name(tie['chosen'])} was chosen by lot (seed {tie['seed']})"
    return f"{tied} were equal; stage {tie['stage']} decided: {name(tie['chosen'])}"


def _papers(session: Session, vacancy: Vacancy) -> tuple[bool, list[BallotPaper]]:
    """Whether the protocol shows each receipt's choices, and the papers in receipt order."""
    shown = protocol_for(session, vacancy).receipts == "with-choices"
    query = select(BallotPaper).where(BallotPaper.vacancy_id == vacancy.id).order_by(col(BallotPaper.receipt))
    return shown, list(session.exec(query).all())


def _declared(session: Session, vacancy_id: int) -> tuple[Vacancy, ElectionResult]:
    vacancy = session.get(Vacancy, vacancy_id)
    result = session.get(ElectionResult, vacancy_id)
    if vacancy is None or result is None or vacancy.status not in PUBLISHED:
        raise NotFoundError(f"no declared result for vacancy {vacancy_id}")
    return vacancy, result


def _names(session: Session, vacancy: Vacancy) -> dict[int, str]:
    rows = session.exec(select(Nomination).where(Nomination.vacancy_id == vacancy.id)).all()
    return {n.id or 0: n.nominee_name for n in rows}


def _election(session: Session, vacancy_id: int) -> Election:
    vacancy, _ = _declared(session, vacancy_id)
    names = _names(session, vacancy)
    index = {nid: i for i, nid in enumerate(vacancy.ballot_order)}
    papers = session.exec(select(BallotPaper.choices).where(BallotPaper.vacancy_id == vacancy_id)).all()
    ballots = tuple(Ballot(1, tuple(index[c] for c in choices)) for choices in papers)
    return Election(
        tuple(names[i] for i in vacancy.ballot_order), vacancy.seats, ballots, title=vacancy.title
    )
