"""Carry out a transition's intents inside its transaction: mail, timers, deadlines, domain steps.

The general intents work the same for every entity; a `Domain` says who an audience is, what a
template may read, which links and files go with a message, and does the entity's own steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from sqlmodel import Session, col, update

from nominations.actors import Actor
from nominations.db.models import Timer
from nominations.mail.render import MailRenderer
from nominations.services.mailing import queue_to
from nominations.services.recipients import Recipient
from nominations.workflow.intents import (
    CancelTimer,
    Effect,
    Intent,
    SendMail,
    SetDeadline,
    StartTimer,
)

# Fire another entity's trigger inside this transaction: (session, entity, id, trigger, actor, reason).
NestedFire = Callable[[Session, str, int, str, Actor, str | None], Any]


@dataclass
class EffectLog:
    """What was done, by id only: it goes into the audit payload, so no personal data."""

    emails: list[dict[str, Any]] = field(default_factory=list)
    timers_started: list[dict[str, Any]] = field(default_factory=list)
    timers_cancelled: list[str] = field(default_factory=list)
    deadlines: dict[str, str] = field(default_factory=dict)
    effects: dict[str, Any] = field(default_factory=dict)

    def as_payload(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v}


@dataclass
class Step:
    """Everything a domain step may use: the transaction, the row, the time, the reason."""

    session: Session
    row: Any
    now: datetime
    reason: str | None
    renderer: MailRenderer
    base_url: str
    fire: NestedFire

    @property
    def row_id(self) -> int:
        row_id: int | None = self.row.id
        assert row_id is not None
        return row_id


class Domain:
    """The entity-specific half of carrying out intents; one subclass per entity."""

    entity_type = ""
    log_keys: ClassVar[dict[str, str]] = {}  # the audit payload's name for a step, where it is not the step's

    def recipients(self, step: Step, audience: str) -> list[Recipient]:
        raise NotImplementedError

    def context(self, step: Step) -> dict[str, Callable[[], Any]]:
        """Loaders by template variable name; only those a template reads are called."""
        raise NotImplementedError

    def link(self, step: Step, purpose: str, person: Recipient) -> str:
        raise NotImplementedError

    def attachment(self, step: Step, name: str, person: Recipient) -> dict[str, str]:
        raise ValueError(f"no attachment named {name!r}")

    def effect(self, step: Step, intent: Effect) -> Any:
        """Do a domain step; return what the audit payload records of it."""
        raise ValueError(f"no effect named {intent.kind!r}")


@dataclass
class EffectRunner:
    step: Step
    domain: Domain
    log: EffectLog = field(default_factory=EffectLog)

    def apply(self, intents: tuple[Intent, ...]) -> EffectLog:
        session, row = self.step.session, self.step.row
        for intent in intents:
            if isinstance(intent, SendMail):
                self._send(intent)
            elif isinstance(intent, SetDeadline):
                setattr(row, intent.field, intent.at)
                self.log.deadlines[intent.field] = intent.at.isoformat()
            elif isinstance(intent, StartTimer):
                self._start_timer(intent)
            elif isinstance(intent, CancelTimer):
                self._cancel_timer(intent)
            else:
                session.add(row)
                session.flush()
                key = self.domain.log_keys.get(intent.kind, intent.kind)
                self.log.effects[key] = self.domain.effect(self.step, intent)
        session.add(row)
        session.flush()
        return self.log

    def _send(self, intent: SendMail) -> None:
        step = self.step
        step.session.add(step.row)
        step.session.flush()  # deadlines set earlier in this transition must be visible
        wanted = step.renderer.variables(intent.template)
        context = {name: load() for name, load in self.domain.context(step).items() if name in wanted}
        ids = []
        for person in self.domain.recipients(step, intent.audience):
            personal: dict[str, Any] = {}
            if intent.link is not None:
                personal["link"] = self.domain.link(step, intent.link, person)
            files = [self.domain.attachment(step, intent.attach, person)] if intent.attach else []
            message = queue_to(
                step.session,
                step.renderer,
                now=step.now,
                entity_id=step.row_id,
                template=intent.template,
                recipient=person,
                context={**context, **personal},
                entity_type=self.domain.entity_type,
                attachments=files,
            )
            ids.append(message.id)
        self.log.emails.append({"template": intent.template, "to": intent.audience, "outbox_ids": ids})

    def _start_timer(self, intent: StartTimer) -> None:
        self.step.session.add(
            Timer(
                entity_type=self.domain.entity_type,
                entity_id=self.step.row_id,
                name=intent.name,
                trigger=intent.trigger,
                due_at=intent.due_at,
            )
        )
        self.log.timers_started.append({"name": intent.name, "due_at": intent.due_at.isoformat()})

    def _cancel_timer(self, intent: CancelTimer) -> None:
        query = update(Timer).where(
            col(Timer.entity_type) == self.domain.entity_type,
            col(Timer.entity_id) == self.step.row_id,
            col(Timer.status) == "pending",
        )
        if intent.name != "*":
            query = query.where(col(Timer.name) == intent.name)
        outcome = self.step.session.exec(query.values(status="cancelled", fired_at=self.step.now))
        if outcome.rowcount:
            self.log.timers_cancelled.append(intent.name)
