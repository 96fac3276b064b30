"""The first released schema: networks, members, vacancies, nominations, ballots, mail, the audit chain.

This is the schema that `Database.create_schema` made before migrations existed (release of
commit 6830c8c), so a database made then can be stamped at this revision and upgraded.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nominations.db import audit_ddl

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# UTC instants; the application's UTCDateTime decorates this type, the database sees only this.
WHEN = sa.DateTime(timezone=True)
# The audit chain's first link hashes onto this (nominations.audit.GENESIS_HASH, fixed for ever).
GENESIS_HASH = "0" * 64


def upgrade() -> None:
    _tables()
    # The append-only guards, as that release installed them. If they ever change, the change
    # is a new migration with the old statements frozen here.
    audit_ddl.install(op.get_bind())
    op.bulk_insert(
        sa.table("audit_head", sa.column("id", sa.Integer), sa.column("seq", sa.Integer), sa.column("hash")),
        [{"id": 1, "seq": 0, "hash": GENESIS_HASH}],
    )


def _tables() -> None:
    op.create_table(
        "audit_event",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("occurred_at", sa.String(), nullable=False),
        sa.Column("actor_type", sa.String(), nullable=False),
        sa.Column("actor_id", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("entity_type", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("from_state", sa.String(), nullable=True),
        sa.Column("to_state", sa.String(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("hash"),
    )
    op.create_table(
        "audit_head",
        # Always 1, never a sequence: the single row is the lock that serialises appends.
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "network",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("coordinator_name", sa.String(), nullable=False),
        sa.Column("coordinator_email", sa.String(), nullable=False),
        sa.Column("protocol", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "outboxmessage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_type", sa.String(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(), nullable=False),
        sa.Column("to_name", sa.String(), nullable=False),
        sa.Column("to_email", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("next_attempt_at", WHEN, nullable=False),
        sa.Column("claimed_by", sa.String(), nullable=True),
        sa.Column("claimed_until", WHEN, nullable=True),
        sa.Column("sent_at", WHEN, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index("ix_outbox_due", "outboxmessage", ["status", "next_attempt_at"], unique=False)
    op.create_index("ix_outboxmessage_entity_id", "outboxmessage", ["entity_id"], unique=False)
    op.create_table(
        "timer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_type", sa.String(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("trigger", sa.String(), nullable=False),
        sa.Column("due_at", WHEN, nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("fired_at", WHEN, nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_timer_due", "timer", ["status", "due_at"], unique=False)
    op.create_index("ix_timer_entity_id", "timer", ["entity_id"], unique=False)
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("contact_name", sa.String(), nullable=False),
        sa.Column("contact_email", sa.String(), nullable=False),
        sa.Column("external_id", sa.String(), nullable=True),
        sa.Column("interest_areas", sa.JSON(), nullable=False),
        sa.Column("equality_sectors", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("network_id", "contact_email"),
        sa.UniqueConstraint("network_id", "external_id"),
    )
    op.create_index("ix_organisation_network_id", "organisation", ["network_id"], unique=False)
    op.create_table(
        "partnership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("contact_name", sa.String(), nullable=False),
        sa.Column("contact_email", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_partnership_network_id", "partnership", ["network_id"], unique=False)
    op.create_table(
        "organisationcontact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "email"),
    )
    op.create_index(
        "ix_organisationcontact_organisation_id",
        "organisationcontact",
        ["organisation_id"],
        unique=False,
    )
    op.create_table(
        "vacancy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("workflow", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("terms_of_reference", sa.Text(), nullable=False),
        sa.Column("membership_details", sa.Text(), nullable=False),
        sa.Column("knowledge_skills", sa.Text(), nullable=False),
        sa.Column("time_commitment", sa.String(), nullable=False),
        sa.Column("meeting_schedule", sa.Text(), nullable=False),
        sa.Column("equality_sector", sa.String(), nullable=True),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("protocol_overrides", sa.JSON(), nullable=False),
        sa.Column("ballot_order", sa.JSON(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("nominations_close_at", WHEN, nullable=True),
        sa.Column("voting_close_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"]),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnership.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_vacancy_network_id", "vacancy", ["network_id"], unique=False)
    op.create_index("ix_vacancy_partnership_id", "vacancy", ["partnership_id"], unique=False)
    op.create_index("ix_vacancy_status", "vacancy", ["status"], unique=False)
    op.create_table(
        "ballotpaper",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("receipt", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancy.id"]),
        sa.PrimaryKeyConstraint("id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_ballotpaper_receipt", "ballotpaper", ["receipt"], unique=False)
    op.create_index("ix_ballotpaper_vacancy_id", "ballotpaper", ["vacancy_id"], unique=False)
    op.create_table(
        "electionresult",
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("seed", sa.String(), nullable=False),
        sa.Column("winners", sa.JSON(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancy.id"]),
        sa.PrimaryKeyConstraint("vacancy_id"),
    )
    op.create_table(
        "electoratemember",
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("contact_name", sa.String(), nullable=False),
        sa.Column("contact_email", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancy.id"]),
        sa.PrimaryKeyConstraint("vacancy_id", "organisation_id"),
    )
    op.create_table(
        "nomination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("nominee_name", sa.String(), nullable=False),
        sa.Column("nominee_email", sa.String(), nullable=False),
        sa.Column("nominee_organisation", sa.String(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("declarations", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("consented_at", WHEN, nullable=True),
        sa.Column("invalid_reason", sa.String(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancy.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_nomination_vacancy_id", "nomination", ["vacancy_id"], unique=False)
    op.create_table(
        "voterecord",
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancy.id"]),
        sa.PrimaryKeyConstraint("vacancy_id", "organisation_id"),
    )
    op.create_table(
        "accesslink",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("nomination_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("used_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["nomination_id"], ["nomination.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancy.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_accesslink_vacancy_id", "accesslink", ["vacancy_id"], unique=False)
    op.create_table(
        "seconding",
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("seconded_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["nomination_id"], ["nomination.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("nomination_id", "organisation_id"),
    )


def downgrade() -> None:
    # Forward only: the audit trail must not be dropped by a command; restore a backup instead.
    raise NotImplementedError("nominations migrations do not go backwards: restore a backup")
