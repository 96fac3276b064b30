"""`nominations costs add|report`: what representation costs, and who pays for it."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from nominations.cli.network_cmd import CLI_ACTOR, fail, open_database
from nominations.services.cost_report import GROUPINGS, CostFilter, CostRow, cost_report, total, write_csv
from nominations.services.costs import CostInput, record_cost

app = typer.Typer(no_args_is_help=True, help="Record and report what representation costs.")
DATE = "A date like 2026-03-31."


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"{option}: {text!r} is not a date like 2026-03-31", 2) from None


def _whole(text: str | None, option: str) -> int | None:
    # Parsed here rather than by typer, whose refusal is a box of several lines.
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise fail(f"{option}: {text!r} is not a whole number", 2) from None


def _pence(text: str | None) -> int:
    # Pounds as people write them; Decimal so that 0.29 is 29 pence exactly, not 28.999….
    if text is None:
        return 0
    try:
        pounds = Decimal(text.strip().removeprefix("£").replace(",", ""))
        whole_pence = pounds.is_finite() and pounds == pounds.quantize(Decimal("0.01"))
    except InvalidOperation:
        whole_pence = False
    if not whole_pence:
        raise fail(f"--amount: {text!r} is not an amount in pounds and pence like 12.50", 2)
    return int(pounds * 100)


@app.command()
def add(
    kind: Annotated[str, typer.Option(help="coordinator_time or expense.")] = "",
    funder: Annotated[str, typer.Option(help="The public body that pays for it.")] = "",
    vacancy: Annotated[str | None, typer.Option(help="The vacancy it was spent on (its id).")] = None,
    appointment: Annotated[str | None, typer.Option(help="The appointment it was spent on (its id).")] = None,
    minutes: Annotated[str | None, typer.Option(help="Coordinator time, in minutes.")] = None,
    amount: Annotated[str | None, typer.Option(help="An expense paid, in pounds, e.g. 12.50.")] = None,
    on: Annotated[str | None, typer.Option(help=f"When it was incurred (default today). {DATE}")] = None,
    description: Annotated[str, typer.Option(help="What it was, e.g. 'train to the May meeting'.")] = "",
) -> None:
    """Record coordinator time or an expense for a vacancy or an appointment; prints its id."""
    if not kind:
        raise fail("--kind: say coordinator_time or expense", 2)
    incurred_on, pence, spent = _date(on, "--on"), _pence(amount), _whole(minutes, "--minutes")
    vacancy_id, appointment_id = _whole(vacancy, "--vacancy"), _whole(appointment, "--appointment")
    with open_database() as (db, clock):
        cost = CostInput(
            kind=kind,
            funder=funder,
            incurred_on=incurred_on or clock.now().date(),
            minutes=spent or 0,
            amount_pence=pence,
            vacancy_id=vacancy_id,
            appointment_id=appointment_id,
            description=description,
        )
        cost_id = record_cost(db, clock, cost, CLI_ACTOR)
    typer.echo(cost_id)


@app.command()
def report(
    by: Annotated[str, typer.Option(help="partnership or funder.")] = "partnership",
    from_: Annotated[str | None, typer.Option("--from", help=f"Costs incurred on or after. {DATE}")] = None,
    to: Annotated[str | None, typer.Option(help=f"Costs incurred on or before. {DATE}")] = None,
    network: Annotated[str | None, typer.Option(help="Only this network's costs (its id).")] = None,
    csv_file: Annotated[Path | None, typer.Option("--csv", help="Write CSV here ('-': the screen).")] = None,
) -> None:
    """Total minutes, hours and money per partnership or per funder."""
    if by not in GROUPINGS:
        raise fail(f"--by: a report is by partnership or by funder, not by {by!r}", 2)
    where = CostFilter(_date(from_, "--from"), _date(to, "--to"), _whole(network, "--network"))
    with open_database() as (db, _clock):
        rows = cost_report(db, by, where)
    if csv_file is None:
        _print(rows, by)
    elif str(csv_file) == "-":
        write_csv(rows, by, sys.stdout)
    else:
        try:
            with csv_file.open("w", encoding="utf-8", newline="") as out:
                write_csv(rows, by, out)
        except OSError as exc:
            raise fail(f"--csv: cannot write {csv_file}: {exc.strerror}") from None
        typer.echo(f"{len(rows)} row{'' if len(rows) == 1 else 's'} written to {csv_file}")


def _print(rows: list[CostRow], by: str) -> None:
    if not rows:
        typer.echo("no costs recorded for this report: add some with `nominations costs add`")
        return
    labels = ["network", "partnership"] if by == "partnership" else ["funder"]
    table = Table(*labels, "entries", "minutes", "hours", "expenses (£)")
    for col in table.columns[len(labels) :]:
        col.justify = "right"
    whole = total(rows)
    for r in [*rows, whole]:
        named = [r.network, r.label] if by == "partnership" else [r.label]
        if r is whole:
            table.add_section()
        table.add_row(*named, str(r.entries), str(r.minutes), str(r.hours), f"{r.pounds:,}")
    Console(highlight=False).print(table)
