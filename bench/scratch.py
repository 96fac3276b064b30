"""Throwaway databases for the benchmarks: a SQLite file, or a fresh PostgreSQL database dropped after.

Also the options every measuring script shares (which databases, JSON or text) and the small
network its vacancies hang from.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from nominations.db.engine import Database
from nominations.db.models import Network, Partnership

ScratchUrl = Callable[[], AbstractContextManager[str]]


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


@contextmanager
def postgres_url(server: str) -> Iterator[str]:
    """A new, empty database on `server` for the length of the block."""
    name = f"nominations_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def add_database_options(parser: argparse.ArgumentParser) -> None:
    """--postgres, --no-sqlite and --json, as every measuring script takes them."""
    parser.add_argument("--postgres", default=os.environ.get("NOMINATIONS_TEST_POSTGRES_URL"))
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--json", action="store_true", help="one JSON line per row, for bench/run")


def databases(args: argparse.Namespace) -> list[tuple[str, ScratchUrl]]:
    """The databases asked for, each a label and a maker of fresh scratch databases."""
    chosen: list[tuple[str, ScratchUrl]] = [] if args.no_sqlite else [("SQLite", sqlite_url)]
    server = args.postgres
    if server:
        chosen.append(("PostgreSQL", lambda: postgres_url(server)))
    elif not args.json:
        print("PostgreSQL not measured: pass --postgres URL or set NOMINATIONS_TEST_POSTGRES_URL")
    return chosen


def bench_partnership(db: Database) -> tuple[int, int]:
    """A network with one partnership to ask for seats; (network id, partnership id)."""
    with db.transaction() as session:
        network = Network(name="Bench", coordinator_name="C", coordinator_email="c@bench.example")
        session.add(network)
        session.flush()
        partnership = Partnership(
            network_id=network.id or 0, name="P", contact_name="P", contact_email="p@bench.example"
        )
        session.add(partnership)
        session.flush()
        return network.id or 0, partnership.id or 0
