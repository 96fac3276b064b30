"""What a transition asks for. Callbacks record these; the service carries them out in its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SendMail:
    template: str
    audience: str
    link: str | None = None  # a personal link for each recipient organisation: nominate | ballot


@dataclass(frozen=True)
class SetDeadline:
    field: str
    at: datetime


@dataclass(frozen=True)
class StartTimer:
    name: str
    trigger: str
    due_at: datetime


@dataclass(frozen=True)
class CancelTimer:
    name: str  # "*" cancels every pending timer of the entity


@dataclass(frozen=True)
class Effect:
    """A domain step with no arguments: freeze_electorate, open_ballot, count_votes, elect_unopposed."""

    kind: str


Intent = SendMail | SetDeadline | StartTimer | CancelTimer | Effect
