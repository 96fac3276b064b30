"""Terms in the seat and the console: appointments to the end of their term, and accounts.

Everything the models gained after the first release: appointments, induction, meetings,
report-backs, reviews, expert panels, costs and digests; accounts, the console's audit checks
and terms-of-reference documents; and on existing tables, a vacancy's origin and term, mail
attachments, links to appointments, reviews and panels, and the audit trail's index by entity.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    _term_tables()
    _console_tables()
    _existing_tables()


def _existing_tables() -> None:
    # Rows from before have a value for every new NOT NULL column from its server default:
    # every vacancy so far came from a partnership's request, bars nobody, and no mail had files.
    op.add_column("vacancy", sa.Column("origin", sa.String(), server_default="request", nullable=False))
    op.add_column("vacancy", sa.Column("previous_appointment_id", sa.Integer(), nullable=True))
    op.add_column("vacancy", sa.Column("barred_emails", sa.JSON(), server_default="[]", nullable=False))
    op.add_column("vacancy", sa.Column("term_starts_at", WHEN, nullable=True))
    op.add_column("vacancy", sa.Column("term_ends_at", WHEN, nullable=True))
    op.add_column("outboxmessage", sa.Column("attachments", sa.JSON(), server_default="[]", nullable=False))
    # SQLite cannot add a foreign key to a table in place: batch mode copies accesslink (nothing
    # refers to it, so the copy breaks no reference). PostgreSQL alters it in place. The names
    # are those PostgreSQL gives the same keys in a database made from the models.
    with op.batch_alter_table("accesslink") as batch:
        batch.add_column(sa.Column("appointment_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("review_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("panel_member_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("accesslink_appointment_id_fkey", "appointment", ["appointment_id"], ["id"])
        batch.create_foreign_key("accesslink_review_id_fkey", "review", ["review_id"], ["id"])
        batch.create_foreign_key(
            "accesslink_panel_member_id_fkey", "panelmember", ["panel_member_id"], ["id"]
        )
    op.create_index("ix_audit_event_entity", "audit_event", ["entity_type", "entity_id", "seq"], unique=False)


def _term_tables() -> None:
    op.create_table(
        "digest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", WHEN, nullable=False),
        sa.Column("report_backs", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_digest_network_id", "digest", ["network_id"], unique=False)
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("starts_at", WHEN, nullable=False),
        sa.Column("ends_at", WHEN, nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnership.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    op.create_index("ix_meeting_partnership_start", "meeting", ["partnership_id", "starts_at"], unique=False)
    op.create_table(
        "panelmember",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancy.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("vacancy_id", "email"),
    )
    op.create_index("ix_panelmember_vacancy_id", "panelmember", ["vacancy_id"], unique=False)
    op.create_table(
        "appointment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=True),
        sa.Column("workflow", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("person_name", sa.String(), nullable=False),
        sa.Column("person_email", sa.String(), nullable=False),
        sa.Column("person_organisation", sa.String(), nullable=False),
        sa.Column("consecutive_terms", sa.Integer(), nullable=False),
        sa.Column("stands_in_for", sa.Integer(), nullable=True),
        sa.Column("successor_vacancy_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("term_start_at", WHEN, nullable=False),
        sa.Column("term_end_at", WHEN, nullable=False),
        sa.Column("reelection_at", WHEN, nullable=False),
        sa.Column("induction_due_at", WHEN, nullable=True),
        sa.Column("next_review_at", WHEN, nullable=True),
        sa.Column("review_close_at", WHEN, nullable=True),
        sa.Column("ended_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"]),
        sa.ForeignKeyConstraint(["nomination_id"], ["nomination.id"]),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnership.id"]),
        sa.ForeignKeyConstraint(["stands_in_for"], ["appointment.id"]),
        sa.ForeignKeyConstraint(["successor_vacancy_id"], ["vacancy.id"]),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancy.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_appointment_network_id", "appointment", ["network_id"], unique=False)
    op.create_index("ix_appointment_partnership_id", "appointment", ["partnership_id"], unique=False)
    op.create_index("ix_appointment_status", "appointment", ["status"], unique=False)
    op.create_index("ix_appointment_vacancy_id", "appointment", ["vacancy_id"], unique=False)
    op.create_table(
        "panelscore",
        sa.Column("panel_member_id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.String(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("scored_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["nomination_id"], ["nomination.id"]),
        sa.ForeignKeyConstraint(["panel_member_id"], ["panelmember.id"]),
        sa.PrimaryKeyConstraint("panel_member_id", "nomination_id", "criterion"),
    )
    op.create_table(
        "costentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=True),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("funder", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("incurred_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", WHEN, nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointment.id"]),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"]),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnership.id"]),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancy.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_costentry_network_id", "costentry", ["network_id"], unique=False)
    op.create_index("ix_costentry_partnership_id", "costentry", ["partnership_id"], unique=False)
    op.create_table(
        "inductionitem",
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("done_at", WHEN, nullable=True),
        sa.Column("done_by", sa.String(), nullable=True),
        sa.Column("waive_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointment.id"]),
        sa.PrimaryKeyConstraint("appointment_id", "key"),
    )
    op.create_table(
        "reportback",
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("discussed", sa.Text(), nullable=False),
        sa.Column("sector_said", sa.Text(), nullable=False),
        sa.Column("coming_up", sa.Text(), nullable=False),
        sa.Column("needs_from_members", sa.Text(), nullable=False),
        sa.Column("submitted_at", WHEN, nullable=False),
        sa.Column("digested_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointment.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("appointment_id", "meeting_id"),
    )
    op.create_table(
        "reportbackreminder",
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointment.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("appointment_id", "meeting_id"),
    )
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("opened_at", WHEN, nullable=False),
        sa.Column("period_start", WHEN, nullable=False),
        sa.Column("meetings_held", sa.Integer(), nullable=False),
        sa.Column("meetings_attended", sa.Integer(), nullable=False),
        sa.Column("report_backs_filed", sa.Integer(), nullable=False),
        sa.Column("reflection", sa.Text(), nullable=False),
        sa.Column("seat_worthwhile", sa.String(), nullable=True),
        sa.Column("seat_worthwhile_why", sa.Text(), nullable=False),
        sa.Column("reflected_at", WHEN, nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=True),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointment.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("appointment_id", "year"),
    )
    op.create_index("ix_review_appointment_id", "review", ["appointment_id"], unique=False)
    op.create_table(
        "reviewfeedback",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("seat_worthwhile", sa.String(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("submitted_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"]),
        sa.PrimaryKeyConstraint("review_id", "organisation_id"),
    )


def _console_tables() -> None:
    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("last_login_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"]),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnership.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_index("ix_user_network_id", "user", ["network_id"], unique=False)
    op.create_table(
        "accounttoken",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("used_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_accounttoken_user_id", "accounttoken", ["user_id"], unique=False)
    op.create_table(
        "audit_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checked_at", WHEN, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("head", sa.String(), nullable=False),
        sa.Column("first_bad_seq", sa.Integer(), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "terms_document",
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancy.id"]),
        sa.PrimaryKeyConstraint("vacancy_id"),
    )


def downgrade() -> None:
    # Forward only: dropping these tables would lose records the audit trail refers to.
    raise NotImplementedError("nominations migrations do not go backwards: restore a backup")
