"""The migrations make exactly the models' tables, and carry a previous release's database to head intact."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from nominations.actors import SYSTEM, Actor
from nominations.bootstrap import build_app
from nominations.clock import FakeClock
from nominations.db import migrate
from nominations.db.engine import Database
from nominations.db.models import OutboxMessage, Partnership, Vacancy
from nominations.db.revision_check import check_revision
from nominations.services.audit_log import append_event
from nominations.services.audit_verify import verify
from nominations.services.results import result_view
from nominations.settings import Settings
from tests.integration.conftest import REQUEST
from tests.utils.old_release import dump, make_release_database, release_rows

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _differences(db: Database) -> list[Any]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))


def test_the_migrations_make_exactly_the_tables_of_the_models(database_url: str) -> None:
    assert migrate.upgrade(database_url) == migrate.Upgraded(None, migrate.head())
    db = Database(database_url)
    try:
        assert _differences(db) == []  # a model changed without a migration fails here
        # The genesis row is there to append to, and the guards refuse to change what was appended.
        with db.transaction() as session:
            append_event(session, occurred_at=NOW, actor=SYSTEM, action="test", entity_type="x", entity_id=1)
        report = verify(db)
        assert (report.ok, report.count) == (True, 1)
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_event"))
        check_revision(db)  # at head: raises nothing
    finally:
        db.dispose()


def test_create_schema_is_the_same_schema_and_records_head(db: Database) -> None:
    assert _differences(db) == []
    check_revision(db)
    db.create_schema()  # again: still one recorded revision
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [(migrate.head(),)]


def test_going_back_is_refused_and_changes_nothing(database_url: str) -> None:
    migrate.upgrade(database_url)
    db = Database(database_url)
    try:
        tables = sorted(inspect(db.engine).get_table_names())
        with pytest.raises(NotImplementedError, match="restore a backup"), db.engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0001")
        assert sorted(inspect(db.engine).get_table_names()) == tables
        check_revision(db)
    finally:
        db.dispose()


def _sorted(rows: list[list[Any]]) -> list[str]:
    # Row order by a text key can differ between SQLite and a PostgreSQL collation.
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


@pytest.mark.parametrize("stamped", [True, False], ids=["at-0001", "made-before-migrations"])
def test_a_database_of_the_previous_release_upgrades_with_every_row_and_its_chain(
    database_url: str, stamped: bool
) -> None:
    fixture = release_rows()
    db = make_release_database(database_url, stamped=stamped)
    try:
        assert migrate.upgrade(database_url) == migrate.Upgraded("0001", migrate.head(), adopted=not stamped)
        found = dump(db, fixture)
        for name, table in fixture.items():
            assert len(found[name]) == len(table["rows"]), name
            assert _sorted(found[name]) == _sorted(table["rows"]), name
        last_hash = fixture["audit_event"]["rows"][-1][-1]
        report = verify(db)
        assert (report.ok, report.count, report.head) == (True, 38, last_hash)
        _work_on_it(db, last_hash)
    finally:
        db.dispose()


def _work_on_it(db: Database, old_head: str) -> None:
    """Today's code reads the old rows, fills the new columns' defaults, and extends the old chain."""
    clock = FakeClock(NOW)  # after the release's last event
    app = build_app(Settings(database_url=db.url, mail_from="c@network.example"), clock=clock, db=db)
    with db.transaction() as session:
        vacancy = session.get_one(Vacancy, 1)
        assert (vacancy.status, vacancy.origin, vacancy.barred_emails) == ("filled", "request", [])
        assert session.get_one(OutboxMessage, 1).attachments == []
        view = result_view(session, 1)
        assert view is not None and [w.nominee_name for w in view.winners] == ["Sarah Okoye"]
        partnership_id = session.get_one(Partnership, 1).id
    assert partnership_id is not None
    vid = app.participation.request_seat(partnership_id, REQUEST, Actor("partnership", str(partnership_id)))
    assert vid == 2  # PostgreSQL's sequence moved past the loaded ids
    app.transitions.fire(vid, "accept", actor=Actor("coordinator", "c1"))
    report = verify(db, anchor=old_head)
    assert (report.ok, report.count) == (True, 40)
