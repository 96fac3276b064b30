"""Named errors: each says in words what was refused and why."""

from __future__ import annotations


class NominationsError(Exception):
    """Base of every error this package raises on purpose."""


class SettingsError(NominationsError):
    """A setting is missing or malformed; the message is one line naming it."""


class DatabaseUnavailableError(NominationsError):
    """The connection to the database was lost during a unit of work."""

    def __init__(self, *, committing: bool) -> None:
        # Lost while committing, the change may have landed; lost before, nothing was written.
        self.committing = committing
        if committing:
            message = (
                "the connection to the database was lost while saving; reload to see whether it was saved"
            )
        else:
            message = "the connection to the database was lost; nothing was saved, so try again"
        super().__init__(message)


class NotFoundError(NominationsError):
    """The thing asked for does not exist."""


class TransitionRefused(NominationsError):
    """A trigger was not carried out; nothing was written."""


class TriggerNotAllowedError(TransitionRefused):
    """The trigger does not apply in the entity's current state."""


class GuardRefusedError(TransitionRefused):
    """The trigger applies to the state but a guard refused it."""


class ActorNotAllowedError(TransitionRefused):
    """This kind of actor may not fire this trigger."""


class ReasonRequiredError(TransitionRefused):
    """The trigger records a person's decision and needs a reason."""


class ConflictError(TransitionRefused):
    """Someone else changed the entity first; reload and try again."""


class ActionFailedError(TransitionRefused):
    """An action of the transition raised; the whole transition was rolled back."""


class WorkflowDefinitionError(NominationsError):
    """A workflow file is invalid; carries every problem found."""

    def __init__(self, problems: list[object]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class TemplateError(NominationsError):
    """An email template is missing or failed to render."""
