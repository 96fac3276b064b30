"""Hostile BLT files: whatever the bytes, the reader returns an election or refuses the file with a
BltError naming the file and a line in it; what it accepts can be counted or is refused in words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nominations.cli import app
from nominations.counting.blt import BltError, parse_blt
from nominations.counting.methods import count_file
from nominations.counting.model import CountingError
from tests.unit.test_blt import QUOTED as SAMPLE
from tests.utils.hostile import texts

WARDS = Path(__file__).resolve().parents[3] / "shared" / "data" / "scotland-stv"
COMMAS = '3,1,\r\n2,1,3,0,\r\n1,2,0,\r\n0,\r\nAnn,SMITH\r\n"Bo, Jr",\r\nCy,\r\nThe title,\r\n'
# Small real files when the Scottish data is here (a few hundred bytes each), and the dialects above.
REAL = (
    [p.read_bytes() for p in sorted(WARDS.glob("eilean_siar_2022_ward*.blt"))[:3]] if WARDS.is_dir() else []
)
SOURCES = [*REAL, SAMPLE.encode(), COMMAS.encode()]
SOURCE = "ward9.blt"
WHERE = re.compile(r"^ward9\.blt, line (\d+): \S")
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def assert_read_or_refused(data: bytes | str) -> None:
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    try:
        parse_blt(data, SOURCE)
    except BltError as exc:
        found = WHERE.match(str(exc))
        assert found is not None, str(exc)
        assert 1 <= int(found.group(1)) <= raw.count(b"\n") + 2, str(exc)


@SETTINGS
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400)))
def test_any_bytes_are_read_or_refused_with_a_line(data: bytes | str) -> None:
    assert_read_or_refused(data)


ODD_TOKENS = ["0", "-1", "-0", "-", "=", "1=2", "(b1)", "()", "9" * 5000, "99999999999999999999", "0x10"]
ODD_TOKENS += [
    "\u00b2",
    "\u0663",
    "\uff11",
    "1.5",
    "1e3",
    '"',
    '""',
    "\x00",
    "\t",
    ",",
    ",,",
    "\ufeff",
    "\xa0",
]
TOKENS = st.one_of(
    st.sampled_from([*ODD_TOKENS, "\u2028", "\r"]), st.integers(-3, 20).map(str), texts(huge=False)
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real file with a few edits: tokens put in or taken out, lines repeated, moved or cut."""
    lines = draw(st.sampled_from(SOURCES)).split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["token", "drop-token", "delete", "repeat", "swap", "cut", "bytes"]))
        words = lines[at].split(b" ")
        if edit == "token":
            words.insert(draw(st.integers(0, len(words))), draw(TOKENS).encode("utf-8", "surrogatepass"))
        elif edit == "drop-token" and len(words) > 1:
            del words[draw(st.integers(0, len(words) - 1))]
        elif edit == "delete":
            words = []
        elif edit == "repeat":
            lines.insert(at, lines[at])
        elif edit == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
            words = lines[at].split(b" ")
        elif edit == "cut":
            lines = [*lines[:at], lines[at][: draw(st.integers(0, len(lines[at])))]]
            at, words = len(lines) - 1, lines[-1].split(b" ")
        elif edit == "bytes":  # Latin-1, UTF-16 or plain binary where text was
            words.append(draw(st.sampled_from([b"\xe9", b"\xff\xfe", b"\x00\x01", "Zoë".encode("utf-16")])))
        lines[at] = b" ".join(words)
    return b"\n".join(lines)


@SETTINGS
@given(mutated())
@example(b"2 1\n" + b"9" * 5000 + b" 1 0\n0\nA\nB\n")
@example(b"9" * 5000 + b" 1\n0\n")
@example(SAMPLE.replace("Brian", "Zo\u00eb").encode("latin-1"))  # a name saved as Latin-1
@example(SAMPLE.encode("utf-16"))
@example(SAMPLE.replace("4 0\n", "4 \x00 0\n").encode())
@example(COMMAS.replace("\r\n", "\r").encode())
def test_real_files_edited_are_read_or_refused_with_a_line(data: bytes) -> None:
    assert_read_or_refused(data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated(), st.sampled_from(["scottish-stv", "av", "plurality"]))
def test_what_the_reader_accepts_is_counted_or_refused_in_words(
    tmp_path: Path, data: bytes, method: str
) -> None:
    path = tmp_path / SOURCE
    path.write_bytes(data)
    try:
        count_file(path, method, "seed")
    except CountingError as exc:
        assert str(exc).strip() and "Traceback" not in str(exc)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("9" * 5000 + " 1\n0\n", 1, "expected the number of candidates and the number of seats"),
        ("2 " + "9" * 5000 + "\n0\nA\nB\n", 1, "expected the number of candidates and the number of seats"),
        ("2 1\n" + "9" * 5000 + " 1 0\n0\nA\nB\n", 2, "expected the number of ballots"),
        ("2 1\n" + "9" * 5000 + " 1  0\n0\nA\nB\n", 2, "expected the number of ballots"),
        ("2 1\n1 " + "9" * 5000 + " 0\n0\nA\nB\n", 2, "expected a candidate number from 1 to 2 or 0"),
        ("2 1\n-" + "9" * 5000 + "\n0\nA\nB\n", 2, "expected the number of ballots"),
    ],
    ids=["candidates", "seats", "weight", "weight-spaced", "candidate", "withdrawn"],
)
def test_a_number_too_long_to_be_real_is_refused_with_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(BltError) as caught:
        parse_blt(text, SOURCE)
    message = str(caught.value)
    assert message.startswith(f"{SOURCE}, line {line}: {words}"), message[:200]


def test_the_count_command_refuses_a_hostile_file_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / SOURCE
    path.write_text("2 1\n" + "9" * 5000 + " 1 0\n0\nA\nB\n")
    result = CliRunner().invoke(app, ["count", "--method", "plurality", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.stderr.startswith(f"{path}, line 2: expected the number of ballots")
