"""Read a protocol file into a Protocol; every problem is reported with its file and line."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from nominations.errors import NotFoundError, WorkflowDefinitionError
from nominations.paths import workflows_dir
from nominations.protocol.messages import explain
from nominations.protocol.model import Protocol
from nominations.workflow.loader import Problem, read_yaml, suggest

_NOUN, _EXPECTED = "a protocol", "a mapping of settings that starts with 'protocol:' and its name"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # a file name inside the folder, never a path


def protocols_dir() -> Path:
    """The folder holding the shipped protocols."""
    return workflows_dir() / "protocols"


def load_protocol(path: Path) -> Protocol:
    """Load and validate a protocol file; raise WorkflowDefinitionError with every Problem."""
    data, lines, problems = read_yaml(path, _NOUN, _EXPECTED)
    try:
        protocol = Protocol.model_validate(data)
    except ValidationError as exc:
        problems += [Problem(path, lines.line(*loc), text) for loc, text in explain(exc, Protocol)]
    if problems:
        problems.sort(key=lambda problem: problem.line)
        raise WorkflowDefinitionError(list(problems))
    return protocol


def load_named(name: str) -> Protocol:
    """Load a shipped protocol by name; NotFoundError names the ones there are."""
    folder = protocols_dir()
    path = folder / f"{name}.yaml"
    if not _NAME.match(name) or not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.yaml"))
        raise NotFoundError(
            f"no protocol named {name!r} in {folder}; there are {', '.join(known) or 'none'}"
            + suggest(name, known)
        )
    return load_protocol(path)


def check_protocol(path: Path) -> list[Problem]:
    """Every problem in a protocol file, sorted by line; an empty list when it is sound."""
    try:
        load_protocol(path)
    except WorkflowDefinitionError as exc:
        return [p if isinstance(p, Problem) else Problem(path, 1, str(p)) for p in exc.problems]
    return []


def is_protocol_file(path: Path) -> bool:
    """Whether the file's top level is a mapping with the key `protocol`."""
    try:
        data, _, _ = read_yaml(path, _NOUN, _EXPECTED)
    except WorkflowDefinitionError:
        return False  # what cannot be read is reported by whichever check reads it
    return "protocol" in data
