"""Databases made before migrations: find the release whose tables they hold, and record it.

Before Alembic, `nominations db init` made the tables straight from the models, so such a
database records no revision. If its tables and columns are exactly those of a known revision,
it is stamped at that revision and upgraded from there; anything else is refused untouched.
"""

from __future__ import annotations

from alembic import command
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from nominations.db.engine import Database
from nominations.db.migrate import VERSION_TABLE, SchemaRevisionError, alembic_config, revisions, scripts

Shape = dict[str, frozenset[str]]


def shape(conn: Connection) -> Shape:
    """Each table's column names: enough to tell one release's schema from another's."""
    inspector = inspect(conn)
    return {
        table: frozenset(column["name"] for column in inspector.get_columns(table))
        for table in inspector.get_table_names()
        if table != VERSION_TABLE
    }


def revision_shapes() -> dict[str, Shape]:
    """The shape at every revision, from the migrations themselves run on an in-memory SQLite."""
    shapes: dict[str, Shape] = {}
    scratch = Database("sqlite://")
    try:
        with scratch.engine.begin() as conn:
            for revision in revisions():
                command.upgrade(alembic_config(conn), revision)
                shapes[revision] = shape(conn)
    finally:
        scratch.dispose()
    return shapes


def adopt(conn: Connection) -> str:
    """Stamp the database on `conn` at the revision whose shape it has, and return that revision."""
    found = shape(conn)
    # The newest match wins: a shape that two revisions share needs none of the later steps.
    for revision, expected in reversed(revision_shapes().items()):
        if found == expected:
            MigrationContext.configure(conn).stamp(scripts(), revision)
            return revision
    raise SchemaRevisionError(
        "the database has tables but no revision, and they are not those of any release this one "
        "knows; nothing was changed"
    )
