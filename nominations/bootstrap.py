"""Wire the adapters to the services from settings: the one place that knows every concrete part."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from nominations.clock import Clock, FakeClock, SystemClock
from nominations.db.engine import Database
from nominations.mail.render import MailRenderer
from nominations.services.accounts import Accounts
from nominations.services.balloting import Balloting
from nominations.services.digests import Digests
from nominations.services.induction import Induction
from nominations.services.meetings import Meetings
from nominations.services.nominating import Nominating
from nominations.services.participation import Participation
from nominations.services.report_backs import ReportBacks
from nominations.services.reviews import Reviews
from nominations.services.transitions import TransitionService
from nominations.services.workflows import WorkflowSet
from nominations.settings import Settings

if TYPE_CHECKING:
    from nominations.services.worker import Worker


@dataclass
class Term:
    """The services of a term in the seat, outside its state machine."""

    induction: Induction
    meetings: Meetings
    report_backs: ReportBacks
    digests: Digests
    reviews: Reviews


@dataclass
class App:
    settings: Settings
    clock: Clock
    db: Database
    transitions: TransitionService
    participation: Participation
    nominating: Nominating
    balloting: Balloting
    term: Term
    accounts: Accounts

    def worker(self) -> Worker:
        """A worker that fires this app's timers and sends its mail over SMTP."""
        from nominations.mail.dispatch import OutboxDispatcher
        from nominations.mail.transport import SmtpConfig
        from nominations.services.worker import Worker, worker_id

        dispatcher = OutboxDispatcher(
            self.db,
            self.clock,
            SmtpConfig.from_settings(self.settings),
            worker_id=worker_id(),
            concurrency=self.settings.mail_concurrency,
            lease=timedelta(seconds=self.settings.mail_lease_seconds),
        )
        return Worker(self.transitions, dispatcher, self.term)


def clock_from(settings: Settings) -> Clock:
    return FakeClock(settings.frozen_clock) if settings.frozen_clock else SystemClock()


def build_app(settings: Settings, clock: Clock | None = None, db: Database | None = None) -> App:
    """Everything a command or a test needs, from settings (a clock or database may be given)."""
    clock = clock or clock_from(settings)
    db = db or Database(settings.database_url)
    workflows = WorkflowSet()
    renderer = MailRenderer()
    transitions = TransitionService(db, clock, renderer, workflows, settings.base_url)
    return App(
        settings,
        clock,
        db,
        transitions,
        Participation(db, clock, workflows),
        Nominating(db, clock, renderer, settings.base_url),
        Balloting(db, clock),
        Term(
            induction=Induction(db, clock, transitions),
            meetings=Meetings(db, clock, renderer),
            report_backs=ReportBacks(db, clock, renderer, settings.base_url),
            digests=Digests(db, clock, renderer, settings.base_url),
            reviews=Reviews(db, clock),
        ),
        Accounts(db, clock, renderer, settings.base_url),
    )
