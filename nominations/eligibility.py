"""Whether a nomination meets its network's protocol. Pure: the services gather the facts."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from nominations.protocol.model import Protocol

_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters."""
    return len(text.split())


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))


@dataclass(frozen=True)
class NominationInput:
    """What the proposer's form sends."""

    nominee_name: str
    nominee_email: str
    nominee_organisation: str
    statement: str
    declarations: frozenset[str]
    seconders: tuple[int, ...]  # organisation ids, in the order chosen


@dataclass(frozen=True)
class Proposer:
    organisation_id: int
    contact_email: str
    nominations_made: int  # live nominations it already has for this vacancy


def form_errors(
    protocol: Protocol, data: NominationInput, proposer: Proposer, electorate: Collection[int]
) -> dict[str, str]:
    """Field id → what is wrong, in the order the form shows the fields; empty when all is well."""
    errors: dict[str, str] = {}
    if not data.nominee_name.strip():
        errors["nominee_name"] = "Enter the nominee's full name"
    if not is_email(data.nominee_email.strip()):
        errors["nominee_email"] = "Enter the nominee's email address, like name@example.org"
    elif not protocol.self_nomination_allowed and (
        data.nominee_email.strip().casefold() == proposer.contact_email.casefold()
    ):
        errors["nominee_email"] = (
            "Under this network's protocol an organisation may not nominate its own voting contact"
        )
    words = word_count(data.statement)
    if words == 0:
        errors["statement"] = "Enter the candidate's statement"
    elif words > protocol.statement_word_limit:
        errors["statement"] = (
            f"The statement must be {protocol.statement_word_limit} words or fewer; it has {words}"
        )
    for declaration in protocol.declarations:
        if declaration.id not in data.declarations:
            errors[f"declaration-{declaration.id}"] = f"Confirm: {declaration.text}"
    errors |= _seconder_errors(protocol, data.seconders, proposer, electorate)
    limit = protocol.nominations_per_organisation
    if limit is not None and proposer.nominations_made >= limit:
        errors["nominee_name"] = (
            f"Your organisation has already made {limit} nomination(s) for this seat, the most allowed"
        )
    return errors


def _seconder_errors(
    protocol: Protocol, seconders: tuple[int, ...], proposer: Proposer, electorate: Collection[int]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for i in range(protocol.seconders_required):
        field = f"seconder_{i + 1}"
        chosen = seconders[i] if i < len(seconders) else None
        if chosen is None or chosen not in electorate:
            errors[field] = "Choose a member organisation to second the nomination"
        elif protocol.seconders_from_other_organisations and chosen == proposer.organisation_id:
            errors[field] = "A seconder must be another member organisation"
        elif chosen in seconders[:i]:
            errors[field] = "Choose a different organisation for each seconder"
    return errors


def missing_conditions(
    protocol: Protocol, *, consented: bool, seconded_by: Collection[int], proposer_id: int
) -> list[str]:
    """What a nomination still lacks before it is valid, in words for its page and the coordinator."""
    missing = []
    if protocol.nominee_consent_required and not consented:
        missing.append("the nominee's consent")
    counted = [
        o for o in seconded_by if not (protocol.seconders_from_other_organisations and o == proposer_id)
    ]
    short = protocol.seconders_required - len(set(counted))
    if short > 0:
        missing.append(f"{short} seconder{'s' if short > 1 else ''}")
    return missing
