"""One shared `transitions` machine per workflow; an attempt turns (state, trigger, facts) into intents.

Pure: no database, no mail. The service decides what to do with the result.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from transitions import EventData, Machine, MachineError

from nominations.errors import ActionFailedError, GuardRefusedError, TriggerNotAllowedError
from nominations.workflow.definition import ActionDef, TransitionDef, WorkflowDef
from nominations.workflow.facts import Facts
from nominations.workflow.intents import (
    CancelTimer,
    Effect,
    Intent,
    SendMail,
    SetDeadline,
    StartTimer,
)
from nominations.workflow.vocabulary import GUARDS


@dataclass
class _Subject:
    """The adapter a row is attached through: transitions writes `state` and trigger methods here."""

    state: str
    facts: Facts
    now: datetime
    deadlines: dict[str, datetime | None]
    parameters: Mapping[str, str | list[str]] = field(default_factory=dict)
    intents: list[Intent] = field(default_factory=list)


@dataclass(frozen=True)
class Attempt:
    """A transition that the machine allowed: where it goes and what it asks for."""

    trigger: str
    source: str
    dest: str
    intents: tuple[Intent, ...]


class WorkflowEngine:
    """Holds one Machine for a workflow definition and runs triggers against it."""

    def __init__(self, definition: WorkflowDef) -> None:
        self.definition = definition
        self._lock = threading.Lock()
        self._machine = Machine(
            model=None,
            states=list(definition.states),
            initial=definition.initial,
            transitions=[self._binding(t) for t in definition.transitions],
            auto_transitions=False,
            send_event=True,
            model_attribute="state",
        )

    @property
    def name(self) -> str:
        return self.definition.workflow

    def _binding(self, transition: TransitionDef) -> dict[str, Any]:
        return {
            "trigger": transition.trigger,
            "source": self.definition.sources(transition),
            "dest": transition.dest,
            "conditions": [_guard(name) for name in transition.guards],
            "after": [_recorder(self.definition, transition)],
        }

    def candidates(self, state: str, trigger: str) -> list[TransitionDef]:
        """The transitions a trigger could take from this state, in the order they are tried."""
        return [
            t
            for t in self.definition.transitions
            if t.trigger == trigger and state in self.definition.sources(t)
        ]

    def attempt(
        self,
        state: str,
        trigger: str,
        facts: Facts,
        now: datetime,
        deadlines: Mapping[str, datetime | None],
        parameters: Mapping[str, str | list[str]] | None = None,
    ) -> Attempt:
        """Run the trigger on a throwaway adapter; raise a named refusal if it does not apply.

        `parameters` override the workflow's own durations (a network's protocol sets them).
        """
        candidates = self.candidates(state, trigger)
        if not candidates:
            raise TriggerNotAllowedError(self._not_allowed(state, trigger))
        subject = _Subject(
            state=state, facts=facts, now=now, deadlines=dict(deadlines), parameters=parameters or {}
        )
        with self._lock:
            self._machine.add_model(subject, initial=state)
            try:
                moved = getattr(subject, trigger)()
            except MachineError as exc:  # pragma: no cover - candidates() already checked the source
                raise TriggerNotAllowedError(self._not_allowed(state, trigger)) from exc
            except ActionFailedError:
                raise
            finally:
                self._machine.remove_model(subject)
        if not moved:
            raise GuardRefusedError(self._refusal(state, trigger, candidates, facts))
        return Attempt(trigger=trigger, source=state, dest=subject.state, intents=tuple(subject.intents))

    def allowed(self, state: str, facts: Facts) -> list[str]:
        """Triggers that would succeed from this state with these facts (asked of the machine)."""
        subject = _Subject(state=state, facts=facts, now=datetime.min, deadlines={})
        with self._lock:
            self._machine.add_model(subject, initial=state)
            try:
                return [
                    trigger
                    for trigger in self.definition.triggers()
                    if self.candidates(state, trigger) and getattr(subject, f"may_{trigger}")()
                ]
            finally:
                self._machine.remove_model(subject)

    def _not_allowed(self, state: str, trigger: str) -> str:
        if trigger not in self.definition.triggers():
            return f"{self.name} has no trigger {trigger!r}"
        here = [t for t in self.definition.triggers() if self.candidates(state, t)]
        offer = ", ".join(here) if here else "none: it is final"
        return (
            f"cannot {trigger} {_a(self.definition.entity)} that is {state} (allowed from {state}: {offer})"
        )

    def _refusal(self, state: str, trigger: str, candidates: list[TransitionDef], facts: Facts) -> str:
        failed = [GUARDS[g].refusal for t in candidates for g in t.guards if not GUARDS[g].test(facts)]
        return f"cannot {trigger} {_a(self.definition.entity)} that is {state}: " + "; ".join(
            dict.fromkeys(failed)
        )


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _guard(name: str) -> Any:
    guard = GUARDS[name]

    def condition(event: EventData) -> bool:
        subject: _Subject = event.model  # type: ignore[assignment]
        return guard.test(subject.facts)

    condition.__name__ = f"guard_{name}"
    return condition


def _recorder(definition: WorkflowDef, transition: TransitionDef) -> Any:
    def record(event: EventData) -> None:
        subject: _Subject = event.model  # type: ignore[assignment]
        for action in transition.actions:
            for intent in _intents(definition, action, subject):
                if isinstance(intent, SetDeadline):
                    subject.deadlines[intent.field] = intent.at
                subject.intents.append(intent)

    return record


def _intents(definition: WorkflowDef, action: ActionDef, subject: _Subject) -> list[Intent]:
    args, params = action.args, subject.parameters
    if action.kind == "send":
        return [
            SendMail(
                template=args["template"],
                audience=args["to"],
                link=args.get("link"),
                attach=args.get("attach"),
            )
        ]
    if action.kind == "set_deadline":
        if "anniversary_of" in args:
            return [
                SetDeadline(
                    field=args["field"],
                    at=next_anniversary(_deadline(subject, args["anniversary_of"]), subject.now),
                )
            ]
        at = subject.now + definition.duration(args["after"], params)
        return [SetDeadline(field=args["field"], at=at)]
    if action.kind == "start_timer":
        return [
            StartTimer(name=args["name"], trigger=args["trigger"], due_at=due)
            for due in _due(definition, args, subject)
        ]
    if action.kind == "cancel_timer":
        return [CancelTimer(name=args["name"])]
    return [Effect(kind=action.kind, args=tuple(sorted(args.items())))]


def _deadline(subject: _Subject, name: str) -> datetime:
    at = subject.deadlines.get(name)
    if at is None:
        raise ActionFailedError(f"{name} is needed but it is not set")
    return at


def next_anniversary(start: datetime, now: datetime) -> datetime:
    """The first anniversary of `start` after `now` (29 February falls on 28 February)."""
    year = start.year
    while True:
        year += 1
        try:
            at = start.replace(year=year)
        except ValueError:  # 29 February in a common year
            at = start.replace(year=year, day=28)
        if at > now:
            return at


def _due(definition: WorkflowDef, args: Mapping[str, str], subject: _Subject) -> list[datetime]:
    # `before` may name a list (a protocol's reminders): one timer for each entry.
    base = subject.now
    if "at" in args:
        at = subject.deadlines.get(args["at"])
        if at is None:
            raise ActionFailedError(f"timer {args['name']!r} needs {args['at']} but it is not set")
        base = at
    if "after" in args:
        base += definition.duration(args["after"], subject.parameters)
    befores = definition.durations(args["before"], subject.parameters) if "before" in args else [timedelta()]
    return [base - before for before in befores]
