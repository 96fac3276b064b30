"""`nominations audit verify|export`: check the hash chain, write it out for others to check."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from sqlalchemy.exc import OperationalError

from nominations.db.engine import Database
from nominations.db.revision_check import missing_sqlite_file
from nominations.errors import SettingsError
from nominations.services import audit_export, audit_log, audit_verify
from nominations.settings import load_settings

app = typer.Typer(no_args_is_help=True, help="Verify and export the audit trail.")

NO_TRAIL = "no audit trail in this database (run the demo or the worker first)"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


@contextmanager
def _audit_database() -> Iterator[Database]:
    """The configured database, if it holds an audit trail; never creates anything."""
    try:
        url = load_settings().database_url
    except SettingsError as exc:
        raise _fail(str(exc), 2) from None
    if missing_sqlite_file(url):  # do not leave an empty one behind
        raise _fail(NO_TRAIL, 1)
    db = Database(url)
    try:
        if not audit_log.has_audit_trail(db):
            raise _fail(NO_TRAIL, 1)
        yield db
    except OperationalError as exc:
        raise _fail(f"cannot read the database: {str(exc.orig).splitlines()[0]}", 2) from None
    finally:
        db.dispose()


@app.command()
def verify(
    anchor: Annotated[
        str | None,
        typer.Option(help="A head printed by an earlier verify and kept elsewhere; fail if it is gone."),
    ] = None,
) -> None:
    """Recompute every hash of the audit chain and compare the end with the recorded head."""
    with _audit_database() as db:
        if sys.stdout.isatty():
            with Progress(transient=True) as bar:
                task = bar.add_task("verifying", total=audit_log.recorded_length(db))
                report = audit_verify.verify(
                    db, progress=lambda n: bar.update(task, completed=n), anchor=anchor
                )
        else:
            report = audit_verify.verify(db, anchor=anchor)
    if report.ok:
        typer.echo(f"verified {report.count} events, head {report.head}")
        return
    problem = report.problem or "unknown problem"
    if report.first_bad_seq is None:
        typer.echo(f"audit chain broken: {problem}")
    else:
        # Problems read "event 7: ..." on their own; do not say "event 7" twice.
        detail = problem.removeprefix(f"event {report.first_bad_seq}: ")
        typer.echo(f"audit chain broken at event {report.first_bad_seq}: {detail}")
    raise typer.Exit(1)


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="jsonl or csv.")],
    vacancy: Annotated[
        int | None, typer.Option(help="Only this vacancy's events (and those naming it).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="Write to this file instead of standard output.")
    ] = None,
) -> None:
    """Write the audit events in sequence order, with their hashes, as JSON lines or CSV."""
    with _audit_database() as db:
        if output is None:
            audit_export.export(db, sys.stdout, fmt=fmt.value, vacancy_id=vacancy)
            return
        # newline="" lets the csv module write its own line endings unchanged.
        with output.open("w", encoding="utf-8", newline="") as out:
            written = audit_export.export(db, out, fmt=fmt.value, vacancy_id=vacancy)
        typer.echo(f"wrote {written} events to {output}", err=True)
