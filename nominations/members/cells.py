"""One cell of the members file: read it into a value, or say in words what is wrong with it."""

from __future__ import annotations

import re
from typing import NamedTuple

from nominations.equality import EQUALITY_SECTORS, MEMBERSHIP_STATUSES
from nominations.errors import NominationsError

_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"\\]+@[^@\s<>()\[\],;:\"\\.]+(\.[^@\s<>()\[\],;:\"\\.]+)+")
_CONTACT = re.compile(r"(?P<name>[^<>]*?)\s*<(?P<email>[^<>]*)>")
# A sector may be given by its key or by the words shown for it, in any case.
_SECTOR_NAMES = {key: key for key in EQUALITY_SECTORS} | {
    label.casefold(): key for key, label in EQUALITY_SECTORS.items()
}
_SECTOR_ORDER = {key: i for i, key in enumerate(EQUALITY_SECTORS)}


class BadCellError(NominationsError):
    """A cell's value is not one the format allows; the message says why."""


class Contact(NamedTuple):
    name: str
    email: str


def is_email(value: str) -> bool:
    """Whether `value` looks like one plain email address (local@domain.tld)."""
    return len(value) <= 254 and _EMAIL.fullmatch(value) is not None


def split_list(cell: str) -> tuple[str, ...]:
    """The items of a "a; b" cell, trimmed, without blanks or repeats, in the file's order."""
    items = (item.strip() for item in cell.split(";"))
    return tuple(dict.fromkeys(item for item in items if item))


def join_list(items: tuple[str, ...] | list[str]) -> str:
    return "; ".join(items)


def read_status(cell: str) -> str | None:
    """The membership status, or None when the cell is blank."""
    status = cell.strip().casefold()
    if not status:
        return None
    if status not in MEMBERSHIP_STATUSES:
        raise BadCellError(f"unknown status {cell.strip()!r} (allowed: {', '.join(MEMBERSHIP_STATUSES)})")
    return status


def read_sectors(cell: str) -> tuple[str, ...]:
    """Equality sector keys, from keys or display names, in the canonical order."""
    keys: set[str] = set()
    for item in split_list(cell):
        key = _SECTOR_NAMES.get(item.casefold())
        if key is None:
            raise BadCellError(f"unknown equality sector {item!r} (allowed: {', '.join(EQUALITY_SECTORS)})")
        keys.add(key)
    # One order whatever the file's, so that "disabled; women" and "women; disabled" are the same.
    return tuple(sorted(keys, key=_SECTOR_ORDER.__getitem__))


def _read_contact(item: str) -> Contact:
    match = _CONTACT.fullmatch(item)
    if match is None:
        if is_email(item):
            return Contact("", item)
        raise BadCellError(f"other contact {item!r} is not written as Name <email>")
    email = match["email"].strip()
    if not is_email(email):
        raise BadCellError(f"other contact email {email!r} is not an email address")
    return Contact(match["name"].strip(), email)


def read_contacts(cell: str) -> tuple[Contact, ...]:
    """Other contacts from "Name <email>; Name <email>" (a bare email is a contact without a name)."""
    contacts = tuple(_read_contact(item) for item in split_list(cell))
    seen: set[str] = set()
    for contact in contacts:
        key = contact.email.casefold()
        if key in seen:
            raise BadCellError(f"other contact {contact.email} is listed twice")
        seen.add(key)
    return contacts


def format_contacts(contacts: tuple[Contact, ...] | list[Contact]) -> str:
    return join_list([f"{c.name} <{c.email}>" if c.name else c.email for c in contacts])
