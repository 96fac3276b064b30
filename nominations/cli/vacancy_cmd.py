"""A coordinator's commands for one vacancy, until the web console: look, act, invalidate."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from nominations.cli.context import COORDINATOR, built_app
from nominations.services.overview import overview

app = typer.Typer(no_args_is_help=True)


@app.command()
def show(vacancy_id: int) -> None:
    """State, deadlines, nominations with what each still lacks, and turnout (never partial results)."""
    with built_app() as built:
        view = overview(built.db, built.balloting, vacancy_id)
        allowed = built.transitions.allowed(vacancy_id, "coordinator")
    console = Console()
    v = view.vacancy
    console.print(f"[bold]{v.title}[/] (vacancy {v.id}): {v.status}, version {v.version}", highlight=False)
    for label, when in view.deadlines.items():
        if when is not None:
            console.print(f"  {label}: {when:%a %d %b %Y %H:%M} UTC")
    if view.nominations:
        table = Table("id", "nominee", "proposed by", "status", "still needs")
        for n in view.nominations:
            table.add_row(str(n.id), n.nominee, n.proposer, n.status, ", ".join(n.missing))
        console.print(table)
    if view.turnout is not None:
        console.print(
            f"  turnout: {view.turnout.voted} of {view.turnout.electorate} organisations have voted"
        )
    console.print(f"  you may: {', '.join(allowed) or 'nothing: the vacancy is final'}")


@app.command()
def fire(
    vacancy_id: int,
    trigger: str,
    reason: Annotated[str | None, typer.Option(help="Why: required where the workflow says so.")] = None,
) -> None:
    """Fire a trigger as the coordinator (accept, open_nominations, declare, …)."""
    with built_app() as built:
        outcome = built.transitions.fire(vacancy_id, trigger, actor=COORDINATOR, reason=reason)
    typer.echo(
        f"vacancy {vacancy_id}: {outcome.from_state} -> {outcome.to_state} (audit event {outcome.audit_seq})"
    )


@app.command()
def invalidate(
    nomination_id: int, reason: Annotated[str, typer.Option(help="Why the nomination is invalid.")]
) -> None:
    """Rule a nomination invalid, with the reason on the record."""
    with built_app() as built:
        built.nominating.invalidate(nomination_id, reason, COORDINATOR)
    typer.echo(f"nomination {nomination_id} is invalid: {reason}")
