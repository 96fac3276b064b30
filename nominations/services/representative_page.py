"""A representative acting through their own link: tick induction steps, report back, reflect.

The link is not single-use: it works until the term's end. Each action checks it, then hands the
appointment to the term's own service, which decides whether the action is allowed now.
"""

from __future__ import annotations

from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.term_models import ReportBack
from nominations.services.induction import Induction, representative
from nominations.services.report_backs import ReportBacks, ReportForm
from nominations.services.representative_views import (
    PastMeeting,
    RepresentativeView,
    linked_appointment,
    past_meeting,
    representative_view,
)
from nominations.services.reviews import Reviews


class RepresentativePage:
    def __init__(
        self, db: Database, clock: Clock, induction: Induction, report_backs: ReportBacks, reviews: Reviews
    ) -> None:
        self.db = db
        self.clock = clock
        self.induction = induction
        self.report_backs = report_backs
        self.reviews = reviews

    def view(self, token: str) -> RepresentativeView:
        """Everything the representative's page shows, or a LinkError."""
        now = self.clock.now()
        with self.db.transaction() as session:
            return representative_view(session, linked_appointment(session, token, now), now)

    def meeting(
        self, token: str, meeting_id: int
    ) -> tuple[RepresentativeView, PastMeeting, ReportBack | None]:
        """The page, one past meeting of the term, and its report-back if it is filed."""
        now = self.clock.now()
        with self.db.transaction() as session:
            view = representative_view(session, linked_appointment(session, token, now), now)
            line = past_meeting(view, meeting_id)
            return view, line, session.get(ReportBack, (view.appointment.id, meeting_id))

    def tick(self, token: str, key: str) -> str:
        """Mark an induction step done; return the appointment's state afterwards."""
        appointment_id = self._appointment_id(token)
        return self.induction.tick(appointment_id, key, representative(appointment_id))

    def report(self, token: str, meeting_id: int, form: ReportForm) -> None:
        """File the report-back on one meeting (ReportBackError says what is wrong)."""
        appointment_id = self._appointment_id(token)
        self.report_backs.submit(appointment_id, meeting_id, form, representative(appointment_id))

    def reflect(self, token: str, reflection: str, worthwhile: str, why: str) -> None:
        """Save (or revise) the reflection on the open review (ReviewError says what is wrong)."""
        appointment_id = self._appointment_id(token)
        self.reviews.reflect(appointment_id, reflection, worthwhile, why, representative(appointment_id))

    def _appointment_id(self, token: str) -> int:
        with self.db.transaction() as session:
            appointment = linked_appointment(session, token, self.clock.now())
            assert appointment.id is not None
            return appointment.id
