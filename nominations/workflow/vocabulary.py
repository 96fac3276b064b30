"""The words a workflow file may use: guards, actions, audiences, actors, template variables.

Each entity a workflow drives (a vacancy, an appointment) has its own audiences, deadlines,
links and domain steps. The checker validates definitions against these; the engine binds them
to behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nominations.workflow.facts import Facts

ACTOR_KINDS = frozenset(
    {"coordinator", "partnership", "organisation", "nominee", "representative", "timer", "system", "panel"}
)


@dataclass(frozen=True)
class Link:
    """A personal link a `send` may give each recipient: the deadline it expires at, who gets it."""

    expires_at: str
    audiences: frozenset[str]
    who: str  # whom the audiences are, in words


@dataclass(frozen=True)
class ActionSpec:
    """An action's argument names: those it needs and those it may take."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()


@dataclass(frozen=True)
class EntityWords:
    """What a workflow over one kind of entity may name."""

    audiences: frozenset[str]
    deadline_fields: frozenset[str]  # columns set_deadline may write and start_timer may read
    links: dict[str, Link]
    template_context: frozenset[str]  # top-level names a `send` puts in its template's context
    effects: dict[str, ActionSpec]  # the entity's domain steps
    attachments: frozenset[str] = frozenset()


_ELECTORATE = frozenset({"electorate", "electorate_not_voted"})

VACANCY = EntityWords(
    audiences=frozenset({"partnership", "coordinator", *_ELECTORATE, "nominees", "elected", "panel"}),
    deadline_fields=frozenset({"nominations_close_at", "voting_close_at"}),
    links={
        "nominate": Link("nominations_close_at", _ELECTORATE, "member organisations"),
        "ballot": Link("voting_close_at", _ELECTORATE, "member organisations"),
        # No deadline: the panel's decision closes it (services/panel_roster.py bounds its life).
        "panel": Link("", frozenset({"panel"}), "the selection panel"),
    },
    template_context=frozenset(
        {"vacancy", "partnership", "network", "recipient", "reason", "nominations", "result", "base_url"}
    ),
    effects={
        "freeze_electorate": ActionSpec(),
        "open_ballot": ActionSpec(),
        "count_votes": ActionSpec(),
        "elect_unopposed": ActionSpec(),
        "elect_incumbent": ActionSpec(),
        "seal_ballots": ActionSpec(),
        "appoint": ActionSpec(),
    },
)

APPOINTMENT = EntityWords(
    audiences=frozenset({"representative", "coordinator", "partnership", "members"}),
    deadline_fields=frozenset(
        {
            "induction_due_at",
            "next_review_at",
            "review_close_at",
            "reelection_at",
            "term_start_at",
            "term_end_at",
        }
    ),
    links={
        "representative": Link("term_end_at", frozenset({"representative"}), "the representative"),
        "feedback": Link("review_close_at", frozenset({"members"}), "member organisations"),
    },
    template_context=frozenset(
        {
            "appointment",
            "vacancy",
            "partnership",
            "network",
            "recipient",
            "reason",
            "induction",
            "review",
            "meetings",
            "overdue",
            "base_url",
        }
    ),
    effects={
        "create_induction": ActionSpec(),
        "open_review": ActionSpec(),
        "recount_review": ActionSpec(),
        "record_review": ActionSpec(required=frozenset({"outcome"})),
        "replace": ActionSpec(),
        "open_vacancy": ActionSpec(required=frozenset({"origin"})),
        "release_substitute": ActionSpec(),
        "end_appointment": ActionSpec(),
    },
    attachments=frozenset({"calendar"}),
)

ENTITIES: dict[str, EntityWords] = {"vacancy": VACANCY, "appointment": APPOINTMENT}


@dataclass(frozen=True)
class Guard:
    """A named, pure condition over the facts, with the words said when it refuses."""

    test: Callable[[Facts], bool]
    refusal: str
    entity: str = "vacancy"  # the kind of entity whose facts it reads


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
    "has_valid_nominations": Guard(lambda f: f.valid_nominations > 0, "there are no valid nominations"),
    "panel_decided": Guard(
        lambda f: f.panel_decided,
        "the panel's decision has not been recorded (record it with `nominations panel decide`)",
    ),
    "incumbent_carries_on": Guard(
        lambda f: f.valid_nominations == 0 and f.incumbent_may_carry_on,
        "there are valid nominations, or no retiring representative may carry on",
    ),
    "induction_complete": Guard(
        lambda f: f.open_induction_steps == 0, "required induction steps are still open", "appointment"
    ),
    "induction_incomplete": Guard(
        lambda f: f.open_induction_steps > 0, "every induction step is done", "appointment"
    ),
    "term_continues": Guard(lambda f: f.term_remaining_days > 0, "the term has ended", "appointment"),
    "reelection_not_called": Guard(
        lambda f: not f.successor_opened,
        "the election for the next term has already been called",
        "appointment",
    ),
}

# The general actions, open to every entity; each entity adds its own domain steps.
GENERAL_ACTIONS: dict[str, ActionSpec] = {
    "send": ActionSpec(required=frozenset({"template", "to"}), optional=frozenset({"link", "attach"})),
    "set_deadline": ActionSpec(
        required=frozenset({"field"}), optional=frozenset({"after", "anniversary_of"})
    ),
    "start_timer": ActionSpec(
        required=frozenset({"name", "trigger"}), optional=frozenset({"at", "after", "before"})
    ),
    "cancel_timer": ActionSpec(required=frozenset({"name"})),
}


def words_for(entity: str) -> EntityWords | None:
    """The vocabulary of an entity, or None if no workflow may drive it."""
    return ENTITIES.get(entity)


def actions_for(entity: str) -> dict[str, ActionSpec]:
    """Every action a workflow over `entity` may use."""
    words = ENTITIES.get(entity)
    return {**GENERAL_ACTIONS, **(words.effects if words else {})}


def guards_for(entity: str) -> dict[str, Guard]:
    """The guards a workflow over `entity` may name."""
    return {name: guard for name, guard in GUARDS.items() if guard.entity == entity}
