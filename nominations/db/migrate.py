"""Bring a database to this release's schema through the Alembic migrations in nominations/migrations."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from nominations.db.engine import Database
from nominations.errors import NominationsError

# Inside the package, so that an installed wheel carries its migrations.
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
VERSION_TABLE = "alembic_version"


class SchemaRevisionError(NominationsError):
    """The database is not at a revision this release can use or reach; nothing was changed."""


def unknown_revision(revision: str) -> SchemaRevisionError:
    return SchemaRevisionError(
        f"the database is at revision {revision}, which this release of nominations does not know "
        "(made by a newer release?); nothing was changed"
    )


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """Alembic's configuration, made here rather than read from an alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        # The option is read through configparser, which takes % as the start of a reference.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


@cache
def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    """The revision this release's models are at."""
    revision = scripts().get_current_head()
    assert revision is not None, "nominations/migrations has no revisions"
    return revision


def revisions() -> list[str]:
    """Every revision this release knows, oldest first."""
    return [script.revision for script in reversed(list(scripts().walk_revisions()))]


def recorded(conn: Connection) -> str | None:
    """The revision the database says it is at, or None when it records none."""
    heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(heads) if heads else None


def stamp_head(conn: Connection) -> None:
    """Record head in a database whose tables were made from the models; leave a recorded one alone."""
    if recorded(conn) is None:
        MigrationContext.configure(conn).stamp(scripts(), "head")


@dataclass(frozen=True)
class Upgraded:
    before: str | None  # None: the database was empty
    after: str
    adopted: bool = False  # it had tables but no revision: made before migrations, now stamped


def upgrade(url: str) -> Upgraded:
    """Upgrade the database at `url` to head in one transaction (where the database allows)."""
    from nominations.db.adopt import adopt

    db = Database(url)
    try:
        with db.engine.begin() as conn:
            before, adopted = recorded(conn), False
            if before is None and [t for t in inspect(conn).get_table_names() if t != VERSION_TABLE]:
                before, adopted = adopt(conn), True
            if before is not None and before not in revisions():
                raise unknown_revision(before)
            command.upgrade(alembic_config(conn), "head")
            after = recorded(conn)
        assert after == head()
        return Upgraded(before, after, adopted)
    finally:
        db.dispose()
