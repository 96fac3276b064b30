"""A workflow definition as data: states, transitions, their guards and actions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from nominations.workflow.durations import parse_duration

ANY_OPEN_STATE = "*"  # a source meaning: every state that is not final


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StateDef(_Strict):
    description: str = ""
    final: bool = False


class ActionDef(_Strict):
    kind: str
    args: dict[str, str] = Field(default_factory=dict)
    line: int | None = None


class TransitionDef(_Strict):
    trigger: str
    source: list[str]
    dest: str | None = None  # None: an internal transition, the state does not change
    by: list[str] = Field(default_factory=lambda: ["coordinator"])
    reason: Literal["required", "optional"] = "optional"
    guards: list[str] = Field(default_factory=list)
    actions: list[ActionDef] = Field(default_factory=list)
    description: str = ""
    line: int | None = None

    @field_validator("source", "by", "guards", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("actions", mode="before")
    @classmethod
    def _actions(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return [parse_action(item) for item in value]


def parse_action(item: Any) -> Any:
    """Normalise one YAML action item to {kind, args}; raise ValueError if it is neither form."""
    # `- open_ballot` and `- send: {template: x, to: y}` both name one action.
    if isinstance(item, ActionDef):
        return item
    if isinstance(item, str):
        return {"kind": item}
    if isinstance(item, dict) and len(item) == 1:
        ((kind, args),) = item.items()
        if args is None:
            args = {}
        if isinstance(args, dict):
            return {"kind": kind, "args": {str(k): v for k, v in args.items()}}
    raise ValueError("an action is its name, or its name followed by a mapping of its arguments")


class WorkflowDef(_Strict):
    workflow: str
    entity: str
    initial: str
    # Durations by name; a list (reminders) starts one timer per entry. A protocol may override.
    parameters: dict[str, str | list[str]] = Field(default_factory=dict)
    states: dict[str, StateDef]
    transitions: list[TransitionDef]
    path: Path | None = None

    @field_validator("parameters")
    @classmethod
    def _durations(cls, value: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
        for entry in value.values():
            for text in [entry] if isinstance(entry, str) else entry:
                parse_duration(text)
        return value

    @field_validator("states", mode="before")
    @classmethod
    def _empty_states(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: ({} if v is None else v) for k, v in value.items()}
        return value

    def final_states(self) -> list[str]:
        return [name for name, state in self.states.items() if state.final]

    def sources(self, transition: TransitionDef) -> list[str]:
        """The states a transition leaves from, with `*` expanded to every open state."""
        if ANY_OPEN_STATE in transition.source:
            return [name for name, state in self.states.items() if not state.final]
        return list(transition.source)

    def durations(
        self, value: str, overrides: Mapping[str, str | list[str]] | None = None
    ) -> list[timedelta]:
        """A literal ISO duration, or a parameter's (from `overrides` first), as a list."""
        entry = {**self.parameters, **(overrides or {})}.get(value, value)
        return [parse_duration(text) for text in ([entry] if isinstance(entry, str) else entry)]

    def duration(self, value: str, overrides: Mapping[str, str | list[str]] | None = None) -> timedelta:
        """One duration; a parameter that is a list is refused here."""
        found = self.durations(value, overrides)
        if len(found) != 1:
            raise ValueError(f"{value!r} names {len(found)} durations where one is needed")
        return found[0]

    def triggers(self) -> list[str]:
        return list(dict.fromkeys(t.trigger for t in self.transitions))
