"""A partnership's meeting schedule: list, add, move and cancel meetings (calendars follow)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import col, select

from nominations.cli.context import COORDINATOR, built_app
from nominations.db.term_models import Meeting

app = typer.Typer(no_args_is_help=True)
WHEN = "Date and time in ISO 8601, e.g. 2027-03-09T14:00; taken as UTC unless it has an offset."


def _instant(text: str, option: str) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date and time like 2027-03-09T14:00", param_hint=option
        ) from None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


@app.command("list")
def list_(partnership_id: int) -> None:
    """The partnership's meetings, cancelled ones included."""
    with built_app() as built, built.db.transaction() as session:
        rows = session.exec(
            select(Meeting).where(Meeting.partnership_id == partnership_id).order_by(col(Meeting.starts_at))
        ).all()
        table = Table("id", "title", "starts (UTC)", "location", "status", "revision")
        for m in rows:
            table.add_row(
                str(m.id), m.title, f"{m.starts_at:%a %d %b %Y %H:%M}", m.location, m.status, str(m.sequence)
            )
    Console().print(table)


@app.command()
def add(
    partnership_id: int,
    start: Annotated[str, typer.Option(help=WHEN)],
    end: Annotated[str, typer.Option(help=WHEN)],
    title: Annotated[str, typer.Option(help="What the calendar shows.")] = "Partnership meeting",
    location: Annotated[str, typer.Option(help="Where it is held.")] = "",
) -> None:
    """Add a meeting; representatives on the partnership get an updated calendar."""
    starts, ends = _instant(start, "--start"), _instant(end, "--end")
    with built_app() as built:
        meeting_id = built.term.meetings.schedule(partnership_id, title, starts, ends, COORDINATOR, location)
    typer.echo(f"meeting {meeting_id} added")


@app.command()
def move(
    meeting_id: int,
    start: Annotated[str, typer.Option(help=WHEN)],
    end: Annotated[str, typer.Option(help=WHEN)],
    location: Annotated[str | None, typer.Option(help="A new place, if it changes.")] = None,
) -> None:
    """Move a meeting; calendars move the copy they hold (same event id)."""
    starts, ends = _instant(start, "--start"), _instant(end, "--end")
    with built_app() as built:
        built.term.meetings.move(meeting_id, starts, ends, COORDINATOR, location)
    typer.echo(f"meeting {meeting_id} moved")


@app.command()
def cancel(meeting_id: int) -> None:
    """Cancel a meeting; calendars mark their copy cancelled."""
    with built_app() as built:
        built.term.meetings.cancel(meeting_id, COORDINATOR)
    typer.echo(f"meeting {meeting_id} cancelled")
