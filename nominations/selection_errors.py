"""The named refusals of an expert seat's selection panel, each saying what was refused and why."""

from __future__ import annotations

from nominations.errors import NominationsError


class SelectionError(NominationsError):
    """A panel step the rules refuse. `problems` holds every problem of a score sheet, by form field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.problems: dict[str, SelectionError] = {field: self} if field else {}


class NotExpertSeatError(SelectionError):
    """A representative's seat is elected by the members; only an expert seat has a panel."""


class PanelStateError(SelectionError):
    """The vacancy is not at the stage this panel step belongs to."""


class PanelMemberError(SelectionError):
    """A panel member's name or email is missing, malformed, or already on the panel."""


class NoCriteriaError(SelectionError):
    """The request names no knowledge, skills or experience to score against."""


class NotAnApplicantError(SelectionError):
    """A score for someone who is not a valid applicant for this seat."""


class UnknownCriterionError(SelectionError):
    """A score against a criterion the request does not name."""


class ScoreOutOfRangeError(SelectionError):
    """A score that is missing or not a whole number from 0 to 4."""


class ReasonMissingError(SelectionError):
    """A score, or the decision, given without its reason."""


class IncompleteScoresError(SelectionError):
    """The decision was asked for before every panel member scored every applicant on every criterion."""


class NotValidApplicantError(SelectionError):
    """The panel chose a nomination that is not a valid applicant for this seat."""
