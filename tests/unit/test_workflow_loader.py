"""Loading a workflow file: lines filled in, and every malformed file refused in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from nominations.errors import WorkflowDefinitionError
from nominations.paths import workflows_dir
from nominations.workflow.loader import Problem, load_shipped, load_workflow

FIXTURES = Path(__file__).parent.parent / "fixtures" / "workflows"

SMALL = """\
workflow: demo
entity: vacancy
initial: open
states:
  open: {}
  closed:
    final: true
transitions:
  - trigger: close
    source: open
    dest: closed
"""


def problems_of(path: Path) -> list[tuple[int, str]]:
    with pytest.raises(WorkflowDefinitionError) as caught:
        load_workflow(path)
    found = caught.value.problems
    assert all(isinstance(p, Problem) and p.file == path for p in found)
    return [(p.line, p.message) for p in found if isinstance(p, Problem)]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "workflow.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_workflow_loads_with_its_path_and_lines() -> None:
    defn = load_shipped()
    assert defn.path == workflows_dir() / "vacancy.yaml"
    accept, ask = defn.transitions[0], defn.transitions[1]
    assert (accept.trigger, accept.line, [a.line for a in accept.actions]) == ("accept", 50, [55])
    assert (ask.trigger, ask.line) == ("ask_for_information", 57)
    opening = defn.transitions[4]
    assert opening.trigger == "open_nominations"
    assert [a.line for a in opening.actions] == [85, 86, 87, 88, 89]


def test_lines_count_from_one_and_follow_block_style_actions(tmp_path: Path) -> None:
    text = SMALL + "    actions:\n      - freeze_electorate\n      - send:\n          to: partnership\n"
    defn = load_workflow(write(tmp_path, text))
    assert defn.transitions[0].line == 9
    assert [a.line for a in defn.transitions[0].actions] == [13, 14]
    assert defn.transitions[0].actions[1].args == {"to": "partnership"}


def test_problem_reads_file_colon_line_colon_message() -> None:
    assert str(Problem(Path("w.yaml"), 7, "oops")) == "w.yaml:7: oops"


def test_missing_file_is_one_problem(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nope.yaml") == [(1, "no such file")]


def test_a_directory_is_one_problem(tmp_path: Path) -> None:
    [(line, message)] = problems_of(tmp_path)
    assert line == 1
    assert message.startswith("cannot read the file: ")


def test_empty_file_is_one_problem(tmp_path: Path) -> None:
    [(line, message)] = problems_of(write(tmp_path, "# only a comment\n"))
    assert line == 1
    assert message.startswith("the file is empty; a workflow is a mapping with the keys workflow")


def test_top_level_list_is_refused_at_its_line() -> None:
    [(line, message)] = problems_of(FIXTURES / "not_a_mapping.yaml")
    assert line == 2
    assert message.endswith("workflow, entity, initial, states and transitions, not a list")


def test_non_utf8_byte_is_reported_on_its_line() -> None:
    assert problems_of(FIXTURES / "latin1.yaml") == [
        (3, "not UTF-8 text: byte 0xe9 cannot be read")
    ]


def test_yaml_syntax_error_has_the_line_of_its_mark() -> None:
    assert problems_of(FIXTURES / "syntax_error.yaml") == [
        (9, "YAML syntax error: mapping values are not allowed here")
    ]


def test_two_documents_are_a_syntax_error(tmp_path: Path) -> None:
    [(line, message)] = problems_of(write(tmp_path, SMALL + "---\nworkflow: other\n"))
    assert line == 12
    assert message == (
        "YAML syntax error: expected a single document in the stream (line 1), "
        "but found another document"
    )


def test_every_structural_problem_is_reported_with_its_line() -> None:
    assert problems_of(FIXTURES / "structure.yaml") == [
        (6, "parameters.window: 'P7X' is not an ISO 8601 duration such as P21D, P3W or PT12H"),
        (9, "'states.closed' must be a mapping with 'description' and 'final', or nothing, "
            "not 'The call has closed.'"),
        (13, "transitions[0]: unknown key 'dset' in a transition; expected one of trigger, "
             "source, dest, by, reason, guards, actions, description; did you mean 'dest'?"),
        (14, "transitions[1]: 'trigger' is required"),
        (17, "transitions[2]: 'source[1]' must be a state name, not the number 3"),
        (18, "transitions[2]: 'dest' must be a state name, not a list"),
        (19, "transitions[2]: 'reason' must be 'required' or 'optional', not 'maybe'"),
        (22, "transitions[2].actions[1]: an action is its name, or its name followed by a "
             "mapping of its arguments"),
    ]


def test_action_argument_that_is_not_text_points_at_the_argument(tmp_path: Path) -> None:
    text = SMALL + "    actions:\n      - send:\n          template: 7\n          to: partnership\n"
    assert problems_of(write(tmp_path, text)) == [
        (14, "transitions[0].actions[0]: 'args.template' must be text, not the number 7")
    ]


def test_missing_top_level_key_points_at_the_top(tmp_path: Path) -> None:
    text = SMALL.replace("initial: open\n", "")
    assert problems_of(write(tmp_path, text)) == [(1, "'initial' is required")]


def test_unknown_top_level_key_suggests_the_near_one(tmp_path: Path) -> None:
    [missing, (line, message)] = problems_of(write(tmp_path, SMALL.replace("entity:", "entitty:")))
    assert missing == (1, "'entity' is required")
    assert line == 2
    assert message.startswith("unknown key 'entitty' in the workflow; expected one of workflow,")
    assert message.endswith("did you mean 'entity'?")


def test_unknown_key_in_a_state(tmp_path: Path) -> None:
    [(line, message)] = problems_of(write(tmp_path, SMALL.replace("final: true", "finale: true")))
    assert line == 7
    assert message == (
        "states.closed: unknown key 'finale' in a state; expected one of description, final; "
        "did you mean 'final'?"
    )


def test_duplicate_key_is_reported_at_the_second(tmp_path: Path) -> None:
    text = SMALL.replace("    dest: closed\n", "    dest: closed\n    dest: open\n")
    assert problems_of(write(tmp_path, text)) == [
        (12, "duplicate key 'dest' (first at line 11)")
    ]


def test_line_and_path_are_the_loaders_to_fill(tmp_path: Path) -> None:
    text = SMALL + "    line: 99\npath: /elsewhere\n"
    assert [line for line, _ in problems_of(write(tmp_path, text))] == [12, 13]


def test_a_state_named_by_a_number_must_be_quoted(tmp_path: Path) -> None:
    text = SMALL.replace("  open: {}\n", "  open: {}\n  2024: {}\n")
    assert problems_of(write(tmp_path, text)) == [
        (6, "states: the name 2024 must be text; put it in quotes")
    ]


def test_control_character_is_reported_on_its_line(tmp_path: Path) -> None:
    text = SMALL.replace("entity: vacancy", "entity: vac\x07ancy")
    assert problems_of(write(tmp_path, text)) == [
        (2, "the character U+0007 is not allowed in YAML")
    ]


def test_top_level_text_is_refused(tmp_path: Path) -> None:
    assert problems_of(write(tmp_path, "\n\njust words\n")) == [
        (3, "the top level must be a mapping with the keys workflow, entity, initial, states "
            "and transitions, not 'just words'")
    ]
