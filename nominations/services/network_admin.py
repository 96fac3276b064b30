"""Networks: add one, list them, and find the one a command means by name or id."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from nominations.actors import Actor
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import AuditHead, Network, Organisation
from nominations.errors import NominationsError, NotFoundError
from nominations.members.cells import is_email
from nominations.services.audit_log import append_event


class NetworkRefusedError(NominationsError):
    """A network was not added; the message says why."""


@dataclass(frozen=True)
class NetworkSummary:
    id: int
    name: str
    coordinator_name: str
    coordinator_email: str
    members: int


def _listed(networks: list[Network]) -> str:
    return ", ".join(f"{n.id} {n.name}" for n in networks)


def add_network(
    db: Database, clock: Clock, name: str, coordinator_name: str, coordinator_email: str, actor: Actor
) -> int:
    """Add a network and return its id; a name already taken (in any case) is refused."""
    name, coordinator_name = name.strip(), coordinator_name.strip()
    coordinator_email = coordinator_email.strip()
    if not name:
        raise NetworkRefusedError("a network needs a name")
    if not coordinator_name:
        raise NetworkRefusedError("a network needs a coordinator name")
    if not is_email(coordinator_email):
        raise NetworkRefusedError(f"coordinator email {coordinator_email!r} is not an email address")
    with db.transaction() as session:
        # Nothing in the schema makes names unique: holding the audit chain's head row (which
        # this transaction appends to anyway) makes concurrent adds take turns on PostgreSQL.
        session.exec(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
        for other in session.exec(select(Network)):
            if other.name.casefold() == name.casefold():
                raise NetworkRefusedError(f"a network named {other.name!r} already exists (id {other.id})")
        network = Network(name=name, coordinator_name=coordinator_name, coordinator_email=coordinator_email)
        session.add(network)
        session.flush()
        assert network.id is not None
        # The payload stays empty: the coordinator's name and email are personal data.
        append_event(
            session, occurred_at=clock.now(), actor=actor, action="network_add",
            entity_type="network", entity_id=network.id,
        )  # fmt: skip
        return network.id


def list_networks(db: Database) -> list[NetworkSummary]:
    """Every network in id order, with how many member organisations it has."""
    with db.transaction() as session:
        counts: dict[int | None, int] = dict(
            session.exec(
                select(Organisation.network_id, func.count()).group_by(col(Organisation.network_id))
            ).all()
        )
        networks = session.exec(select(Network).order_by(col(Network.id))).all()
        return [
            NetworkSummary(n.id, n.name, n.coordinator_name, n.coordinator_email, counts.get(n.id, 0))
            for n in networks
            if n.id is not None
        ]


def find_network(session: Session, reference: str | None) -> Network:
    """The network a command names by id or by name (any case); when none is named, the only one."""
    networks = list(session.exec(select(Network).order_by(col(Network.id))))
    if not networks:
        raise NotFoundError("there is no network yet: add one with `nominations network add`")
    if reference is None:
        if len(networks) == 1:
            return networks[0]
        raise NotFoundError(
            f"there are {len(networks)} networks; say which with --network ({_listed(networks)})"
        )
    wanted = reference.strip()
    # An id first: a network whose name is another's id is reached by that name only when no id matches.
    for network in networks:
        if wanted.isdigit() and network.id == int(wanted):
            return network
    for network in networks:
        if network.name.casefold() == wanted.casefold():
            return network
    raise NotFoundError(f"no network {wanted!r} (networks: {_listed(networks)})")
