"""`nominations users add|list|disable`: the first account, from the command line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from nominations.cli import app
from nominations.db.engine import Database
from tests.integration.conftest import snapshot


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(str(tmp_path))


def run(db: Database, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"NOMINATIONS_DATABASE_URL": db.url, "COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_the_first_admin_is_invited_from_the_command_line(db: Database) -> None:
    code, out, _ = run(db, "users", "add", "Ada@Example.org", "--role", "admin", "--name", "Ada Admin")
    assert code == 0, out
    assert "account 1 invited as admin (manages accounts and protocols)" in out
    assert "/account/invite/" in out.splitlines()[-1]
    before = snapshot(db)
    code, _, err = run(db, "users", "add", "ada@example.org", "--role", "admin", "--name", "Ada")
    assert code == 1 and "there is already an account for ada@example.org" in err
    code, _, err = run(db, "users", "add", "bo@example.org", "--role", "boss", "--name", "Bo")
    assert code == 1 and "the role must be one of coordinator, partnership, auditor, admin" in err
    assert snapshot(db) == before
    code, out, _ = run(db, "users", "list")
    assert "ada@example.org" in out and "invited" in out
    code, out, _ = run(db, "users", "disable", "1")
    assert code == 0 and "account 1 disabled" in out
    code, _, err = run(db, "users", "disable", "9")
    assert code == 1 and "there is no account 9" in err
