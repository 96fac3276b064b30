"""Seat the winners, bring in the substitute, and open the seat's next vacancy when it falls free."""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from nominations.actors import SYSTEM
from nominations.db.models import ElectionResult, Nomination, Vacancy
from nominations.db.term_models import Appointment
from nominations.services.audit_log import append_event
from nominations.services.effects import Step
from nominations.services.protocols import protocol_for
from nominations.workflow.durations import parse_duration

LEAVING_STATES = ("inducting", "active", "review_due", "under_review")


def add_months(start: datetime, months: int) -> datetime:
    """The same day `months` later; a day the month lacks becomes its last day."""
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return start.replace(year=year, month=month, day=min(day, start.day))
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")  # pragma: no cover


def runner_up(result: ElectionResult) -> tuple[int | None, str]:
    """The non-winner with most votes at the last stage; a tie is drawn by lot from the result's seed."""
    totals = {int(c): Decimal(str(v)) for c, v in result.detail.get("totals", {}).items()}
    others = {c: v for c, v in totals.items() if c not in result.winners and v > 0}
    if not others:
        return None, ""
    best = max(others.values())
    tied = sorted(c for c, v in others.items() if v == best)
    if len(tied) == 1:
        return tied[0], ""
    seed = f"{result.seed}:runner-up"
    return random.Random(seed).choice(tied), seed


def appoint_winners(step: Step) -> dict[str, Any]:
    """On filling the seat: an appointment for each winner, and the runner-up standing by."""
    session, vacancy = step.session, step.row
    result = session.get_one(ElectionResult, step.row_id)
    protocol = protocol_for(session, vacancy)
    previous = (
        session.get(Appointment, vacancy.previous_appointment_id) if vacancy.previous_appointment_id else None
    )
    start = (
        vacancy.term_starts_at if vacancy.term_starts_at and vacancy.term_starts_at > step.now else step.now
    )
    end = vacancy.term_ends_at or add_months(start, vacancy.term_months)
    reelection_at = max(end - parse_duration(protocol.reelection_notice), start)
    role = "expert" if vacancy.kind == "expert" else "representative"
    made: dict[str, Any] = {"appointments": []}
    for nomination_id in result.winners:
        nomination = session.get_one(Nomination, nomination_id)
        again = (
            previous is not None and previous.person_email.casefold() == nomination.nominee_email.casefold()
        )
        terms = previous.consecutive_terms + 1 if previous is not None and again else 1
        made["appointments"].append(
            _appoint(step, nomination, role, terms, start, end, reelection_at, "start_induction")
        )
    if role == "representative" and protocol.runner_up_becomes_substitute:
        chosen, seed = runner_up(result)
        if chosen is not None:
            nomination = session.get_one(Nomination, chosen)
            made["substitute"] = _appoint(
                step, nomination, "substitute", 1, start, end, reelection_at, "stand_by"
            )
            if seed:
                made["substitute_drawn_by_lot"] = seed
    return made


def _appoint(
    step: Step,
    nomination: Nomination,
    role: str,
    terms: int,
    start: datetime,
    end: datetime,
    reelection_at: datetime,
    first_trigger: str,
) -> int:
    session, vacancy = step.session, step.row
    appointment = Appointment(
        network_id=vacancy.network_id,
        partnership_id=vacancy.partnership_id,
        vacancy_id=step.row_id,
        nomination_id=nomination.id,
        status="appointed",
        role=role,
        person_name=nomination.nominee_name,
        person_email=nomination.nominee_email,
        person_organisation=nomination.nominee_organisation,
        consecutive_terms=terms,
        created_at=step.now,
        term_start_at=start,
        term_end_at=end,
        reelection_at=reelection_at,
    )
    appointment_id = _created(
        step,
        appointment,
        "appoint",
        {
            "vacancy_id": step.row_id,
            "nomination_id": nomination.id,
            "role": role,
            "consecutive_terms": terms,
            "term_start_at": start.isoformat(),
            "term_end_at": end.isoformat(),
        },
    )
    step.fire(session, "appointment", appointment_id, first_trigger, SYSTEM, None)
    return appointment_id


def _created(step: Step, row: Appointment | Vacancy, action: str, payload: dict[str, Any]) -> int:
    # A row the system makes in its first state, on the record with why.
    step.session.add(row)
    step.session.flush()
    assert row.id is not None
    append_event(
        step.session,
        occurred_at=step.now,
        actor=SYSTEM,
        action=action,
        entity_type=type(row).__name__.lower(),
        entity_id=row.id,
        to_state=row.status,
        reason=step.reason,
        payload=payload,
    )
    return row.id


def elect_incumbent(step: Step) -> list[int]:
    """Nobody stood: the representative barred by the term limit carries on, as the protocol allows."""
    session, vacancy = step.session, step.row
    previous = session.get_one(Appointment, vacancy.previous_appointment_id)
    proposer = session.get_one(Nomination, previous.nomination_id)
    nomination = Nomination(
        vacancy_id=step.row_id,
        organisation_id=proposer.organisation_id,
        nominee_name=previous.person_name,
        nominee_email=previous.person_email,
        nominee_organisation=previous.person_organisation,
        statement="Carries on because nobody else stood (the protocol allows it).",
        status="valid",
        consented_at=step.now,
        created_at=step.now,
    )
    session.add(nomination)
    session.flush()
    assert nomination.id is not None
    result = ElectionResult(
        vacancy_id=step.row_id,
        method="unopposed",
        seed="",
        winners=[nomination.id],
        detail={"carried_on": previous.id},
    )
    session.add(result)
    return result.winners


def open_vacancy(step: Step, origin: str) -> int:
    """A new vacancy for the appointment's seat, accepted and with its call open, by the system."""
    session, appointment = step.session, step.row
    seat = session.get_one(Vacancy, appointment.vacancy_id)
    protocol = protocol_for(session, seat)
    limit = protocol.term_limit
    barred = (
        [appointment.person_email]
        if origin == "reelection" and limit is not None and appointment.consecutive_terms >= limit
        else []
    )
    vacancy = Vacancy(
        network_id=seat.network_id,
        partnership_id=seat.partnership_id,
        workflow=seat.workflow,
        status="requested",
        title=seat.title,
        kind=seat.kind,
        seats=seat.seats if origin == "reelection" else 1,
        terms_of_reference=seat.terms_of_reference,
        membership_details=seat.membership_details,
        knowledge_skills=seat.knowledge_skills,
        time_commitment=seat.time_commitment,
        meeting_schedule=seat.meeting_schedule,
        equality_sector=seat.equality_sector,
        term_months=seat.term_months,
        protocol_overrides=seat.protocol_overrides,
        created_at=step.now,
        origin=origin,
        previous_appointment_id=appointment.id,
        barred_emails=barred,
        term_starts_at=appointment.term_end_at if origin == "reelection" else None,
        term_ends_at=appointment.term_end_at if origin == "casual" else None,
    )
    payload = {"origin": origin, "previous_appointment_id": appointment.id, "barred": len(barred)}
    vacancy_id = _created(step, vacancy, "request", payload)
    holders = _seat_holders(session, appointment) if origin == "reelection" else [appointment]
    for holder in holders:
        holder.successor_vacancy_id = vacancy_id
        session.add(holder)
    session.flush()
    for trigger in ("accept", "open_nominations"):
        step.fire(session, "vacancy", vacancy_id, trigger, SYSTEM, None)
    return vacancy_id


def _seat_holders(session: Session, appointment: Appointment) -> list[Appointment]:
    # Every appointment whose term this election follows: the seats filled together end together.
    query = select(Appointment).where(
        Appointment.vacancy_id == appointment.vacancy_id,
        col(Appointment.status).in_([*LEAVING_STATES, "appointed", "standing_by"]),
    )
    found = {a.id: a for a in session.exec(query)}
    found[appointment.id] = appointment
    return list(found.values())


def replace(step: Step) -> dict[str, Any]:
    """Someone left mid-term: the substitute steps up if the protocol has one, or a casual vacancy opens."""
    session, appointment = step.session, step.row
    if appointment.role == "substitute":
        return {}
    if appointment.successor_vacancy_id is not None:
        return {"successor_vacancy": appointment.successor_vacancy_id}  # the next term is being filled
    seat = session.get_one(Vacancy, appointment.vacancy_id)
    substitute = None
    if protocol_for(session, seat).runner_up_becomes_substitute:
        substitute = session.exec(
            select(Appointment)
            .where(Appointment.vacancy_id == appointment.vacancy_id, Appointment.status == "standing_by")
            .order_by(col(Appointment.id))
        ).first()
    if substitute is None:
        return {"casual_vacancy": open_vacancy(step, "casual")}
    assert substitute.id is not None
    substitute.role = "representative"
    session.add(substitute)
    session.flush()
    said = f"stands in for appointment {appointment.id}"
    for trigger in ("step_up", "start_induction"):
        step.fire(session, "appointment", substitute.id, trigger, SYSTEM, said)
    return {"substitute": substitute.id}


def release_substitutes(step: Step) -> list[int]:
    """The term is over: substitutes standing by for it are released."""
    session, appointment = step.session, step.row
    waiting = session.exec(
        select(Appointment).where(
            Appointment.vacancy_id == appointment.vacancy_id, Appointment.status == "standing_by"
        )
    ).all()
    released = []
    for substitute in waiting:
        assert substitute.id is not None
        step.fire(session, "appointment", substitute.id, "release", SYSTEM, "the term has ended")
        released.append(substitute.id)
    return released
