"""Fire due timers: each is claimed and fired in one transaction, so it fires exactly once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from nominations.actors import TIMER
from nominations.db.models import Timer
from nominations.errors import ActionFailedError, ConflictError, TransitionRefused
from nominations.services.entity_kinds import KINDS
from nominations.services.transitions import TransitionService


@dataclass
class TimerReport:
    fired: int = 0
    skipped: int = 0
    failed: int = 0
    deferred: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        return self.fired + self.skipped + self.failed


def fire_due_timers(service: TransitionService, limit: int | None = None) -> TimerReport:
    """Fire every timer due now (up to `limit`), oldest first; return what happened."""
    report = TimerReport()
    while limit is None or report.total < limit:
        if not _fire_one(service, report):
            break
    return report


def _due(now: datetime, deferred: set[int]) -> SelectOfScalar[Timer]:
    return select(Timer).where(
        col(Timer.status) == "pending", col(Timer.due_at) <= now, col(Timer.id).not_in(deferred)
    )


def _fire_one(service: TransitionService, report: TimerReport) -> bool:
    now = service.clock.now()
    claimed: int | None = None
    try:
        with service.db.transaction() as session:
            # The earliest due timer says which entity's timers go first; time order holds across them.
            # LIMIT 1: `.first()` alone would still fetch every due timer, each time round.
            first = session.exec(
                _due(now, report.deferred).order_by(col(Timer.due_at), col(Timer.id)).limit(1)
            ).first()
            if first is None:
                return False
            kinds = sorted(KINDS, key=lambda k: k != first.entity_type)
            timer = None
            for entity in kinds:
                # Lock the timer and its entity together, skipping any either of which another worker
                # or a person holds: no worker waits on another, and no lock-order deadlock with a
                # transition that cancels this timer while it is being fired.
                model = KINDS[entity].model
                timer = session.exec(
                    _due(now, report.deferred)
                    .join(model, col(model.id) == col(Timer.entity_id))
                    .where(col(Timer.entity_type) == entity)
                    .order_by(col(Timer.due_at), col(Timer.id))
                    .limit(1)
                    .with_for_update(skip_locked=True, of=[Timer, model])
                ).first()
                if timer is not None:
                    break
            if timer is None:
                return False
            claimed = timer.id
            try:
                with session.begin_nested():
                    outcome = service.fire_in(
                        session, timer.entity_id, timer.trigger, actor=TIMER, entity=timer.entity_type
                    )
                timer.status, timer.outcome = "fired", f"{outcome.from_state} -> {outcome.to_state}"
                report.fired += 1
            except ConflictError:
                raise
            except ActionFailedError as exc:
                timer.status, timer.outcome = "failed", str(exc)
                report.failed += 1
            except TransitionRefused as exc:
                # The vacancy moved on (a coordinator closed the call early, say): nothing left to do.
                timer.status, timer.outcome = "skipped", str(exc)
                report.skipped += 1
            timer.fired_at = now
            session.add(timer)
    except ConflictError:
        # Someone changed the vacancy under us: leave the timer pending for the next pass.
        assert claimed is not None
        report.deferred.add(claimed)
    return True
