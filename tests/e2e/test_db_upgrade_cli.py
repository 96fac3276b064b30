"""`nominations db upgrade`; and commands refuse, in one line, a database not at this release's revision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import MetaData, select, text
from sqlalchemy.engine import make_url

from nominations.db.engine import Database
from nominations.db.migrate import alembic_config, head
from tests.e2e.test_startup_cli import nominations

pytestmark = pytest.mark.slow  # each case starts the command several times

HEAD = head()
# Every kind of command that works on the database: the worker, the server, a coordinator's command.
COMMANDS = [["worker", "--once"], ["serve", "--port", "1"], ["vacancy", "show", "1"]]
IDLE = "timers fired 0, skipped 0, failed 0; mail sent 0, retried 0, failed 0"


def _env(url: str) -> dict[str, str]:
    return {"NOMINATIONS_DATABASE_URL": url, "NOMINATIONS_SMTP_PORT": "1", "NOMINATIONS_SECRET_KEY": "k" * 32}


def _where(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _refused(url: str, cwd: Path, line: str, commands: list[list[str]]) -> None:
    for args in commands:
        run = nominations(*args, env=_env(url), cwd=cwd)
        assert (run.returncode, run.stderr, run.stdout) == (2, line + "\n", ""), args


def _everything(url: str) -> dict[str, list[Any]]:
    """Every row of every table, the revision record among them: to show nothing changed."""
    db = Database(url)
    try:
        metadata = MetaData()
        metadata.reflect(db.engine)
        with db.engine.connect() as conn:
            return {name: list(conn.execute(select(table))) for name, table in metadata.tables.items()}
    finally:
        db.dispose()


def test_db_upgrade_makes_a_fresh_sqlite_file_that_the_worker_runs_on(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    made = nominations("db", "upgrade", env=_env(url), cwd=tmp_path)
    assert (made.returncode, made.stdout) == (0, f"database created at revision {HEAD}: {url}\n"), made.stderr
    again = nominations("db", "upgrade", env=_env(url), cwd=tmp_path)
    assert again.stdout == f"database already at revision {HEAD}, nothing to do: {url}\n"
    run = nominations("worker", "--once", env=_env(url), cwd=tmp_path)
    assert (run.returncode, run.stdout.strip()) == (0, IDLE), run.stderr


def test_an_empty_database_stops_start_up_and_is_left_empty(database_url: str, tmp_path: Path) -> None:
    line = "the database has no tables yet: run `nominations db upgrade`"
    _refused(database_url, tmp_path, line, COMMANDS[:1])
    sqlite_file = make_url(database_url).database if database_url.startswith("sqlite") else None
    if sqlite_file:
        assert not Path(sqlite_file).exists()  # not even an empty file left behind
    else:
        assert _everything(database_url) == {}


def test_a_database_behind_stops_start_up_until_it_is_upgraded(database_url: str, tmp_path: Path) -> None:
    command.upgrade(alembic_config(url=database_url), "0001")
    line = f"the database is at revision 0001; this release needs {HEAD}: run `nominations db upgrade`"
    _refused(database_url, tmp_path, line, COMMANDS)
    upgraded = nominations("db", "upgrade", env=_env(database_url), cwd=tmp_path)
    expected = f"database upgraded from revision 0001 to {HEAD}: {_where(database_url)}\n"
    assert (upgraded.returncode, upgraded.stdout) == (0, expected), upgraded.stderr
    run = nominations("worker", "--once", env=_env(database_url), cwd=tmp_path)
    assert (run.returncode, run.stdout.strip()) == (0, IDLE), run.stderr


def test_a_newer_revision_stops_start_up_and_the_upgrade_and_changes_nothing(
    db: Database, tmp_path: Path
) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe'"))
    before = _everything(db.url)
    line = (
        "the database is at revision f00dcafe, which this release of nominations does not know "
        "(made by a newer release?); nothing was changed"
    )
    _refused(db.url, tmp_path, line, [*COMMANDS, ["db", "upgrade"]])
    assert _everything(db.url) == before


def test_tables_made_before_migrations_are_recorded_by_the_upgrade(db: Database, tmp_path: Path) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    line = "the database was made before migrations and records no revision: run `nominations db upgrade`"
    _refused(db.url, tmp_path, line, COMMANDS[:1])
    recorded = nominations("db", "upgrade", env=_env(db.url), cwd=tmp_path)
    expected = f"database made before migrations, recorded at revision {HEAD}: {_where(db.url)}\n"
    assert (recorded.returncode, recorded.stdout) == (0, expected), recorded.stderr
    assert nominations("worker", "--once", env=_env(db.url), cwd=tmp_path).returncode == 0


def test_tables_of_no_known_release_are_refused_by_the_upgrade_untouched(
    db: Database, tmp_path: Path
) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text("DROP TABLE digest"))
    before = _everything(db.url)
    line = (
        "the database has tables but no revision, and they are not those of any release this one "
        "knows; nothing was changed"
    )
    _refused(db.url, tmp_path, line, [["db", "upgrade"]])
    assert _everything(db.url) == before
