"""The `nominations` command: thin entry points that parse, call a service, and print."""

from __future__ import annotations

import typer

from nominations.cli import (
    appointment_cmd,
    audit_cmd,
    costs_cmd,
    count_cmd,
    meeting_cmd,
    members_cmd,
    network_cmd,
    panel_cmd,
    run_cmd,
    users_cmd,
    vacancy_cmd,
    workflow_cmd,
)

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
app.add_typer(workflow_cmd.app, name="workflow", help="Check workflow definitions and draw them.")
app.add_typer(audit_cmd.app, name="audit", help="Verify and export the audit trail.")
app.command("count")(count_cmd.count)
app.add_typer(network_cmd.app, name="network", help="Add and list networks.")
app.add_typer(members_cmd.app, name="members", help="Import and export a network's member organisations.")
app.add_typer(
    vacancy_cmd.app, name="vacancy", help="Look at a vacancy, fire its triggers, invalidate a nomination."
)
app.add_typer(
    appointment_cmd.app,
    name="appointment",
    help="Look at an appointment, fire its triggers, tick or waive induction, export reviews.",
)
app.add_typer(meeting_cmd.app, name="meeting", help="A partnership's meeting schedule.")
app.add_typer(panel_cmd.app, name="panel", help="An expert seat's selection panel: add, scores, decide.")
app.add_typer(costs_cmd.app, name="costs", help="Record and report what representation costs.")
app.add_typer(users_cmd.app, name="users", help="Invite people to the console, list and disable accounts.")
run_cmd.register(app)


def main() -> None:
    app()
