"""Hostile members files through the import service and the CLI, on SQLite and PostgreSQL: a file
is refused, or its bad rows stop the import, and then nothing at all is written; an oversized file
is refused before a byte of it is parsed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from typer.testing import CliRunner

from nominations.actors import Actor
from nominations.cli import app
from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.members import csvformat
from nominations.members.columns import MembersFileError
from nominations.services import network_admin
from nominations.services.members import import_members
from tests.unit.test_hostile_csv import members_files
from tests.utils.hostile import changed, database_state

ACTOR = Actor("coordinator", "c1")
HEADER = b"external_id,name,status,voting_contact_name,voting_contact_email\r\n"


def add_network(db: Database, clock: FakeClock) -> None:
    network_admin.add_network(db, clock, "Safer Town VCS", "Cora Ordinator", "cora@network.example", ACTOR)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=members_files())
def test_a_refused_file_or_a_stopped_import_writes_nothing(
    db: Database, clock: FakeClock, tmp_path: Path, case: tuple[bytes, dict[str, str]]
) -> None:
    if not database_state(db)["network"][0]:
        add_network(db, clock)
    raw, mapping = case
    path = tmp_path / "members.csv"
    path.write_bytes(raw)
    before = database_state(db)
    try:
        report = import_members(
            db, clock, path, actor=ACTOR, mapping=[f"{column}={field}" for column, field in mapping.items()]
        )
    except MembersFileError as exc:
        assert str(exc).startswith(str(path)), str(exc)
        written = False
        event("the file refused")
    else:
        written = report.written
        assert written == (not report.problems)
        event("written" if written else "bad rows: nothing written")
    if not written:
        assert changed(before, database_state(db)) == []


def test_a_nul_in_a_name_is_refused_before_postgresql_sees_it(
    db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    add_network(db, clock)
    path = tmp_path / "members.csv"
    path.write_bytes(HEADER + b"1,Age\x00 Concern,active,Ann,ann@age.example\r\n")
    before = database_state(db)
    with pytest.raises(MembersFileError, match=r"line 2 holds a NUL character"):
        import_members(db, clock, path, actor=ACTOR)
    assert changed(before, database_state(db)) == []


def oversized(tmp_path: Path) -> Path:
    """A real members file just over the limit, written a megabyte at a time (never whole in memory)."""
    path = tmp_path / "big.csv"
    row = b"1100001,Age Concern Town,active,Ann Able,ann@ageconcern.example\r\n"
    chunk = row * (2**20 // len(row))
    with path.open("wb") as out:
        out.write(HEADER)
        while out.tell() <= csvformat.MAX_BYTES:
            out.write(chunk)
    return path


def size(path: Path) -> str:
    return f"{path.stat().st_size / 2**20:.1f} MB"


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading or parsing the file fails the test: the refusal must come first."""

    def parsed(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the oversized file was read or parsed")

    monkeypatch.setattr(csvformat, "decode", parsed)
    monkeypatch.setattr(csvformat, "parse", parsed)
    monkeypatch.setattr(Path, "read_bytes", parsed)


@pytest.mark.usefixtures("no_parsing")
def test_a_50_mb_members_file_is_refused_by_the_service_before_it_is_parsed(
    db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    add_network(db, clock)
    path = oversized(tmp_path)
    before = database_state(db)
    with pytest.raises(MembersFileError) as caught:
        import_members(db, clock, path, actor=ACTOR)
    assert (
        str(caught.value)
        == f"{path}: the file is {size(path)}, over the 50 MB limit; split it and import the parts"
    )
    assert changed(before, database_state(db)) == []


@pytest.mark.usefixtures("no_parsing")
def test_a_50_mb_members_file_is_refused_by_the_cli_in_one_line(
    db: Database, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # Settings also read ./.env: only the test's URL counts
    add_network(db, clock)
    path = oversized(tmp_path)
    before = database_state(db)
    result = CliRunner().invoke(
        app, ["members", "import", str(path)], env={"NOMINATIONS_DATABASE_URL": db.url}
    )
    assert result.exit_code == 1, result.output
    assert (
        result.stderr
        == f"{path}: the file is {size(path)}, over the 50 MB limit; split it and import the parts\n"
    )
    assert result.stdout == ""
    assert changed(before, database_state(db)) == []
