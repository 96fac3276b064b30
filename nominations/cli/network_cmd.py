"""`nominations network add|list`, and the database opening that the members commands share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from nominations.actors import Actor
from nominations.bootstrap import clock_from
from nominations.cli.db_cmd import database_or_exit
from nominations.cli.run_cmd import settings_or_exit
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.revision_check import check_revision
from nominations.errors import NominationsError
from nominations.services import network_admin

app = typer.Typer(no_args_is_help=True, help="Add and list networks.")

# Whoever runs these commands acts as the network's coordinator; there are no accounts to name.
CLI_ACTOR = Actor("coordinator", "cli")


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


@contextmanager
def open_database() -> Iterator[tuple[Database, Clock]]:
    """The configured database and clock; refuses one not at this release's revision, creates nothing."""
    settings = settings_or_exit()
    db = Database(settings.database_url)
    try:
        with database_or_exit():  # the same one line and exit 2 as every other command
            check_revision(db)  # creates nothing: a missing SQLite file stays missing
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
