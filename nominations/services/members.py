"""Import a network's members from a CSV file (one transaction, one audit event) and export them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from nominations.actors import Actor
from nominations.clock import Clock
from nominations.db.engine import Database
from nominations.db.models import Network
from nominations.members import csvformat
from nominations.members.columns import MembersFileError, parse_mapping
from nominations.members.plan import plan_import
from nominations.members.record import RowProblem
from nominations.services.audit_log import append_event
from nominations.services.member_store import load_roll, write_plan
from nominations.services.network_admin import find_network

Progress = Callable[[str, int, int], None]  # (stage, done, total): "reading" characters, "writing" rows


@dataclass(frozen=True)
class ImportReport:
    network_id: int
    network_name: str
    rows: int  # data rows in the file
    added: int
    updated: int
    unchanged: int
    problems: list[RowProblem]  # one per bad row, in line order
    ignored_columns: list[str]
    written: bool  # False for a dry run, and when bad rows stopped the import


def read_members_file(path: Path) -> bytes:
    """The file's bytes, refusing a missing or oversized file before reading it."""
    if not path.is_file():
        raise MembersFileError(f"{path}: no such file")
    size = path.stat().st_size
    if size > csvformat.MAX_BYTES:
        raise MembersFileError(
            f"{path}: the file is {size / 2**20:.1f} MB, over the {csvformat.MAX_LABEL} limit; "
            "split it and import the parts"
        )
    return path.read_bytes()


def import_members(
    db: Database,
    clock: Clock,
    path: Path,
    *,
    actor: Actor,
    network: str | None = None,
    mapping: Sequence[str] = (),
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Add and update members from the file; nothing is written if any row is bad, unless skip_bad."""
    tell = progress or (lambda _stage, _done, _total: None)
    columns = parse_mapping(mapping)
    data = read_members_file(path)
    with db.transaction() as session:  # fail on a wrong --network before reading a long file
        found = find_network(session, network)
        network_id, network_name = found.id or 0, found.name
    text = csvformat.decode(data, str(path))
    parsed = csvformat.parse(text, columns, str(path), lambda done, total: tell("reading", done, total))
    with db.transaction() as session:
        # Locking the network's row makes two imports into one network on PostgreSQL take turns
        # (SQLite's BEGIN IMMEDIATE already does) instead of failing on each other's new emails.
        session.get(Network, network_id, with_for_update=True)
        roll = load_roll(session, network_id)
        plan = plan_import(parsed.rows, roll.members)
        problems = sorted([*parsed.problems, *plan.problems], key=lambda p: p.line)
        write = not dry_run and (skip_bad or not problems)
        if write:
            added, updated = write_plan(
                session, network_id, plan, roll, lambda done, total: tell("writing", done, total)
            )
            # Ids and counts only: names and emails are personal data and stay out of the chain.
            payload = {
                "added": len(added), "updated": len(updated), "unchanged": plan.unchanged,
                "skipped": len(problems), "added_ids": added, "updated_ids": updated,
            }  # fmt: skip
            append_event(
                session, occurred_at=clock.now(), actor=actor, action="members_import",
                entity_type="network", entity_id=network_id, payload=payload,
            )  # fmt: skip
    return ImportReport(
        network_id, network_name, parsed.total, len(plan.added), len(plan.updated), plan.unchanged,
        problems, parsed.ignored_columns, write,
    )  # fmt: skip


def export_members(db: Database, out: TextIO, network: str | None = None) -> tuple[str, int]:
    """Write the network's members in the import's format, by name; return (network name, rows)."""
    with db.transaction() as session:
        found = find_network(session, network)
        roll = load_roll(session, found.id or 0)
    members = sorted(roll.members, key=lambda e: (e.member.name.casefold(), e.id))
    return found.name, csvformat.write((e.member for e in members), out)
