"""A partnership's requests: file one (its terms of reference as a PDF too), follow it, answer questions.

Everyone sees requests through their account's scope (services/scope.py): a partnership contact
only their own partnership's, everyone else their network's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from nominations.db.account_models import User
from nominations.db.document_models import TermsDocument
from nominations.db.engine import Database
from nominations.db.models import AuditEvent, Partnership, Vacancy
from nominations.db.term_models import Appointment
from nominations.documents import check_pdf, safe_filename
from nominations.errors import NotFoundError
from nominations.mail.render import MailRenderer
from nominations.next_deadline import VACANCY_FIELDS, Deadline, next_deadline
from nominations.services.accounts import SignedIn
from nominations.services.audit_log import append_event
from nominations.services.mailing import queue_to, vacancy_context
from nominations.services.participation import Participation, SeatRequest
from nominations.services.recipients import Recipient, recipients
from nominations.services.scope import scope_of
from nominations.services.transitions import Outcome, TransitionService


def reference(vacancy_id: int) -> str:
    """The reference a partnership quotes for its request."""
    return f"V-{vacancy_id:04d}"


@dataclass(frozen=True)
class TermsPdf:
    filename: str
    content: bytes


@dataclass(frozen=True)
class RequestLine:
    """One request as its list shows it: where it stands, what comes next, and who fills it."""

    vacancy: Vacancy
    reference: str
    partnership: str
    state_detail: str  # the workflow's description of the state
    deadline: Deadline | None
    appointed: list[str]
    terms_pdf: str | None  # the uploaded file's name, if there is one


@dataclass(frozen=True)
class RequestView:
    line: RequestLine
    question: str | None  # what the coordinator asked, while the request waits on the partnership


def _visible(user: SignedIn) -> ColumnElement[bool]:
    return scope_of(user).where(col(Vacancy.network_id), col(Vacancy.partnership_id))


class SeatRequests:
    def __init__(
        self,
        db: Database,
        renderer: MailRenderer,
        participation: Participation,
        transitions: TransitionService,
        base_url: str,
    ) -> None:
        self.db = db
        self.clock = participation.clock
        self.renderer = renderer
        self.participation = participation
        self.transitions = transitions
        self.base_url = base_url

    def partnerships_for(self, user: SignedIn) -> list[Partnership]:
        """The partnerships `user` may file a request for, by name."""
        query = (
            select(Partnership)
            .where(scope_of(user).where(col(Partnership.network_id), col(Partnership.id)))
            .order_by(col(Partnership.name), col(Partnership.id))
        )
        with self.db.transaction() as session:
            return list(session.exec(query).all())

    def file(self, user: SignedIn, partnership_id: int, request: SeatRequest, pdf: TermsPdf | None) -> int:
        """Create the vacancy in its first state, keep the PDF, and acknowledge; return its id."""
        if partnership_id not in {p.id for p in self.partnerships_for(user)}:
            raise NotFoundError(f"there is no partnership {partnership_id} you may request a seat for")
        if pdf is not None:
            check_pdf(pdf.content)
            if not request.terms_of_reference:
                # The calls and welcomes quote this text; say where the terms are rather than nothing.
                pointer = (
                    f"Sent by the partnership as a PDF ({safe_filename(pdf.filename)}); ask the coordinator."
                )
                request = replace(request, terms_of_reference=pointer)
        vacancy_id = self.participation.request_seat(partnership_id, request, user.actor)
        # request_seat commits on its own; this second unit keeps the PDF and queues the acknowledgement.
        with self.db.transaction() as session:
            vacancy = session.get_one(Vacancy, vacancy_id)
            now = self.clock.now()
            if pdf is not None:
                self._keep_pdf(session, vacancy_id, pdf, user, now)
            context = {
                **vacancy_context(session, vacancy, self.base_url),
                "reference": reference(vacancy_id),
                "link": f"{self.base_url}/console/requests/{vacancy_id}",
                "terms_pdf": safe_filename(pdf.filename) if pdf else None,
            }
            for person in self._acknowledged(session, vacancy, user):
                queue_to(
                    session,
                    self.renderer,
                    now=now,
                    entity_id=vacancy_id,
                    template="request_received",
                    recipient=person,
                    context=context,
                )
        return vacancy_id

    def _keep_pdf(
        self, session: Session, vacancy_id: int, pdf: TermsPdf, user: SignedIn, now: datetime
    ) -> None:
        digest = hashlib.sha256(pdf.content).hexdigest()
        session.add(
            TermsDocument(
                vacancy_id=vacancy_id,
                filename=safe_filename(pdf.filename),
                size=len(pdf.content),
                sha256=digest,
                content=pdf.content,
                uploaded_at=now,
            )
        )
        # The hash on the chain lets an auditor show the stored PDF is the one that was sent.
        append_event(
            session,
            occurred_at=now,
            actor=user.actor,
            action="attach_terms",
            entity_type="vacancy",
            entity_id=vacancy_id,
            payload={"sha256": digest, "bytes": len(pdf.content)},
        )

    def _acknowledged(self, session: Session, vacancy: Vacancy, user: SignedIn) -> list[Recipient]:
        # The partnership's contact on record hears of every step; the contact who filed it, too.
        people = recipients(session, vacancy, "partnership")
        if user.role == "partnership":
            account = session.get_one(User, user.user_id)
            people.append(Recipient(account.name, account.email))
        return list({p.email.casefold(): p for p in people}.values())

    def listing(self, user: SignedIn) -> list[RequestLine]:
        """Every request `user` may see, newest first."""
        with self.db.transaction() as session:
            query = select(Vacancy).where(_visible(user)).order_by(col(Vacancy.id).desc())
            return self._lines(session, list(session.exec(query).all()))

    def view(self, user: SignedIn, vacancy_id: int) -> RequestView:
        """One request; NotFoundError if there is none `user` may see (never a hint that it exists)."""
        with self.db.transaction() as session:
            vacancy = self._get(session, user, vacancy_id)
            [line] = self._lines(session, [vacancy])
            question = None
            if vacancy.status == "information_requested":
                asked = session.exec(
                    select(AuditEvent.reason)
                    .where(
                        AuditEvent.entity_type == "vacancy",
                        AuditEvent.entity_id == str(vacancy_id),
                        AuditEvent.action == "ask_for_information",
                    )
                    .order_by(col(AuditEvent.seq).desc())
                ).first()
                question = asked or None
            return RequestView(line, question)

    def terms_pdf(self, user: SignedIn, vacancy_id: int) -> TermsDocument:
        """The request's terms of reference PDF, for someone who may see the request."""
        with self.db.transaction() as session:
            self._get(session, user, vacancy_id)
            document = session.get(TermsDocument, vacancy_id)
            if document is None:
                raise NotFoundError(f"request {vacancy_id} came without a PDF")
            return document

    def resubmit(self, user: SignedIn, vacancy_id: int, answer: str, version: int | None) -> Outcome:
        """Send the request back to the coordinator with the information they asked for."""
        with self.db.transaction() as session:
            self._get(session, user, vacancy_id)
            return self.transitions.fire_in(
                session, vacancy_id, "resubmit", actor=user.actor, reason=answer, expected_version=version
            )

    def _get(self, session: Session, user: SignedIn, vacancy_id: int) -> Vacancy:
        vacancy = session.exec(select(Vacancy).where(col(Vacancy.id) == vacancy_id, _visible(user))).first()
        if vacancy is None:
            raise NotFoundError(f"there is no request {vacancy_id} you may see")
        return vacancy

    def _lines(self, session: Session, vacancies: list[Vacancy]) -> list[RequestLine]:
        ids = [v.id for v in vacancies]
        names = {
            p.id: p.name
            for p in session.exec(
                select(Partnership).where(col(Partnership.id).in_({v.partnership_id for v in vacancies}))
            )
        }
        appointed: dict[int, list[str]] = {}
        for a in session.exec(
            select(Appointment).where(col(Appointment.vacancy_id).in_(ids)).order_by(col(Appointment.id))
        ):
            appointed.setdefault(a.vacancy_id, []).append(f"{a.person_name} ({a.role})")
        pdfs: dict[int, str] = dict(
            session.exec(
                select(TermsDocument.vacancy_id, TermsDocument.filename).where(
                    col(TermsDocument.vacancy_id).in_(ids)
                )
            ).all()
        )
        now = self.clock.now()
        lines = []
        for v in vacancies:
            assert v.id is not None
            state = self.participation.workflows[v.workflow].definition.states.get(v.status)
            final = state is not None and state.final
            deadlines = {name: getattr(v, name) for name in VACANCY_FIELDS}
            lines.append(
                RequestLine(
                    vacancy=v,
                    reference=reference(v.id),
                    partnership=names.get(v.partnership_id, ""),
                    state_detail=state.description if state else "",
                    deadline=next_deadline("vacancy", v.status, final, deadlines, now),
                    appointed=appointed.get(v.id, []),
                    terms_pdf=pdfs.get(v.id),
                )
            )
        return lines
