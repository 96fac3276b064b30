"""Queue one templated email to one person about a vacancy, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from nominations.db.models import Network, OutboxMessage, Partnership, Vacancy
from nominations.db.term_models import Appointment
from nominations.mail.outbox import queue_mail
from nominations.mail.render import MailRenderer
from nominations.services.recipients import Recipient


def vacancy_context(session: Session, vacancy: Vacancy, base_url: str) -> dict[str, Any]:
    """What every message about a vacancy may show: the seat, its partnership, the network."""
    return {
        "vacancy": vacancy,
        "partnership": session.get_one(Partnership, vacancy.partnership_id),
        "network": session.get_one(Network, vacancy.network_id),
        "base_url": base_url,
    }


def queue_to(
    session: Session,
    renderer: MailRenderer,
    *,
    now: datetime,
    entity_id: int,
    template: str,
    recipient: Recipient,
    context: Mapping[str, Any],
    entity_type: str = "vacancy",
    attachments: list[dict[str, str]] | None = None,
) -> OutboxMessage:
    """Render `template` for `recipient` and put it in the outbox, filed under the entity it is about."""
    rendered = renderer.render(template, {**context, "recipient": recipient})
    return queue_mail(
        session,
        now=now,
        entity_type=entity_type,
        entity_id=entity_id,
        template=template,
        to_name=recipient.name,
        to_email=recipient.email,
        rendered=rendered,
        attachments=attachments,
    )


def queue_to_holder(
    session: Session,
    renderer: MailRenderer,
    appointment: Appointment,
    *,
    now: datetime,
    template: str,
    context: Mapping[str, Any],
    attachments: list[dict[str, str]] | None = None,
) -> OutboxMessage:
    """Render `template` for the person holding an appointment, with its partnership and network."""
    assert appointment.id is not None
    return queue_to(
        session,
        renderer,
        now=now,
        entity_id=appointment.id,
        template=template,
        recipient=Recipient(appointment.person_name, appointment.person_email),
        context={
            "appointment": appointment,
            "partnership": session.get_one(Partnership, appointment.partnership_id),
            "network": session.get_one(Network, appointment.network_id),
            **context,
        },
        entity_type="appointment",
        attachments=attachments,
    )
