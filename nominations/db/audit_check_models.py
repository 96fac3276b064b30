"""The verifications of the audit chain that people ran from the console, kept to show the last one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from nominations.db.types import UTCDateTime


class AuditCheck(SQLModel, table=True):
    """One run of `verify` over the whole chain: when, by whom, and what it found.

    Not part of the chain itself: a verification reads the record and must not change it.
    """

    __tablename__ = "audit_check"
    id: int | None = Field(default=None, primary_key=True)
    checked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=False))
    user_id: int | None = Field(default=None, foreign_key="user.id")
    ok: bool
    events: int  # how many events checked out before any problem
    head: str  # the hash of the last event that checked out
    first_bad_seq: int | None = None
    problem: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
