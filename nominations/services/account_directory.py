"""The accounts page's reading: accounts in scope, whom each works for, whom an invitation may name.

An admin of one network sees and names only that network's; an admin of none, every network's.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from nominations.db.account_models import User
from nominations.db.engine import Database
from nominations.db.models import Network, Partnership
from nominations.services.audit_scope import in_network
from nominations.services.scope import Scope


@dataclass(frozen=True)
class AccountLine:
    id: int
    email: str
    name: str
    role: str
    works_for: str
    status: str


@dataclass(frozen=True)
class Directory:
    accounts: list[AccountLine]
    networks: list[tuple[int, str]]  # (id, name), by name
    partnerships: list[tuple[int, str]]  # (id, "partnership (network)"), by name

    def offers(self, works_for: str) -> bool:
        """Whether the form offered this choice ("network:3", "partnership:7")."""
        kind, _, number = works_for.partition(":")
        offered = self.networks if kind == "network" else self.partnerships if kind == "partnership" else []
        return number.isdigit() and int(number) in {i for i, _ in offered}


def directory(db: Database, scope: Scope) -> Directory:
    """The scope's accounts by email, and the networks and partnerships an invitation may name."""
    with db.transaction() as session:
        mine = scope.where(User.network_id, User.partnership_id)
        users = session.exec(select(User).where(mine).order_by(col(User.email))).all()
        in_scope = in_network(scope, Network.id)
        networks = {
            n.id: n.name for n in session.exec(select(Network).where(in_scope).order_by(col(Network.name)))
        }
        partnerships = {
            p.id: f"{p.name} ({networks.get(p.network_id, '')})"
            for p in session.exec(
                select(Partnership)
                .where(scope.where(Partnership.network_id, Partnership.id))
                .order_by(col(Partnership.name))
            )
        }

    def works_for(user: User) -> str:
        if user.partnership_id is not None:
            return partnerships.get(user.partnership_id, "")
        return networks.get(user.network_id, "") if user.network_id is not None else "Every network"

    lines = [AccountLine(u.id or 0, u.email, u.name, u.role, works_for(u), u.status) for u in users]
    return Directory(
        lines,
        [(i, name) for i, name in networks.items() if i is not None],
        [(i, name) for i, name in partnerships.items() if i is not None],
    )
