"""Which audit events belong to a network: found through each event's entity and that entity's table.

An event names its entity by type and id only, so its network is the entity's network. Events about
an entity of a kind not listed here are shown to nobody scoped to one network (never to the wrong one).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, false, or_, true
from sqlmodel import col, select

from nominations.db.account_models import User
from nominations.db.models import AuditEvent, Organisation, Partnership, Vacancy
from nominations.db.term_models import Appointment, CostEntry, Meeting
from nominations.services.scope import Scope

# The tables whose rows carry their network; a meeting's network is its partnership's.
_OWN_NETWORK: dict[str, Any] = {
    "vacancy": Vacancy,
    "appointment": Appointment,
    "cost": CostEntry,
    "user": User,
    "organisation": Organisation,
    "partnership": Partnership,
}


def in_scope(scope: Scope) -> ColumnElement[bool]:
    """SQL true for the events whose entity belongs to the scope's network (all, for every network)."""
    if scope.every_network:
        return true()
    if scope.network_id is None:
        return false()
    owned = [
        _entity_in(kind, select(cast(col(table.id), String)).where(in_network(scope, table.network_id)))
        for kind, table in _OWN_NETWORK.items()
    ]
    meetings = (
        select(cast(col(Meeting.id), String))
        .join(Partnership, col(Partnership.id) == col(Meeting.partnership_id))
        .where(in_network(scope, Partnership.network_id))
    )
    own = str(scope.network_id)
    network = and_(col(AuditEvent.entity_type) == "network", col(AuditEvent.entity_id) == own)
    return or_(*owned, _entity_in("meeting", meetings), network)


def in_network(scope: Scope, network_column: Any) -> ColumnElement[bool]:
    """SQL true for rows whose network column is the scope's: every row for every network, none for none."""
    if scope.every_network:
        return true()
    if scope.network_id is None:
        return false()  # an account with no network sees nothing rather than everything
    return col(network_column) == scope.network_id


def _entity_in(kind: str, ids: Any) -> ColumnElement[bool]:
    return and_(col(AuditEvent.entity_type) == kind, col(AuditEvent.entity_id).in_(ids))
