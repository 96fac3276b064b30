"""The roll in the database: a network's members loaded in two queries, an import written in bulk."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlmodel import Session

from nominations.db.models import Organisation, OrganisationContact
from nominations.members.cells import Contact
from nominations.members.plan import Enrolled, Plan
from nominations.members.record import Member

ORG: Table = Organisation.__table__  # type: ignore[attr-defined]
CONTACT: Table = OrganisationContact.__table__  # type: ignore[attr-defined]
BATCH = 1000  # rows per statement: bounded memory, and a progress step
T = TypeVar("T")


@dataclass(frozen=True)
class Roll:
    members: list[Enrolled]
    roles: dict[int, dict[str, str]]  # organisation id -> {contact email (casefolded): role}


def load_roll(session: Session, network_id: int) -> Roll:
    """Every member of the network with its other contacts (in the order they were added)."""
    contacts: dict[int, list[Contact]] = {}
    roles: dict[int, dict[str, str]] = {}
    query = (
        select(CONTACT.c.organisation_id, CONTACT.c.name, CONTACT.c.email, CONTACT.c.role)
        .join(ORG, ORG.c.id == CONTACT.c.organisation_id)
        .where(ORG.c.network_id == network_id)
        .order_by(CONTACT.c.id)
    )
    for org_id, name, email, role in session.execute(query):
        contacts.setdefault(org_id, []).append(Contact(name, email))
        roles.setdefault(org_id, {})[email.casefold()] = role
    orgs = session.execute(select(ORG).where(ORG.c.network_id == network_id).order_by(ORG.c.id)).mappings()
    members = [
        Enrolled(
            row["id"],
            Member(
                name=row["name"],
                contact_email=row["contact_email"],
                contact_name=row["contact_name"],
                status=row["status"],
                external_id=row["external_id"],
                interest_areas=tuple(row["interest_areas"]),
                equality_sectors=tuple(row["equality_sectors"]),
                other_contacts=tuple(contacts.get(row["id"], ())),
            ),
        )
        for row in orgs
    ]
    return Roll(members, roles)


def _columns(member: Member) -> dict[str, Any]:
    return {
        "name": member.name, "status": member.status, "contact_name": member.contact_name,
        "contact_email": member.contact_email, "external_id": member.external_id,
        "interest_areas": list(member.interest_areas), "equality_sectors": list(member.equality_sectors),
    }  # fmt: skip


def _batches(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _update(session: Session, updated: list[tuple[Enrolled, Member]], step: Callable[[int], None]) -> None:
    by_id = update(ORG).where(ORG.c.id == bindparam("b_id"))
    # Emails are unique per network at every statement: a member taking over another's email
    # (a swap within the file) must first let go of its own.
    moving = [e.id for e, after in updated if e.member.contact_email != after.contact_email]
    for ids in _batches(moving):
        session.execute(by_id, [{"b_id": i, "contact_email": f"moving-{i}@import.invalid"} for i in ids])
    for pairs in _batches(updated):
        session.execute(by_id, [{"b_id": e.id, **_columns(after)} for e, after in pairs])
        step(len(pairs))


def _insert(session: Session, network_id: int, added: list[Member], step: Callable[[int], None]) -> list[int]:
    ids: list[int] = []
    returning = insert(ORG).returning(ORG.c.id, sort_by_parameter_order=True)
    for members in _batches(added):
        result = session.execute(returning, [{"network_id": network_id, **_columns(m)} for m in members])
        ids.extend(result.scalars())
        step(len(members))
    return ids


def write_plan(
    session: Session, network_id: int, plan: Plan, roll: Roll, progress: Callable[[int, int], None]
) -> tuple[list[int], list[int]]:
    """Apply the plan inside the caller's transaction; return the ids added and the ids updated."""
    total, done = len(plan.added) + len(plan.updated), 0

    def step(rows: int) -> None:
        nonlocal done
        done += rows
        progress(done, total)

    _update(session, plan.updated, step)
    replaced = [(e.id, after) for e, after in plan.updated if e.member.other_contacts != after.other_contacts]
    for pairs in _batches(replaced):
        session.execute(delete(CONTACT).where(CONTACT.c.organisation_id.in_([i for i, _ in pairs])))
    added = _insert(session, network_id, plan.added, step)
    contacts = [
        {"organisation_id": org_id, "name": c.name, "email": c.email,
         "role": roll.roles.get(org_id, {}).get(c.email.casefold(), "")}
        for org_id, member in [*replaced, *zip(added, plan.added, strict=True)]
        for c in member.other_contacts
    ]  # fmt: skip
    for rows in _batches(contacts):
        session.execute(insert(CONTACT), rows)
    return added, [e.id for e, _ in plan.updated]
