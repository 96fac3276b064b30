"""`nominations db upgrade`, and the check of the database's revision every working command makes first."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from nominations.cli.run_cmd import settings_or_exit
from nominations.settings import Settings

if TYPE_CHECKING:
    from nominations.bootstrap import App


@contextmanager
def database_or_exit() -> Iterator[None]:
    """A database at the wrong revision, or out of reach, becomes one line on stderr and exit 2."""
    from sqlalchemy.exc import OperationalError

    from nominations.db.migrate import SchemaRevisionError

    try:
        yield
    except SchemaRevisionError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    except OperationalError as exc:
        typer.echo(f"cannot use the database: {str(exc.orig).splitlines()[0]}", err=True)
        raise typer.Exit(2) from None


def app_or_exit(settings: Settings) -> App:
    """The wired app, if its database is at the revision this release needs; else one line and exit 2.

    The check is here, at the entry points, not in build_app: tests and the demo wire apps on
    databases they have just made, and only a command can be pointed at an old one.
    """
    from nominations.bootstrap import build_app
    from nominations.db.revision_check import check_revision

    app = build_app(settings)
    try:
        with database_or_exit():
            check_revision(app.db)
    except typer.Exit:
        app.db.dispose()
        raise
    return app


def upgrade() -> None:
    """Create the tables, or bring them to this release's schema; safe to run again."""
    from sqlalchemy.engine import make_url

    from nominations.db import migrate

    settings = settings_or_exit()
    with database_or_exit():
        done = migrate.upgrade(settings.database_url)
    where = make_url(settings.database_url).render_as_string(hide_password=True)
    if done.before is None:
        typer.echo(f"database created at revision {done.after}: {where}")
    elif done.before != done.after:
        made = " (made before migrations)" if done.adopted else ""
        typer.echo(f"database upgraded from revision {done.before}{made} to {done.after}: {where}")
    elif done.adopted:
        typer.echo(f"database made before migrations, recorded at revision {done.after}: {where}")
    else:
        typer.echo(f"database already at revision {done.after}, nothing to do: {where}")


def register(app: typer.Typer) -> None:
    """Add the `db` group to the top-level app."""
    db = typer.Typer(no_args_is_help=True, help="The database.")
    db.command("upgrade")(upgrade)
    # The name older installs and scripts know: the same command.
    db.command("init", help="The same as `db upgrade`.")(upgrade)
    app.add_typer(db, name="db")
