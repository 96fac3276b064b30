"""The start-up check: this release runs only on a database at the revision its models are at."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from nominations.db.engine import Database
from nominations.db.migrate import VERSION_TABLE, SchemaRevisionError, head, revisions, unknown_revision

NO_TABLES = "the database has no tables yet: run `nominations db upgrade`"
NO_REVISION = "the database was made before migrations and records no revision: run `nominations db upgrade`"


def missing_sqlite_file(url: str) -> bool:
    """Whether `url` names a SQLite file that is not there (connecting would create it empty)."""
    parsed = make_url(url)
    path = parsed.database if parsed.get_backend_name() == "sqlite" else None
    return bool(path) and path != ":memory:" and not Path(str(path)).exists()


def check_revision(db: Database) -> None:
    """Raise SchemaRevisionError unless the database is at head. One query when it is.

    Connection errors propagate: a database that cannot be reached is not one without tables.
    """
    if missing_sqlite_file(db.url):
        raise SchemaRevisionError(NO_TABLES)
    with db.engine.connect() as conn:
        try:
            found = [row[0] for row in conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}")]
        except DBAPIError:
            conn.rollback()  # PostgreSQL refuses further statements in a failed transaction
            tables = inspect(conn).get_table_names()
            raise SchemaRevisionError(NO_REVISION if tables else NO_TABLES) from None
    if not found:
        raise SchemaRevisionError(NO_REVISION)
    revision = ",".join(found)
    if revision == head():
        return
    if revision not in revisions():
        raise unknown_revision(revision)
    raise SchemaRevisionError(
        f"the database is at revision {revision}; this release needs {head()}: run `nominations db upgrade`"
    )
