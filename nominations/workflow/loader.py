"""Read a workflow file into a WorkflowDef; every error becomes a Problem with its file and line."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from nominations.errors import WorkflowDefinitionError
from nominations.paths import workflows_dir
from nominations.workflow.definition import StateDef, TransitionDef, WorkflowDef, parse_action
from nominations.workflow.durations import is_duration
from nominations.workflow.safe_yaml import MarkedLoader

Loc = tuple[str | int, ...]
_NAMED_BY_USER = frozenset({"states", "parameters", "args"})  # mappings whose keys are names
_RESERVED = frozenset({"line", "path"})  # filled by the loader, never written in the file
_EXPECTED = "a mapping with the keys workflow, entity, initial, states and transitions"

# What a person must write for each key; "key[]" is what goes inside a list or mapping.
_MEANING = {
    "workflow": "a name",
    "entity": "a name",
    "initial": "a state name",
    "parameters": "a mapping of names to durations",
    "parameters[]": "a duration such as P21D",
    "states": "a mapping of state names to their settings",
    "states[]": "a mapping with 'description' and 'final', or nothing",
    "transitions": "a list of transitions",
    "transitions[]": "a mapping with 'trigger', 'source', 'dest' and the like",
    "description": "text",
    "final": "true or false",
    "trigger": "a name",
    "source": "a state name or a list of them",
    "source[]": "a state name",
    "dest": "a state name",
    "by": "an actor kind or a list of them",
    "by[]": "an actor kind",
    "reason": "'required' or 'optional'",
    "guards": "a guard name or a list of them",
    "guards[]": "a guard name",
    "actions": "a list of actions",
    "args": "a mapping of argument names to text",
    "args[]": "text",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a workflow file, and the line where a person will find it."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def suggest(word: str, options: Iterable[str]) -> str:
    """'; did you mean X?' when a known name is close to `word`, otherwise nothing."""
    close = difflib.get_close_matches(word, sorted(options), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


class LineMap:
    """The 1-based line of any value in the file, found by its path of keys and list indexes."""

    def __init__(self, root: yaml.Node) -> None:
        self.root = root

    def line(self, *loc: str | int) -> int:
        """The line of the deepest node `loc` reaches; a mapping entry answers with its key's."""
        node, line = self.root, self.root.start_mark.line + 1
        for step in loc:
            found = _child(node, step)
            if found is None:
                break
            key, node = found
            line = (key or node).start_mark.line + 1
        return line


def _child(node: yaml.Node, step: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
        return (None, node.value[step]) if 0 <= step < len(node.value) else None
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in reversed(node.value):  # the last of duplicate keys is the one that counts
        if isinstance(key, yaml.ScalarNode) and key.value == str(step):
            return key, value
    if step in ("kind", "args") and len(node.value) == 1:
        key, value = node.value[0]
        return key, value  # `- send: {...}`: the action's one key is its kind, its value args
    return None


def load_workflow(path: Path) -> WorkflowDef:
    """Load and validate a workflow file; raise WorkflowDefinitionError with every Problem."""
    return read_workflow(path)[0]


def load_shipped(name: str = "vacancy") -> WorkflowDef:
    """Load one of the workflows shipped in the `workflows/` folder."""
    return load_workflow(workflows_dir() / f"{name}.yaml")


def read_workflow(path: Path) -> tuple[WorkflowDef, LineMap]:
    """The definition with lines and path filled in, and the map to find any value's line."""
    data, lines, problems = read_yaml(path, "a workflow", _EXPECTED)
    problems += [Problem(path, lines.line(*loc), _unknown_key(loc)) for loc in _reserved(data)]
    try:
        defn = WorkflowDef.model_validate(data)
    except ValidationError as exc:
        problems += [_problem(path, lines, data, error) for error in exc.errors()]
    if problems:
        raise WorkflowDefinitionError(sorted(problems, key=_by_line))
    transitions = [_with_lines(t, i, lines) for i, t in enumerate(defn.transitions)]
    return defn.model_copy(update={"transitions": transitions, "path": path}), lines


def _by_line(problem: object) -> int:
    return problem.line if isinstance(problem, Problem) else 0


def _with_lines(transition: TransitionDef, i: int, lines: LineMap) -> TransitionDef:
    actions = [
        a.model_copy(update={"line": lines.line("transitions", i, "actions", j)})
        for j, a in enumerate(transition.actions)
    ]
    return transition.model_copy(update={"line": lines.line("transitions", i), "actions": actions})


def read_yaml(path: Path, noun: str, expected: str) -> tuple[dict[str, Any], LineMap, list[Problem]]:
    """A YAML file whose top level is a mapping, the map to its lines, and its duplicate keys.

    Raise WorkflowDefinitionError when it cannot be read as a mapping; `noun` and `expected`
    say what the file should be ("a workflow", "a mapping with the keys ...").
    """
    root, data = _parse(path, noun, expected)
    duplicates = [Problem(path, line, text) for line, text in _duplicate_keys(root, set())]
    return data, LineMap(root), duplicates


def _parse(path: Path, noun: str, expected: str) -> tuple[yaml.Node, dict[str, Any]]:
    def fail(line: int, message: str) -> WorkflowDefinitionError:
        return WorkflowDefinitionError([Problem(path, line, message)])

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail(1, "no such file") from None
    except OSError as exc:
        raise fail(1, f"cannot read the file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(line, f"not UTF-8 text: byte {raw[exc.start]:#04x} cannot be read") from None
    try:
        loader = MarkedLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character; YAML refuses the whole file
        line = text[: exc.position].count("\n") + 1
        raise fail(line, f"the character U+{exc.character:04X} is not allowed in YAML") from None
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        raise fail(*_yaml_error(exc)) from None
    finally:
        loader.dispose()
    if root is None:
        raise fail(1, f"the file is empty; {noun} is {expected}")
    if not isinstance(data, dict):
        raise fail(root.start_mark.line + 1, f"the top level must be {expected}, not {describe(data)}")
    return root, data


def _yaml_error(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    line = exc.problem_mark.line + 1 if exc.problem_mark else 1
    said = [exc.context or "", exc.problem or ""]
    if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
        said[0] += f" (line {exc.context_mark.line + 1})"
    return line, "YAML syntax error: " + ", ".join(part for part in said if part)


def _duplicate_keys(node: yaml.Node, seen: set[int]) -> Iterator[tuple[int, str]]:
    if id(node) in seen:  # an alias can refer back to a node already walked
        return
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(item, seen)
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key, value in node.value:
            line = key.start_mark.line + 1
            if isinstance(key, yaml.ScalarNode) and key.value in first:
                yield line, f"duplicate key {key.value!r} (first at line {first[key.value]})"
            first.setdefault(str(key.value), line)
            yield from _duplicate_keys(value, seen)


def _reserved(data: dict[str, Any]) -> Iterator[Loc]:
    if "path" in data:
        yield ("path",)
    transitions = data.get("transitions")
    for i, item in enumerate(transitions if isinstance(transitions, list) else []):
        if isinstance(item, dict) and "line" in item:
            yield ("transitions", i, "line")


def _problem(path: Path, lines: LineMap, data: dict[str, Any], error: ErrorDetails) -> Problem:
    loc: Loc = tuple(error["loc"])
    if error["type"] == "value_error":
        loc = _refine(loc, data)
        message = f"{dotted(loc)}: {error['ctx']['error']}"
    elif loc[-1] == "[key]":
        loc = loc[:-1]
        message = f"{dotted(loc[:-1])}: the name {loc[-1]!r} must be text; put it in quotes"
    elif error["type"] == "extra_forbidden":
        message = _unknown_key(loc)
    else:
        message = _wrong_value(loc, error)
    return Problem(path, lines.line(*loc), message)


def _refine(loc: Loc, data: dict[str, Any]) -> Loc:
    # A validator on a whole list or mapping reports the container; point at the bad entry.
    value: Any = data
    for step in loc:
        value = value[step]
    if loc[-1] == "parameters":
        bad = (k for k, v in value.items() if not all(map(is_duration, [v] if isinstance(v, str) else v)))
        return loc + next(((k,) for k in bad), ())
    for index, item in enumerate(value if loc[-1] == "actions" else []):
        try:
            parse_action(item)
        except ValueError:
            return (*loc, index)
    return loc


def _unknown_key(loc: Loc) -> str:
    parent, key = loc[:-1], loc[-1]
    model: type[BaseModel] = WorkflowDef
    noun = "the workflow"
    if parent:
        in_state = parent[0] == "states"
        model, noun = (StateDef, "a state") if in_state else (TransitionDef, "a transition")
    keys = [name for name in model.model_fields if name not in _RESERVED]
    where = f"{dotted(parent)}: " if parent else ""
    return f"{where}unknown key {key!r} in {noun}; expected one of {', '.join(keys)}" + suggest(
        str(key), keys
    )


def _wrong_value(loc: Loc, error: ErrorDetails) -> str:
    # The field is the last key that is not a name the author chose (a state's, a parameter's).
    k = max(
        (
            i
            for i, step in enumerate(loc)
            if isinstance(step, str) and (i == 0 or loc[i - 1] not in _NAMED_BY_USER)
        ),
        default=0,
    )
    where = f"{dotted(loc[:k])}: " if k else ""
    subject = dotted(loc[k:])
    if error["type"] == "missing":
        return f"{where}{subject!r} is required"
    meaning = _MEANING.get(str(loc[k]) + ("" if k == len(loc) - 1 else "[]"))
    if meaning is None:
        return f"{where}{subject!r}: {error['msg']}"
    return f"{where}{subject!r} must be {meaning}, not {describe(error['input'])}"


def dotted(loc: Loc) -> str:
    """`loc` as a person reads it: transitions[2].actions[0]."""
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in loc).lstrip(".")


def describe(value: object) -> str:
    """What a wrong value is, in words: 'P7X', the number 3, a list, nothing."""
    kinds = {dict: "a mapping", list: "a list", bool: "true/false"}
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else "long text"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"the number {value}"
    return "nothing" if value is None else kinds.get(type(value), type(value).__name__)
