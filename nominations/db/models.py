"""The tables. Rows are plain records; the rules live in the domain and the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from nominations.db.types import UTCDateTime


def _when(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable))


class Network(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    coordinator_name: str
    coordinator_email: str
    protocol: str = "default"  # workflows/protocols/<name>.yaml


class Organisation(SQLModel, table=True):
    """A member organisation; its voting contact (contact_name, contact_email) casts its one vote."""

    __table_args__ = (
        UniqueConstraint("network_id", "contact_email"),
        UniqueConstraint("network_id", "external_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", index=True)
    name: str
    status: str = "active"  # active | lapsed | suspended
    contact_name: str
    contact_email: str
    external_id: str | None = None  # charity number, or the id in the network's own CRM
    interest_areas: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    equality_sectors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class OrganisationContact(SQLModel, table=True):
    """A contact of a member organisation other than its voting contact."""

    __table_args__ = (UniqueConstraint("organisation_id", "email"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str
    email: str
    role: str = ""


class Partnership(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", index=True)
    name: str
    contact_name: str
    contact_email: str


class Vacancy(SQLModel, table=True):
    """A seat a partnership asked the network to fill, and where its workflow stands."""

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", index=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    workflow: str = "vacancy"
    status: str = Field(index=True)
    version: int = 1
    title: str
    kind: str = "representative"  # representative | expert
    seats: int = 1
    terms_of_reference: str = Field(default="", sa_column=Column(Text, nullable=False))
    membership_details: str = Field(default="", sa_column=Column(Text, nullable=False))
    knowledge_skills: str = Field(default="", sa_column=Column(Text, nullable=False))
    time_commitment: str = ""
    meeting_schedule: str = Field(default="", sa_column=Column(Text, nullable=False))
    equality_sector: str | None = None
    term_months: int = 24
    # Per-seat changes to the network's protocol, validated against it when set.
    protocol_overrides: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The candidates (nomination ids) in the order the ballot shows them, fixed when it opens.
    ballot_order: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime | None = _when(nullable=False)
    nominations_close_at: datetime | None = _when()
    voting_close_at: datetime | None = _when()
    # request | reelection | casual | rerun: why the seat is being filled.
    origin: str = "request"
    # The appointment this vacancy fills the seat after (re-election, casual vacancy, re-run).
    previous_appointment_id: int | None = None
    # People who may not stand (a term limit): refused at nomination unless nobody else stands.
    barred_emails: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Fixed by a re-election (the new term starts when the old ends) or a casual vacancy (it ends then).
    term_starts_at: datetime | None = _when()
    term_ends_at: datetime | None = _when()


class ElectorateMember(SQLModel, table=True):
    """The roll of a vacancy, frozen when its call for nominations opens."""

    vacancy_id: int = Field(foreign_key="vacancy.id", primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    contact_name: str
    contact_email: str


class Nomination(SQLModel, table=True):
    """A candidate proposed by a member organisation; valid once the protocol's conditions all hold."""

    id: int | None = Field(default=None, primary_key=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id")  # the proposer
    nominee_name: str
    nominee_email: str
    nominee_organisation: str = ""
    statement: str = Field(default="", sa_column=Column(Text, nullable=False))
    declarations: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = "valid"  # pending | valid | withdrawn | invalid
    consented_at: datetime | None = _when()
    invalid_reason: str | None = None
    created_at: datetime | None = _when(nullable=False)


class Seconding(SQLModel, table=True):
    """A member organisation asked to second a nomination, and whether it has."""

    nomination_id: int = Field(foreign_key="nomination.id", primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    seconded_at: datetime | None = _when()


class AccessLink(SQLModel, table=True):
    """A personal link sent by email. Only the token's hash is kept; a ballot link is single-use."""

    token_hash: str = Field(primary_key=True, max_length=64)
    purpose: str  # nominate | second | consent | ballot | representative | feedback | panel
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    nomination_id: int | None = Field(default=None, foreign_key="nomination.id")
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id")
    review_id: int | None = Field(default=None, foreign_key="review.id")
    panel_member_id: int | None = Field(default=None, foreign_key="panelmember.id")
    expires_at: datetime | None = _when(nullable=False)
    used_at: datetime | None = _when()


class VoteRecord(SQLModel, table=True):
    """The register of who voted. Nothing links it to a ballot paper."""

    vacancy_id: int = Field(foreign_key="vacancy.id", primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)


class BallotPaper(SQLModel, table=True):
    """One secret ballot: a random id, the vacancy, the choices, a receipt code. No time, no voter.

    The random primary key orders the table (WITHOUT ROWID on SQLite), so storage order says
    nothing about when a ballot was cast; PostgreSQL's heap order is erased when the ballot closes.
    """

    __table_args__ = {"sqlite_with_rowid": False}
    id: str = Field(primary_key=True, max_length=32)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    choices: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    receipt: str = Field(default="", index=True)


class ElectionResult(SQLModel, table=True):
    vacancy_id: int = Field(foreign_key="vacancy.id", primary_key=True)
    method: str
    seed: str
    winners: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Timer(SQLModel, table=True):
    """A deadline or reminder: fires `trigger` on the entity at `due_at`, once."""

    __table_args__ = (Index("ix_timer_due", "status", "due_at"),)
    id: int | None = Field(default=None, primary_key=True)
    entity_type: str
    entity_id: int = Field(index=True)
    name: str
    trigger: str
    due_at: datetime | None = _when(nullable=False)
    status: str = "pending"  # pending | fired | skipped | cancelled | failed
    fired_at: datetime | None = _when()
    outcome: str | None = None


class OutboxMessage(SQLModel, table=True):
    """An email rendered inside a transition's transaction, sent after commit by the worker."""

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    entity_type: str
    entity_id: int = Field(index=True)
    template: str
    to_name: str
    to_email: str
    subject: str
    text_body: str = Field(sa_column=Column(Text, nullable=False))
    html_body: str = Field(sa_column=Column(Text, nullable=False))
    # Files sent with the message: [{"filename", "content_type", "text"}] (an .ics calendar, say).
    attachments: list[dict[str, str]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    message_id: str = Field(unique=True)
    status: str = "queued"  # queued | sent | failed
    attempts: int = 0
    created_at: datetime | None = _when(nullable=False)
    next_attempt_at: datetime | None = _when(nullable=False)
    claimed_by: str | None = None
    claimed_until: datetime | None = _when()
    sent_at: datetime | None = _when()
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class AuditEvent(SQLModel, table=True):
    """One entry of the append-only, hash-chained record. The database refuses UPDATE and DELETE."""

    __tablename__ = "audit_event"
    # A vacancy's or a person's history is read by entity: the console's timelines and exports.
    __table_args__ = (Index("ix_audit_event_entity", "entity_type", "entity_id", "seq"),)
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    occurred_at: str  # ISO 8601 UTC, exactly as hashed
    actor_type: str
    actor_id: str
    action: str
    entity_type: str
    entity_id: str
    from_state: str | None = None
    to_state: str | None = None
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    payload: str = Field(sa_column=Column(Text, nullable=False))  # canonical JSON, exactly as hashed
    prev_hash: str
    hash: str = Field(unique=True)


class AuditHead(SQLModel, table=True):
    """The chain's last sequence number and hash; its single row serialises appends."""

    __tablename__ = "audit_head"
    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str
