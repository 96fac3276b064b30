"""Carry out a transition's intents inside its transaction: mail, timers, deadlines, domain steps."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select, update

from nominations.db.models import (
    ElectorateMember,
    Network,
    Organisation,
    Partnership,
    Timer,
    Vacancy,
)
from nominations.mail.render import MailRenderer
from nominations.services.access import issue_link
from nominations.services.balloting import seal_ballots
from nominations.services.mailing import queue_to
from nominations.services.protocols import protocol_for
from nominations.services.recipients import Recipient, recipients, valid_nominations
from nominations.services.results import count_vacancy, elect_unopposed, result_view
from nominations.workflow.intents import (
    CancelTimer,
    Effect,
    Intent,
    SendMail,
    SetDeadline,
    StartTimer,
)
from nominations.workflow.vocabulary import LINKS


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
class EffectRunner:
    session: Session
    vacancy: Vacancy
    now: datetime
    reason: str | None
    renderer: MailRenderer
    base_url: str
    log: EffectLog = field(default_factory=EffectLog)

    def apply(self, intents: tuple[Intent, ...]) -> EffectLog:
        for intent in intents:
            if isinstance(intent, SendMail):
                self._send(intent)
            elif isinstance(intent, SetDeadline):
                setattr(self.vacancy, intent.field, intent.at)
                self.log.deadlines[intent.field] = intent.at.isoformat()
            elif isinstance(intent, StartTimer):
                self._start_timer(intent)
            elif isinstance(intent, CancelTimer):
                self._cancel_timer(intent)
            else:
                self._effect(intent)
        self.session.add(self.vacancy)
        self.session.flush()
        return self.log

    def _send(self, intent: SendMail) -> None:
        vid = self.vacancy.id
        assert vid is not None
        self.session.flush()  # deadlines set earlier in this transition must be visible
        context = self._context(self.renderer.variables(intent.template))
        ids = []
        for person in recipients(self.session, self.vacancy, intent.audience):
            personal: dict[str, Any] = {}
            if intent.link is not None:
                personal["link"] = self._link(intent.link, person)
            message = queue_to(
                self.session,
                self.renderer,
                now=self.now,
                vacancy_id=vid,
                template=intent.template,
                recipient=person,
                context={**context, **personal},
            )
            ids.append(message.id)
        self.log.emails.append({"template": intent.template, "to": intent.audience, "outbox_ids": ids})

    def _link(self, purpose: str, person: Recipient) -> str:
        vid = self.vacancy.id
        expires_at = getattr(self.vacancy, LINKS[purpose])
        assert vid is not None and person.organisation_id is not None and expires_at is not None
        token = issue_link(
            self.session,
            purpose=purpose,
            vacancy_id=vid,
            expires_at=expires_at,
            organisation_id=person.organisation_id,
        )
        return f"{self.base_url}/{purpose}/{token}"

    def _context(self, wanted: set[str]) -> dict[str, Any]:
        """Only what the template reads: each name costs a query, and most messages need few."""
        vid = self.vacancy.id
        assert vid is not None
        loaders: dict[str, Callable[[], Any]] = {
            "vacancy": lambda: self.vacancy,
            "partnership": lambda: self.session.get_one(Partnership, self.vacancy.partnership_id),
            "network": lambda: self.session.get_one(Network, self.vacancy.network_id),
            "reason": lambda: self.reason,
            "nominations": lambda: valid_nominations(self.session, vid),
            "result": lambda: result_view(self.session, vid),
            "base_url": lambda: self.base_url,
        }
        return {name: load() for name, load in loaders.items() if name in wanted}

    def _start_timer(self, intent: StartTimer) -> None:
        assert self.vacancy.id is not None
        self.session.add(
            Timer(
                entity_type="vacancy",
                entity_id=self.vacancy.id,
                name=intent.name,
                trigger=intent.trigger,
                due_at=intent.due_at,
            )
        )
        self.log.timers_started.append({"name": intent.name, "due_at": intent.due_at.isoformat()})

    def _cancel_timer(self, intent: CancelTimer) -> None:
        query = update(Timer).where(
            col(Timer.entity_type) == "vacancy",
            col(Timer.entity_id) == self.vacancy.id,
            col(Timer.status) == "pending",
        )
        if intent.name != "*":
            query = query.where(col(Timer.name) == intent.name)
        outcome = self.session.exec(query.values(status="cancelled", fired_at=self.now))
        if outcome.rowcount:
            self.log.timers_cancelled.append(intent.name)

    def _effect(self, intent: Effect) -> None:
        if intent.kind == "freeze_electorate":
            self.log.effects["electorate"] = self._freeze_electorate()
        elif intent.kind == "open_ballot":
            self.log.effects["ballot"] = self._open_ballot()
        elif intent.kind == "seal_ballots":
            assert self.vacancy.id is not None
            self.log.effects["sealed_ballots"] = seal_ballots(self.session, self.vacancy.id)
        elif intent.kind == "count_votes":
            result = count_vacancy(self.session, self.vacancy)
            self.log.effects["count"] = {
                "method": result.method,
                "seed": result.seed,
                "winners": result.winners,
                **result.detail,
            }
        elif intent.kind == "elect_unopposed":
            self.log.effects["elected_unopposed"] = elect_unopposed(self.session, self.vacancy).winners
        else:
            raise ValueError(f"no effect named {intent.kind!r}")

    def _open_ballot(self) -> dict[str, Any]:
        """Fix the order the ballot shows the candidates in: alphabetical, or drawn once and recorded."""
        assert self.vacancy.id is not None
        order = [n.id or 0 for n in valid_nominations(self.session, self.vacancy.id)]
        drawn: dict[str, Any] = {}
        if protocol_for(self.session, self.vacancy).candidate_order == "random":
            seed = secrets.token_hex(16)
            random.Random(seed).shuffle(order)
            drawn = {"order_seed": seed}
        self.vacancy.ballot_order = order
        return {"order": order, **drawn}

    def _freeze_electorate(self) -> int:
        # A re-opened call keeps the roll frozen when the first call opened.
        vid = self.vacancy.id
        existing = self.session.exec(select(ElectorateMember).where(ElectorateMember.vacancy_id == vid)).all()
        if existing:
            return len(existing)
        members = self.session.exec(
            select(Organisation).where(
                Organisation.network_id == self.vacancy.network_id, Organisation.status == "active"
            )
        ).all()
        for org in members:
            assert vid is not None and org.id is not None
            self.session.add(
                ElectorateMember(
                    vacancy_id=vid,
                    organisation_id=org.id,
                    contact_name=org.contact_name,
                    contact_email=org.contact_email,
                )
            )
        return len(members)
