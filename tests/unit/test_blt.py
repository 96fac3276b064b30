"""BLT files: the dialects read, malformed files refused with the line and what was expected, and
the writer's output read back to the same election."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nominations.counting.blt as blt
from nominations.counting.blt import BltError, Rows, format_blt, pack, parse_blt, parse_blt_rows, unpack
from nominations.counting.model import Ballot, CountingError, Election

QUOTED = """4 2
-4
(b1) 3 1 2 0
2 2 - 3 0
1 3 0
4 0
0
"Karen ""Kaz"" CONAGHAN"
"Sasha BRYDON" "Scottish Labour Party"
  Brian WALKER (C)
"Withdrawn Person"
"Ward 3 - Dumbarton"
"""


def test_the_common_dialect_reads_names_withdrawn_ids_and_skipped_ranks() -> None:
    election = parse_blt(QUOTED)
    assert election.candidates == (
        'Karen "Kaz" CONAGHAN',
        "Sasha BRYDON (Scottish Labour Party)",
        "Brian WALKER (C)",
        "Withdrawn Person",
    )
    assert (election.seats, election.withdrawn, election.title) == (2, frozenset({3}), "Ward 3 - Dumbarton")
    assert election.ballots == (Ballot(3, (0, 1)), Ballot(2, (1, 2)), Ballot(1, (2,)), Ballot(4, ()))


def test_the_comma_separated_dialect_and_windows_line_ends_read_the_same() -> None:
    text = '\ufeff3,1,\r\n2,1,3,0,\r\n1,2,0,\r\n0,\r\nAnn,SMITH\r\n"Bo, Jr",\r\nCy,\r\nThe title,\r\n'
    election = parse_blt(text)
    assert election.candidates == ("Ann SMITH", "Bo, Jr", "Cy")
    assert election.ballots == (Ballot(2, (0, 2)), Ballot(1, (1,)))
    assert (election.seats, election.title) == (1, "The title")


def test_a_file_without_a_title_or_ballots_still_reads() -> None:
    assert parse_blt("2 1\n0\nA\nB") == Election(("A", "B"), 1, ())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "<text>, line 1: expected the number of candidates and the number of seats, found ''"),
        ("3\n0\n", "line 1: expected the number of candidates and the number of seats, found '3'"),
        ("2 0\n0\nA\nB\n", "line 1: expected the number of candidates and the number of seats"),
        ("2 1\n-3\n0\nA\nB\n", "line 2: expected withdrawn candidates from -1 to -2, found -3"),
        ("2 1\n0 1 0\n0\nA\nB\n", "line 2: expected the number of ballots .*, found '0'"),
        ("2 1\nx 1 0\n0\nA\nB\n", "line 2: expected the number of ballots .*, found 'x'"),
        ("2 1\n1 1 3 0\n0\nA\nB\n", "line 2: expected a candidate number from 1 to 2 or 0, found '3'"),
        ("2 1\n1 1 1 0\n0\nA\nB\n", "line 2: candidate 1 is ranked twice"),
        ("2 1\n1 1=2 0\n0\nA\nB\n", "line 2: equal rankings \\('1=2'\\) cannot be counted"),
        ("2 1\n1 1 2\n0\nA\nB\n", "line 2: expected 0 at the end of the ballot line"),
        ("2 1\n1 1 0 2\n0\nA\nB\n", "line 2: expected nothing after the closing 0, found '2'"),
        ("2 1\n1 1 0\n1 2 0\n", "line 4: expected a line `0` after the ballots"),
        ("2 1\n1 1 0\n0\nA\n", "line 5: expected the name of candidate 2 of 2, found the file's end"),
        ("2 1\n1 1 0\n0\nA", "line 5: expected the name of candidate 2 of 2"),
        ('2 1\n1 1 0\n0\n"A\nB\n', "line 4: expected a name in double quotes"),
        ('2 1\n1 1 0\n0\n"A"x\nB\n', "line 4: expected a name in double quotes"),
        ("2 1\n1 1 0\n0\nA\nB\nTitle\nmore\n", "line 7: expected nothing after the title, found 'more'"),
        (b"2 1\n0\nA\n\xff\n", "line 4: expected UTF-8 text, found the byte 0xff"),
    ],
)
def test_a_malformed_file_is_refused_with_the_line_and_what_was_expected(
    text: str | bytes, message: str
) -> None:
    with pytest.raises(BltError, match=message):
        parse_blt(text)


def test_errors_name_the_file() -> None:
    with pytest.raises(BltError, match=r"^ward9\.blt, line 2: candidate 2 is ranked twice$"):
        parse_blt("2 1\n1 2 2 0\n0\nA\nB\n", "ward9.blt")


def test_the_bulk_reader_hands_anything_unusual_to_the_careful_one() -> None:
    # Each of these is refused or read by the careful reader; the bulk reader must not guess.
    for section, n in [(b"1 1 1 0", 2), (b"1 10 0", 9), (b"1 10 10 0", 12), (b" 1 1 0", 2), (b"1 1 0 ", 2)]:
        assert blt._fast_rows(section, n) is None, section
    rows = blt._fast_rows(b"2 1 12 0\n1 12 0", 12)
    # With ten candidates or more, the codes follow the numbers' text order: 1, 10, 11, 12, 2, ...
    assert rows == Rows([2, 1], [b"\x01\x04\x00", b"\x04\x00"], [0, 1, 10, 11, 12, 2, 3, 4, 5, 6, 7, 8, 9])
    assert unpack(rows) == (Ballot(2, (0, 11)), Ballot(1, (11,)))
    assert blt._fast_rows(b"1 3 2 3 0", 3) is None  # 3 ranked twice, apart
    assert blt._fast_rows(b"1 1 2 3 4 1 0", 4) is None
    assert blt._fast_rows(b"1 0 1 0\n2 1 0", 4) is None  # a 0 inside a line
    assert blt._fast_rows(b"1  2 0\n07 1 0", 4) is None  # (a weight written with a leading 0)
    assert blt._fast_rows(b"1  2 0\n7 1 0", 4) is None  # doubled spaces: the careful reader reads them
    assert parse_blt("4 1\n1  2 0\n7 1 0\n0\nA\nB\nC\nD").ballots == (Ballot(1, (1,)), Ballot(7, (0,)))
    assert blt._fast_rows(b"1 2 0\n7 1 0", 4) == Rows([1, 7], [b"\x02\x00", b"\x01\x00"])


def test_pack_adds_identical_rankings_together_and_unpack_undoes_it() -> None:
    election = Election(("A", "B"), 1, (Ballot(2, (1, 0)), Ballot(3, ()), Ballot(1, (1, 0))))
    rows = pack(election)
    assert rows == Rows([3, 3], [(2, 1, 0), (0,)])
    assert unpack(rows) == (Ballot(3, (1, 0)), Ballot(3, ()))


def test_the_writer_refuses_what_it_cannot_write_faithfully() -> None:
    with pytest.raises(CountingError, match="line break"):
        format_blt(Election(("A\nB",), 1, ()))
    with pytest.raises(CountingError, match="ranks the same candidate twice"):
        format_blt(Election(("A",), 1, (Ballot(1, (0, 0)),)))


names = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=12).map(str.strip)


@st.composite
def elections(draw: st.DrawFn) -> Election:
    n = draw(st.integers(1, 14))
    rankings = st.lists(st.integers(0, n - 1), unique=True, max_size=n).map(tuple)
    ballots = draw(st.lists(st.builds(Ballot, st.integers(1, 10**6), rankings), max_size=12))
    withdrawn = draw(st.frozensets(st.integers(0, n - 1), max_size=n))
    candidates = tuple(draw(st.lists(names, min_size=n, max_size=n)))
    return Election(candidates, draw(st.integers(1, 5)), tuple(ballots), withdrawn, draw(names))


@settings(max_examples=200)
@given(elections())
def test_what_the_writer_writes_reads_back_the_same(election: Election) -> None:
    assert parse_blt(format_blt(election)) == election


@settings(max_examples=200)
@given(elections())
def test_the_bulk_and_the_careful_reader_agree(election: Election) -> None:
    text = format_blt(election).encode()
    header, rows = parse_blt_rows(text)
    n = len(election.candidates)
    rest = text.partition(b"\n0\n")[0].partition(b"\n")[2]
    section = rest.partition(b"\n")[2] if election.withdrawn else rest
    careful = blt._slow_rows(section.decode(), n, False, "<text>", 2)
    assert unpack(rows) == unpack(careful) == election.ballots
    assert header.candidates == election.candidates
