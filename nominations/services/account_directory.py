"""The accounts page's reading: every account, whom it works for, and whom an invitation may name."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from nominations.db.account_models import User
from nominations.db.engine import Database
from nominations.db.models import Network, Partnership
from nominations.services.accounts import Accounts


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


def directory(db: Database, accounts: Accounts) -> Directory:
    """Every account by email, and the networks and partnerships an invitation may name."""
    users: list[User] = accounts.list()
    with db.transaction() as session:
        networks = {n.id: n.name for n in session.exec(select(Network).order_by(col(Network.name)))}
        partnerships = {
            p.id: f"{p.name} ({networks.get(p.network_id, '')})"
            for p in session.exec(select(Partnership).order_by(col(Partnership.name)))
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
