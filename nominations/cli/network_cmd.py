"""`nominations network add|list`, and the database opening that the members commands share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from nominations.actors import Actor
from nominations.bootstrap import clock_from
from nominations.cli.run_cmd import settings_or_exit
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.errors import NominationsError
from nominations.services import network_admin

app = typer.Typer(no_args_is_help=True, help="Add and list networks.")

# Whoever runs these commands acts as the network's coordinator; there are no accounts to name.
CLI_ACTOR = Actor("coordinator", "cli")
NO_SCHEMA = "the database has no tables yet: run `nominations db init` first"


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


@contextmanager
def open_database() -> Iterator[tuple[Database, Clock]]:
    """The configured database and clock; refuses one without tables, and creates nothing."""
    settings = settings_or_exit()
    parsed = make_url(settings.database_url)
    # Connecting to SQLite creates a missing file; do not leave an empty one behind.
    path = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if path and path != ":memory:" and not Path(path).exists():
        raise fail(NO_SCHEMA)
    db = Database(settings.database_url)
    try:
        if not inspect(db.engine).has_table("organisation"):
            raise fail(NO_SCHEMA)
        yield db, clock_from(settings)
    except NominationsError as exc:
        raise fail(str(exc)) from None
    except IntegrityError:
        # Someone else changed the roll between our read and our write; the transaction rolled back.
        raise fail("the roll changed while this ran, so nothing was written: run the command again") from None
    except (OperationalError, ProgrammingError) as exc:
        raise fail(f"cannot use the database: {str(exc.orig).splitlines()[0]}", 2) from None
    finally:
        db.dispose()


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="The network's name, e.g. 'Safer Town VCS Network'.")],
    coordinator_name: Annotated[str, typer.Option(help="Who coordinates it.")],
    coordinator_email: Annotated[str, typer.Option(help="Where its coordinator gets mail.")],
) -> None:
    """Add a network and print its id. A name already taken (in any case) is refused."""
    with open_database() as (db, clock):
        network_id = network_admin.add_network(
            db, clock, name, coordinator_name, coordinator_email, CLI_ACTOR
        )
    typer.echo(network_id)


@app.command("list")
def list_() -> None:
    """List the networks: id, name, coordinator and number of member organisations."""
    with open_database() as (db, _clock):
        networks = network_admin.list_networks(db)
    if not networks:
        typer.echo("no networks yet: add one with `nominations network add`")
        return
    rows = [("id", "name", "coordinator", "members")] + [
        (str(n.id), n.name, f"{n.coordinator_name} <{n.coordinator_email}>", str(n.members)) for n in networks
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        padded = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        typer.echo("  ".join([*padded, row[3]]))
