"""Nominations in open calls still short of consent or seconders, read for many calls at once."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, col, select

from nominations.db.models import Nomination, Seconding, Vacancy
from nominations.eligibility import missing_conditions
from nominations.services.seat_protocols import protocols_for, rules_key, seat_rules


def incomplete_nominations(
    session: Session, calls: Mapping[int | None, Vacancy]
) -> list[tuple[int, str, str]]:
    """(vacancy id, nominee, what is missing in words) for each pending nomination of these calls."""
    if not calls:
        return []
    # One row per (nomination, seconder who has seconded); a nomination nobody seconded has one row.
    query = (
        select(Nomination, Seconding.organisation_id)
        .outerjoin(
            Seconding,
            (col(Seconding.nomination_id) == Nomination.id) & col(Seconding.seconded_at).is_not(None),
        )
        .where(col(Nomination.vacancy_id).in_(list(calls)), Nomination.status == "pending")
        .order_by(col(Nomination.id))
    )
    pending: dict[int, Nomination] = {}
    seconded: dict[int, set[int]] = {}
    for nomination, seconder in session.exec(query):
        nid = nomination.id or 0
        pending[nid] = nomination
        seconded.setdefault(nid, set()).update([seconder] if seconder is not None else [])
    protocols = protocols_for(session, map(seat_rules, calls.values()))
    found = []
    for nid, n in pending.items():
        missing = missing_conditions(
            protocols[rules_key(*seat_rules(calls[n.vacancy_id]))],
            consented=n.consented_at is not None,
            seconded_by=seconded[nid],
            proposer_id=n.organisation_id,
        )
        if missing:
            found.append((n.vacancy_id, n.nominee_name, " and ".join(missing)))
    return found
