"""`nominations workflow check` and `nominations workflow diagram`: workflows and protocols as data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nominations.errors import NotFoundError
from nominations.protocol.loader import check_protocol, is_protocol_file
from nominations.workflow.check import check_workflow
from nominations.workflow.diagram import mermaid
from nominations.workflow.loader import load_workflow

app = typer.Typer(no_args_is_help=True)


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Workflow or protocol YAML files to check.")],
) -> None:
    """Print every problem as FILE:LINE: message; exit 1 if any file has one."""
    failed = 0
    count = 0
    for path in files:
        problems = check_protocol(path) if is_protocol_file(path) else check_workflow(path)
        for problem in problems:
            typer.echo(str(problem))
        if not problems:
            typer.echo(f"{path}: ok")
        failed += bool(problems)
        count += len(problems)
    checked = f"{len(files)} file{'s' * (len(files) != 1)} checked"
    if failed:
        typer.echo(f"{checked}: {count} problem{'s' * (count != 1)} in {failed} of them")
        raise typer.Exit(1)
    typer.echo(f"{checked}: no problems")


@app.command()
def diagram(
    file: Annotated[Path, typer.Argument(help="The workflow YAML file to draw.")],
    current: Annotated[str | None, typer.Option(help="Mark this state rather than the initial one.")] = None,
) -> None:
    """Print the workflow as a Mermaid state diagram; exit 1 if the file does not check clean."""
    problems = check_workflow(file)
    if problems:
        for problem in problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(1)
    try:
        text = mermaid(load_workflow(file), current)
    except NotFoundError as exc:
        typer.echo(f"{file}: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(text, nl=False)
