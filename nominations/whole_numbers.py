"""Whole numbers typed into a form or a query string, read the one safe way.

`str.isdigit()` is true of "²" and "٣", which int() refuses or reads as 3, and of 5,000 nines, which
int() refuses (a ValueError) and no database column can hold. An id, a version, a score or a count
a page asks for is ASCII digits, and never more than 18 of them (under the 2**63 of a 64-bit column).
"""

from __future__ import annotations

MAX_DIGITS = 18


def whole_number(text: str) -> int | None:
    """The number `text` is written as (ASCII digits only, nothing around them), or None."""
    if text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS:
        return int(text)
    return None
