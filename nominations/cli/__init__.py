"""The `nominations` command: thin entry points that parse, call a service, and print."""

from __future__ import annotations

import typer

from nominations.cli import audit_cmd, run_cmd, workflow_cmd

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
app.add_typer(workflow_cmd.app, name="workflow", help="Check workflow definitions and draw them.")
app.add_typer(audit_cmd.app, name="audit", help="Verify and export the audit trail.")
run_cmd.register(app)


def main() -> None:
    app()
