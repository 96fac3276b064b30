"""The tables of the signed-in side: people's accounts and the one-use links that set passwords."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from nominations.db.types import UTCDateTime


def _when(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable))


class User(SQLModel, table=True):
    """Someone who signs in: a coordinator, a partnership contact, an auditor or an admin."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True)  # stored lower case; one account per address
    name: str
    role: str  # coordinator | partnership | auditor | admin
    network_id: int | None = Field(default=None, foreign_key="network.id", index=True)
    partnership_id: int | None = Field(default=None, foreign_key="partnership.id")
    password_hash: str | None = None  # none until the invitation is accepted
    status: str = "invited"  # invited | active | disabled
    created_at: datetime | None = _when(nullable=False)
    last_login_at: datetime | None = _when()


class AccountToken(SQLModel, table=True):
    """An emailed link to set a password (an invitation or a reset); only its hash is kept."""

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    purpose: str  # invite | reset
    expires_at: datetime | None = _when(nullable=False)
    used_at: datetime | None = _when()
