"""Moving a test's election past its ballot's close, as the worker's timer would."""

from __future__ import annotations

from nominations.db.models import Vacancy
from tests.integration.conftest import World


def close_ballot(world: World, vacancy_id: int) -> str:
    """Travel to the ballot's close and fire the timers (closing it, then counting); return the state."""
    with world.app.db.transaction() as session:
        deadline = session.get_one(Vacancy, vacancy_id).voting_close_at
    assert deadline is not None
    world.clock.set(deadline)
    world.fire_timers()
    return world.status(vacancy_id)
