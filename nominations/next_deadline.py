"""The next deadline of a vacancy or an appointment, by its state. Pure: no database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

# The deadline each state is waiting for: (what falls due, the column that holds when).
_VACANCY = {
    "nominations_open": ("nominations close", "nominations_close_at"),
    "voting_open": ("voting closes", "voting_close_at"),
}
_APPOINTMENT = {
    "inducting": ("induction due", "induction_due_at"),
    "active": ("next review", "next_review_at"),
    "review_due": ("review closes", "review_close_at"),
}
_TERM_END = ("term ends", "term_end_at")

# Every column a deadline may come from, so a query selects just these.
VACANCY_FIELDS = tuple(field for _, field in _VACANCY.values())
APPOINTMENT_FIELDS = (*(field for _, field in _APPOINTMENT.values()), _TERM_END[1])


@dataclass(frozen=True)
class Deadline:
    label: str
    at: datetime
    overdue: bool


def next_deadline(
    entity: str, state: str, final: bool, values: Mapping[str, datetime | None], now: datetime
) -> Deadline | None:
    """The earliest deadline the state waits for; an appointment's term end counts until it is final."""
    if final:
        return None
    wanted = [(_VACANCY if entity == "vacancy" else _APPOINTMENT).get(state)]
    if entity == "appointment":
        wanted.append(_TERM_END)
    found = [(at, label) for label, field in filter(None, wanted) if (at := values.get(field)) is not None]
    if not found:
        return None
    at, label = min(found)
    return Deadline(label, at, at < now)
