"""The kinds of thing that need a person now, and one such thing, as the dashboard lists them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Each kind in the order the dashboard shows them.
HEADINGS = {
    "requests": "Requests to accept",
    "empty_calls": "Calls with no nominations yet",
    "incomplete": "Nominations awaiting consent or seconders",
    "closing": "Ballots closing within 3 days",
    "declare": "Counts awaiting a declaration",
    "inductions": "Inductions stalled",
    "report_backs": "Report-backs overdue",
    "reviews": "Reviews to decide",
}


@dataclass(frozen=True)
class Item:
    href: str
    title: str  # the seat, or the person and their seat
    detail: str  # what is needed, in words
    due: datetime | None = None


@dataclass(frozen=True)
class Need:
    key: str
    heading: str
    items: list[Item]


def seat_title(title: str, partnership: str) -> str:
    return f"{title} ({partnership})" if partnership else title
