"""The members file's columns, and how a file's own column names are matched to them (--map)."""

from __future__ import annotations

from collections.abc import Sequence

from nominations.errors import NominationsError

FIELDS = (
    "external_id", "name", "status", "voting_contact_name", "voting_contact_email",
    "other_contacts", "interest_areas", "equality_sectors",
)  # fmt: skip
REQUIRED = ("name", "voting_contact_email")


class MembersFileError(NominationsError):
    """The file as a whole, or a --map, is refused before any row is looked at."""


def _key(column: str) -> str:
    return column.strip().casefold()


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """`--map "File column=field"` options as {file column: field}."""
    mapping: dict[str, str] = {}
    for item in items:
        # Field names never hold "=", a column name might: split at the last one.
        column, equals, field = item.rpartition("=")
        column, field = column.strip(), field.strip()
        if not equals or not column:
            raise MembersFileError(f"--map {item!r} should be written column=field")
        if field not in FIELDS:
            raise MembersFileError(f"--map {item!r}: {field!r} is not a field (fields: {', '.join(FIELDS)})")
        if any(_key(known) == _key(column) for known in mapping):
            raise MembersFileError(f"--map names the column {column!r} twice")
        mapping[column] = field
    return mapping


def locate(header: list[str], mapping: dict[str, str], source: str) -> tuple[dict[str, int], list[str]]:
    """Which position holds each field, and the file's columns that fill none (they are ignored)."""
    names = [cell.strip() for cell in header]
    keys = [_key(cell) for cell in header]
    listed = ", ".join(names)
    wanted = {_key(column): field for column, field in mapping.items()}
    absent = [column for column in mapping if _key(column) not in keys]
    if absent:
        raise MembersFileError(
            f"{source}:1: --map names the column {absent[0]!r}, which the file does not have "
            f"(its columns: {listed})"
        )
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for i, key in enumerate(keys):
        field = wanted.get(key, key if key in FIELDS else None)
        if field is None:
            if names[i]:  # a trailing comma makes a nameless, empty column: not worth a mention
                ignored.append(names[i])
        elif field in positions:
            first = names[positions[field]]
            raise MembersFileError(
                f"{source}:1: the columns {first!r} and {names[i]!r} would both fill {field}"
            )
        else:
            positions[field] = i
    missing = [field for field in REQUIRED if field not in positions]
    if missing:
        raise MembersFileError(
            f"{source}:1: no {' or '.join(missing)} column (its columns: {listed}); "
            f'name one with --map "Your column={missing[0]}"'
        )
    return positions, ignored
