"""The database adapter: one engine per URL, one transaction per unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, SQLModel, create_engine, select

from nominations.audit import GENESIS_HASH
from nominations.db import account_models as _account_models  # noqa: F401
from nominations.db import audit_check_models as _audit_check_models  # noqa: F401
from nominations.db import audit_ddl
from nominations.db import document_models as _document_models  # noqa: F401
from nominations.db import models as _models  # noqa: F401  (registers the tables)
from nominations.db import term_models as _term_models  # noqa: F401
from nominations.db.models import AuditHead
from nominations.errors import DatabaseUnavailableError


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever driver the URL names."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE instead of pysqlite's deferred BEGIN:
    # a deferred transaction that reads then writes fails at once under contention.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with this project's connection settings for SQLite or PostgreSQL."""
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


class Database:
    """Owns the engine; hands out sessions that are one transaction each."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, **engine_kwargs)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on error.

        A connection lost on the way raises DatabaseUnavailableError, saying whether the commit
        had been sent (then nobody knows if it landed) or not (then nothing was written).
        """
        with Session(self.engine, expire_on_commit=False) as session:
            committing = False
            try:
                with session.begin():
                    yield session
                    session.flush()
                    committing = True
            except DBAPIError as exc:
                if not exc.connection_invalidated:
                    raise
                raise DatabaseUnavailableError(committing=committing) from exc

    def create_schema(self) -> None:
        """Create every table, the audit guards and the chain's genesis row, and record head (idempotent).

        Straight from the models, for tests and benchmarks: faster than the migrations, and
        held to the same schema by tests/integration/test_migrations.py. Real databases are
        made and upgraded by `nominations db upgrade` (nominations.db.migrate).
        """
        from nominations.db.migrate import stamp_head

        SQLModel.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            audit_ddl.install(conn)
            stamp_head(conn)
        with self.transaction() as session:
            if session.exec(select(AuditHead)).first() is None:
                session.add(AuditHead(id=1, seq=0, hash=GENESIS_HASH))

    def dispose(self) -> None:
        self.engine.dispose()
