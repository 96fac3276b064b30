"""Accounts from the command line: the first admin, and anyone the console cannot invite yet."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from nominations.actors import Actor
from nominations.cli.context import built_app
from nominations.roles import ROLE_PURPOSE, ROLES

app = typer.Typer(no_args_is_help=True)
ADMIN = Actor("system", "cli")


@app.command()
def add(
    email: str,
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")],
    name: Annotated[str, typer.Option(help="The person's name, as emails greet them.")],
    network: Annotated[int | None, typer.Option(help="The network they work for (its id).")] = None,
    partnership: Annotated[int | None, typer.Option(help="For a partnership contact: its id.")] = None,
) -> None:
    """Invite someone: their account waits until they choose a password through the emailed link."""
    with built_app() as built:
        user_id, link = built.accounts.invite(
            email, name, role, ADMIN, network_id=network, partnership_id=partnership
        )
    typer.echo(f"account {user_id} invited as {role} ({ROLE_PURPOSE[role]}).")
    typer.echo(
        f"The invitation is queued for {email.strip().lower()}; `nominations worker` sends it. Its link:"
    )
    typer.echo(link)


@app.command("list")
def list_() -> None:
    """Every account: who, which role, and whether it is active."""
    with built_app() as built:
        users = built.accounts.list()
    table = Table("id", "email", "name", "role", "network", "partnership", "status")
    for u in users:
        table.add_row(
            str(u.id), u.email, u.name, u.role, str(u.network_id or ""), str(u.partnership_id or ""), u.status
        )
    Console().print(table)


@app.command()
def disable(user_id: int) -> None:
    """Stop an account signing in; its sessions end at their next request."""
    with built_app() as built:
        built.accounts.disable(user_id, ADMIN)
    typer.echo(f"account {user_id} disabled")
