"""What the panel writes inside the caller's transaction: scores, the decision, their audit events."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from sqlmodel import Session

from nominations.actors import Actor
from nominations.audit import canonical_json
from nominations.db.models import ElectionResult, Nomination, Vacancy
from nominations.db.term_models import PanelMember, PanelScore
from nominations.selection import ScoreInput, sheet_problems
from nominations.selection_errors import (
    IncompleteScoresError,
    NotValidApplicantError,
    PanelStateError,
    SelectionError,
)
from nominations.services.audit_log import append_event
from nominations.services.panel_roster import criteria_of, expert_seat
from nominations.services.panel_views import TableView, table_view
from nominations.services.recipients import valid_nominations


def expert_vacancy(session: Session, vacancy_id: int, states: Collection[str], doing: str) -> Vacancy:
    """The expert vacancy at one of `states`, locked: a score and the decision cannot pass each other."""
    vacancy = expert_seat(session, vacancy_id, lock=True)
    if vacancy.status not in states:
        allowed = " or ".join(states)
        raise PanelStateError(
            f"vacancy {vacancy_id} is {vacancy.status}: you may {doing} only while it is {allowed}"
        )
    return vacancy


def save_scores(
    session: Session,
    vacancy: Vacancy,
    member: PanelMember,
    entries: Sequence[ScoreInput],
    actor: Actor,
    now: datetime,
) -> None:
    """Check a panel member's sheet and store (or revise) its scores; the first problem is raised."""
    criteria = criteria_of(vacancy)
    applicants = {n.id or 0: n.nominee_name for n in valid_nominations(session, vacancy.id or 0)}
    problems = sheet_problems(entries, applicants, criteria)
    if problems:
        raise _first(problems)
    latest = {(e.nomination_id, e.criterion): e for e in entries}  # the same score twice: the last counts
    assert member.id is not None
    for entry in latest.values():
        assert entry.score is not None
        criterion = criteria[entry.criterion]
        row = session.get(PanelScore, (member.id, entry.nomination_id, criterion)) or PanelScore(
            panel_member_id=member.id,
            nomination_id=entry.nomination_id,
            criterion=criterion,
            score=entry.score,
        )
        row.score, row.reason, row.scored_at = entry.score, entry.reason.strip(), now
        session.add(row)
    scores = [[e.nomination_id, e.criterion, e.score] for e in latest.values()]
    audit(session, now, "panel_score", vacancy, actor, {"panel_member_id": member.id, "scores": scores})


def record_decision(
    session: Session, vacancy: Vacancy, nomination_id: int, reasons: str, actor: Actor, now: datetime
) -> None:
    """Store the panel's choice as the vacancy's result, with the whole score table, and audit it."""
    view = table_view(session, vacancy.id or 0)
    _check_choice(session, vacancy, nomination_id, [n.id or 0 for n in view.applicants])
    _check_complete(view)
    table = view.table
    session.add(
        ElectionResult(
            vacancy_id=vacancy.id or 0, method="panel", seed="", winners=[nomination_id], detail=table
        )
    )
    session.flush()
    totals: dict[str, int] = table["totals"]
    payload = {
        "nomination_id": nomination_id,
        "totals": totals,
        "panel": table["panel"],
        "criteria": len(table["criteria"]),
        "highest_total": totals[str(nomination_id)] == max(totals.values()),
        # The reasons stay off the chain (they may name people); the digest fixes them as decided.
        "table_sha256": hashlib.sha256(canonical_json(table).encode()).hexdigest(),
    }
    audit(session, now, "panel_decision", vacancy, actor, payload, reasons)


def audit(
    session: Session,
    now: datetime,
    action: str,
    vacancy: Vacancy,
    actor: Actor,
    payload: Mapping[str, object],
    reason: str | None = None,
) -> None:
    """One audit event about the vacancy's panel."""
    append_event(
        session,
        occurred_at=now,
        actor=actor,
        action=action,
        entity_type="vacancy",
        entity_id=vacancy.id or 0,
        reason=reason,
        payload=dict(payload),
    )


def _check_choice(session: Session, vacancy: Vacancy, nomination_id: int, valid: list[int]) -> None:
    if nomination_id in valid:
        return
    nomination = session.get(Nomination, nomination_id)
    if nomination is None or nomination.vacancy_id != vacancy.id:
        what = "not an application for this seat"
    else:
        what = f"{nomination.status}, not valid"
    raise NotValidApplicantError(
        f"nomination {nomination_id} is {what}: the panel may choose only a valid applicant"
    )


def _check_complete(view: TableView) -> None:
    if not view.panel:
        raise IncompleteScoresError(f"vacancy {view.vacancy.id} has no panel yet: add its members first")
    needed = len(view.applicants) * len(view.table["criteria"])
    short = [
        f"{m.name} has {view.missing[m.id or 0]} of {needed} scores still to give"
        for m in view.panel
        if view.missing[m.id or 0]
    ]
    if short:
        raise IncompleteScoresError(
            "not every panel member has scored every applicant on every criterion: " + "; ".join(short)
        )


def _first(problems: dict[str, SelectionError]) -> SelectionError:
    # The first problem, in form order, is raised; it carries the others for the form to show.
    first = next(iter(problems.values()))
    first.problems = problems
    return first
