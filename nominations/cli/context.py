"""What every coordinator's command opens: the wired app, with refusals printed as one line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from nominations.actors import Actor
from nominations.bootstrap import App
from nominations.errors import NominationsError

COORDINATOR = Actor("coordinator", "cli")


@contextmanager
def built_app() -> Iterator[App]:
    """The app from the settings; a NominationsError becomes its message on stderr and exit 1.

    A database at the wrong revision stops it first, with one line and exit 2.
    """
    from nominations.cli.db_cmd import app_or_exit
    from nominations.cli.run_cmd import settings_or_exit

    built = app_or_exit(settings_or_exit())
    try:
        yield built
    except NominationsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    finally:
        built.db.dispose()
