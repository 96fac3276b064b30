"""What the panel's pages and commands show: one member's score sheet, and the whole panel's table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from nominations.db.models import Nomination, Vacancy
from nominations.db.term_models import PanelMember, PanelScore
from nominations.selection import missing_scores, reason_field, score_field, score_table
from nominations.services.access import LinkError, resolve_link
from nominations.services.panel_roster import criteria_of, expert_seat, panel_members, stored_scores
from nominations.services.recipients import network_name, valid_nominations


@dataclass(frozen=True)
class SheetView:
    """A panel member's score sheet: the applicants, the criteria, and what they have given so far."""

    vacancy: Vacancy
    member: PanelMember
    criteria: list[str]
    applicants: list[Nomination]
    saved: dict[str, str]  # form field → value, from the scores already given
    scored: int
    needed: int
    network_name: str


@dataclass(frozen=True)
class TableView:
    """The whole panel's scores of a vacancy, and what each member has still to give."""

    vacancy: Vacancy
    panel: list[PanelMember]
    applicants: list[Nomination]
    table: dict[str, Any]  # as the decision records it: criteria, totals, by_member, scores
    missing: dict[int, int]  # panel member id → scores not yet given


def open_sheet(
    session: Session, token: str, now: datetime, *, lock: bool = False
) -> tuple[Vacancy, PanelMember]:
    """The vacancy and panel member behind a panel link, while the panel is scoring."""
    link = resolve_link(session, token, "panel", now, lock=lock)
    assert link.panel_member_id is not None
    vacancy = session.get_one(Vacancy, link.vacancy_id, with_for_update=lock)
    if vacancy.status != "shortlisting":
        decided = vacancy.status in {"selected", "filled"}
        raise LinkError(
            "closed",
            "The panel's decision is made, so scoring is closed."
            if decided
            else "Scoring for this seat is closed.",
        )
    return vacancy, session.get_one(PanelMember, link.panel_member_id)


def sheet_view(session: Session, vacancy: Vacancy, member: PanelMember) -> SheetView:
    criteria = criteria_of(vacancy)
    applicants = valid_nominations(session, vacancy.id or 0)
    index = {c: i for i, c in enumerate(criteria)}
    ids = {n.id for n in applicants}
    mine = session.exec(select(PanelScore).where(PanelScore.panel_member_id == member.id)).all()
    saved: dict[str, str] = {}
    for s in mine:
        if s.criterion in index and s.nomination_id in ids:
            saved[score_field(s.nomination_id, index[s.criterion])] = str(s.score)
            saved[reason_field(s.nomination_id, index[s.criterion])] = s.reason
    needed = len(applicants) * len(criteria)
    scored = len(saved) // 2
    return SheetView(
        vacancy, member, criteria, applicants, saved, scored, needed, network_name(session, vacancy)
    )


def table_view(session: Session, vacancy_id: int) -> TableView:
    vacancy = expert_seat(session, vacancy_id)
    criteria = criteria_of(vacancy)
    panel = panel_members(session, vacancy_id)
    applicants = valid_nominations(session, vacancy_id)
    members, ids = [m.id or 0 for m in panel], [n.id or 0 for n in applicants]
    scores = stored_scores(session, vacancy_id)
    table = score_table(members, ids, criteria, scores)
    return TableView(vacancy, panel, applicants, table, missing_scores(members, ids, criteria, scores))
