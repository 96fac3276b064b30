"""Nominating by link: propose, second, consent, withdraw; and the coordinator's invalidation.

Each call is one transaction holding its change, its emails and its audit event. A nomination is
valid only while every condition of the protocol holds; until then it is pending.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from nominations.actors import Actor
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import AccessLink, ElectorateMember, Nomination, Organisation, Seconding, Vacancy
from nominations.eligibility import NominationInput, Proposer, form_errors, missing_conditions
from nominations.errors import NominationsError, NotFoundError
from nominations.mail.render import MailRenderer
from nominations.protocol.model import Protocol
from nominations.services.access import LinkError, issue_link, resolve_link
from nominations.services.audit_log import append_event
from nominations.services.mailing import queue_to, vacancy_context
from nominations.services.protocols import protocol_for
from nominations.services.recipients import Recipient, network_name


class FormErrors(NominationsError):
    """The form's problems, by field id, in the order the form shows them."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class NominationView:
    """What a page about one nomination shows."""

    vacancy: Vacancy
    nomination: Nomination
    proposer: str
    missing: list[str]
    network_name: str


@dataclass(frozen=True)
class ProposerView:
    vacancy: Vacancy
    organisation: Organisation
    protocol: Protocol
    seconder_choices: list[tuple[int, str]]
    network_name: str


class Nominating:
    def __init__(self, db: Database, clock: Clock, renderer: MailRenderer, base_url: str) -> None:
        self.db, self.clock, self.renderer, self.base_url = db, clock, renderer, base_url

    # -- the proposer --------------------------------------------------------------------------
    def proposer_view(self, token: str) -> ProposerView:
        with self.db.transaction() as session:
            link, vacancy = self._open(session, token, "nominate")
            assert link.organisation_id is not None
            protocol = protocol_for(session, vacancy)
            others = session.exec(
                select(Organisation)
                .join(ElectorateMember, col(ElectorateMember.organisation_id) == col(Organisation.id))
                .where(ElectorateMember.vacancy_id == vacancy.id)
                .order_by(col(Organisation.name))
            ).all()
            choices = [
                (o.id or 0, o.name)
                for o in others
                if not (protocol.seconders_from_other_organisations and o.id == link.organisation_id)
            ]
            proposer = session.get_one(Organisation, link.organisation_id)
            return ProposerView(vacancy, proposer, protocol, choices, network_name(session, vacancy))

    def propose(self, token: str, data: NominationInput) -> int:
        """Submit a nomination from the organisation whose link this is; FormErrors if it is not right."""
        with self.db.transaction() as session:
            link, vacancy = self._open(session, token, "nominate", lock=True)
            assert link.organisation_id is not None
            return self._propose(session, vacancy, link.organisation_id, data)

    def propose_for(self, vacancy_id: int, organisation_id: int, data: NominationInput) -> int:
        """The same for an organisation on the roll, without a link (a coordinator entering a paper form)."""
        with self.db.transaction() as session:
            vacancy = _locked_vacancy(session, vacancy_id)
            if vacancy.status != "nominations_open":
                raise LinkError("closed", "Nominations for this seat are closed.")
            if session.get(ElectorateMember, (vacancy_id, organisation_id)) is None:
                raise NotFoundError(
                    f"organisation {organisation_id} is not on the roll of vacancy {vacancy_id}"
                )
            return self._propose(session, vacancy, organisation_id, data)

    def _propose(
        self, session: Session, vacancy: Vacancy, organisation_id: int, data: NominationInput
    ) -> int:
        vid = vacancy.id
        assert vid is not None and vacancy.nominations_close_at is not None
        protocol = protocol_for(session, vacancy)
        proposer_org = session.get_one(Organisation, organisation_id)
        made = session.exec(
            select(func.count())
            .select_from(Nomination)
            .where(
                Nomination.vacancy_id == vid,
                Nomination.organisation_id == organisation_id,
                col(Nomination.status).in_(["pending", "valid"]),
            )
        ).one()
        roll = set(
            session.exec(select(ElectorateMember.organisation_id).where(ElectorateMember.vacancy_id == vid))
        )
        proposer = Proposer(organisation_id, proposer_org.contact_email, int(made))
        errors = form_errors(protocol, data, proposer, roll)
        if data.nominee_email.strip().casefold() in {e.casefold() for e in vacancy.barred_emails}:
            errors.setdefault(
                "nominee_email", barred_message(protocol.term_limit, protocol.carry_on_if_unopposed)
            )
        if errors:
            raise FormErrors(errors)
        now = self.clock.now()
        nomination = Nomination(
            vacancy_id=vid,
            organisation_id=organisation_id,
            nominee_name=data.nominee_name.strip(),
            nominee_email=data.nominee_email.strip(),
            nominee_organisation=data.nominee_organisation.strip(),
            statement=data.statement.strip(),
            declarations=sorted(data.declarations),
            status="pending",
            created_at=now,
        )
        session.add(nomination)
        session.flush()
        assert nomination.id is not None
        seconders = list(data.seconders[: protocol.seconders_required])
        for org_id in seconders:
            session.add(Seconding(nomination_id=nomination.id, organisation_id=org_id))
        context = {
            **vacancy_context(session, vacancy, self.base_url),
            "nomination": nomination,
            "proposer": proposer_org,
        }
        expires = vacancy.nominations_close_at
        if protocol.nominee_consent_required:
            token = issue_link(
                session, purpose="consent", vacancy_id=vid, expires_at=expires, nomination_id=nomination.id
            )
            queue_to(
                session,
                self.renderer,
                now=now,
                entity_id=vid,
                template="consent_request",
                recipient=Recipient(nomination.nominee_name, nomination.nominee_email),
                context={**context, "link": f"{self.base_url}/consent/{token}"},
            )
        for org_id in seconders:
            org = session.get_one(Organisation, org_id)
            token = issue_link(
                session,
                purpose="second",
                vacancy_id=vid,
                expires_at=expires,
                organisation_id=org_id,
                nomination_id=nomination.id,
            )
            queue_to(
                session,
                self.renderer,
                now=now,
                entity_id=vid,
                template="seconding_request",
                recipient=Recipient(org.contact_name, org.contact_email, org_id),
                context={**context, "link": f"{self.base_url}/second/{token}"},
            )
        self._settle(session, protocol, nomination)
        append_event(
            session,
            occurred_at=now,
            actor=Actor("organisation", str(organisation_id)),
            action="nominate",
            entity_type="vacancy",
            entity_id=vid,
            payload={
                "nomination_id": nomination.id,
                "organisation_id": organisation_id,
                "seconders": seconders,
                "status": nomination.status,
            },
        )
        return nomination.id

    # -- seconders and the nominee -------------------------------------------------------------
    def view(self, token: str, purpose: str) -> NominationView:
        """The nomination behind a second or consent link, with what it still lacks."""
        with self.db.transaction() as session:
            link, vacancy = self._open(session, token, purpose)
            assert link.nomination_id is not None
            nomination = self._live(session, link.nomination_id)
            proposer = session.get_one(Organisation, nomination.organisation_id).name
            return NominationView(
                vacancy,
                nomination,
                proposer,
                self._missing(session, protocol_for(session, vacancy), nomination),
                network_name(session, vacancy),
            )

    def second(self, token: str) -> None:
        with self.db.transaction() as session:
            link, vacancy = self._open(session, token, "second", lock=True)
            assert link.nomination_id is not None and link.organisation_id is not None
            nomination = self._live(session, link.nomination_id)
            seconding = session.get_one(Seconding, (link.nomination_id, link.organisation_id))
            now = self.clock.now()
            seconding.seconded_at = now
            link.used_at = now
            session.add_all([seconding, link])
            self._settle(session, protocol_for(session, vacancy), nomination)
            self._audit(
                session, "second", vacancy, nomination, Actor("organisation", str(link.organisation_id))
            )

    def consent(self, token: str) -> None:
        with self.db.transaction() as session:
            link, vacancy = self._open(session, token, "consent", lock=True)
            assert link.nomination_id is not None
            nomination = self._live(session, link.nomination_id)
            if nomination.consented_at is None:
                nomination.consented_at = self.clock.now()
                self._settle(session, protocol_for(session, vacancy), nomination)
                self._audit(session, "consent", vacancy, nomination, _nominee(nomination))

    def withdraw(self, token: str) -> None:
        """The nominee withdraws, which they may do until the ballot opens."""
        with self.db.transaction() as session:
            link, vacancy = self._open(session, token, "consent", lock=True)
            assert link.nomination_id is not None
            nomination = self._live(session, link.nomination_id)
            nomination.status = "withdrawn"
            session.add(nomination)
            self._audit(session, "withdraw_nomination", vacancy, nomination, _nominee(nomination))

    def invalidate(self, nomination_id: int, reason: str, actor: Actor) -> None:
        """The coordinator rules a nomination invalid; the reason goes on the record."""
        if not reason.strip():
            raise FormErrors({"reason": "Give the reason the nomination is invalid"})
        with self.db.transaction() as session:
            nomination = session.get(Nomination, nomination_id)
            if nomination is None:
                raise NotFoundError(f"there is no nomination {nomination_id}")
            vacancy = _locked_vacancy(session, nomination.vacancy_id)
            if vacancy.status not in {"nominations_open", "nominations_closed"}:
                raise LinkError(
                    "closed", f"vacancy {vacancy.id} is {vacancy.status}: its nominations are settled"
                )
            nomination.status, nomination.invalid_reason = "invalid", reason.strip()
            session.add(nomination)
            self._audit(session, "invalidate_nomination", vacancy, nomination, actor, reason.strip())

    # -- shared steps --------------------------------------------------------------------------
    def _open(
        self, session: Session, token: str, purpose: str, lock: bool = False
    ) -> tuple[AccessLink, Vacancy]:
        link = resolve_link(session, token, purpose, self.clock.now(), lock=lock)
        vacancy = (
            _locked_vacancy(session, link.vacancy_id) if lock else session.get_one(Vacancy, link.vacancy_id)
        )
        if vacancy.status != "nominations_open":
            raise LinkError("closed", "Nominations for this seat are closed.")
        return link, vacancy

    def _live(self, session: Session, nomination_id: int) -> Nomination:
        nomination = session.get_one(Nomination, nomination_id)
        if nomination.status in {"withdrawn", "invalid"}:
            raise LinkError("closed", f"This nomination has been {nomination.status}.")
        return nomination

    def _missing(self, session: Session, protocol: Protocol, nomination: Nomination) -> list[str]:
        seconded = session.exec(
            select(Seconding.organisation_id).where(
                Seconding.nomination_id == nomination.id, col(Seconding.seconded_at).is_not(None)
            )
        ).all()
        return missing_conditions(
            protocol,
            consented=nomination.consented_at is not None,
            seconded_by=list(seconded),
            proposer_id=nomination.organisation_id,
        )

    def _settle(self, session: Session, protocol: Protocol, nomination: Nomination) -> None:
        session.flush()
        nomination.status = "pending" if self._missing(session, protocol, nomination) else "valid"
        session.add(nomination)

    def _audit(
        self,
        session: Session,
        action: str,
        vacancy: Vacancy,
        nomination: Nomination,
        actor: Actor,
        reason: str | None = None,
    ) -> None:
        assert vacancy.id is not None
        append_event(
            session,
            occurred_at=self.clock.now(),
            actor=actor,
            action=action,
            entity_type="vacancy",
            entity_id=vacancy.id,
            reason=reason,
            payload={"nomination_id": nomination.id, "status": nomination.status},
        )


def _nominee(nomination: Nomination) -> Actor:
    return Actor("nominee", str(nomination.id))


def barred_message(limit: int | None, carry_on: bool) -> str:
    """Why a retiring representative may not be nominated, in the nominating organisation's words."""
    said = (
        f"This person has served {limit} consecutive term(s), the most this network's protocol allows, "
        "so they may not be nominated"
    )
    return said + (": if nobody else is nominated, they carry on" if carry_on else "")


def _locked_vacancy(session: Session, vacancy_id: int) -> Vacancy:
    # Lock the row so a concurrent close cannot slip between our check and our write.
    vacancy = session.exec(select(Vacancy).where(Vacancy.id == vacancy_id).with_for_update()).first()
    if vacancy is None:
        raise NotFoundError(f"there is no vacancy {vacancy_id}")
    return vacancy
