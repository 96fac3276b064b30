"""The outbox table's rules: queue inside a transition's transaction, claim, and record outcomes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from nominations.db.models import OutboxMessage
from nominations.mail.render import RenderedMail


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff after a temporary failure, and when to give up."""

    base: timedelta = timedelta(minutes=1)
    cap: timedelta = timedelta(hours=6)
    max_attempts: int = 10

    def delay(self, attempts: int) -> timedelta:
        """The wait before the next try, after `attempts` failed tries (1, 2, 4 … minutes)."""
        delay: timedelta = self.base * 2 ** max(attempts - 1, 0)
        return min(delay, self.cap)


def new_message_id() -> str:
    return f"<outbox.{uuid.uuid4().hex}@nominations>"


def queue_mail(
    session: Session,
    *,
    now: datetime,
    entity_type: str,
    entity_id: int,
    template: str,
    to_name: str,
    to_email: str,
    rendered: RenderedMail,
    attachments: list[dict[str, str]] | None = None,
) -> OutboxMessage:
    """Add one rendered email to the caller's transaction; the worker sends it after commit."""
    row = OutboxMessage(
        entity_type=entity_type,
        entity_id=entity_id,
        template=template,
        to_name=to_name,
        to_email=to_email,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        attachments=attachments or [],
        # Fixed now, so every retry carries the same id and a recipient can spot a duplicate.
        message_id=new_message_id(),
        created_at=now,
        next_attempt_at=now,
    )
    session.add(row)
    session.flush()  # the caller may record the id; this does not commit
    return row


def failed_messages(session: Session) -> list[OutboxMessage]:
    """Messages the worker gave up on, oldest first, for a coordinator to look at."""
    query = select(OutboxMessage).where(OutboxMessage.status == "failed")
    return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def pending_count(session: Session) -> int:
    """Messages still to be sent, whether due now, waiting to retry, or being sent."""
    query = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "queued")
    return session.exec(query).one()


def claim_due(
    session: Session,
    *,
    now: datetime,
    worker_id: str,
    lease: timedelta,
    limit: int,
    skip_locked: bool,
) -> list[OutboxMessage]:
    """Lease up to `limit` due messages to `worker_id`, skipping rows another worker has locked."""
    claimed_until = col(OutboxMessage.claimed_until)
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == "queued", col(OutboxMessage.next_attempt_at) <= now)
        .where(or_(claimed_until.is_(None), claimed_until < now))
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(limit)
    )
    if skip_locked:
        query = query.with_for_update(skip_locked=True)
    rows = list(session.exec(query).all())
    for row in rows:
        row.claimed_by, row.claimed_until = worker_id, now + lease
    return rows


def mark_sent(session: Session, outbox_id: int, *, now: datetime) -> None:
    """The server accepted the message: it is sent, whoever holds the claim by now."""
    # Locked, so a stale worker's record_failure waits for this and then sees "sent".
    row = session.get(OutboxMessage, outbox_id, with_for_update=True)
    if row is not None:
        row.status, row.sent_at = "sent", now
        row.claimed_by = row.claimed_until = None


def _held(session: Session, outbox_id: int, worker_id: str) -> OutboxMessage | None:
    # Only the claim's holder records a failure: after a lease ran out another worker may
    # already have sent the message, and that outcome must not be overwritten.
    row = session.get(OutboxMessage, outbox_id, with_for_update=True)
    if row is None or row.status != "queued" or row.claimed_by != worker_id:
        return None
    return row


def record_failure(
    session: Session,
    outbox_id: int,
    *,
    worker_id: str,
    now: datetime,
    error: str,
    permanent: bool,
    policy: RetryPolicy,
) -> str | None:
    """Count a failed try: retry later, or fail for good; return the new status (None: not ours)."""
    row = _held(session, outbox_id, worker_id)
    if row is None:
        return None
    row.attempts += 1
    row.last_error = error
    row.claimed_by = row.claimed_until = None
    if permanent or row.attempts >= policy.max_attempts:
        row.status = "failed"
        if not permanent:
            row.last_error = f"gave up after {row.attempts} attempts: {error}"
    else:
        row.next_attempt_at = now + policy.delay(row.attempts)
    return row.status


def release(session: Session, outbox_id: int, *, worker_id: str, error: str, due: datetime) -> None:
    """Hand back a claimed message that was not tried; it does not count as an attempt."""
    row = _held(session, outbox_id, worker_id)
    if row is not None:
        row.last_error, row.next_attempt_at = error, due
        row.claimed_by = row.claimed_until = None
