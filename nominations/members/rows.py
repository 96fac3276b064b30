"""One row of the members file checked cell by cell, and the rows checked against each other."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TypeVar

from nominations.members.cells import (
    BadCellError,
    is_email,
    read_contacts,
    read_sectors,
    read_status,
    split_list,
)
from nominations.members.record import MemberRow, other_lines

T = TypeVar("T")


def read_row(line: int, cells: dict[str, str]) -> tuple[MemberRow, list[str]]:
    """The row as read, and every problem with it (none when the row is good)."""
    problems: list[str] = []

    def cell(field: str, read: Callable[[str], T]) -> T | None:
        if field not in cells:  # the file has no such column: the roll keeps what it has
            return None
        try:
            return read(cells[field])
        except BadCellError as exc:
            problems.append(str(exc))
            return None

    name = cells["name"].strip()
    if not name:
        problems.append("name is empty")
    email = cells["voting_contact_email"].strip()
    if not email:
        problems.append("no voting contact email")
    elif not is_email(email):
        problems.append(f"voting contact email {email!r} is not an email address")
    row = MemberRow(
        line=line,
        name=name,
        contact_email=email,
        contact_name=cell("voting_contact_name", str.strip),
        status=cell("status", read_status),
        # A blank id never erases one the roll holds.
        external_id=cell("external_id", str.strip) or None,
        interest_areas=cell("interest_areas", split_list),
        equality_sectors=cell("equality_sectors", read_sectors),
        other_contacts=cell("other_contacts", read_contacts),
    )
    return row, problems


def _repeated(rows: list[MemberRow], key: Callable[[MemberRow], str | None]) -> dict[str, list[int]]:
    lines: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        value = key(row)
        if value is not None:
            lines[value].append(row.line)
    return {value: found for value, found in lines.items() if len(found) > 1}


def find_duplicates(rows: list[MemberRow]) -> list[tuple[int, str]]:
    """(line, problem) for every row sharing a voting contact email or an external id with another."""
    found: list[tuple[int, str]] = []
    checks: list[tuple[str, Callable[[MemberRow], str | None]]] = [
        ("voting contact email", lambda r: r.contact_email.casefold() if is_email(r.contact_email) else None),
        ("external id", lambda r: r.external_id),
    ]
    for what, key in checks:
        for value, lines in _repeated(rows, key).items():
            for line in lines:
                found.append((line, f"{what} {value} is also on {other_lines(lines, line)}"))
    return found
