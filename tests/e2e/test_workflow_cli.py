"""`nominations workflow check` and `diagram` as a person runs them: output and exit codes."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from nominations.cli import app
from nominations.paths import workflows_dir

FIXTURES = Path(__file__).parent.parent / "fixtures" / "workflows"
VACANCY = str(workflows_dir() / "vacancy.yaml")
SEMANTICS = str(FIXTURES / "semantics.yaml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["workflow", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_check_clean_file_exits_0() -> None:
    code, out, _ = run("check", VACANCY)
    assert code == 0
    assert out == f"{VACANCY}: ok\n1 file checked: no problems\n"


def test_check_bad_file_prints_file_line_message_and_exits_1() -> None:
    code, out, _ = run("check", SEMANTICS)
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == (
        f"{SEMANTICS}:9: state 'stuck' is a dead end: it is not final and no transition leads out of it"
    )
    assert lines[-2].startswith(f"{SEMANTICS}:30: transition 'reopen': unknown dest state 'opne'")
    assert lines[-1] == "1 file checked: 10 problems in 1 of them"


def test_check_several_files_reports_each() -> None:
    code, out, _ = run("check", VACANCY, str(FIXTURES / "syntax_error.yaml"))
    assert code == 1
    assert out.splitlines() == [
        f"{VACANCY}: ok",
        f"{FIXTURES / 'syntax_error.yaml'}:9: YAML syntax error: mapping values are not allowed here",
        "2 files checked: 1 problem in 1 of them",
    ]


def test_check_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    code, out, _ = run("check", str(missing))
    assert code == 1
    assert out == f"{missing}:1: no such file\n1 file checked: 1 problem in 1 of them\n"


def test_diagram_prints_mermaid() -> None:
    code, out, _ = run("diagram", VACANCY)
    assert code == 0
    assert out.startswith("---\ntitle: vacancy\n---\nstateDiagram-v2\n")
    assert "  declared --> filled: fill\n" in out


def test_diagram_marks_the_current_state() -> None:
    code, out, _ = run("diagram", VACANCY, "--current", "counted")
    assert code == 0
    assert "  class counted s_active\n" in out


def test_diagram_of_an_unknown_state_exits_1() -> None:
    code, out, err = run("diagram", VACANCY, "--current", "count")
    assert (code, out) == (1, "")
    assert err == f"{VACANCY}: 'vacancy' has no state 'count'\n"


def test_diagram_of_an_invalid_file_prints_its_problems_and_exits_1() -> None:
    code, out, err = run("diagram", SEMANTICS)
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 10
    assert err.startswith(f"{SEMANTICS}:9: state 'stuck' is a dead end")
