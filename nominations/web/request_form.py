"""The request form: its fields in order, what each must hold, and the message when it does not."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nominations.equality import EQUALITY_SECTORS
from nominations.services.participation import SeatRequest
from nominations.whole_numbers import whole_number

KINDS = {
    "representative": (
        "A representative",
        "Speaks for the range of views in the sector; elected by the network's member organisations.",
    ),
    "expert": (
        "An expert",
        "Brings experience of one aspect of service delivery, such as domestic abuse; "
        "chosen by a selection panel.",
    ),
}
SEATS = range(1, 11)
TERM_MONTHS = range(1, 61)


@dataclass(frozen=True)
class Text:
    label: str
    missing: str
    limit: int
    optional: bool = False


TEXTS: dict[str, Text] = {
    "title": Text("Title of the seat", "Enter the title of the seat", 200),
    "terms_of_reference": Text(
        "Terms of reference",
        "Enter the partnership's terms of reference, or upload them as a PDF",
        20_000,
        optional=True,  # when a PDF comes instead
    ),
    "membership_details": Text("Who sits on the partnership", "Enter who sits on the partnership", 10_000),
    "knowledge_skills": Text(
        "Knowledge, skills and experience required",
        "Enter the knowledge, skills and experience the seat needs",
        10_000,
    ),
    "time_commitment": Text(
        "Time commitment", "Enter the time the seat takes, for example 6 hours a month", 200
    ),
    "meeting_schedule": Text("Meeting schedule", "Enter when and where the partnership meets", 2_000),
}


class RequestFormError(Exception):
    """The form has problems: field name to message, in the form's order."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _whole(value: str, allowed: range, missing: str, what: str) -> tuple[int | None, str | None]:
    text = value.strip()
    if not text:
        return None, missing
    number = whole_number(text)
    if number is None or number not in allowed:
        return None, f"{what} must be a whole number from {allowed[0]} to {allowed[-1]}"
    return number, None


def parse_request(values: Mapping[str, str], *, has_pdf: bool, pdf_error: str | None = None) -> SeatRequest:
    """The request the form describes; RequestFormError with every problem otherwise."""
    errors: dict[str, str] = {}
    texts: dict[str, str] = {}
    for name, spec in TEXTS.items():
        text = values.get(name, "").strip()
        if not text and not (spec.optional and has_pdf):
            errors[name] = spec.missing
        elif len(text) > spec.limit:
            errors[name] = f"{spec.label} must be {spec.limit:,} characters or fewer"
        texts[name] = text
        if name == "terms_of_reference" and pdf_error:
            errors["terms_pdf"] = pdf_error  # next to the text it may stand in for
    kind = values.get("kind", "")
    if kind not in KINDS:
        errors["kind"] = "Select whether you want a representative or an expert"
    seats, problem = _whole(
        values.get("seats", ""), SEATS, "Enter the number of seats", "The number of seats"
    )
    if problem:
        errors["seats"] = problem
    term, problem = _whole(
        values.get("term_months", ""), TERM_MONTHS, "Enter the length of the term in months", "The term"
    )
    if problem:
        errors["term_months"] = problem
    sector = values.get("equality_sector", "")
    if sector and sector not in EQUALITY_SECTORS:
        errors["equality_sector"] = "Select an equality sector from the list, or none"
    if errors:
        raise RequestFormError(errors)
    assert seats is not None and term is not None
    return SeatRequest(**texts, kind=kind, seats=seats, term_months=term, equality_sector=sector or None)
