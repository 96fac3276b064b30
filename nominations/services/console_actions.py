"""The buttons a coordinator is offered on a vacancy or an appointment, and firing one from its form.

The state machine decides what is offered (`TransitionService.allowed`); the workflow file says
which triggers record a decision and so need a reason. The version on the form makes two people
acting at once see a conflict rather than a double action.
"""

from __future__ import annotations

from dataclasses import dataclass

from nominations.actors import Actor
from nominations.console_words import ENDING_TRIGGERS, trigger_label
from nominations.errors import ConflictError, NominationsError, TransitionRefused
from nominations.services.transitions import Outcome, TransitionService
from nominations.whole_numbers import whole_number

ACTOR_KIND = "coordinator"  # the buttons are the coordinator's; the role table guards who sees them
CONFLICT = (
    "Someone else changed this {entity} while you were looking at it, so nothing was done. "
    "Reload the page to see what changed, then try again."
)


@dataclass(frozen=True)
class Offer:
    trigger: str
    label: str
    reason_required: bool
    ending: bool  # ends or refuses something: shown as a warning button


class ActionFormError(NominationsError):
    """A button's form that cannot be acted on; `field` is the id of the form field at fault."""

    def __init__(self, message: str, field: str, *, conflict: bool = False) -> None:
        super().__init__(message)
        self.field = field
        self.conflict = conflict


def reason_field(trigger: str) -> str:
    """The id of a trigger's reason field: each button's form has its own."""
    return f"reason-{trigger}"


def offers(
    transitions: TransitionService, entity: str, entity_id: int, state: str, workflow: str
) -> list[Offer]:
    """A button for exactly each trigger the state machine lets a coordinator fire now."""
    engine = transitions.workflows[workflow]
    return [
        Offer(
            trigger,
            trigger_label(trigger),
            any(t.reason == "required" for t in engine.candidates(state, trigger)),
            trigger in ENDING_TRIGGERS,
        )
        for trigger in transitions.allowed(entity_id, ACTOR_KIND, entity=entity)
    ]


def fire_from_form(
    transitions: TransitionService,
    entity: str,
    entity_id: int,
    actor: Actor,
    form: dict[str, str],
    now: tuple[int, list[Offer]],
) -> Outcome:
    """Fire the form's trigger at the form's version; ActionFormError says what to put right.

    `now` is the entity's version and offers as just read: a form from an older page is a conflict.
    """
    trigger, reason = form.get("trigger", ""), form.get("reason", "").strip()
    version, (current, offered) = whole_number(form.get("version", "")), now
    if version is None:
        raise ActionFormError("The form had no version: reload the page and try again.", "actions")
    if version != current:
        raise ActionFormError(CONFLICT.format(entity=entity), "actions", conflict=True)
    offer = next((o for o in offered if o.trigger == trigger), None)
    if offer is not None and offer.reason_required and not reason:
        raise ActionFormError(f"Give a reason to {offer.label.lower()}", reason_field(trigger))
    if len(reason) > 5000:
        raise ActionFormError("Keep the reason under 5,000 characters", reason_field(trigger))
    try:
        return transitions.fire(
            entity_id,
            trigger,
            actor=actor,
            reason=reason or None,
            expected_version=version,
            entity=entity,
        )
    except ConflictError:
        raise ActionFormError(CONFLICT.format(entity=entity), "actions", conflict=True) from None
    except TransitionRefused as exc:
        raise ActionFormError(f"That could not be done: {exc}", "actions") from None
