"""Check a workflow file: every problem a person should fix, each with its file and line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

import jinja2

from nominations.errors import WorkflowDefinitionError
from nominations.mail.render import PARTS, MailRenderer
from nominations.workflow.definition import ANY_OPEN_STATE, ActionDef, WorkflowDef
from nominations.workflow.durations import is_duration
from nominations.workflow.loader import LineMap, Problem, read_workflow, suggest
from nominations.workflow.vocabulary import (
    ACTOR_KINDS,
    ENTITIES,
    EntityWords,
    actions_for,
    guards_for,
)

Found = Iterator[tuple[int, str]]  # (line, message); every check works on the one file


def check_workflow(path: Path, renderer: MailRenderer | None = None) -> list[Problem]:
    """Every problem in the file, sorted by line; an empty list when the workflow is sound.

    A file that does not load reports only why: the other checks need a definition.
    """
    try:
        defn, lines = read_workflow(path)
    except WorkflowDefinitionError as exc:
        return [p if isinstance(p, Problem) else Problem(path, 1, str(p)) for p in exc.problems]
    words = ENTITIES.get(defn.entity)
    if words is None:
        return [Problem(path, lines.line("entity"), "entity: " + _unknown("entity", defn.entity, ENTITIES))]
    found = [
        *_states(defn, lines),
        *_names(defn, lines),
        *_actions(defn, words, lines, renderer or MailRenderer()),
        *_ambiguous(defn, lines),
    ]
    return [Problem(path, line, text) for line, text in sorted(found)]


def _unknown(what: str, name: str, known: Iterable[str]) -> str:
    options = sorted(known)
    return f"unknown {what} {name!r}; expected one of {', '.join(options)}" + suggest(name, options)


def _states(defn: WorkflowDef, lines: LineMap) -> Found:
    if defn.initial not in defn.states:
        yield lines.line("initial"), "initial: " + _unknown("state", defn.initial, defn.states)
    else:  # reachability means nothing without a real initial state
        reached = _reachable(defn)
        for name in defn.states.keys() - reached:
            yield (
                lines.line("states", name),
                (f"state {name!r} cannot be reached from the initial state {defn.initial!r}"),
            )
    # Sources are taken as written: a transition from `*` (cancel, say) is no way forward, so
    # it does not rescue a dead end.
    ways_out = {s for t in defn.transitions if t.dest for s in t.source if s != t.dest}
    for name, state in defn.states.items():
        if not state.final and name not in ways_out:
            yield (
                lines.line("states", name),
                (
                    f"state {name!r} is a dead end: it is not final and no transition leads out of it"
                    + (" (those from '*' do not count)" if _has_star_source(defn) else "")
                ),
            )
    finals = set(defn.final_states())
    for i, t in enumerate(defn.transitions):
        for j, name in enumerate(t.source):
            if name in finals:
                yield (
                    lines.line("transitions", i, "source", j),
                    (f"transition {t.trigger!r} leaves {name!r}, which is final"),
                )


def _has_star_source(defn: WorkflowDef) -> bool:
    return any(ANY_OPEN_STATE in t.source for t in defn.transitions)


def _reachable(defn: WorkflowDef) -> set[str]:
    reached, todo = {defn.initial}, [defn.initial]
    while todo:
        here = todo.pop()
        for t in defn.transitions:
            if t.dest and t.dest not in reached and here in defn.sources(t):
                reached.add(t.dest)
                todo.append(t.dest)
    return reached


def _names(defn: WorkflowDef, lines: LineMap) -> Found:
    for i, t in enumerate(defn.transitions):
        on, at = f"transition {t.trigger!r}", partial(lines.line, "transitions", i)
        for j, name in enumerate(t.source):
            if name != ANY_OPEN_STATE and name not in defn.states:
                yield at("source", j), f"{on}: " + _unknown("source state", name, defn.states)
        if t.dest is not None and t.dest not in defn.states:
            yield at("dest"), f"{on}: " + _unknown("dest state", t.dest, defn.states)
        guards = guards_for(defn.entity)
        for j, name in enumerate(t.guards):
            if name not in guards:
                yield at("guards", j), f"{on}: " + _unknown("guard", name, guards)
        for j, name in enumerate(t.by):
            if name not in ACTOR_KINDS:
                yield at("by", j), f"{on}: " + _unknown("actor kind", name, ACTOR_KINDS)


def _actions(defn: WorkflowDef, words: EntityWords, lines: LineMap, renderer: MailRenderer) -> Found:
    for i, t in enumerate(defn.transitions):
        for j, action in enumerate(t.actions):
            at = partial(lines.line, "transitions", i, "actions", j, "args")
            yield from _action(defn, words, action, t.trigger, at, renderer)


def _action(
    defn: WorkflowDef,
    words: EntityWords,
    action: ActionDef,
    trigger: str,
    at: Callable[..., int],
    renderer: MailRenderer,
) -> Found:
    actions = actions_for(defn.entity)
    spec = actions.get(action.kind)
    if spec is None:
        yield at(), f"transition {trigger!r}: " + _unknown("action", action.kind, actions)
        return
    on = f"{action.kind} in transition {trigger!r}"
    takes = spec.required | spec.optional
    for arg in sorted(spec.required - action.args.keys()):
        yield at(), f"{on}: the argument {arg!r} is missing"
    if action.kind == "start_timer" and "before" in action.args and "at" not in action.args:
        yield at("before"), f"{on}: 'before' counts back from a deadline, so 'at' is needed too"
    if action.kind == "set_deadline" and len(action.args.keys() & {"after", "anniversary_of"}) != 1:
        yield at(), f"{on}: give exactly one of 'after' (a duration) or 'anniversary_of' (a deadline)"
    for arg, value in action.args.items():
        if arg not in takes:
            yield at(arg), f"{on}: " + _unknown("argument", arg, takes)
        elif (message := _argument(defn, words, action, arg, value, renderer)) is not None:
            yield at(arg), f"{on}: {message}"


def _argument(
    defn: WorkflowDef, words: EntityWords, action: ActionDef, arg: str, value: str, renderer: MailRenderer
) -> str | None:
    kind = action.kind
    if arg == "to" and value not in words.audiences:
        return _unknown("audience", value, words.audiences)
    if arg == "attach" and value not in words.attachments:
        return _unknown("attachment", value, words.attachments)
    if arg == "link":
        link = words.links.get(value)
        if link is None:
            return _unknown("link", value, words.links)
        if action.args.get("to") not in link.audiences:
            audiences = " or ".join(sorted(link.audiences))
            return f"a {value} link goes to {link.who}: send it to {audiences}"
    if arg in ("field", "at", "anniversary_of") and value not in words.deadline_fields:
        return _unknown("deadline field", value, words.deadline_fields)
    if arg in ("after", "before") and value not in defn.parameters and not is_duration(value):
        return f"{arg} {value!r} is neither a duration such as P21D nor a parameter" + suggest(
            value, defn.parameters
        )
    if arg == "trigger":
        return _timer_trigger(defn, value)
    if kind == "cancel_timer" and arg == "name" and value != "*" and value not in _timers(defn):
        return f"no start_timer starts a timer named {value!r}" + suggest(value, _timers(defn))
    supplied = words.template_context | ({"link"} if "link" in action.args else set())
    return _template(renderer, value, supplied) if arg == "template" else None


def _timer_trigger(defn: WorkflowDef, trigger: str) -> str | None:
    if trigger not in defn.triggers():
        return _unknown("trigger", trigger, defn.triggers())
    if not any("timer" in t.by for t in defn.transitions if t.trigger == trigger):
        return f"no transition {trigger!r} may be fired by 'timer', so the timer would be refused"
    return None


def _timers(defn: WorkflowDef) -> set[str]:
    starts = (a for t in defn.transitions for a in t.actions if a.kind == "start_timer")
    return {a.args.get("name", "") for a in starts}


def _template(renderer: MailRenderer, name: str, supplied: frozenset[str]) -> str | None:
    missing = renderer.missing_parts(name)
    if len(missing) == len(PARTS):
        known = [d.name for d in renderer.root.glob("*") if d.is_dir()]
        return f"there is no email template {name!r} in {renderer.root}" + suggest(name, known)
    if missing:
        return f"email template {name!r} is missing {', '.join(missing)}"
    try:
        unknown = sorted(renderer.variables(name) - supplied)
    except jinja2.TemplateError as exc:
        return f"email template {name!r} cannot be read: {exc}"
    if not unknown:
        return None
    return (
        f"email template {name!r} uses {', '.join(map(repr, unknown))}, which a send "
        f"does not provide; it may use {', '.join(sorted(supplied))}"
    )


def _ambiguous(defn: WorkflowDef, lines: LineMap) -> Found:
    # The machine would always take the first of two unguarded twins; the second is dead code.
    first: dict[tuple[str, str], int] = {}
    for i, t in enumerate(defn.transitions):
        clashes: dict[int, list[str]] = {}
        for state in defn.sources(t) if not t.guards else []:
            line = first.setdefault((t.trigger, state), lines.line("transitions", i))
            if line != lines.line("transitions", i):
                clashes.setdefault(line, []).append(state)
        for line, states in clashes.items():
            yield (
                lines.line("transitions", i),
                (
                    f"transition {t.trigger!r} from {', '.join(map(repr, states))} is ambiguous: "
                    f"the one at line {line} has the same trigger and source, and neither has a guard"
                ),
            )
