"""An expert seat's selection panel: add its members, take their scores, record its decision.

Each call is one transaction holding its change, its emails and its audit event; a refusal writes
nothing. Scores can be revised until the decision, which fires `select` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from nominations.actors import Actor
from nominations.db.models import Vacancy
from nominations.db.term_models import PanelMember
from nominations.eligibility import is_email
from nominations.errors import NotFoundError
from nominations.selection import ScoreInput
from nominations.selection_errors import PanelMemberError, ReasonMissingError
from nominations.services.mailing import queue_to, vacancy_context
from nominations.services.panel_records import audit, expert_vacancy, record_decision, save_scores
from nominations.services.panel_roster import criteria_of, panel_link, panel_members
from nominations.services.panel_views import SheetView, TableView, open_sheet, sheet_view, table_view
from nominations.services.recipients import Recipient, valid_nominations
from nominations.services.transitions import Outcome, TransitionService

# A panel may be formed from acceptance until its decision; it scores only once the call has closed.
FORMING = ("accepted", "nominations_open", "nominations_closed", "no_valid_nominations", "shortlisting")
SCORING = ("shortlisting",)


class Panel:
    """The selection panel's use cases. It fires `select` through, and mails as, `transitions`."""

    def __init__(self, transitions: TransitionService) -> None:
        self.transitions = transitions
        self.db, self.clock = transitions.db, transitions.clock

    def add_member(self, vacancy_id: int, name: str, email: str, actor: Actor) -> int:
        """Put someone on the panel; once shortlisting has begun they are invited at once."""
        name, email = name.strip(), email.strip()
        if not name:
            raise PanelMemberError("Enter the panel member's name", "name")
        if not is_email(email):
            raise PanelMemberError("Enter the panel member's email address, like name@example.org", "email")
        with self.db.transaction() as session:
            vacancy = expert_vacancy(session, vacancy_id, FORMING, "add a panel member")
            criteria_of(vacancy)  # a panel with nothing to score against could never decide
            if any(m.email.casefold() == email.casefold() for m in panel_members(session, vacancy_id)):
                raise PanelMemberError(f"{email} is already on the panel of vacancy {vacancy_id}", "email")
            member = PanelMember(vacancy_id=vacancy_id, name=name, email=email)
            session.add(member)
            session.flush()
            assert member.id is not None
            payload: dict[str, object] = {"panel_member_id": member.id}
            if vacancy.status == "shortlisting":
                payload["outbox_id"] = self._invite(session, vacancy, member)
            audit(session, self.clock.now(), "add_panel_member", vacancy, actor, payload)
            return member.id

    def sheet(self, token: str) -> SheetView:
        """A panel member's score sheet, reached by their link."""
        with self.db.transaction() as session:
            return sheet_view(session, *open_sheet(session, token, self.clock.now()))

    def score(self, token: str, entries: Sequence[ScoreInput]) -> SheetView:
        """Save scores from a panel member's link; return their sheet as it now stands."""
        with self.db.transaction() as session:
            vacancy, member = open_sheet(session, token, self.clock.now(), lock=True)
            actor = Actor("panel", str(member.id))
            save_scores(session, vacancy, member, entries, actor, self.clock.now())
            return sheet_view(session, vacancy, member)

    def score_for(self, panel_member_id: int, entries: Sequence[ScoreInput], actor: Actor) -> SheetView:
        """The same without a link (a coordinator entering a panel member's paper sheet)."""
        with self.db.transaction() as session:
            member = session.get(PanelMember, panel_member_id)
            if member is None:
                raise NotFoundError(f"there is no panel member {panel_member_id}")
            vacancy = expert_vacancy(session, member.vacancy_id, SCORING, "score the applicants")
            save_scores(session, vacancy, member, entries, actor, self.clock.now())
            return sheet_view(session, vacancy, member)

    def table(self, vacancy_id: int) -> TableView:
        """Every panel member's scores of every applicant, with totals and what is still to give."""
        with self.db.transaction() as session:
            return table_view(session, vacancy_id)

    def decide(self, vacancy_id: int, nomination_id: int, reasons: str, actor: Actor) -> Outcome:
        """Record the panel's choice with its reasons and the score table, then fire `select`."""
        reasons = reasons.strip()
        if not reasons:
            raise ReasonMissingError("the panel's decision goes on the record: give its reasons", "reason")
        with self.db.transaction() as session:
            vacancy = expert_vacancy(session, vacancy_id, SCORING, "record the panel's decision")
            record_decision(session, vacancy, nomination_id, reasons, actor, self.clock.now())
            return self.transitions.fire_in(session, vacancy_id, "select", actor=actor, reason=reasons)

    def _invite(self, session: Session, vacancy: Vacancy, member: PanelMember) -> int | None:
        now, base_url = self.clock.now(), self.transitions.base_url
        context = {
            **vacancy_context(session, vacancy, base_url),
            "nominations": valid_nominations(session, vacancy.id or 0),
            "link": panel_link(session, member, now, base_url),
        }
        recipient = Recipient(member.name, member.email)
        message = queue_to(
            session,
            self.transitions.renderer,
            now=now,
            entity_id=vacancy.id or 0,
            template="panel_invitation",
            recipient=recipient,
            context=context,
        )
        return message.id
