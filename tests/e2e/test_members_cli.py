"""`nominations network …` and `nominations members …` as a coordinator runs them: output, exit codes."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from nominations.cli import app
from nominations.cli.members_cmd import _progress_bar
from nominations.db.engine import Database
from nominations.db.models import AuditEvent, Network, Organisation, OrganisationContact
from nominations.members.columns import FIELDS
from nominations.members.csvformat import MAX_BYTES
from tests.integration.conftest import count

FIXTURES = Path(__file__).parent.parent / "fixtures" / "members"
GOOD, BAD, CRM = (str(FIXTURES / name) for name in ("good.csv", "bad.csv", "crm.csv"))


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Settings also read ./.env; run where there is none so only the test's URL counts.
    monkeypatch.chdir(tmp_path)


def cli(db: Database | str, *args: str) -> Result:
    url = db if isinstance(db, str) else db.url
    return CliRunner().invoke(app, list(args), env={"NOMINATIONS_DATABASE_URL": url})


def add(db: Database, name: str = "Safer Town VCS") -> Result:
    return cli(
        db, "network", "add", name, "--coordinator-name", "Cora O", "--coordinator-email", "cora@net.example"
    )


def rows(db: Database) -> tuple[int, ...]:
    with db.transaction() as session:
        return tuple(
            count(session, model) for model in (Network, Organisation, OrganisationContact, AuditEvent)
        )


@pytest.fixture
def network(db: Database) -> Database:
    assert add(db).stdout == "1\n"
    return db


def test_network_add_prints_the_id_and_list_shows_it(db: Database) -> None:
    assert cli(db, "network", "list").stdout == "no networks yet: add one with `nominations network add`\n"
    assert add(db).stdout == "1\n" and add(db, "Other Network").stdout == "2\n"
    cli(db, "members", "import", GOOD, "--network", "1")
    assert cli(db, "network", "list").stdout == (
        "id  name            coordinator                members\n"
        "1   Safer Town VCS  Cora O <cora@net.example>  5\n"
        "2   Other Network   Cora O <cora@net.example>  0\n"
    )


def test_a_duplicate_network_name_is_refused(network: Database) -> None:
    before = rows(network)
    result = add(network, "SAFER TOWN VCS")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "a network named 'Safer Town VCS' already exists (id 1)\n"
    assert rows(network) == before


def test_import_then_reimport_reports_counts(network: Database) -> None:
    first = cli(network, "members", "import", GOOD)
    assert (first.exit_code, first.stdout) == (0, "Safer Town VCS: 5 added, 0 updated, 0 unchanged\n")
    again = cli(network, "members", "import", GOOD)
    assert (again.exit_code, again.stdout) == (0, "Safer Town VCS: 0 added, 0 updated, 5 unchanged\n")
    edited = cli(network, "members", "import", str(FIXTURES / "edited.csv"))
    assert edited.stdout == "Safer Town VCS: 1 added, 3 updated, 1 unchanged\n"


def test_a_bad_file_is_reported_row_by_row_and_nothing_is_written(network: Database) -> None:
    before = rows(network)
    result = cli(network, "members", "import", BAD)
    assert result.exit_code == 1
    assert result.stdout == (
        "line 3: no voting contact email\n"
        "line 4: voting contact email 'tom.typo.example' is not an email address\n"
        "line 5: voting contact email twin@twins.example is also on line 6\n"
        "line 6: voting contact email twin@twins.example is also on line 5\n"
        "line 7: external id 555 is also on line 8\n"
        "line 8: external id 555 is also on line 7\n"
        "line 9: unknown status 'closed' (allowed: active, lapsed, suspended)\n"
        "line 10: unknown equality sector 'youth' "
        "(allowed: women, bme, disabled, lgbt, faith, older, younger)\n"
        "line 11: name is empty\n"
        "line 12: other contact 'Dan Dot dan@club.example' is not written as Name <email>\n"
        "bad rows: 10 of 11; nothing written (fix them, or use --skip-bad to import the other 1)\n"
    )
    assert rows(network) == before


def test_skip_bad_imports_the_good_rows_and_lists_the_bad(network: Database) -> None:
    result = cli(network, "members", "import", BAD, "--skip-bad")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 11 and lines[0] == "line 3: no voting contact email"
    assert lines[-1] == "Safer Town VCS: 1 added, 0 updated, 0 unchanged; bad rows skipped: 10 (listed above)"


def test_a_dry_run_says_what_would_happen_and_writes_nothing(network: Database) -> None:
    before = rows(network)
    result = cli(network, "members", "import", GOOD, "--dry-run")
    assert (
        result.stdout == "dry run for Safer Town VCS, nothing written: 5 to add, 0 to update, 0 unchanged\n"
    )
    bad = cli(network, "members", "import", BAD, "--dry-run", "--skip-bad")
    assert bad.stdout.splitlines()[-1] == (
        "dry run for Safer Town VCS, nothing written: 1 to add, 0 to update, 0 unchanged; "
        "bad rows to skip: 10"
    )
    assert rows(network) == before


def test_map_reads_a_crm_export_and_names_the_ignored_columns(network: Database) -> None:
    result = cli(
        network, "members", "import", CRM, "--map", "Charity No=external_id", "--map", "Organisation=name",
        "--map", "Email=voting_contact_email", "--map", "Contact=voting_contact_name",
    )  # fmt: skip
    assert result.stdout == (
        "ignored columns (not fields; rename one with --map): Membership, Phone\n"
        "Safer Town VCS: 2 added, 0 updated, 0 unchanged\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "Charity No=charity"], "--map 'Charity No=charity': 'charity' is not a field "
         f"(fields: {', '.join(FIELDS)})"),
        ([], f"{CRM}:1: no name or voting_contact_email column (its columns: Charity No, Organisation, "
         'Membership, Contact, Email, Phone); name one with --map "Your column=name"'),
        (["--map", "Email=voting_contact_email"], f"{CRM}:1: no name column (its columns: Charity No, "
         'Organisation, Membership, Contact, Email, Phone); name one with --map "Your column=name"'),
        (["--network", "Elsewhere"], "no network 'Elsewhere' (networks: 1 Safer Town VCS)"),
    ],
)  # fmt: skip
def test_refusals_before_any_row_is_read(network: Database, args: list[str], message: str) -> None:
    before = rows(network)
    result = cli(network, "members", "import", CRM, *args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message + "\n")
    assert rows(network) == before


def test_a_file_that_is_not_utf8_is_refused(network: Database) -> None:
    latin1 = str(FIXTURES / "latin1.csv")
    result = cli(network, "members", "import", latin1)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f'{latin1}: not UTF-8 text (line 3 has the byte 0xE9); save it as "CSV UTF-8" and import it again\n'
    )


def test_an_oversized_or_missing_file_is_refused(network: Database, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 5 * 2**20)
    before = rows(network)
    result = cli(network, "members", "import", str(big))
    assert (
        result.stderr == f"{big}: the file is 55.0 MB, over the 50 MB limit; split it and import the parts\n"
    )
    missing = cli(network, "members", "import", str(tmp_path / "nope.csv"))
    assert (missing.exit_code, missing.stderr) == (1, f"{tmp_path / 'nope.csv'}: no such file\n")
    assert rows(network) == before


def test_export_import_export_through_files_is_the_same_file(network: Database, tmp_path: Path) -> None:
    cli(network, "members", "import", GOOD)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    result = cli(network, "members", "export", "--output", str(first))
    assert result.stderr == f"wrote 5 members of Safer Town VCS to {first}\n"
    assert first.read_bytes().startswith(b"\xef\xbb\xbf" + ",".join(FIELDS).encode() + b"\r\n")
    assert add(network, "Second").stdout == "2\n"
    assert cli(network, "members", "import", str(first), "--network", "Second").exit_code == 0
    cli(network, "members", "export", "--network", "Second", "--output", str(second))
    assert second.read_bytes() == first.read_bytes()
    # Standard output gets the same rows without the byte order mark.
    stdout = cli(network, "members", "export", "--network", "Second").stdout_bytes
    assert stdout == first.read_bytes().removeprefix(b"\xef\xbb\xbf")


def test_with_two_networks_one_must_be_named(network: Database) -> None:
    add(network, "Second")
    result = cli(network, "members", "export")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "there are 2 networks; say which with --network (1 Safer Town VCS, 2 Second)\n"


def test_a_database_without_tables_is_refused_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    for args in (["network", "list"], ["members", "export"]):
        result = cli(f"sqlite:///{path}", *args)
        assert (result.exit_code, result.stderr) == (
            2,
            "the database has no tables yet: run `nominations db upgrade`\n",
        )
    assert not path.exists()


def test_import_help_says_members_absent_from_the_file_are_left_alone() -> None:
    result = CliRunner().invoke(app, ["members", "import", "--help"], env={"COLUMNS": "200"})
    assert "Members not in the file are left alone" in " ".join(result.stdout.split())


def test_the_progress_bar_draws_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with _progress_bar("big.csv") as progress:
        assert progress is None
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with _progress_bar("big.csv") as progress:
        assert progress is not None
        progress("reading", 50, 100)
        progress("writing", 10, 10)
    assert "reading big.csv" in terminal.getvalue()
