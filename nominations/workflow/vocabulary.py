"""The words a workflow file may use: guards, actions, audiences, actors, template variables.

The checker validates definitions against these; the engine binds them to behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nominations.workflow.facts import Facts

ACTOR_KINDS = frozenset({"coordinator", "partnership", "organisation", "nominee", "timer", "system"})

AUDIENCES = frozenset(
    {"partnership", "coordinator", "electorate", "electorate_not_voted", "nominees", "elected"}
)

# Deadline columns on the entity that set_deadline may write and start_timer may read.
DEADLINE_FIELDS = frozenset({"nominations_close_at", "voting_close_at"})

# Personal links a `send` may give each recipient organisation, and the deadline each expires at.
LINKS: dict[str, str] = {"nominate": "nominations_close_at", "ballot": "voting_close_at"}

# Audiences made of member organisations: the only ones a personal link can go to.
ORGANISATION_AUDIENCES = frozenset({"electorate", "electorate_not_voted"})

# Top-level names every `send` action puts in its template's context (and `link`, when it has one).
TEMPLATE_CONTEXT = frozenset(
    {"vacancy", "partnership", "network", "recipient", "reason", "nominations", "result", "base_url"}
)


@dataclass(frozen=True)
class Guard:
    """A named, pure condition over the facts, with the words said when it refuses."""

    test: Callable[[Facts], bool]
    refusal: str


GUARDS: dict[str, Guard] = {
    "no_valid_nominations": Guard(lambda f: f.valid_nominations == 0, "there are valid nominations"),
    "uncontested": Guard(
        lambda f: 0 < f.valid_nominations <= f.seats,
        "the election is contested, or there are no valid nominations",
    ),
    "contested": Guard(
        lambda f: f.valid_nominations > f.seats,
        "there are no more valid nominations than seats",
    ),
    "has_votes": Guard(lambda f: f.votes_cast > 0, "nobody has voted"),
}


@dataclass(frozen=True)
class ActionSpec:
    """An action's argument names: those it needs and those it may take."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()


ACTIONS: dict[str, ActionSpec] = {
    "send": ActionSpec(required=frozenset({"template", "to"}), optional=frozenset({"link"})),
    "set_deadline": ActionSpec(required=frozenset({"field", "after"})),
    "start_timer": ActionSpec(
        required=frozenset({"name", "trigger"}), optional=frozenset({"at", "after", "before"})
    ),
    "cancel_timer": ActionSpec(required=frozenset({"name"})),
    "freeze_electorate": ActionSpec(),
    "open_ballot": ActionSpec(),
    "count_votes": ActionSpec(),
    "elect_unopposed": ActionSpec(),
    "seal_ballots": ActionSpec(),
}
