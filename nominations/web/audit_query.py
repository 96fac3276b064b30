"""The audit pages' query strings: the log's filters and a history's subject, with errors in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from nominations.errors import NominationsError
from nominations.services.audit_browse import AuditFilter
from nominations.services.audit_subjects import Subject
from nominations.whole_numbers import whole_number
from nominations.workflow.vocabulary import ACTOR_KINDS

HISTORY_KINDS = ("vacancy", "organisation", "appointment", "user")


class HistoryQueryError(NominationsError):
    """A history export asked for no subject, several, or one that is not a number."""


@dataclass
class LogQuery:
    """The log page's fields as typed, what they mean, and what is wrong with them."""

    values: dict[str, str]
    wanted: AuditFilter = field(default_factory=AuditFilter)
    errors: dict[str, str] = field(default_factory=dict)
    before: int | None = None
    after: int | None = None

    def subject(self) -> Subject | None:
        """The one vacancy, organisation or person asked about, whose history can be downloaded."""
        return self.wanted.subjects[0] if len(self.wanted.subjects) == 1 else None


def read_log_query(values: dict[str, str]) -> LogQuery:
    """The filter the fields ask for; each field that makes no sense gets a message instead."""
    query = LogQuery({name: value.strip() for name, value in values.items()})
    fields, errors = query.values, query.errors
    subjects = []
    if fields["vacancy"]:
        if (vacancy := whole_number(fields["vacancy"])) is not None:
            subjects.append(Subject("vacancy", vacancy))
        else:
            errors["vacancy"] = "Enter the vacancy's number, like 12"
    if (organisation := whole_number(fields["organisation"])) is not None:
        subjects.append(Subject("organisation", organisation))
    elif fields["organisation"]:
        errors["organisation"] = "Choose a member organisation from the list"
    kind, _, number = fields["person"].partition(":")
    if kind in {"user", "appointment"} and (person := whole_number(number)) is not None:
        subjects.append(Subject(kind, person))
    elif fields["person"]:
        errors["person"] = "Choose a person from the list"
    if fields["actor"] and fields["actor"] not in ACTOR_KINDS:
        errors["actor"] = "Choose who acted from the list"
    start, end = _day(fields["from"], "from", "start", errors), _day(fields["to"], "to", "end", errors)
    if start and end and end < start:
        errors["to"] = "The end date must be the same as or after the start date"
    query.before, query.after = _cursor(fields.get("before", "")), _cursor(fields.get("after", ""))
    if not errors:
        query.wanted = AuditFilter(
            tuple(subjects), fields["actor"] or None, fields["action"] or None, start, end
        )
    return query


def read_history_subject(values: dict[str, str]) -> Subject:
    """The one subject of a history export: `vacancy=`, `organisation=`, `appointment=` or `user=`."""
    given = {kind: value.strip() for kind, value in values.items() if kind in HISTORY_KINDS and value.strip()}
    if len(given) != 1:
        raise HistoryQueryError("Ask for the history of one vacancy, organisation, appointment or account.")
    [(kind, value)] = given.items()
    if (number := whole_number(value)) is None:
        raise HistoryQueryError(f"The {kind} {value!r} is not a number.")
    return Subject(kind, number)


def _day(text: str, name: str, label: str, errors: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = f"Enter the {label} date as year-month-day, like 2026-03-31"
        return None


def _cursor(text: str) -> int | None:
    return whole_number(text.strip())
