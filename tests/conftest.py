"""Shared fixtures: every database test runs on SQLite, and on PostgreSQL when it is configured."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy.engine import make_url

from nominations.clock import FakeClock
from nominations.db.engine import Database

POSTGRES_ENV = "NOMINATIONS_TEST_POSTGRES_URL"


def postgres_server_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def pytest_report_header(config: pytest.Config) -> str:
    if postgres_server_url():
        return f"PostgreSQL tests: on, a fresh database per test on {postgres_server_url()}"
    return f"PostgreSQL tests: skipped ({POSTGRES_ENV} is not set)"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not postgres_server_url():
        terminalreporter.write_line(
            f"PostgreSQL tests skipped: {POSTGRES_ENV} is not set (only SQLite was tested)."
        )


def _admin_conninfo(server_url: str) -> str:
    url = make_url(server_url)
    return url.set(drivername="postgresql", database=url.database or "postgres").render_as_string(
        hide_password=False
    )


def create_postgres_database() -> str:
    """Create an empty database on the test server and return its URL."""
    server = postgres_server_url()
    assert server is not None
    name = f"nominations_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_conninfo(server), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return (
        make_url(server)
        .set(drivername="postgresql+psycopg", database=name)
        .render_as_string(hide_password=False)
    )


def drop_postgres_database(url: str) -> None:
    server = postgres_server_url()
    assert server is not None
    name = make_url(url).database
    with psycopg.connect(_admin_conninfo(server), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database's URL: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'nominations.db'}"
        return
    if not postgres_server_url():
        pytest.skip(f"{POSTGRES_ENV} is not set")
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A database with the schema created."""
    database = Database(database_url)
    database.create_schema()
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def postgres_db() -> Iterator[Database]:
    """A fresh PostgreSQL database with the schema, for tests that need other processes to reach it."""
    if not postgres_server_url():
        pytest.skip(f"{POSTGRES_ENV} is not set")
    url = create_postgres_database()
    database = Database(url)
    try:
        database.create_schema()
        yield database
    finally:
        database.dispose()
        drop_postgres_database(url)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
