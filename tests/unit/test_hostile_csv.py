"""Hostile members files, read without a database: each is refused as a whole with MembersFileError
naming the file, or read into good rows and one problem for each bad row, by its line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nominations.members import csvformat
from nominations.members.columns import MembersFileError
from tests.utils.hostile import texts

FIXTURES = Path(__file__).parent.parent / "fixtures" / "members"
SOURCE = "members.csv"
CRM_MAP = {"Charity No": "external_id", "Organisation": "name", "Email": "voting_contact_email"}
# (file, the --map a person would give for it)
BASES = [("good.csv", {}), ("edited.csv", {}), ("bad.csv", {}), ("crm.csv", CRM_MAP)]
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CELLS = st.one_of(
    texts(huge=False),
    st.sampled_from(["=cmd|' /C calc'!A0", '"', '""', '"quoted, with comma"', "a\nb", "a\rb", "x" * 132_000]),
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]


@st.composite
def members_files(draw: st.DrawFn) -> tuple[bytes, dict[str, str]]:
    """A fixture file with its cells, rows and columns edited, written in some encoding: (bytes, map)."""
    name, mapping = draw(st.sampled_from(BASES))
    rows = list(csv.reader(io.StringIO((FIXTURES / name).read_text(encoding="utf-8"), newline="")))
    for _ in range(draw(st.integers(1, 5))):
        r = draw(st.integers(0, len(rows) - 1))
        row = rows[r]
        edit = draw(st.sampled_from(["cell", "cell", "drop-cell", "add-cell", "drop-row", "repeat-row"]))
        if edit == "cell" and row:
            row[draw(st.integers(0, len(row) - 1))] = draw(CELLS)
        elif edit == "drop-cell" and row:
            del row[draw(st.integers(0, len(row) - 1))]
        elif edit == "add-cell":
            row.insert(draw(st.integers(0, len(row))), draw(CELLS))
        elif edit == "drop-row" and len(rows) > 1:
            del rows[r]
        elif edit == "repeat-row":
            rows.insert(r, list(row))
    out = io.StringIO(newline="")
    if draw(st.booleans()):
        csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"]))).writerows(rows)
    else:  # joined by hand: quotes and commas inside cells are left as they fall
        out.write("\n".join(",".join(row) for row in rows))
    raw = out.getvalue().encode(draw(st.sampled_from(ENCODINGS)), "replace")
    if draw(st.booleans()):  # a byte put in or the file cut short, as a bad copy does
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.sampled_from([b"", b"\x00", b'"', b"\xff", b"\r"])) + raw[at:]
    return raw, mapping


def assert_read_or_refused(raw: bytes, mapping: dict[str, str]) -> None:
    try:
        parsed = csvformat.parse(csvformat.decode(raw, SOURCE), mapping, SOURCE)
    except MembersFileError as exc:
        assert str(exc).startswith(SOURCE) and "Traceback" not in str(exc), str(exc)
        return
    last = raw.count(b"\n") + raw.count(b"\r") + 1
    assert len(parsed.rows) + len(parsed.problems) == parsed.total
    for problem in parsed.problems:
        assert 2 <= problem.line <= last and problem.message.strip(), problem
    for row in parsed.rows:
        assert "\x00" not in row.name + row.contact_email + (row.contact_name or "")


@SETTINGS
@given(st.binary(max_size=600), st.sampled_from([{}, CRM_MAP]))
def test_any_bytes_are_read_or_refused(raw: bytes, mapping: dict[str, str]) -> None:
    assert_read_or_refused(raw, mapping)


@SETTINGS
@given(members_files())
@example((b"name,voting_contact_email\nA\x00,a@b.example\n", {}))
def test_edited_fixture_files_are_read_or_refused(case: tuple[bytes, dict[str, str]]) -> None:
    assert_read_or_refused(*case)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"name,voting_contact_email\nAge\x00 Concern,a@b.example\n", "members.csv: line 2 holds a NUL"),
        ("name,voting_contact_email\n".encode("utf-16"), "members.csv: not UTF-8 text (line 1"),
        (
            b"name,voting_contact_email\n" + b"x" * 200_000 + b",a@b.example\n",
            "field larger than field limit",
        ),
        (b'name,voting_contact_email\n"Age Concern,a@b.example\n', "is a quote left open?"),
        (b"\xef\xbb\xbf", "the file is empty"),
    ],
    ids=["nul", "utf-16", "long-field", "open-quote", "only-a-bom"],
)
def test_a_file_that_is_not_csv_text_is_refused_as_a_whole(raw: bytes, message: str) -> None:
    with pytest.raises(MembersFileError, match="^" + SOURCE) as caught:
        csvformat.parse(csvformat.decode(raw, SOURCE), {}, SOURCE)
    assert message in str(caught.value)


def test_ragged_rows_and_formula_cells_are_rows_with_problems_not_a_refusal() -> None:
    text = (
        "name,voting_contact_email,status\n=1+1,a@b.example,active\nB,b@b.example\nC,c@b.example,active,x\n"
    )
    parsed = csvformat.parse(text, {}, SOURCE)
    assert [row.name for row in parsed.rows] == ["=1+1"]  # a name, kept as written
    assert [(p.line, p.message) for p in parsed.problems] == [
        (3, "has 2 values but the header names 3 columns"),
        (4, "has 4 values but the header names 3 columns"),
    ]
