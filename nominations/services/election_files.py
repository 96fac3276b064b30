"""Every counted election of a network, and the file to recount each from: who won, and every stage.

The ballots themselves are the public ones (`Publishing`): anonymised, never joined to who voted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from nominations.db.engine import Database
from nominations.db.models import ElectionResult, Partnership, Vacancy
from nominations.errors import NotFoundError
from nominations.services.publishing import PUBLISHED, Publishing
from nominations.services.scope import Scope


@dataclass(frozen=True)
class CountedElection:
    vacancy_id: int
    title: str
    partnership: str
    status: str
    method: str
    seats: int

    @property
    def published(self) -> bool:
        """Whether the result is declared, and so its ballots and recount file are out."""
        return self.status in PUBLISHED


def counted_elections(db: Database, scope: Scope) -> list[CountedElection]:
    """Every election of the scope's network that went to a ballot and was counted, newest first."""
    query = (
        select(Vacancy, Partnership.name, ElectionResult.method)
        .join(ElectionResult, col(ElectionResult.vacancy_id) == col(Vacancy.id))
        .join(Partnership, col(Partnership.id) == col(Vacancy.partnership_id))
        .where(
            col(ElectionResult.method) != "unopposed", scope.where(Vacancy.network_id, Vacancy.partnership_id)
        )
        .order_by(col(Vacancy.id).desc())
    )
    with db.transaction() as session:
        rows = session.exec(query).all()
    return [CountedElection(v.id or 0, v.title, p, v.status, m, v.seats) for v, p, m in rows]


def recount_file(db: Database, scope: Scope, vacancy_id: int) -> dict[str, Any]:
    """The declared result as data: candidates, winners, turnout, and the count stage by stage.

    NotFoundError for another network's vacancy, or a result not yet declared.
    """
    result = Publishing(db).result(vacancy_id)
    vacancy = result.vacancy
    if not scope.sees(vacancy.network_id, vacancy.partnership_id):
        raise NotFoundError(f"no declared result for vacancy {vacancy_id}")
    return {
        "vacancy_id": vacancy_id,
        "title": vacancy.title,
        "seats": vacancy.seats,
        "method": result.method,
        "candidates": result.candidates,
        "candidate_ids": {
            str(i): name for i, name in zip(vacancy.ballot_order, result.candidates, strict=True)
        },
        "winners": result.winners,
        "turnout": {"voted": result.voted, "electorate": result.electorate},
        "totals": [{"candidate": name, "votes": votes} for name, votes in result.totals],
        "quota": result.detail.get("quota"),
        "stages": [
            {
                "heading": stage.heading,
                "non_transferable": stage.non_transferable,
                "elected": stage.elected,
                "excluded_without_transfer": stage.excluded,
                "ties": stage.ties,
            }
            for stage in result.stages
        ],
        "stage_totals": [{"candidate": name, "totals": totals} for name, totals in result.stage_rows],
        "count": result.detail,  # exact figures, candidates by the ids above
        "ballots": {
            "blt": f"/results/{vacancy_id}/ballots.blt",
            "csv": f"/results/{vacancy_id}/ballots.csv",
        },
    }
