"""A database as the previous release left it: the schema of revision 0001, filled with its demo's rows."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import Connection, DateTime, Integer, MetaData, Table, insert, select, text, update

from nominations.db.engine import Database
from nominations.db.migrate import VERSION_TABLE, alembic_config

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "upgrade" / "release-0001.json"


def release_rows() -> dict[str, dict[str, Any]]:
    """The fixture's tables: {name: {"columns": [...], "rows": [[...], ...]}}."""
    tables: dict[str, dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))["tables"]
    return tables


def _stored(table: Table, column: str, value: Any) -> Any:
    # The fixture keeps instants as ISO text in UTC; the reflected column wants a datetime.
    if value is not None and isinstance(table.c[column].type, DateTime):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value


def _fill(conn: Connection) -> None:
    metadata = MetaData()
    metadata.reflect(conn)
    fixture = release_rows()
    for table in metadata.sorted_tables:  # parents before children, for the foreign keys
        if table.name not in fixture:
            continue
        columns, rows = fixture[table.name]["columns"], fixture[table.name]["rows"]
        records = [{c: _stored(table, c, v) for c, v in zip(columns, row, strict=True)} for row in rows]
        if table.name == "audit_head":  # migration 0001 wrote the genesis row; the release moved it on
            conn.execute(update(table).values(records[0]))
        elif records:
            conn.execute(insert(table), records)
        if conn.dialect.name == "postgresql" and "id" in table.c and isinstance(table.c.id.type, Integer):
            # Explicit ids leave a serial's sequence at 1; the next insert would collide.
            conn.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence(:t, 'id'), (SELECT max(id) FROM "
                    + table.name
                    + "))"
                ),
                {"t": table.name},
            )


def make_release_database(url: str, *, stamped: bool) -> Database:
    """Revision 0001 holding the release's rows; unstamped, it is as a pre-Alembic install left it."""
    db = Database(url)
    with db.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        _fill(conn)
        if not stamped:
            conn.execute(text(f"DROP TABLE {VERSION_TABLE}"))
    return db


def dump(db: Database, tables: dict[str, dict[str, Any]]) -> dict[str, list[list[Any]]]:
    """The rows of `tables` as they are now, in the fixture's columns, order and text form."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime):
            return (
                value.astimezone(UTC).replace(tzinfo=None).isoformat() if value.tzinfo else value.isoformat()
            )
        return value

    metadata = MetaData()
    metadata.reflect(db.engine)
    found: dict[str, list[list[Any]]] = {}
    with db.engine.connect() as conn:
        for name, shape in tables.items():
            table = metadata.tables[name]
            columns = [table.c[c] for c in shape["columns"]]
            rows = conn.execute(select(*columns).order_by(*table.primary_key.columns)).all()
            found[name] = [[plain(v) for v in row] for row in rows]
    return found
