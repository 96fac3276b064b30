"""Read a members CSV file into good rows and a report of the bad ones; write the roll back out."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from nominations.members.cells import format_contacts, join_list
from nominations.members.columns import FIELDS, MembersFileError, locate
from nominations.members.record import Member, MemberRow, RowProblem
from nominations.members.rows import find_duplicates, read_row

MAX_BYTES = 50 * 1024 * 1024
MAX_LABEL = "50 MB"

Progress = Callable[[int, int], None]  # (characters read, characters in all)


@dataclass(frozen=True)
class ParsedFile:
    rows: list[MemberRow]  # the good rows, in file order
    problems: list[RowProblem]  # one per bad row, in line order
    ignored_columns: list[str]
    total: int  # data rows in the file (blank lines are not rows)


def decode(data: bytes, source: str) -> str:
    """The file's text: UTF-8 with or without a byte order mark, or a refusal naming the line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise MembersFileError(
            f"{source}: not UTF-8 text (line {line} has the byte 0x{data[exc.start]:02X}); "
            'save it as "CSV UTF-8" and import it again'
        ) from None
    if (nul := data.find(b"\0")) >= 0:  # a spreadsheet's own format; PostgreSQL refuses it in text
        line = data.count(b"\n", 0, nul) + 1
        raise MembersFileError(
            f"{source}: line {line} holds a NUL character, which CSV text never does; "
            'save it as "CSV UTF-8" and import it again'
        )
    return text


def _lines(text: str, progress: Progress | None) -> Iterator[str]:
    done = 0
    # newline="" keeps line ends as they are, so the csv module can see quoted line breaks.
    for i, line in enumerate(io.StringIO(text, newline="")):
        done += len(line)
        if progress is not None and i % 2000 == 0:
            progress(done, len(text))
        yield line
    if progress is not None:
        progress(len(text), len(text))


def _records(text: str, source: str, progress: Progress | None) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, its cells), skipping blank lines."""
    reader = csv.reader(_lines(text, progress), strict=True)
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise MembersFileError(f"{source}:{start}: not valid CSV: {exc} (is a quote left open?)") from None


def parse(text: str, mapping: dict[str, str], source: str, progress: Progress | None = None) -> ParsedFile:
    """Every row checked; refuses (MembersFileError) a file whose header or CSV is unusable."""
    records = _records(text, source, progress)
    first = next(records, None)
    if first is None:
        raise MembersFileError(f"{source}: the file is empty; its first line must name the columns")
    header = first[1]
    positions, ignored = locate(header, mapping, source)
    rows: list[MemberRow] = []
    problems: dict[int, list[str]] = {}
    total = 0
    for line, cells in records:
        total += 1
        if len(cells) != len(header):
            problems[line] = [f"has {len(cells)} values but the header names {len(header)} columns"]
            continue
        row, wrong = read_row(line, {field: cells[i] for field, i in positions.items()})
        if wrong:
            problems[line] = wrong
        rows.append(row)
    for line, message in find_duplicates(rows):
        problems.setdefault(line, []).append(message)
    return ParsedFile(
        rows=[row for row in rows if row.line not in problems],
        problems=[RowProblem(line, "; ".join(problems[line])) for line in sorted(problems)],
        ignored_columns=ignored,
        total=total,
    )


def write(members: Iterable[Member], out: TextIO) -> int:
    """Write the header and one row per member, in the import's format; return the rows written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    written = 0
    for m in members:
        writer.writerow([
            m.external_id or "", m.name, m.status, m.contact_name, m.contact_email,
            format_contacts(m.other_contacts), join_list(m.interest_areas), join_list(m.equality_sectors),
        ])  # fmt: skip
        written += 1
    return written
