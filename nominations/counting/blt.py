"""BLT ballot files, as OpenSTV, Droop and the Scottish ballot data write them: read, write, pack.

    7 4                        candidates, seats
    -2 -5                      optional: withdrawn candidates
    (b7) 18 1 2 0              a ballot line: optional id, how many papers, preferences, 0
    0                          end of the ballots
    "Karen ""Kaz"" CONAGHAN"   one name a line, quoted ("" for a quote) or bare
    "Dumbarton"                the title (optional)

The comma-separated dialect puts commas between the fields. A name line of two quoted strings (name
and party, as some Scottish files have) reads as "name (party)". A `-` is a skipped rank. Equal
rankings (`=`) and anything else unexpected are refused with the file, the line and what was expected.

Counts walk *rows*, the ballot lines themselves: how many papers, and their preferences as 1-based
candidate numbers ending with 0, kept in two columns.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import NamedTuple, cast

from nominations.counting.model import Ballot, CountingError, Election

Rank = Sequence[int]  # 1-based candidate numbers, then 0; bytes when read fast, else a tuple


class Rows(NamedTuple):
    """Ballot lines as columns: `weights[i]` papers rank `ranks[i]`.

    With `numbers`, the ranks hold codes, and code k stands for candidate `numbers[k]`: the fast
    reader numbers candidates in the order their numbers sort as text (1, 10, 11, 2, ...), so that
    rows written in text order, as BLT files often are, need no sorting.
    """

    weights: Sequence[int]
    ranks: Sequence[Rank]
    numbers: Sequence[int] | None = None

    def pairs(self) -> Iterator[tuple[int, Rank]]:
        return zip(self.weights, self.ranks, strict=True)

    def ballots(self) -> Iterator[Ballot]:
        """The rows as ballots: 0-based candidate indexes, in file order."""
        if (number := self.numbers) is None:
            return (Ballot(w, tuple(c - 1 for c in rank[:-1])) for w, rank in self.pairs())
        return (Ballot(w, tuple(number[c] - 1 for c in rank[:-1])) for w, rank in self.pairs())


_END = re.compile(rb"\n[ \t,]*0[ \t,]*(?=\n|\Z)")  # the line `0` after the ballots


class BltError(CountingError):
    """A BLT file that cannot be read; the message names the file, the line and what was expected."""


def read_blt(path: str | Path) -> Election:
    """The election in a BLT file."""
    header, rows = read_blt_rows(path)
    return replace(header, ballots=unpack(rows))


def read_blt_rows(path: str | Path) -> tuple[Election, Rows]:
    """A BLT file's election without ballots, and its ballots as rows (fast: no object per paper)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BltError(f"{path}: cannot read the file ({exc.strerror})") from None
    return parse_blt_rows(data, str(path))


def parse_blt(data: bytes | str, source: str = "<text>") -> Election:
    """The election in BLT text; `source` names it in error messages."""
    header, rows = parse_blt_rows(data, source)
    return replace(header, ballots=unpack(rows))


def parse_blt_rows(data: bytes | str, source: str = "<text>") -> tuple[Election, Rows]:
    """BLT text as an election without ballots, and its ballots as rows."""
    raw = data.encode() if isinstance(data, str) else data
    text = raw.removeprefix(codecs.BOM_UTF8).replace(b"\r\n", b"\n")
    at = _line_end(text, 0)  # `at` is always the newline before the next line to read
    comma = b"," in text[:at]
    n, seats = _header(text[:at].decode("ascii", "replace"), comma, f"{source}, line 1")
    second = text[at + 1 : _line_end(text, at + 1)].decode("ascii", "replace")
    withdrawn = _withdrawn(second, n, comma, f"{source}, line 2")
    start = 2 if withdrawn is None else 3
    if withdrawn is not None:
        at = _line_end(text, at + 1)
    end = _END.search(text, at)
    if end is None:
        last = text.count(b"\n") + 1
        raise BltError(f"{source}, line {last}: expected a line `0` after the ballots, found the file's end")
    section = text[at + 1 : end.start()]
    rows = None if comma else _fast_rows(section, n)
    if rows is None:
        rows = _slow_rows(section.decode("utf-8", "replace"), n, comma, source, start)
    names_from = text.count(b"\n", 0, end.start()) + 3
    names, title = _names_and_title(text[end.end() :], n, comma, source, names_from)
    return Election(tuple(names), seats, (), withdrawn or frozenset(), title), rows


def _line_end(text: bytes, start: int) -> int:
    end = text.find(b"\n", start)
    return len(text) if end < 0 else end


def unpack(rows: Rows) -> tuple[Ballot, ...]:
    """Rows as ballots (0-based candidate indexes)."""
    return tuple(rows.ballots())


def pack(election: Election) -> Rows:
    """The election's ballots as rows, identical rankings added together; refuses impossible ballots."""
    n = len(election.candidates)
    weights: dict[tuple[int, ...], int] = {}
    for ballot in election.ballots:
        check_ballot(ballot, n)
        weights[ballot.ranking] = weights.get(ballot.ranking, 0) + ballot.weight
    return Rows(list(weights.values()), [(*(c + 1 for c in ranking), 0) for ranking in weights])


def check_election(election: Election) -> None:
    """Refuse an election with no seat to fill, or a withdrawn candidate who is not standing."""
    if election.seats < 1:
        raise CountingError(f"there must be at least one seat to fill, not {election.seats}")
    n = len(election.candidates)
    if any(not 0 <= c < n for c in election.withdrawn):
        raise CountingError(f"a withdrawn candidate is not one of the {n} candidates")


def check_ballot(ballot: Ballot, n: int) -> None:
    """Refuse a ballot with no papers, an unknown candidate, or a candidate ranked twice."""
    if ballot.weight < 1:
        raise CountingError(f"a ballot must stand for at least one paper, not {ballot.weight}")
    if any(not 0 <= c < n for c in ballot.ranking):
        raise CountingError(f"a ballot ranks a candidate who does not exist: {list(ballot.ranking)}")
    if len(set(ballot.ranking)) != len(ballot.ranking):
        raise CountingError(f"a ballot ranks the same candidate twice: {list(ballot.ranking)}")


def format_blt(election: Election) -> str:
    """The election as BLT text; reading it back gives the same election."""
    n = len(election.candidates)
    lines = [f"{n} {election.seats}"]
    if election.withdrawn:
        lines.append(" ".join(f"-{c + 1}" for c in sorted(election.withdrawn)))
    for ballot in election.ballots:
        check_ballot(ballot, n)
        lines.append(" ".join([str(ballot.weight), *(str(c + 1) for c in ballot.ranking), "0"]))
    lines.append("0")
    lines.extend(_quoted(name) for name in (*election.candidates, election.title))
    return "\n".join(lines) + "\n"


def write_blt(election: Election, path: str | Path) -> None:
    """Write the election to a BLT file."""
    Path(path).write_text(format_blt(election), encoding="utf-8")


def _quoted(name: str) -> str:
    if "\n" in name or "\r" in name or name != name.strip():
        raise CountingError(f"a BLT name cannot hold a line break or start or end with a space: {name!r}")
    return '"' + name.replace('"', '""') + '"'


# ---- reading, line by line --------------------------------------------------------------------------

_STRICT = b"0123456789 \n"
# While decoding in bulk, candidate k is the byte 128 + k and a line's closing 0 the byte 0xFE;
# then those become k and 0, and each line break 0xFF, to split the rows at.
_TO_RANKS = bytes(b - 128 if 128 < b < 0xFE else {0xFE: 0, 10: 0xFF}.get(b, b) for b in range(256))
_NOT_WEIGHT = bytes(b for b in range(256) if b not in b"0123456789\n")
_AFTER_SPACE = bytes(0xFF if b == ord(" ") else 0 for b in range(256))  # all bits where a space is
_SHAPE = bytes(ord("C") if b >= 128 else ord("D") if b in b"0123456789" else ord(".") for b in range(256))
# No count comes near 10**18 papers; int() refuses numbers of over 4,300 digits with a ValueError.
_DIGITS = 18
_WEIGHTS = {b"%d" % w: w for w in range(1, 1000)}  # int() is slower than looking up a common weight


def _fast_rows(section: bytes, n: int) -> Rows | None:
    """Plainly written ballot lines decoded in bulk, in C; None sends anything else to `_slow_rows`."""
    if not section:
        return Rows([], [])
    if n > 125 or section.translate(None, _STRICT) or section[:1] in b" 0":
        return None
    if b"\n " in section or b"\n0" in section or b" 0 " in section:  # odd starts, a 0 inside a line
        return None
    if section.count(b" 0\n") != section.count(b"\n") or not section.endswith(b" 0"):
        return None  # a line that does not end with " 0"
    numbers = [0, *sorted(range(1, n + 1), key=str)]  # the candidates in text order: 1, 10, 2, ...
    text = _coded(section, numbers)
    if text is None:
        return None
    digits = text.translate(None, _NOT_WEIGHT)  # the weights, if every number after a space was coded
    if len(text) != len(digits) + 2 * text.count(b" "):  # each space must be followed by one byte
        return None  # (a number that is no candidate's, or spaces doubled)
    joined = text.translate(_TO_RANKS, b" 0123456789")  # each line's candidates, then 0, then 0xFF
    for k in range(1, n + 1):  # keep only k and the closing zeros: k twice in a row is a repeat
        if _twice(k) in joined.translate(None, _all_but(k)):
            return None
    written = digits.split(b"\n")
    common = list(map(_WEIGHTS.get, written))
    if None in common and max(map(len, written)) > _DIGITS:
        return None  # a weight too long to be real: the careful reader says where
    weights = list(map(int, written)) if None in common else cast(list[int], common)
    return Rows(weights, joined.split(b"\xff"), numbers if n > 9 else None)


def _coded(section: bytes, numbers: list[int]) -> bytes | None:
    """The section with each candidate number k written as one byte, 128 + its code (its place in
    `numbers`), and each line's closing 0 as 0xFE; weights stay as they are. None if a number of
    two digits or more is left that is no candidate's (or a repeat of the one before)."""
    for code, k in enumerate(numbers[1:], start=1):
        if k > 9:
            section = section.replace(b" %d " % k, b" %c " % (128 + code))
    # One digit is a candidate (or the closing 0) exactly when a space comes before it, a weight's
    # digit never. So take each byte from the section with every digit coded if the byte before it
    # is a space, else from the section as it is: a bitwise select over the whole section at once.
    coded = section.translate(_digit_codes(len(numbers) - 1))
    plain, select = int.from_bytes(section), int.from_bytes((b"\0" + section[:-1]).translate(_AFTER_SPACE))
    chosen = (plain ^ ((plain ^ int.from_bytes(coded)) & select)).to_bytes(len(section))
    return None if b"CD" in chosen.translate(_SHAPE) else chosen  # a digit right after a code


@cache
def _digit_codes(n: int) -> bytes:
    """Translate digit k to 128 + its code (k <= n), and 0 to 0xFE; other digits stay, to be caught."""
    numbers = sorted(range(1, n + 1), key=str)
    table = bytearray(range(256))
    table[ord("0")] = 0xFE
    for k in range(1, min(n, 9) + 1):
        table[ord("0") + k] = 128 + 1 + numbers.index(k)
    return bytes(table)


@cache
def _twice(k: int) -> bytes:
    return bytes((k, k))


@cache
def _all_but(k: int) -> bytes:
    """Every byte but 0 and k: what `translate` deletes to keep those two."""
    return bytes(c for c in range(1, 256) if c != k)


def _slow_rows(section: str, n: int, comma: bool, source: str, start: int) -> Rows:
    weights: list[int] = []
    ranks: list[Rank] = []
    for offset, line in enumerate(section.split("\n")):
        tokens = (line.replace(",", " ") if comma else line).split()
        if tokens:
            weight, rank = _ballot_line(tokens, n, f"{source}, line {start + offset}")
            weights.append(weight)
            ranks.append(rank)
    return Rows(weights, ranks)


def _ballot_line(tokens: list[str], n: int, where: str) -> tuple[int, Rank]:
    if tokens[0].startswith("(") and tokens[0].endswith(")"):
        tokens = tokens[1:]  # a ballot id: the count has no use for it
    weight = _whole(tokens[0]) if tokens else None
    if weight is None or weight < 1:
        found = tokens[0] if tokens else "nothing"
        raise BltError(f"{where}: expected the number of ballots (a whole number above 0), found {found!r}")
    ranks: list[int] = []
    for i, token in enumerate(tokens[1:], start=2):
        number = _whole(token)
        if "=" in token:
            raise BltError(f"{where}: equal rankings ({token!r}) cannot be counted; give each its own rank")
        if number == 0:
            if i != len(tokens):
                raise BltError(f"{where}: expected nothing after the closing 0, found {tokens[i]!r}")
            return weight, (*ranks, 0)
        if token == "-":
            continue  # a skipped rank
        if number is None or number > n:
            raise BltError(f"{where}: expected a candidate number from 1 to {n} or 0, found {token!r}")
        if number in ranks:
            raise BltError(f"{where}: candidate {number} is ranked twice")
        ranks.append(number)
    raise BltError(f"{where}: expected 0 at the end of the ballot line")


def _header(line: str, comma: bool, where: str) -> tuple[int, int]:
    numbers = [_whole(t) for t in (line.replace(",", " ") if comma else line).split()]
    match numbers:
        case [int(n), int(seats)] if n > 0 and seats > 0:
            return n, seats
    expected = "the number of candidates and the number of seats"
    raise BltError(f"{where}: expected {expected}, found {line.strip()!r}")


def _withdrawn(line: str, n: int, comma: bool, where: str) -> frozenset[int] | None:
    tokens = (line.replace(",", " ") if comma else line).split()
    if not tokens or not all(t.startswith("-") and _whole(t[1:]) is not None for t in tokens):
        return None
    numbers = [int(t[1:]) for t in tokens]
    for k in numbers:
        if not 1 <= k <= n:
            raise BltError(f"{where}: expected withdrawn candidates from -1 to -{n}, found -{k}")
    return frozenset(k - 1 for k in numbers)


def _names_and_title(tail: bytes, n: int, comma: bool, source: str, first: int) -> tuple[list[str], str]:
    try:
        text = tail.decode("utf-8")
    except UnicodeDecodeError as exc:
        number = first - 1 + tail.count(b"\n", 0, exc.start)
        found = f"the byte {tail[exc.start]:#x}"
        raise BltError(f"{source}, line {number}: expected UTF-8 text, found {found}") from None
    lines = text.split("\n")[1:]  # the first piece is the rest of the `0` line
    names: list[str] = []
    title: str | None = None
    for offset, line in enumerate(lines):
        where = f"{source}, line {first + offset}"
        if not line.strip(" \t,"):
            continue
        if len(names) < n:
            names.append(_name(line, comma, where))
        elif title is None:
            title = _name(line, comma, where)
        else:
            raise BltError(f"{where}: expected nothing after the title, found {line.strip()!r}")
    if len(names) < n:
        end = first + len(lines) - (1 if lines and not lines[-1].strip() else 0)  # where the name was due
        where = f"{source}, line {end}"
        expected = f"the name of candidate {len(names) + 1} of {n}"
        raise BltError(f"{where}: expected {expected}, found the file's end")
    return names, title or ""


def _name(line: str, comma: bool, where: str) -> str:
    text = line.strip()
    if not comma and not text.startswith('"'):
        return text
    try:
        reader = csv.reader([text], delimiter="," if comma else " ", skipinitialspace=True, strict=True)
        fields = [field.strip() for field in next(reader)]
    except csv.Error as exc:
        expected = 'a name in double quotes ("" for a quote inside)'
        raise BltError(f"{where}: expected {expected}, found {text!r} ({exc})") from None
    if comma:
        return " ".join(f for f in fields if f)
    name, *party = fields
    party = [p for p in party if p]
    return f"{name} ({' '.join(party)})" if party else name


def _whole(token: str) -> int | None:
    return int(token) if token.isascii() and token.isdigit() and len(token) <= _DIGITS else None
