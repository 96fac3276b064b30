"""What needs a person now, computed from the record for one scope: a few queries, none per row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ScalarSelect, func
from sqlmodel import Session, col, select

from nominations.db.models import ElectionResult, ElectorateMember, Nomination, Vacancy, VoteRecord
from nominations.services.attention_noms import incomplete_nominations
from nominations.services.attention_terms import term_needs
from nominations.services.lots import lots_drawn
from nominations.services.needs import HEADINGS, Item, Need, seat_title
from nominations.services.scope import Scope

SOON = timedelta(days=3)  # a ballot closing this soon is worth a last look at turnout
_DECLARE = ("counted", "elected_unopposed")
_WATCHED = ("requested", "nominations_open", "voting_open", *_DECLARE)


def needs_attention(
    session: Session, scope: Scope, now: datetime, partnerships: Mapping[int, str]
) -> list[Need]:
    """Every kind of need in a fixed order, each with its items (possibly none)."""
    found: dict[str, list[Item]] = defaultdict(list)
    seats = _watched_seats(session, scope)
    for vacancy, live, voted, electorate in seats:
        href = f"/console/vacancies/{vacancy.id}"
        title = seat_title(vacancy.title, partnerships.get(vacancy.partnership_id, ""))
        closes = vacancy.voting_close_at
        if vacancy.status == "requested":
            assert vacancy.created_at is not None
            found["requests"].append(Item(href, title, f"Requested on {vacancy.created_at:%d %B %Y}"))
        elif vacancy.status == "nominations_open" and live == 0:
            empty = Item(href, title, "Nobody has been nominated yet", vacancy.nominations_close_at)
            found["empty_calls"].append(empty)
        elif vacancy.status == "voting_open" and closes is not None and closes <= now + SOON:
            turnout = f"{voted} of {electorate} member organisations have voted"
            found["closing"].append(Item(href, title, turnout, closes))
    calls = {v.id: v for v, *_ in seats if v.status == "nominations_open"}
    for vacancy_id, nominee, missing in incomplete_nominations(session, calls):
        title = f"{nominee}, for {calls[vacancy_id].title}"
        found["incomplete"].append(Item(f"/console/vacancies/{vacancy_id}", title, f"Still needs {missing}"))
    found["declare"] = _to_declare(session, [v for v, *_ in seats if v.status in _DECLARE], partnerships)
    for key, item in term_needs(session, scope, now, partnerships):
        found[key].append(item)
    return [Need(key, heading, found[key]) for key, heading in HEADINGS.items()]


def _counted(table: Any, *where: Any) -> ScalarSelect[int]:
    # A correlated count over an indexed vacancy_id: one round trip gives every seat its figures.
    query = select(func.count()).select_from(table).where(table.vacancy_id == Vacancy.id, *where)
    return query.correlate(Vacancy).scalar_subquery()


def _watched_seats(session: Session, scope: Scope) -> list[tuple[Vacancy, int, int, int]]:
    """The seats in a state that may need someone, with live nominations, votes cast and electors."""
    query = (
        select(
            Vacancy,
            _counted(Nomination, col(Nomination.status).in_(("pending", "valid"))),
            _counted(VoteRecord),
            _counted(ElectorateMember),
        )
        .where(scope.where(Vacancy.network_id, Vacancy.partnership_id), col(Vacancy.status).in_(_WATCHED))
        .order_by(col(Vacancy.id))
    )
    return [(v, live, voted, electorate) for v, live, voted, electorate in session.exec(query)]


def _to_declare(session: Session, seats: list[Vacancy], partnerships: Mapping[int, str]) -> list[Item]:
    """Counted seats awaiting the declaration, with any lot the coordinator must witness and announce."""
    if not seats:
        return []
    ids = [v.id for v in seats]
    results = session.exec(select(ElectionResult).where(col(ElectionResult.vacancy_id).in_(ids)))
    by_seat = {r.vacancy_id: r for r in results}
    named = select(Nomination.id, Nomination.nominee_name).where(col(Nomination.vacancy_id).in_(ids))
    names = {nid: name for nid, name in session.exec(named) if nid is not None}
    items = []
    for vacancy in seats:
        result = by_seat.get(vacancy.id or 0)
        lots = lots_drawn(result, names) if result is not None else []
        said = "Elected unopposed" if vacancy.status == "elected_unopposed" else "The count is done"
        detail = "; ".join([said, *(f"{lot.words}: witness it and announce it" for lot in lots)])
        title = seat_title(vacancy.title, partnerships.get(vacancy.partnership_id, ""))
        items.append(Item(f"/console/vacancies/{vacancy.id}", title, detail))
    return items
