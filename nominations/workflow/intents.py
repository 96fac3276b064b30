"""What a transition asks for. Callbacks record these; the service carries them out in its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SendMail:
    template: str
    audience: str
    link: str | None = None  # a personal link for each recipient: nominate | ballot | representative | …
    attach: str | None = None  # a file made for each message: calendar


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
    """A domain step of the entity (freeze_electorate, open_ballot, record_review …) and its arguments."""

    kind: str
    args: tuple[tuple[str, str], ...] = ()

    def arg(self, name: str) -> str:
        return dict(self.args)[name]


Intent = SendMail | SetDeadline | StartTimer | CancelTimer | Effect
