"""The `nominations` command: thin entry points that parse, call a service, and print."""

from __future__ import annotations

import typer

from nominations.cli import audit_cmd, count_cmd, members_cmd, network_cmd, run_cmd, vacancy_cmd, workflow_cmd

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
app.add_typer(workflow_cmd.app, name="workflow", help="Check workflow definitions and draw them.")
app.add_typer(audit_cmd.app, name="audit", help="Verify and export the audit trail.")
app.command("count")(count_cmd.count)
app.add_typer(network_cmd.app, name="network", help="Add and list networks.")
app.add_typer(members_cmd.app, name="members", help="Import and export a network's member organisations.")
app.add_typer(
    vacancy_cmd.app, name="vacancy", help="Look at a vacancy, fire its triggers, invalidate a nomination."
)
run_cmd.register(app)


def main() -> None:
    app()
