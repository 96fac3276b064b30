"""What a coordinator sees of one vacancy: its state, deadlines, nominations and what each lacks, turnout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from nominations.db.engine import Database
from nominations.db.models import Nomination, Organisation, Seconding, Vacancy
from nominations.eligibility import missing_conditions
from nominations.errors import NotFoundError
from nominations.services.balloting import Balloting, Turnout
from nominations.services.protocols import protocol_for


@dataclass(frozen=True)
class NominationLine:
    id: int
    nominee: str
    proposer: str
    status: str
    missing: list[str]


@dataclass(frozen=True)
class Overview:
    vacancy: Vacancy
    deadlines: dict[str, datetime | None]
    nominations: list[NominationLine]
    turnout: Turnout | None  # while the ballot is open or after; never the partial result


def overview(db: Database, balloting: Balloting, vacancy_id: int) -> Overview:
    with db.transaction() as session:
        vacancy = session.get(Vacancy, vacancy_id)
        if vacancy is None:
            raise NotFoundError(f"there is no vacancy {vacancy_id}")
        protocol = protocol_for(session, vacancy)
        lines = []
        rows = session.exec(
            select(Nomination).where(Nomination.vacancy_id == vacancy_id).order_by(col(Nomination.id))
        )
        for n in rows:
            seconded = session.exec(
                select(Seconding.organisation_id).where(
                    Seconding.nomination_id == n.id, col(Seconding.seconded_at).is_not(None)
                )
            ).all()
            missing = (
                missing_conditions(
                    protocol,
                    consented=n.consented_at is not None,
                    seconded_by=list(seconded),
                    proposer_id=n.organisation_id,
                )
                if n.status == "pending"
                else []
            )
            proposer = session.get_one(Organisation, n.organisation_id).name
            lines.append(NominationLine(n.id or 0, n.nominee_name, proposer, n.status, missing))
        deadlines = {
            "nominations close": vacancy.nominations_close_at,
            "voting closes": vacancy.voting_close_at,
        }
    balloted = vacancy.status in {"voting_open", "voting_closed", "counted", "declared", "filled"}
    return Overview(vacancy, deadlines, lines, balloting.turnout(vacancy_id) if balloted else None)
