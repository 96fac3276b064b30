"""Voting by single-use link: the ballot, the cast, the receipt, and turnout.

Secrecy by construction: the register (VoteRecord: who voted) and the ballot papers share
nothing. A paper has a random id, the choices and a receipt code: no voter, no time, no link.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from nominations.actors import Actor
from nominations.ballots import ballot_kind, read_choices
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import BallotPaper, ElectorateMember, Nomination, Organisation, Vacancy, VoteRecord
from nominations.links import new_receipt_code
from nominations.services.access import LinkError, resolve_link
from nominations.services.audit_log import append_event
from nominations.services.protocols import protocol_for
from nominations.services.recipients import network_name


@dataclass(frozen=True)
class BallotView:
    vacancy: Vacancy
    organisation: str
    candidates: list[Nomination]  # in ballot order
    method: str
    kind: str  # single | multiple | ranking
    network_name: str


@dataclass(frozen=True)
class Turnout:
    voted: int
    electorate: int


class Balloting:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self.clock = db, clock

    def view(self, token: str) -> BallotView:
        """The ballot behind a link, or a LinkError saying why it cannot be used."""
        with self.db.transaction() as session:
            link = resolve_link(session, token, "ballot", self.clock.now())
            vacancy = _open_ballot(session, link.vacancy_id, lock=False)
            assert link.organisation_id is not None
            _not_voted(session, link.vacancy_id, link.organisation_id)
            method = protocol_for(session, vacancy).method_for(vacancy.seats)
            return BallotView(
                vacancy,
                session.get_one(Organisation, link.organisation_id).name,
                _candidates(session, vacancy),
                method,
                ballot_kind(method),
                network_name(session, vacancy),
            )

    def choices(self, view: BallotView, form: Mapping[str, list[str]]) -> list[int]:
        """The form's choices checked against the ballot's method (BallotChoiceError if wrong)."""
        return read_choices(view.method, view.vacancy.seats, [c.id or 0 for c in view.candidates], form)

    def cast(self, token: str, choices: list[int]) -> str:
        """Cast once for the organisation whose link this is; return the receipt code."""
        try:
            with self.db.transaction() as session:
                link = resolve_link(session, token, "ballot", self.clock.now(), lock=True)
                assert link.organisation_id is not None
                link.used_at = self.clock.now()
                session.add(link)
                return self._cast(session, link.vacancy_id, link.organisation_id, choices)
        except IntegrityError:
            # Another of this organisation's links (a reminder's) won the race: one vote each.
            raise LinkError("used", "Your organisation has already voted.") from None

    def cast_for(self, vacancy_id: int, organisation_id: int, choices: list[int]) -> str:
        """Cast for an organisation on the roll without a link (tests, and a paper ballot entered)."""
        with self.db.transaction() as session:
            if session.get(ElectorateMember, (vacancy_id, organisation_id)) is None:
                raise LinkError(
                    "unknown", f"organisation {organisation_id} is not on the roll of vacancy {vacancy_id}"
                )
            return self._cast(session, vacancy_id, organisation_id, choices)

    def _cast(self, session: Session, vacancy_id: int, organisation_id: int, choices: list[int]) -> str:
        vacancy = _open_ballot(session, vacancy_id, lock=True)
        _not_voted(session, vacancy_id, organisation_id)
        method = protocol_for(session, vacancy).method_for(vacancy.seats)
        candidates = [c.id or 0 for c in _candidates(session, vacancy)]
        read_choices(method, vacancy.seats, candidates, _as_form(ballot_kind(method), choices))  # re-check
        receipt = new_receipt_code()
        session.add(VoteRecord(vacancy_id=vacancy_id, organisation_id=organisation_id))
        session.add(
            BallotPaper(id=secrets.token_hex(16), vacancy_id=vacancy_id, choices=choices, receipt=receipt)
        )
        append_event(
            session,
            occurred_at=self.clock.now(),
            actor=Actor("organisation", str(organisation_id)),
            action="vote",
            entity_type="vacancy",
            entity_id=vacancy_id,
            payload={"organisation_id": organisation_id},
        )
        session.flush()
        return receipt

    def turnout(self, vacancy_id: int) -> Turnout:
        with self.db.transaction() as session:
            return turnout_in(session, vacancy_id)


def turnout_in(session: Session, vacancy_id: int) -> Turnout:
    """How many of the roll have voted: who, never how."""
    voted = session.exec(
        select(func.count()).select_from(VoteRecord).where(VoteRecord.vacancy_id == vacancy_id)
    ).one()
    roll = session.exec(
        select(func.count()).select_from(ElectorateMember).where(ElectorateMember.vacancy_id == vacancy_id)
    ).one()
    return Turnout(int(voted), int(roll))


def seal_ballots(session: Session, vacancy_id: int) -> int:
    """Rewrite the vacancy's ballot papers in a random order, so storage says nothing of when each came.

    SQLite keeps them in random-id order already (WITHOUT ROWID); PostgreSQL's heap keeps arrival
    order and each row's transaction id, both of which this rewrite replaces.
    """
    papers = list(session.exec(select(BallotPaper).where(BallotPaper.vacancy_id == vacancy_id)))
    if session.get_bind().dialect.name == "postgresql":
        rows = [(p.id, list(p.choices), p.receipt) for p in papers]
        for paper in papers:
            session.delete(paper)
        session.flush()
        secrets.SystemRandom().shuffle(rows)
        for paper_id, choices, receipt in rows:
            session.add(BallotPaper(id=paper_id, vacancy_id=vacancy_id, choices=choices, receipt=receipt))
        session.flush()
    return len(papers)


def _open_ballot(session: Session, vacancy_id: int, *, lock: bool) -> Vacancy:
    # A shared lock lets casts run side by side while a close (an UPDATE) waits for them.
    query = select(Vacancy).where(Vacancy.id == vacancy_id)
    vacancy = session.exec(query.with_for_update(read=True) if lock else query).first()
    if vacancy is None or vacancy.status != "voting_open":
        raise LinkError("closed", "The ballot for this seat is closed.")
    return vacancy


def _not_voted(session: Session, vacancy_id: int, organisation_id: int) -> None:
    if session.get(VoteRecord, (vacancy_id, organisation_id)) is not None:
        raise LinkError("used", "Your organisation has already voted.")


def _candidates(session: Session, vacancy: Vacancy) -> list[Nomination]:
    by_id = {n.id: n for n in session.exec(select(Nomination).where(Nomination.vacancy_id == vacancy.id))}
    return [by_id[i] for i in vacancy.ballot_order if i in by_id]


def _as_form(kind: str, choices: list[int]) -> dict[str, list[str]]:
    if kind == "ranking":
        return {f"rank-{c}": [str(i + 1)] for i, c in enumerate(choices)}
    return {"choice": [str(c) for c in choices]}
