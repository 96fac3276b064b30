"""`nominations workflow check` on protocol files, as a coordinator runs it: output and exit codes."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from nominations.cli import app
from nominations.paths import workflows_dir

FIXTURES = Path(__file__).parent.parent / "fixtures" / "protocols"
DEFAULT = str(workflows_dir() / "protocols" / "default.yaml")
VACANCY = str(workflows_dir() / "vacancy.yaml")
STRICT = str(FIXTURES / "two_seconders.yaml")
PROBLEMS = str(FIXTURES / "problems.yaml")


def check(*files: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["workflow", "check", *files])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout.splitlines()


def test_the_shipped_protocol_checks_clean() -> None:
    assert check(DEFAULT) == (0, [f"{DEFAULT}: ok", "1 file checked: no problems"])


def test_protocols_and_workflows_are_checked_together() -> None:
    assert check(DEFAULT, STRICT, VACANCY) == (
        0,
        [
            f"{DEFAULT}: ok",
            f"{STRICT}: ok",
            f"{VACANCY}: ok",
            "3 files checked: no problems",
        ],
    )


def test_every_problem_is_printed_as_file_line_message_and_exits_1() -> None:
    code, lines = check(DEFAULT, PROBLEMS)
    assert code == 1
    assert lines[0] == f"{DEFAULT}: ok"
    assert lines[1] == f"{PROBLEMS}:2: 'term_months' is required"
    assert lines[2] == (
        f"{PROBLEMS}:4: ballot_window: '14 days' is not an ISO 8601 duration such as P21D, P3W or PT12H"
    )
    assert f"{PROBLEMS}:6: 'seconders_required' must be 0, 1 or 2, not the number 3" in lines
    assert f"{PROBLEMS}:15: declarations[1].id: 'not_employed' is already the id of declarations[0]" in lines
    assert f"{PROBLEMS}:25: unknown key 'term_month' in the protocol; did you mean 'term_months'?" in lines
    assert lines[-2] == (
        f"{PROBLEMS}:34: induction_reminders[0]: 'P3W' is not shorter than the induction_window 'P2W'"
    )
    assert lines[-1] == "2 files checked: 15 problems in 1 of them"
    assert len(lines) == 17


def test_a_networks_edited_copy_of_the_default_is_checked_line_by_line(tmp_path: Path) -> None:
    text = (
        Path(DEFAULT)
        .read_text(encoding="utf-8")
        .replace("seconders_required: 1", "seconders_required: 3")
        .replace("reminders: [P7D, P2D]", "reminders: [P7D, P7D]")
    )
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    assert check(str(path)) == (
        1,
        [
            f"{path}:21: reminders[1]: 'P7D' repeats reminders[0]",
            f"{path}:24: 'seconders_required' must be 0, 1 or 2, not the number 3",
            "1 file checked: 2 problems in 1 of them",
        ],
    )
