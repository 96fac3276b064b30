"""The kinds of entity a workflow drives: their table, vocabulary, facts, parameters and domain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from nominations.db.models import Vacancy
from nominations.db.term_models import Appointment
from nominations.services.appointment_domain import AppointmentDomain
from nominations.services.effects import Domain
from nominations.services.facts import appointment_facts, vacancy_facts
from nominations.services.protocols import appointment_parameters, protocol_for, workflow_parameters
from nominations.services.vacancy_domain import VacancyDomain
from nominations.workflow.facts import Facts
from nominations.workflow.vocabulary import APPOINTMENT, VACANCY, EntityWords


@dataclass(frozen=True)
class EntityKind:
    model: Any  # the table class
    words: EntityWords
    domain: Domain
    facts: Callable[[Session, Any, datetime], Facts]
    parameters: Callable[[Session, Any], dict[str, str | list[str]]]


def _vacancy_parameters(session: Session, vacancy: Vacancy) -> dict[str, str | list[str]]:
    return workflow_parameters(protocol_for(session, vacancy))


def _appointment_parameters(session: Session, appointment: Appointment) -> dict[str, str | list[str]]:
    vacancy = session.get_one(Vacancy, appointment.vacancy_id)
    return appointment_parameters(protocol_for(session, vacancy))


KINDS: dict[str, EntityKind] = {
    "vacancy": EntityKind(Vacancy, VACANCY, VacancyDomain(), vacancy_facts, _vacancy_parameters),
    "appointment": EntityKind(
        Appointment, APPOINTMENT, AppointmentDomain(), appointment_facts, _appointment_parameters
    ),
}
