"""Run the dashboard's service for a world and record every statement it sends to the database."""

from __future__ import annotations

from sqlalchemy import event

from nominations.services.dashboard import Dashboard, dashboard
from nominations.services.scope import Scope
from tests.integration.conftest import World


def dashboard_selects(world: World) -> tuple[list[str], Dashboard]:
    """The SELECTs one dashboard of the world's network runs, and the view it built."""
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(world.app.db.engine, "before_cursor_execute", record)
    try:
        view = dashboard(
            world.app.db, world.app.transitions.workflows, world.clock, Scope(world.network_id), {}
        )
    finally:
        event.remove(world.app.db.engine, "before_cursor_execute", record)
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")], view
