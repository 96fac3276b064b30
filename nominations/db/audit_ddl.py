"""Database guards that make `audit_event` append-only, for SQLite and PostgreSQL.

The hash chain shows tampering after the fact; these triggers stop the ordinary kind
(an UPDATE or DELETE by the application or a hurried administrator) before it happens.
"""

from __future__ import annotations

from sqlalchemy import Connection

_MESSAGE = "audit_event is append-only"

_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_{op.lower()}
    BEFORE {op} ON audit_event
    BEGIN SELECT RAISE(ABORT, '{_MESSAGE}: {op} is refused'); END"""
    for op in ("UPDATE", "DELETE")
]
_SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]

# String concatenation rather than RAISE's `%` placeholders: the driver would read `%`
# as a parameter marker.
_POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING MESSAGE = '{_MESSAGE}: ' || TG_OP || ' is refused';
    END
    $$""",
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
    """CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()""",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
    """CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()""",
]
_POSTGRES_UNINSTALL = [
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
]


def _run(conn: Connection, statements: list[str]) -> None:
    for statement in statements:
        conn.exec_driver_sql(statement)


def _pick(conn: Connection, sqlite: list[str], postgres: list[str]) -> list[str]:
    dialect = conn.dialect.name
    if dialect == "sqlite":
        return sqlite
    if dialect == "postgresql":
        return postgres
    raise NotImplementedError(f"no audit guards for the {dialect} dialect")


def install(conn: Connection) -> None:
    """Create the triggers that refuse UPDATE, DELETE (and TRUNCATE) on audit_event; idempotent."""
    _run(conn, _pick(conn, _SQLITE_INSTALL, _POSTGRES_INSTALL))


def uninstall(conn: Connection) -> None:
    """Drop the guards. Only tamper tests use this, to show the hash chain still catches edits."""
    _run(conn, _pick(conn, _SQLITE_UNINSTALL, _POSTGRES_UNINSTALL))
