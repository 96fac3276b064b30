"""Verify the audit chain on demand and keep the outcome, so the console can show the last one."""

from __future__ import annotations

from sqlmodel import col, select

from nominations.clock import Clock
from nominations.db.audit_check_models import AuditCheck
from nominations.db.engine import Database
from nominations.services.audit_verify import verify


def last_check(db: Database) -> AuditCheck | None:
    """The most recent verification run from the console, if any."""
    with db.transaction() as session:
        return session.exec(select(AuditCheck).order_by(col(AuditCheck.id).desc()).limit(1)).first()


def run_check(db: Database, clock: Clock, user_id: int | None) -> AuditCheck:
    """Recompute the whole chain, and keep what was found.

    The head of the last check that passed is the anchor: the chain must still contain it, which
    catches a tail cut off with the head wound back to match.
    """
    with db.transaction() as session:
        passed = session.exec(
            select(AuditCheck.head).where(col(AuditCheck.ok)).order_by(col(AuditCheck.id).desc()).limit(1)
        ).first()
    report = verify(db, anchor=passed)
    check = AuditCheck(
        checked_at=clock.now(),
        user_id=user_id,
        ok=report.ok,
        events=report.count,
        head=report.head,
        first_bad_seq=report.first_bad_seq,
        problem=report.problem,
    )
    with db.transaction() as session:
        session.add(check)
    return check
