"""Cells for CSV files that people open in a spreadsheet."""

from __future__ import annotations

# A spreadsheet runs a cell that starts like a formula (CSV injection); tab and carriage return
# are on the list too because some spreadsheets skip them before looking for "=".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text, with a leading apostrophe if a spreadsheet would read it as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
