"""A coordinator's commands for an expert seat's selection panel: add members, see the scores, decide."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from nominations.cli.context import COORDINATOR, built_app
from nominations.services.panel import Panel

app = typer.Typer(no_args_is_help=True)


@app.command()
def add(
    vacancy_id: int,
    name: Annotated[str, typer.Option(help="The panel member's name.")],
    email: Annotated[str, typer.Option(help="Where their personal scoring link goes.")],
) -> None:
    """Put someone on the panel (invited at once if the applicants are already being scored)."""
    with built_app() as built:
        member_id = Panel(built.transitions).add_member(vacancy_id, name, email, COORDINATOR)
    typer.echo(f"vacancy {vacancy_id}: {name} is on the selection panel (panel member {member_id})")


@app.command()
def scores(vacancy_id: int) -> None:
    """Each applicant's total from each panel member and overall, and the scores still to give."""
    with built_app() as built:
        view = Panel(built.transitions).table(vacancy_id)
    table = Table("id", "applicant", *(m.name for m in view.panel), "total")
    by_member, totals = view.table["by_member"], view.table["totals"]
    for n in sorted(view.applicants, key=lambda n: -totals[str(n.id)]):
        row = [str(by_member[str(m.id)][str(n.id)]) for m in view.panel]
        table.add_row(str(n.id), n.nominee_name, *row, str(totals[str(n.id)]))
    console = Console()
    criteria = view.table["criteria"]
    console.print(
        f"[bold]{view.vacancy.title}[/] (vacancy {view.vacancy.id}): {view.vacancy.status}", highlight=False
    )
    console.print(f"  {len(criteria)} criteria, each scored 0 to 4: " + "; ".join(criteria), highlight=False)
    console.print(table)
    for m in view.panel:
        if view.missing[m.id or 0]:
            console.print(f"  {m.name} has {view.missing[m.id or 0]} scores still to give", highlight=False)


@app.command()
def decide(
    vacancy_id: int,
    nomination_id: int,
    reason: Annotated[
        str, typer.Option(help="The panel's reasons: recorded, and sent to the partnership and applicants.")
    ],
) -> None:
    """Record the panel's choice with its reasons and the score table; the vacancy becomes selected."""
    with built_app() as built:
        outcome = Panel(built.transitions).decide(vacancy_id, nomination_id, reason, COORDINATOR)
    typer.echo(
        f"vacancy {vacancy_id}: {outcome.from_state} -> {outcome.to_state} (audit event {outcome.audit_seq})"
    )
