"""Hostile input for the tests of issue 7, section 4: text a careless program, a broken spreadsheet or
an attacker might send, and a fingerprint of the whole database to show that a refusal wrote nothing."""

from __future__ import annotations

import hashlib

from hypothesis import strategies as st
from sqlalchemy import select
from sqlmodel import SQLModel

from nominations.db.engine import Database

# Each of these has broken some program somewhere: NUL (PostgreSQL refuses it in text), numbers
# too long for int() or for a 64-bit column, digits that str.isdigit() takes but int() does not,
# formulas, markup, bidi overrides, a byte order mark, a lone line separator.
SNIPPETS: tuple[str, ...] = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t",
    "\r\n",
    "\u2028",
    "\u202eevil",
    "\ufeff",
    "🙂 Zoë Ünal",
    "²",
    "٣",
    "\uff11\uff12",
    "0",
    "-1",
    "007",
    "1.5",
    "1e309",
    "NaN",
    "99999999999999999999",
    "9223372036854775808",
    "9" * 5000,
    "=1+1",
    "@SUM(A1)",
    "+44 20",
    '=HYPERLINK("http://evil.example")',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "{{ 7 * 7 }}",
    "x@y.example",
    "a" * 300,
)


def texts(*, huge: bool = True) -> st.SearchStrategy[str]:
    """Text of every kind: the snippets above, arbitrary unicode, and (when `huge`) long runs."""
    parts: list[st.SearchStrategy[str]] = [
        st.sampled_from(SNIPPETS),
        st.text(max_size=40),
        st.text(st.characters(codec="utf-8", categories=("Cc", "Cf", "Zs", "Zl", "Nd", "No")), max_size=12),
    ]
    if huge:  # long but (alone) under the 1 MB body limit; several can add up past it, and must be refused
        parts.append(
            st.builds(_run, st.sampled_from(["x", "word ", "é", "\x00"]), st.integers(10_000, 300_000))
        )
    return st.one_of(*parts)


def _run(piece: str, length: int) -> str:
    return (piece * (length // len(piece) + 1))[:length]


def database_state(db: Database) -> dict[str, tuple[int, str]]:
    """Every table's row count and a hash of its rows: unchanged means nothing was written."""
    found: dict[str, tuple[int, str]] = {}
    with db.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            rows = sorted(repr(tuple(row)) for row in conn.execute(select(table)))
            found[table.name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return found


def changed(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    """The tables whose rows differ (by count, or by content with the same count)."""
    return [name for name in sorted(before.keys() | after.keys()) if before.get(name) != after.get(name)]
