"""A coordinator's commands for a term in the seat: look, act, tick or waive induction, export reviews."""

from __future__ import annotations

import csv
import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlmodel import col, select

from nominations.cli.context import COORDINATOR, built_app
from nominations.db.models import Vacancy
from nominations.db.term_models import Appointment
from nominations.errors import NotFoundError
from nominations.services.protocols import protocol_for
from nominations.services.reviews import review_records
from nominations.services.term_records import induction, latest_review, overdue_meetings
from nominations.spreadsheet import safe_cell

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_(network_id: int) -> None:
    """Every appointment of a network: who, which seat, state, term."""
    with built_app() as built, built.db.transaction() as session:
        rows = session.exec(
            select(Appointment).where(Appointment.network_id == network_id).order_by(col(Appointment.id))
        ).all()
        table = Table("id", "person", "role", "vacancy", "state", "term")
        for a in rows:
            assert a.term_start_at is not None and a.term_end_at is not None
            term = f"{a.term_start_at:%d %b %Y} to {a.term_end_at:%d %b %Y}"
            table.add_row(str(a.id), a.person_name, a.role, str(a.vacancy_id), a.status, term)
    Console().print(table)


@app.command()
def show(appointment_id: int) -> None:
    """State, term, induction checklist, the latest review and what the coordinator may do now."""
    with built_app() as built:
        with built.db.transaction() as session:
            a = session.get(Appointment, appointment_id)
            if a is None:
                raise NotFoundError(f"there is no appointment {appointment_id}")
            steps = induction(session, appointment_id)
            review = latest_review(session, appointment_id)
            within = protocol_for(session, session.get_one(Vacancy, a.vacancy_id)).report_back_within
            overdue = overdue_meetings(session, a, built.clock.now(), within)
        allowed = built.transitions.allowed(appointment_id, "coordinator", entity="appointment")
    console = Console(highlight=False)
    console.print(
        f"[bold]{escape(a.person_name)}[/] ({a.role}, appointment {a.id}): {a.status}, version {a.version}"
    )
    assert a.term_start_at is not None and a.term_end_at is not None
    console.print(f"  term: {a.term_start_at:%d %b %Y} to {a.term_end_at:%d %b %Y}")
    for step in steps:
        why = f" ({step.waive_reason})" if step.waive_reason else ""
        console.print(escape(f"  [{step.status}] {step.key}{'' if step.required else ' (optional)'}{why}"))
    if review is not None:
        figures = f"{review.meetings_attended} of {review.meetings_held} meetings attended"
        outcome = review.outcome or "not yet decided"
        console.print(
            f"  review {review.year}: {figures}, {review.report_backs_filed} report-backs, {outcome}"
        )
    for meeting in overdue:
        assert meeting.starts_at is not None
        console.print(f"  [red]report-back overdue[/]: {meeting.title}, {meeting.starts_at:%a %d %b %Y}")
    console.print(f"  you may: {', '.join(allowed) or 'nothing: the appointment is final'}")


@app.command()
def fire(
    appointment_id: int,
    trigger: str,
    reason: Annotated[str | None, typer.Option(help="Why: required where the workflow says so.")] = None,
) -> None:
    """Fire a trigger as the coordinator (continue, stand_down, rerun_election, remove, …)."""
    with built_app() as built:
        outcome = built.transitions.fire(
            appointment_id, trigger, actor=COORDINATOR, reason=reason, entity="appointment"
        )
    typer.echo(
        f"appointment {appointment_id}: {outcome.from_state} -> {outcome.to_state} "
        f"(audit event {outcome.audit_seq})"
    )


@app.command()
def tick(appointment_id: int, step: str) -> None:
    """Mark an induction step done for the representative."""
    with built_app() as built:
        state = built.term.induction.tick(appointment_id, step, COORDINATOR)
    typer.echo(f"appointment {appointment_id}: {step} done; the appointment is {state}")


@app.command()
def waive(
    appointment_id: int, step: str, reason: Annotated[str, typer.Option(help="Why it is waived.")]
) -> None:
    """Waive an induction step, with the reason on the record."""
    with built_app() as built:
        state = built.term.induction.waive(appointment_id, step, COORDINATOR, reason)
    typer.echo(f"appointment {appointment_id}: {step} waived; the appointment is {state}")


@app.command()
def reviews(
    network_id: int,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write; default stdout.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
) -> None:
    """Every yearly review of the network's appointments, kept for good, as CSV or JSON."""
    if fmt not in {"csv", "json"}:
        typer.echo(f"--format must be csv or json, not {fmt!r}", err=True)
        raise typer.Exit(2)
    with built_app() as built, built.db.transaction() as session:
        records = review_records(session, network_id)
    target = output.open("w", encoding="utf-8", newline="") if output else nullcontext(sys.stdout)
    with target as out:
        if fmt == "json":
            json.dump(records, out, indent=2, ensure_ascii=False)
            out.write("\n")
        elif records:
            writer = csv.DictWriter(out, fieldnames=list(records[0]))
            writer.writeheader()
            writer.writerows(
                {k: safe_cell(v) if isinstance(v, str) else v for k, v in r.items()} for r in records
            )
