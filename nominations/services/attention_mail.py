"""Emails the worker gave up on, for the people whose network they belong to: one query, newest first.

A message is filed under the entity it is about (outbox.entity_type, entity_id), so its network is
that entity's: a vacancy's or an appointment's own column, the network itself, or an account's.
Account mail (invitations, password resets) is shown only to those who manage accounts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, true
from sqlalchemy import select as sql_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from nominations.db.account_models import User
from nominations.db.models import Network, OutboxMessage, Vacancy
from nominations.db.term_models import Appointment
from nominations.services.needs import seat_title
from nominations.services.scope import Scope


@dataclass(frozen=True)
class FailedMail:
    """One undelivered email: to whom, what, about which record, and the mail server's last reply."""

    to: str  # "Name <address>"
    subject: str
    about: str  # the seat, the person in it, the network or the account, in words
    href: str | None  # that record's console page, where there is one
    queued_at: datetime
    attempts: int
    reply: str  # the server's reply (or why no server was asked), verbatim


@dataclass(frozen=True)
class Undelivered:
    shown: list[FailedMail]  # the newest `limit`
    total: int


def undelivered_mail(
    session: Session, scope: Scope, partnerships: Mapping[int, str], *, accounts: bool, limit: int
) -> Undelivered:
    """The scope's failed emails, newest first; account mail only if `accounts` (its managers)."""
    seat = aliased(Vacancy)
    kind, about_id = col(OutboxMessage.entity_type), col(OutboxMessage.entity_id)
    query = (
        sql_select(
            OutboxMessage,
            col(Vacancy.title),
            col(Vacancy.partnership_id),
            col(Appointment.person_name),
            col(seat.title),
            col(seat.partnership_id),
            col(Network.name),
            col(User.name),
            func.count().over().label("total"),
        )
        .outerjoin(Vacancy, and_(kind == "vacancy", col(Vacancy.id) == about_id))
        .outerjoin(Appointment, and_(kind == "appointment", col(Appointment.id) == about_id))
        .outerjoin(seat, col(seat.id) == Appointment.vacancy_id)
        .outerjoin(Network, and_(kind == "network", col(Network.id) == about_id))
        .outerjoin(User, and_(kind == "user", col(User.id) == about_id))
        .where(col(OutboxMessage.status) == "failed", _in_scope(scope, accounts))
        .order_by(col(OutboxMessage.id).desc())
        .limit(limit)
    )
    rows = session.execute(query).all()
    shown = []
    for message, title, pid, person, seat_name, seat_pid, network, account, _ in rows:
        if message.entity_type == "vacancy":
            about, href = (
                seat_title(title, partnerships.get(pid, "")),
                f"/console/vacancies/{message.entity_id}",
            )
        elif message.entity_type == "appointment":
            seated = seat_title(seat_name, partnerships.get(seat_pid, ""))
            about, href = f"{person}, {seated}", f"/console/appointments/{message.entity_id}"
        elif message.entity_type == "user":
            about, href = f"{account}'s account", "/console/accounts"
        else:  # mail to a whole network's members (the report-back digest) has no page of its own
            about, href = network or f"{message.entity_type} {message.entity_id}", None
        assert message.created_at is not None
        shown.append(
            FailedMail(
                f"{message.to_name} <{message.to_email}>",
                message.subject,
                about,
                href,
                message.created_at,
                message.attempts,
                message.last_error or "",
            )
        )
    return Undelivered(shown, rows[0].total if rows else 0)


def _in_scope(scope: Scope, accounts: bool) -> ColumnElement[bool]:
    kind = col(OutboxMessage.entity_type)
    if scope.every_network:
        # Every record, and mail about kinds of record this list does not know, rather than none.
        return true() if accounts else kind != "user"
    mine = [
        and_(kind == "vacancy", scope.where(Vacancy.network_id, Vacancy.partnership_id)),
        and_(kind == "appointment", scope.where(Appointment.network_id, Appointment.partnership_id)),
    ]
    if scope.partnership_id is None and scope.network_id is not None:
        mine.append(and_(kind == "network", col(OutboxMessage.entity_id) == scope.network_id))
    if accounts:
        mine.append(and_(kind == "user", scope.where(User.network_id, User.partnership_id)))
    return or_(*mine)
