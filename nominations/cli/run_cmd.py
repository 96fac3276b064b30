"""Commands that run things: the worker, the server and the demo (the database's are in db_cmd)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from nominations.errors import SettingsError
from nominations.settings import Settings, load_settings

if TYPE_CHECKING:
    from nominations.services.worker import Worker


def settings_or_exit() -> Settings:
    """Load settings, or print the one line that says what is wrong and exit 2."""
    try:
        return load_settings()
    except SettingsError as exc:
        typer.echo(f"settings: {exc}", err=True)
        raise typer.Exit(2) from None


def worker(
    once: Annotated[bool, typer.Option("--once", help="Do what is due now, then exit.")] = False,
    poll: Annotated[float, typer.Option(help="Seconds between polls when idle.", min=0.1)] = 5.0,
) -> None:
    """Fire due timers and send queued mail. Several may run at once; any may be killed."""
    from nominations.cli.db_cmd import app_or_exit

    app = app_or_exit(settings_or_exit())
    runner = app.worker()
    try:
        _run_worker(runner, once, poll)
    finally:
        app.db.dispose()


def _run_worker(runner: Worker, once: bool, poll: float) -> None:
    if once:
        report = asyncio.run(runner.run_until_idle())
        print(
            f"timers fired {report.timers.fired}, skipped {report.timers.skipped}, "
            f"failed {report.timers.failed}; mail sent {report.sent}, retried {report.retried}, "
            f"failed {report.failed}"
        )
        return
    asyncio.run(runner.run_forever(poll))


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the pages members reach from their emails (run `nominations worker` beside it)."""
    import uvicorn

    from nominations.cli.db_cmd import app_or_exit
    from nominations.web.app import create_app

    settings = settings_or_exit()
    if settings.secret_key is None:
        typer.echo(
            "settings: NOMINATIONS_SECRET_KEY is missing: serve needs it to sign forms "
            "(make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))')",
            err=True,
        )
        raise typer.Exit(2)
    web = create_app(app_or_exit(settings), settings.secret_key.get_secret_value())
    # 30 s, not uvicorn's 5: under load a starved loop can time out a connection mid-request.
    uvicorn.run(web, host=host, port=port, log_level="info", timeout_keep_alive=30)


def demo(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead.")] = False,
    out: Annotated[Path, typer.Option(help="Folder for the demo's database and mail.")] = Path("demo-output"),
) -> None:
    """Run a whole election on a fresh SQLite file, with real SMTP to a local capture server."""
    from nominations.demo import run_demo

    summary = run_demo(out, console=None if as_json else Console(width=max(Console().width, 110)))
    if as_json:
        print(json.dumps(summary, sort_keys=True))
    if not summary["audit_verified"]:
        sys.exit(1)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the top-level app."""
    app.command()(worker)
    app.command()(serve)
    app.command()(demo)
    from nominations.cli import db_cmd

    db_cmd.register(app)
