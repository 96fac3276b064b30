"""How a selection panel scores the applicants for an expert seat. Pure: the services gather the facts.

Each panel member scores each valid applicant against each line of the knowledge, skills and
experience the partnership asked for, from 0 (no evidence) to 4 (strong evidence), with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from nominations.selection_errors import (
    NotAnApplicantError,
    ReasonMissingError,
    ScoreOutOfRangeError,
    SelectionError,
    UnknownCriterionError,
)

SCORES = {
    0: "no evidence",
    1: "limited evidence",
    2: "some evidence",
    3: "good evidence",
    4: "strong evidence",
}
_BULLET = re.compile(r"^\s*(?:[-*](?:\s+|$)|•\s*)")  # "- ", "* " or "•"; not "**bold**"


@dataclass(frozen=True)
class ScoreInput:
    """One score on a panel member's sheet: an applicant against a criterion (by its position)."""

    nomination_id: int
    criterion: int
    score: int | None
    reason: str


def criteria(knowledge_skills: str) -> list[str]:
    """The non-empty lines of the request's knowledge, skills and experience, without bullets, each once."""
    lines = (_BULLET.sub("", line).strip() for line in knowledge_skills.splitlines())
    return list(dict.fromkeys(line for line in lines if line))


def score_field(nomination_id: int, criterion: int) -> str:
    """The form field of a score (its first radio button carries this id)."""
    return f"score-{nomination_id}-{criterion}"


def reason_field(nomination_id: int, criterion: int) -> str:
    return f"reason-{nomination_id}-{criterion}"


def sheet_problems(
    entries: Sequence[ScoreInput], applicants: Mapping[int, str], criteria: Sequence[str]
) -> dict[str, SelectionError]:
    """Form field → what is wrong with a score sheet, in the order given; empty when all is well.

    `applicants` maps each valid applicant's nomination id to their name.
    """
    problems: dict[str, SelectionError] = {}
    if not entries:
        first = score_field(next(iter(applicants), 0), 0)
        problems[first] = ScoreOutOfRangeError("Score at least one applicant, with your reason", first)
    for entry in entries:
        field = score_field(entry.nomination_id, entry.criterion)
        name = applicants.get(entry.nomination_id)
        if name is None:
            said = f"Nomination {entry.nomination_id} is not a valid applicant for this seat"
            problems[field] = NotAnApplicantError(said, field)
        elif not 0 <= entry.criterion < len(criteria):
            problems[field] = UnknownCriterionError(
                f"The request has no criterion {entry.criterion + 1}", field
            )
        else:
            on = f"{name} against “{criteria[entry.criterion]}”"
            if entry.score is None or entry.score not in SCORES:
                given = "" if entry.score is None else f" ({entry.score} is not)"
                problems[field] = ScoreOutOfRangeError(f"Choose a score from 0 to 4 for {on}{given}", field)
            if not entry.reason.strip():
                reason = reason_field(entry.nomination_id, entry.criterion)
                problems[reason] = ReasonMissingError(f"Give your reason for the score of {on}", reason)
    return problems


@dataclass(frozen=True)
class Score:
    """A stored score, as the table reads it."""

    panel_member_id: int
    nomination_id: int
    criterion: str
    score: int
    reason: str


def missing_scores(
    panel: Iterable[int], applicants: Iterable[int], criteria: Sequence[str], scores: Iterable[Score]
) -> dict[int, int]:
    """For each panel member, how many of the scores the decision needs they have not given."""
    given = {(s.panel_member_id, s.nomination_id, s.criterion) for s in scores}
    wanted = [(a, c) for a in applicants for c in criteria]
    return {m: sum((m, a, c) not in given for a, c in wanted) for m in panel}


def score_table(
    panel: Sequence[int], applicants: Sequence[int], criteria: Sequence[str], scores: Iterable[Score]
) -> dict[str, object]:
    """The panel's scores as the result records them: totals per applicant and per panel member, reasons."""
    counted = [
        s
        for s in scores
        if s.panel_member_id in panel and s.nomination_id in applicants and s.criterion in criteria
    ]
    counted.sort(key=lambda s: (s.nomination_id, s.panel_member_id, criteria.index(s.criterion)))
    totals = {str(a): sum(s.score for s in counted if s.nomination_id == a) for a in applicants}
    by_member = {
        str(m): {
            str(a): sum(s.score for s in counted if (s.panel_member_id, s.nomination_id) == (m, a))
            for a in applicants
        }
        for m in panel
    }
    return {
        "criteria": list(criteria),
        "panel": list(panel),
        "applicants": list(applicants),
        "totals": totals,
        "by_member": by_member,
        "scores": [
            {
                "panel_member_id": s.panel_member_id,
                "nomination_id": s.nomination_id,
                "criterion": s.criterion,
                "score": s.score,
                "reason": s.reason,
            }
            for s in counted
        ],
    }
