"""`nominations members import|export`: the roll of member organisations as a CSV file."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, TaskID

from nominations.cli.network_cmd import CLI_ACTOR, open_database
from nominations.services import members
from nominations.services.members import ImportReport

app = typer.Typer(no_args_is_help=True, help="Import and export the member organisations of a network.")

NETWORK_HELP = "The network's name or id; may be left out when there is only one."


@contextmanager
def _progress_bar(label: str) -> Iterator[members.Progress | None]:
    """A bar on the terminal for long files; nothing when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    with Progress(console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(f"{stage} {label}" if stage == "reading" else stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def _print_report(report: ImportReport, dry_run: bool, skip_bad: bool) -> None:
    if report.ignored_columns:
        ignored = ", ".join(report.ignored_columns)
        typer.echo(f"ignored columns (not fields; rename one with --map): {ignored}")
    for problem in report.problems:
        typer.echo(str(problem))
    bad = len(report.problems)
    if bad and not skip_bad:
        good = report.rows - bad
        typer.echo(
            f"bad rows: {bad} of {report.rows}; nothing written "
            f"(fix them, or use --skip-bad to import the other {good})"
        )
    elif dry_run:
        skipped = f"; bad rows to skip: {bad}" if bad else ""
        plan = f"{report.added} to add, {report.updated} to update, {report.unchanged} unchanged"
        typer.echo(f"dry run for {report.network_name}, nothing written: {plan}{skipped}")
    else:
        skipped = f"; bad rows skipped: {bad} (listed above)" if bad else ""
        counts = f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged"
        typer.echo(f"{report.network_name}: {counts}{skipped}")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A CSV file, UTF-8, at most 50 MB.", show_default=False)],
    network: Annotated[str | None, typer.Option(help=NETWORK_HELP)] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help='Read a column of the file as a field: --map "Charity No=external_id" (repeatable).',
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would happen; write nothing.")
    ] = False,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Write the good rows even when some are bad.")
    ] = False,
) -> None:
    """Add and update member organisations from a CSV file.

    Columns: external_id, name, status, voting_contact_name, voting_contact_email, other_contacts
    ("Name <email>; Name <email>"), interest_areas ("a; b"), equality_sectors ("women; disabled").
    Only name and voting_contact_email are required. A row updates the member with its external_id,
    else the one with its voting contact email (in any case), else adds a member; its other contacts
    replace the member's. A column the file lacks, or a blank status or external_id, leaves what the
    roll holds. Members not in the file are left alone: nobody is removed or lapsed by an import.
    Nothing is written when any row is bad, unless --skip-bad.
    """
    with open_database() as (db, clock), _progress_bar(file.name) as progress:
        report = members.import_members(
            db, clock, file, actor=CLI_ACTOR, network=network, mapping=mapping or [],
            dry_run=dry_run, skip_bad=skip_bad, progress=progress,
        )  # fmt: skip
    _print_report(report, dry_run, skip_bad)
    if report.problems and not skip_bad:
        raise typer.Exit(1)


@app.command()
def export(
    network: Annotated[str | None, typer.Option(help=NETWORK_HELP)] = None,
    output: Annotated[Path | None, typer.Option(help="Write to this file, not standard output.")] = None,
) -> None:
    """Write the network's members as CSV, in the format `members import` reads, sorted by name.

    A file gets a UTF-8 byte order mark so that spreadsheet programs read its accents right.
    """
    buffer = io.StringIO(newline="")
    with open_database() as (db, _clock):
        name, written = members.export_members(db, buffer, network)
    if output is None:
        sys.stdout.write(buffer.getvalue())
        return
    # Written only once the whole roll is read: a failure leaves no half file behind.
    output.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    typer.echo(f"wrote {written} members of {name} to {output}", err=True)
