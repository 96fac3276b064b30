"""Documents a partnership sends with a request: its terms of reference as a PDF."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel

from nominations.db.types import UTCDateTime


class TermsDocument(SQLModel, table=True):
    """The terms of reference a request came with, as uploaded; its hash is on the audit record."""

    __tablename__ = "terms_document"
    vacancy_id: int = Field(foreign_key="vacancy.id", primary_key=True)
    filename: str  # as the partnership named it; shown, never used in a header or a path
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=False))
