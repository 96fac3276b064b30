"""A vacancy as its coordinator sees it: details, timeline, nominations, turnout, result and buttons."""

from __future__ import annotations

from dataclasses import dataclass

from nominations.db.engine import Database
from nominations.db.models import ElectionResult, Partnership, Vacancy
from nominations.services.balloting import Balloting
from nominations.services.console_actions import Offer, offers
from nominations.services.lots import Lot, lots_drawn
from nominations.services.overview import Overview, overview
from nominations.services.results import ResultView, result_view
from nominations.services.scope import Scope, visible
from nominations.services.timeline import Entry, timeline
from nominations.services.transitions import TransitionService


@dataclass(frozen=True)
class VacancyPage:
    vacancy: Vacancy
    partnership: str
    overview: Overview  # nominations with what each lacks; turnout once the ballot is open
    timeline: list[Entry]
    result: ResultView | None  # only once counted: there is no partial result to show
    lots: list[Lot]
    seed: str
    offers: list[Offer]  # empty for a role that may not act


def visible_vacancy(db: Database, scope: Scope, vacancy_id: int) -> Vacancy:
    """The vacancy, or NotFoundError when it does not exist or belongs to another network."""
    return visible(db, scope, Vacancy, vacancy_id, "vacancy")


def vacancy_page(
    db: Database,
    balloting: Balloting,
    transitions: TransitionService,
    scope: Scope,
    vacancy_id: int,
    *,
    may_act: bool,
) -> VacancyPage:
    """The page's content; NotFoundError outside the scope, before anything else is read."""
    visible_vacancy(db, scope, vacancy_id)
    seen = overview(db, balloting, vacancy_id)
    vacancy = seen.vacancy
    with db.transaction() as session:
        partnership = session.get_one(Partnership, vacancy.partnership_id).name
        events = timeline(session, "vacancy", vacancy_id)
        result = result_view(session, vacancy_id)
        stored = session.get(ElectionResult, vacancy_id)
    names = {line.id: line.nominee for line in seen.nominations}
    buttons = offers(transitions, "vacancy", vacancy_id, vacancy.status, vacancy.workflow) if may_act else []
    return VacancyPage(
        vacancy,
        partnership,
        seen,
        events,
        result,
        lots_drawn(stored, names) if stored is not None else [],
        stored.seed if stored is not None else "",
        buttons,
    )
