"""A network's audit events, filtered, a page at a time (newest first); every event about a subject."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_
from sqlmodel import Session, col, select

from nominations.db.engine import Database
from nominations.db.models import AuditEvent
from nominations.services.audit_log import event_batches
from nominations.services.audit_scope import in_scope
from nominations.services.audit_subjects import Subject
from nominations.services.scope import Scope

PAGE_SIZE = 100


@dataclass(frozen=True)
class AuditFilter:
    """What the log is narrowed to; every part given must hold. Dates are UTC days, both included."""

    subjects: tuple[Subject, ...] = ()
    actor_kind: str | None = None
    action: str | None = None
    start: date | None = None
    end: date | None = None

    def where(self, scope: Scope) -> list[ColumnElement[bool]]:
        clauses = [in_scope(scope), *(s.narrow() for s in self.subjects)]
        if self.actor_kind:
            clauses.append(col(AuditEvent.actor_type) == self.actor_kind)
        if self.action:
            clauses.append(col(AuditEvent.action) == self.action)
        # occurred_at is ISO 8601 text in UTC, so whole days compare as text.
        if self.start:
            clauses.append(col(AuditEvent.occurred_at) >= self.start.isoformat())
        if self.end:
            clauses.append(col(AuditEvent.occurred_at) < (self.end + timedelta(days=1)).isoformat())
        return clauses

    def matches(self, event: AuditEvent) -> bool:
        return all(subject.matches(event) for subject in self.subjects)


@dataclass(frozen=True)
class AuditPage:
    """Up to a page of events, newest first, with the cursors of the pages either side (None at an end)."""

    events: list[AuditEvent]
    newer: int | None  # show events after this seq
    older: int | None  # show events before this seq


def read_page(
    db: Database,
    scope: Scope,
    wanted: AuditFilter,
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> AuditPage:
    """The page of events just before `before` (or just after `after`; else the newest), newest first."""
    with db.transaction() as session:
        walk = _Walk(session, wanted.where(scope), wanted.matches, batch=max(2 * size, 200))
        if after is not None:
            rows = walk.upwards(after, size + 1)
            newer = rows[size - 1].seq if len(rows) > size else None
            events = rows[:size][::-1]
            older = events[-1].seq if events and walk.downwards(events[-1].seq, 1) else None
        else:
            rows = walk.downwards(before, size + 1)
            events = rows[:size]
            older = events[-1].seq if len(rows) > size else None
            newer = (
                events[0].seq if events and before is not None and walk.upwards(events[0].seq, 1) else None
            )
    return AuditPage(events, newer, older)


def history(db: Database, scope: Scope, subject: Subject) -> list[AuditEvent]:
    """Every event about the subject, oldest first; NotFoundError if it is not in the scope's network."""
    with db.transaction() as session:
        subject.check(session, scope)
    wanted = AuditFilter(subjects=(subject,))
    where = wanted.where(scope)
    found: list[AuditEvent] = []
    for rows in event_batches(db, where=and_(*where)):
        found.extend(event for event in rows if wanted.matches(event))
    return found


@dataclass
class _Walk:
    """Keyset paging over events that SQL narrows and `matches` then decides exactly."""

    session: Session
    where: list[ColumnElement[bool]]
    matches: Callable[[AuditEvent], bool]
    batch: int

    def downwards(self, below: int | None, count: int) -> list[AuditEvent]:
        return self._take(below, count, newest_first=True)

    def upwards(self, above: int, count: int) -> list[AuditEvent]:
        return self._take(above, count, newest_first=False)

    def _take(self, bound: int | None, count: int, *, newest_first: bool) -> list[AuditEvent]:
        seq = col(AuditEvent.seq)
        found: list[AuditEvent] = []
        while len(found) < count:
            query = select(AuditEvent).where(*self.where)
            if bound is not None:
                query = query.where(seq < bound if newest_first else seq > bound)
            query = query.order_by(seq.desc() if newest_first else seq).limit(self.batch)
            rows = list(self.session.exec(query))
            found.extend(event for event in rows if self.matches(event))
            if len(rows) < self.batch:
                break
            bound = rows[-1].seq
        return found[:count]
