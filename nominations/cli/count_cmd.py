"""`nominations count`: count BLT ballot files by any method, many in one process."""

from __future__ import annotations

import json
import secrets
import sys
from typing import Annotated, NoReturn

import typer

from nominations.counting.methods import METHODS, count_file
from nominations.counting.model import CountingError
from nominations.counting.render import json_object, jsonl_object, render_csv, render_text

FORMATS = ("table", "json", "jsonl", "csv")


def count(
    files: Annotated[list[str], typer.Argument(help="BLT ballot files.", show_default=False)],
    method: Annotated[str, typer.Option("--method", "-m", help=f"One of: {', '.join(METHODS)}.")],
    seats: Annotated[int | None, typer.Option(help="Seats to fill, instead of the file's.", min=1)] = None,
    seed: Annotated[
        str | None, typer.Option(help="Seed for any lot (the result records it); fresh if not given.")
    ] = None,
    withdraw: Annotated[
        list[str] | None, typer.Option("--withdraw", help="Withdraw a candidate, by name; may be repeated.")
    ] = None,
    output: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")] = "table",
) -> None:
    """Count each file and print the result: a stage table, JSON, JSON lines (one a file) or CSV."""
    if method not in METHODS:
        _fail(f"there is no method {method!r}; the methods are {', '.join(METHODS)}")
    if output not in FORMATS:
        _fail(f"there is no format {output!r}; the formats are {', '.join(FORMATS)}")
    seed = seed if seed is not None else secrets.token_hex(8)
    out, failed, counted, whole = sys.stdout, 0, 0, []
    for file in files:
        try:
            election, result = count_file(file, method, seed, seats=seats, withdraw=withdraw or ())
        except CountingError as exc:
            failed += 1
            message = str(exc)
            typer.echo(message if message.startswith(file) else f"{file}: {message}", err=True)
            continue
        counted += 1
        if output == "table":
            out.write(render_text(result, f"{file}: {election.title}" if election.title else file) + "\n")
        elif output == "jsonl":
            out.write(json.dumps(jsonl_object(result, file), ensure_ascii=False) + "\n")
        elif output == "csv":
            out.write(render_csv(result, file, header=counted == 1))
        else:
            whole.append(json_object(result, file))
    if output == "json":
        out.write(json.dumps(whole, ensure_ascii=False, indent=2) + "\n")
    if failed:
        raise typer.Exit(1)


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(2)
