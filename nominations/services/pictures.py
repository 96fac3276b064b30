"""What a vacancy's pictures are drawn from: its state, turnout by day, and its count stage by stage.

Turnout by day comes from the audit trail's `vote` events (who voted and when; never how): the
register of who voted keeps no time, and the ballot papers none either.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, or_, select

from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import AuditEvent, ElectionResult, Nomination, Vacancy
from nominations.services.balloting import turnout_in
from nominations.services.scope import Scope
from nominations.services.vacancy_page import visible_vacancy
from nominations.services.workflows import WorkflowSet
from nominations.workflow.definition import WorkflowDef

UK = ZoneInfo("Europe/London")  # a vote cast at 00:30 BST belongs to the day its voter saw
VOTING = "voting_open"


@dataclass(frozen=True)
class CountStages:
    """A ranked count as `ElectionResult.detail` keeps it, with its candidates' names."""

    method: str
    quota: str | None
    names: dict[str, str]  # the count's candidate labels (nomination ids), in its order: names
    stages: list[dict[str, Any]]


@dataclass(frozen=True)
class PicturesView:
    vacancy: Vacancy
    workflow: WorkflowDef
    turnout: list[tuple[date, int]] | None  # votes cast by the end of each day; None before the ballot
    electorate: int
    count: CountStages | None  # a ranked count once done; None before, and for X-vote counts


class Pictures:
    def __init__(self, db: Database, clock: Clock, workflows: WorkflowSet) -> None:
        self.db, self.clock, self.workflows = db, clock, workflows

    def view(self, scope: Scope, vacancy_id: int) -> PicturesView:
        """The pictures' data; NotFoundError outside the scope, before anything else is read."""
        visible_vacancy(self.db, scope, vacancy_id)
        with self.db.transaction() as session:
            vacancy = session.get_one(Vacancy, vacancy_id)
            days = turnout_by_day(session, vacancy, self.clock.now())
            electorate = turnout_in(session, vacancy_id).electorate if days is not None else 0
            return PicturesView(
                vacancy,
                self.workflows[vacancy.workflow].definition,
                days,
                electorate,
                count_stages(session, vacancy_id),
            )


def turnout_by_day(session: Session, vacancy: Vacancy, now: datetime) -> list[tuple[date, int]] | None:
    """Votes cast by the end of each day of the ballot (UK days), from the day it opened to the day
    it closed (or today, while it is open); None if no ballot has opened."""
    events = session.exec(
        select(AuditEvent.occurred_at, AuditEvent.action, AuditEvent.from_state, AuditEvent.to_state)
        .where(
            AuditEvent.entity_type == "vacancy",
            AuditEvent.entity_id == str(vacancy.id),
            or_(
                AuditEvent.action == "vote",
                AuditEvent.to_state == VOTING,
                AuditEvent.from_state == VOTING,
            ),
        )
        .order_by(col(AuditEvent.seq))
    ).all()
    opened = closed = None
    cast: list[date] = []
    for at, action, before, after in events:
        if action == "vote":
            cast.append(_day(at))
        elif after == VOTING and before != VOTING:
            opened, closed, cast = _day(at), None, []  # a later ballot (none today) starts afresh
        elif before == VOTING and after != VOTING:
            closed = _day(at)
    if opened is None:
        return None
    last = max(closed or min(now, vacancy.voting_close_at or now).astimezone(UK).date(), opened)
    per_day = Counter(min(max(day, opened), last) for day in cast)  # only a clock set back puts one outside
    running, out = 0, []
    for n in range((last - opened).days + 1):
        day = opened + timedelta(days=n)
        running += per_day[day]
        out.append((day, running))
    return out


def count_stages(session: Session, vacancy_id: int) -> CountStages | None:
    """The stored count's stages with names, if it was a ranked count (X-vote counts have one)."""
    result = session.get(ElectionResult, vacancy_id)
    if result is None or not result.detail.get("stages"):
        return None
    nominees = session.exec(
        select(Nomination.id, Nomination.nominee_name).where(Nomination.vacancy_id == vacancy_id)
    )
    by_id = {str(i): name for i, name in nominees}
    names = {str(c): by_id[str(c)] for c in result.detail["candidates"]}
    quota = result.detail.get("quota")
    return CountStages(
        result.method, None if quota is None else str(quota), names, list(result.detail["stages"])
    )


def _day(occurred_at: str) -> date:
    return datetime.fromisoformat(occurred_at.replace("Z", "+00:00")).astimezone(UK).date()
