"""What representation cost, totalled per partnership or per funder: rows, a total and a CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TextIO

from sqlalchemy import func
from sqlmodel import col, select

from nominations.db.engine import Database
from nominations.db.models import Network, Partnership
from nominations.db.term_models import CostEntry
from nominations.services.costs import CostError
from nominations.spreadsheet import safe_cell

GROUPINGS = ("partnership", "funder")


@dataclass(frozen=True)
class CostRow:
    """The totals of one partnership (with its network) or one funder; no person is named."""

    label: str
    network: str
    entries: int
    minutes: int
    pence: int

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def pounds(self) -> Decimal:
        return (Decimal(self.pence) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class CostFilter:
    """Which costs a report counts: incurred from `start` to `end` (both included), in one network."""

    start: date | None = None
    end: date | None = None
    network_id: int | None = None


def total(rows: list[CostRow]) -> CostRow:
    """One row adding up all the others."""
    return CostRow(
        "Total",
        "",
        sum(r.entries for r in rows),
        sum(r.minutes for r in rows),
        sum(r.pence for r in rows),
    )


def cost_report(db: Database, by: str, where: CostFilter = CostFilter()) -> list[CostRow]:
    """The totals grouped `by` partnership or funder, in name order; an empty list if nothing matches."""
    if by not in GROUPINGS:
        raise CostError(f"a report is by partnership or by funder, not by {by!r}")
    if where.start and where.end and where.start > where.end:
        raise CostError(f"the report would start on {where.start}, after it ends on {where.end}")
    sums: list[Any] = [
        func.count(col(CostEntry.id)),
        func.coalesce(func.sum(CostEntry.minutes), 0),
        func.coalesce(func.sum(CostEntry.amount_pence), 0),
    ]
    if by == "partnership":
        keys: list[Any] = [col(Partnership.name), col(Network.name), col(Partnership.id)]
        query = select(*keys, *sums).join(Partnership, col(Partnership.id) == CostEntry.partnership_id)
        query = query.join(Network, col(Network.id) == CostEntry.network_id)
    else:
        keys = [col(CostEntry.funder)]
        query = select(*keys, *sums)
    if where.start:
        query = query.where(col(CostEntry.incurred_on) >= where.start)
    if where.end:
        query = query.where(col(CostEntry.incurred_on) <= where.end)
    if where.network_id is not None:
        query = query.where(CostEntry.network_id == where.network_id)
    with db.transaction() as session:
        if where.network_id is not None and session.get(Network, where.network_id) is None:
            raise CostError(f"there is no network {where.network_id}")
        found = session.exec(query.group_by(*keys)).all()
    if by == "partnership":
        rows = [CostRow(r[0], r[1], r[3], int(r[4]), int(r[5])) for r in found]
    else:
        rows = [CostRow(r[0], "", r[1], int(r[2]), int(r[3])) for r in found]
    # Sorted here, not in SQL: PostgreSQL's collation and SQLite's byte order would disagree.
    return sorted(rows, key=lambda r: (r.network.casefold(), r.label.casefold(), r.network, r.label))


def write_csv(rows: list[CostRow], by: str, out: TextIO) -> None:
    """The rows as CSV (no total row, so a spreadsheet's own sums stay right); text kept text."""
    writer = csv.writer(out, lineterminator="\r\n")
    labels = ["network", "partnership"] if by == "partnership" else ["funder"]
    writer.writerow([*labels, "entries", "minutes", "hours", "pence", "pounds"])
    for r in rows:
        named = [r.network, r.label] if by == "partnership" else [r.label]
        writer.writerow(safe_cell(v) for v in [*named, r.entries, r.minutes, r.hours, r.pence, r.pounds])
