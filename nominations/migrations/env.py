"""Alembic's entry: run the migrations on the connection nominations.db.migrate hands over.

The connection comes from `Database`, so SQLite gets this project's pragmas (foreign keys on,
WAL, BEGIN IMMEDIATE) during migrations as at any other time, and the caller's transaction
holds every step: on PostgreSQL a failed upgrade leaves the database as it was.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

from nominations.db.engine import Database


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        # Only autogenerate reads the models, to draft the next migration; upgrades never do.
        target_metadata=SQLModel.metadata,
        # SQLite alters most things by copying the table; batch mode drafts migrations that way.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("nominations migrations need a connection or a sqlalchemy.url")
    db = Database(url)
    try:
        with db.engine.begin() as conn:
            _run(conn)
    finally:
        db.dispose()


main()
