"""Hostile workflow and protocol files: whatever the bytes, the loaders either accept the file or
refuse it with the project's own error, every problem naming the file and a line in it."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nominations.cli import app
from nominations.errors import WorkflowDefinitionError
from nominations.paths import workflows_dir
from nominations.protocol.loader import check_protocol, is_protocol_file, load_protocol
from nominations.workflow.check import check_workflow
from nominations.workflow.loader import Problem, load_workflow
from tests.utils.hostile import texts

SHIPPED = [*sorted(workflows_dir().glob("*.yaml")), workflows_dir() / "protocols" / "default.yaml"]
SOURCES = {path.name: path.read_text(encoding="utf-8") for path in SHIPPED}
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
Loader = Callable[[Path], object]
LOADERS: dict[str, Loader] = {
    "load_workflow": load_workflow,
    "check_workflow": check_workflow,
    "load_protocol": load_protocol,
    "check_protocol": check_protocol,
    "is_protocol_file": is_protocol_file,
}


def assert_read_or_refused(path: Path) -> None:
    """Every loader accepts the file or refuses it with WorkflowDefinitionError whose problems each
    name this file and a line inside it; any other exception fails the test."""
    raw = path.read_bytes()
    # YAML breaks lines at CR, NEL and the Unicode separators too; the reader counts with it.
    last = max(raw.count(b"\n"), len(LINE_BREAK.findall(raw.decode("utf-8", "replace")))) + 1
    for name, load in LOADERS.items():
        try:
            found = load(path)
        except WorkflowDefinitionError as exc:
            problems = exc.problems
        else:
            problems = found if isinstance(found, list) else []
        for problem in problems:
            assert isinstance(problem, Problem), (name, problem)
            assert problem.file == path, (name, problem)
            assert 1 <= problem.line <= last, (name, problem.line, last, problem.message)
            assert problem.message.strip(), name
            assert "sys.set_int_max_str_digits" not in problem.message  # Python's words, not ours


def write(tmp_path: Path, data: str | bytes) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return path


# ---- arbitrary text and bytes ------------------------------------------------------------------


@SETTINGS
@given(data=st.one_of(st.binary(max_size=600), st.text(max_size=600)))
def test_any_bytes_are_read_or_refused_with_a_line(tmp_path: Path, data: str | bytes) -> None:
    assert_read_or_refused(write(tmp_path, data))


# ---- the shipped files, mutated as text ---------------------------------------------------------

BOMB = "".join(
    f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else "lol"] * 9) + "]\n" for i in range(9)
)  # billion laughs: nine levels of nine aliases each
SNIPPETS = (
    "x: " + "9" * 5000,
    "seconders_required: " + "9" * 5000,
    "statement_word_limit: 0x" + "f" * 5000,
    "nomination_window: 1" + ":59" * 3000 + ".5",  # a base-60 float too big for a float
    "term_months: 190:20:30",
    "x: " + "[" * 2000 + "]" * 2000,
    "x: " + "{a: " * 1500 + "1" + "}" * 1500,
    "x: " + "[" * 60 + "]" * 60,
    BOMB + "description: *l8",
    BOMB + "workflow: *l8\nstates: {a: *l8}\ntransitions: *l8",
    "a: &a [*a]\ntransitions: *a",
    "r: &r {k: *r}\nparameters: *r\ndeclarations: [*r]",
    "m: &m {k0: 1, k1: 2}\nn: {<<: [*m, *m, *m]}\nvoting_method: {<<: *m}",
    "x: !!python/object/apply:os.system ['echo owned']",
    "x: !!binary 'not base64!'",
    "x: !!timestamp 'not a date'",
    "x: 2020-02-30",
    "x: 99999-01-01",
    "x: !!int 'seven'",
    "x: !!float 'seven'",
    "x: !!bool 'maybe'",
    "x: !!set {a, b}",
    "x: !!omap [a: 1, a: 2]",
    "x: *undefined",
    "? [a, b]\n: c",
    "? {a: b}\n: c",
    "null: 1\n1: 2\ntrue: 3\n1.5: 4",
    "\tstates: {}",
    "x:\t1",
    "'unclosed",
    '"unclosed \\',
    "{unclosed",
    "---\nworkflow: second",
    "%YAML 1.1\n---",
    "x: \x00",
    "x: \x85\u2028\ufeff",
    "x: |\n  a\n b",
    "<<: *nothing",
    "workflow: \U0001f642\ninitial: \u202eevil",
)


@st.composite
def mutated_text(draw: st.DrawFn) -> tuple[str, str]:
    """(file name, its text after a few edits a person, a program or an attacker might make)."""
    name = draw(st.sampled_from(sorted(SOURCES)))
    lines = SOURCES[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines)))
        edit = draw(st.sampled_from(["insert", "delete", "repeat", "tab", "swap", "cut", "replace"]))
        if edit == "insert":
            indent = draw(st.sampled_from(["", "  ", "    ", "      - "]))
            lines.insert(at, indent + draw(st.sampled_from(SNIPPETS) | texts(huge=False)) + "\n")
        elif edit in ("delete", "repeat", "tab", "replace") and at < len(lines):
            line = lines.pop(at)
            if edit == "repeat":  # a duplicate key, or a transition twice
                lines[at:at] = [line, line]
            elif edit == "tab":
                lines.insert(at, line.replace("  ", "\t", 1))
            elif edit == "replace":  # a value's text swapped for hostile text, the key kept
                key, colon, _ = line.partition(":")
                lines.insert(at, key + colon + " " + draw(texts(huge=False)) + "\n" if colon else line)
        elif edit == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            at = min(at, len(lines) - 1)
            lines[at], lines[other] = lines[other], lines[at]
        elif edit == "cut":
            text = "".join(lines)
            lines = [text[: draw(st.integers(0, len(text)))]]
    return name, "".join(lines)


@SETTINGS
@given(mutated_text())
@example(("default.yaml", SOURCES["default.yaml"] + "\n" + BOMB + "description: *l8\n"))
@example(("vacancy.yaml", SOURCES["vacancy.yaml"].replace("initial: requested", "initial: " + "9" * 5000)))
def test_the_shipped_files_edited_as_text_are_read_or_refused_with_a_line(
    tmp_path: Path, case: tuple[str, str]
) -> None:
    assert_read_or_refused(write(tmp_path, case[1]))


# ---- the shipped files, mutated as data -------------------------------------------------------


def _places(value: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*here, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _places(item, (*here, i))


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


ODD: list[Any] = [None, True, False, 0, -1, 2**63, 10**30, 1.5, float("inf"), float("nan"), [], {}]
# A value of another type, most often: that is what a person's slip or a program's bug puts there.
ODDLY = st.sampled_from(ODD)
KINDS: list[st.SearchStrategy[Any]] = [
    ODDLY,
    ODDLY,
    ODDLY,
    texts(huge=False),
    st.integers(),
    st.just(["P1D"] * 2000),
]
KINDS += [
    st.lists(texts(huge=False), max_size=5),
    st.dictionaries(texts(huge=False), texts(huge=False), max_size=3),
]
KINDS += [st.integers(1, 80).map(_nested)]
VALUES = st.sampled_from(KINDS).flatmap(lambda kind: kind)


def fresh(value: Any) -> Any:
    """A copy: the lists and mappings in VALUES are shared between examples and get edited."""
    return copy.deepcopy(value)


KEYS = st.one_of(texts(huge=False), st.integers(), st.sampled_from([None, True, 1.5]))


@st.composite
def mutated_data(draw: st.DrawFn) -> tuple[str, Any]:
    """(file name, its data with keys dropped, values of the wrong type, unknown keys added)."""
    name = draw(st.sampled_from(sorted(SOURCES)))
    data = copy.deepcopy(yaml.safe_load(SOURCES[name]))
    for _ in range(draw(st.integers(1, 4))):
        places = [p for p in _places(data) if p]
        place = draw(st.sampled_from(places))
        parent = data
        for step in place[:-1]:
            parent = parent[step]
        edit = draw(st.sampled_from(["drop", "retype", "retype", "add", "rename"]))
        if edit == "drop":
            del parent[place[-1]]
        elif edit == "retype":
            parent[place[-1]] = fresh(draw(VALUES))
        elif isinstance(parent, dict):
            key = draw(KEYS)
            value = parent.pop(place[-1]) if edit == "rename" else fresh(draw(VALUES))
            parent[key] = value
        else:
            parent.insert(place[-1], fresh(draw(VALUES)))
    return name, data


@settings(SETTINGS, max_examples=30)  # the slowest: every loader checks the whole shipped file
@given(mutated_data())
def test_the_shipped_files_edited_as_data_are_read_or_refused_with_a_line(
    tmp_path: Path, case: tuple[str, Any]
) -> None:
    text = yaml.safe_dump(case[1], allow_unicode=True, sort_keys=False, width=1000)
    assert_read_or_refused(write(tmp_path, text))


# ---- each classic, with the words a person reads ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("workflow: x\nentity: " + "9" * 5000 + "\n", 2, "cannot be read as a whole number"),
        ("protocol: x\nseconders_required: !!int 'two'\n", 2, "'two' cannot be read as a whole number"),
        ("protocol: x\nterm_months: 1" + ":59" * 3000 + ".5\n", 2, "cannot be read as a number"),
        ("workflow: x\nparameters: {a: 2020-02-30}\n", 2, "'2020-02-30' cannot be read as a date"),
        ("workflow: x\nparameters: {a: !!timestamp 'soon'}\n", 2, "'soon' cannot be read as a date"),
        ("protocol: x\nreceipts: !!bool 'maybe'\n", 2, "'maybe' cannot be read as true or false"),
        ("protocol: x\nreceipts: !!binary 'A!'\n", 2, "failed to decode base64 data"),
        ("workflow: x\nstates:\n  a: " + "[" * 2000 + "]" * 2000 + "\n", 3, "nested more than"),
        ("workflow: x\nstates:\n  a: " + "{k: " * 2000 + "1" + "}" * 2000 + "\n", 3, "nested more than"),
    ],
    ids=["huge-int", "bad-int-tag", "huge-base60", "no-such-day", "bad-timestamp", "bad-bool", "bad-binary",
         "deep-list", "deep-mapping"],
)  # fmt: skip
def test_a_value_yaml_cannot_build_is_refused_with_its_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = write(tmp_path, text)
    for load in (load_workflow, load_protocol):
        with pytest.raises(WorkflowDefinitionError) as caught:
            load(path)
        [problem] = caught.value.problems
        assert isinstance(problem, Problem)
        assert (problem.file, problem.line) == (path, line)
        assert words in problem.message and len(problem.message) < 200, problem.message


def test_a_billion_laughs_is_refused_in_words_without_being_expanded(tmp_path: Path) -> None:
    # Nine levels of nine aliases stand for 9**9 strings; PyYAML shares one list per alias and the
    # checks refuse the wrong type at the top, so nothing walks the expansion.
    text = SOURCES["default.yaml"]
    first = text.count("\n") + 2  # the bomb's first line, after a blank one
    described = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("description:"))
    path = write(tmp_path, text + "\n" + BOMB + "description: *l8\n")
    found = [(p.line, p.message.split(";")[0]) for p in check_protocol(path)]
    assert found == [
        *((first + i, f"unknown key 'l{i}' in the protocol") for i in range(9)),
        (first + 9, f"duplicate key 'description' (first at line {described})"),
        (first + 9, "'description' must be text, not a list"),
    ]


def test_the_cli_reports_a_hostile_file_by_line_and_exits_1(tmp_path: Path) -> None:
    path = write(tmp_path, "workflow: x\nentity: " + "9" * 5000 + "\n")
    result = CliRunner().invoke(app, ["workflow", "check", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{path}:2: ") and first.endswith(
        "(5,000 characters) cannot be read as a whole number"
    )
