"""Pydantic's complaints about a protocol, in the words a coordinator reads, each with its place."""

from __future__ import annotations

import re
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from nominations.workflow.loader import Loc, describe, dotted, suggest

T = TypeVar("T")
Finding = tuple[Loc, str]  # where in the data (from the value checked), what is wrong there
_RULE = "protocol_rule"  # a rule across settings; its ctx carries every finding, not just one

# What a person must write for each key; "key[]" is what goes inside a list.
_MEANING = {
    "protocol": "the protocol's name",
    "description": "text",
    "nomination_window": "a duration such as P21D",
    "ballot_window": "a duration such as P14D",
    "reminders": "a list of durations such as [P7D, P2D]",
    "reminders[]": "a duration such as P7D",
    "seconders_required": "0, 1 or 2",
    "statement_word_limit": "a whole number of words, at least 1",
    "nominations_per_organisation": "a whole number, at least 1, or nothing for no limit",
    "declarations": "a list of declarations, each with an id and a text",
    "declarations[]": "a mapping with 'id' and 'text'",
    "id": "a short name in lower case, such as not_employed",
    "text": "the words to declare",
    "voting_method": "a mapping with 'one_seat' and 'several_seats'",
    "term_months": "a whole number of months, at least 1",
    "term_limit": "a whole number of consecutive terms, at least 1, or nothing for no limit",
}


def refuse(found: list[Finding], value: T) -> T:
    """`value` when nothing was found; otherwise one error that carries every finding."""
    if found:
        summary = "; ".join(f"{dotted(at)}: {text}" for at, text in found)
        raise PydanticCustomError(_RULE, "{summary}", {"summary": summary, "found": found})
    return value


def explain(exc: ValidationError, model: type[BaseModel]) -> list[Finding]:
    """Every error in `exc` as (where, message); `model` is the one that was validated."""
    found: list[Finding] = []
    for error in exc.errors():
        loc: Loc = tuple(error["loc"])
        if error["type"] == _RULE:
            found += [((*loc, *at), f"{dotted((*loc, *at))}: {text}") for at, text in error["ctx"]["found"]]
        elif error["type"] == "extra_forbidden":
            found.append((loc, _unknown_key(loc, model)))
        elif error["type"] == "invalid_key":
            found.append((loc, f"the key {error['input']!r} must be text; put it in quotes"))
        else:
            found.append((loc, _wrong_value(loc, error)))
    return found


def _unknown_key(loc: Loc, model: type[BaseModel]) -> str:
    parent, key = loc[:-1], str(loc[-1])
    keys = list(_fields(_model_at(model, parent)))
    where = f"{dotted(parent)}: " if parent else ""
    # A protocol has many keys: the near one alone says more than the whole list.
    known = suggest(key, keys).lstrip("; ") or f"expected one of {', '.join(keys)}"
    return f"{where}unknown key {key!r}{'' if parent else ' in the protocol'}; {known}"


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel]:
    annotation: Any = model
    for step in loc:  # only keys of models and indexes of lists lead to an unknown key
        annotation = get_args(annotation)[0] if isinstance(step, int) else _fields(annotation)[step]
    return annotation  # type: ignore[no-any-return]


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    return {field.alias or name: field.annotation for name, field in model.model_fields.items()}


def _wrong_value(loc: Loc, error: ErrorDetails) -> str:
    subject = dotted(loc)
    if error["type"] == "missing":
        return f"{subject!r} is required"
    if error["type"] == "value_error":
        return f"{subject}: {error['ctx']['error']}"
    given = describe(error["input"])
    if error["type"] == "enum":  # ctx names the choices: "'plurality' or 'av'"
        choices = re.findall(r"'([^']*)'", error["ctx"]["expected"])
        hint = suggest(error["input"], choices) if isinstance(error["input"], str) else ""
        return f"{subject!r} must be {error['ctx']['expected']}, not {given}{hint}"
    key = next(str(step) for step in reversed(loc) if isinstance(step, str))
    meaning = _MEANING.get(key + ("[]" if isinstance(loc[-1], int) else ""))
    if error["type"] == "bool_type":
        meaning = "true or false"
    if meaning is None:  # a case no entry foresaw: pydantic's own words
        return f"{subject!r}: {error['msg']}"
    return f"{subject!r} must be {meaning}, not {given}"
