"""Whose records a signed-in person may see: their network's (or their partnership's), never another's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, false, true

from nominations.db.engine import Database
from nominations.db.models import Vacancy
from nominations.db.term_models import Appointment
from nominations.errors import NotFoundError
from nominations.services.accounts import SignedIn

Row = TypeVar("Row", Vacancy, Appointment)


@dataclass(frozen=True)
class Scope:
    """A network (or one partnership of it), or every network for an administrator with none."""

    network_id: int | None
    partnership_id: int | None = None
    every_network: bool = False

    def sees(self, network_id: int, partnership_id: int) -> bool:
        if self.every_network:
            return True
        if self.network_id is None or network_id != self.network_id:
            return False
        return self.partnership_id is None or partnership_id == self.partnership_id

    def where(self, network: Any, partnership: Any) -> ColumnElement[bool]:
        """The same test as SQL, over a table's network and partnership columns."""
        if self.every_network:
            return true()
        if self.network_id is None:
            return false()  # an account with no network sees nothing rather than everything
        mine: ColumnElement[bool] = network == self.network_id
        return mine if self.partnership_id is None else mine & (partnership == self.partnership_id)

    def check(self, network_id: int, partnership_id: int, what: str) -> None:
        """Raise NotFoundError for a record out of scope: another network's seat is not shown to exist."""
        if not self.sees(network_id, partnership_id):
            raise NotFoundError(f"there is no {what}")


def scope_of(user: SignedIn) -> Scope:
    """A partnership contact sees their partnership; others their network; an admin with none, all."""
    if user.role == "admin" and user.network_id is None:
        return Scope(None, every_network=True)
    partnership = user.partnership_id if user.role == "partnership" else None
    return Scope(user.network_id, partnership)


def visible(db: Database, scope: Scope, model: type[Row], row_id: int, what: str) -> Row:
    """The row, or NotFoundError when it does not exist or is out of scope (the same answer for both)."""
    with db.transaction() as session:
        row = session.get(model, row_id)
        if row is None:
            raise NotFoundError(f"there is no {what} {row_id}")
        scope.check(row.network_id, row.partnership_id, f"{what} {row_id}")
        return row
