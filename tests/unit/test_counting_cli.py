"""`nominations count`: many files in one run, four formats, one clear line for each bad file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from nominations.cli import app

# The first hand-worked Scottish election: A and B are elected.
WARD = """4 2
5 1 2 0
2 1 3 0
1 1 0
3 2 0
2 3 0
1 4 3 0
0
"Ann"
"Bob"
"Cy"
"Di"
"Ward 1"
"""


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    Path("ward1.blt").write_text(WARD)
    Path("bad.blt").write_text("4 2\n1 1 1 0\n0\nA\nB\nC\nD\n")
    return ["ward1.blt", "bad.blt"]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["count", *args])


def test_jsonl_prints_one_object_per_file_as_the_issue_specifies(files: list[str]) -> None:
    result = run(files[0], "./ward1.blt", "--method", "scottish-stv", "--format", "jsonl", "--seed", "s")
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["file"], second["file"]) == ("ward1.blt", "./ward1.blt")
    assert first["winners"] == ["Ann", "Bob"] and first["quota"] == "5" and first["ballots"] == 14
    assert [s["action"] for s in first["stages"]] == ["first", "surplus", "exclusion"]
    assert first["stages"][1]["totals"] == ["5.00000", "4.87500", "2.75000", "1.00000"]


def test_a_bad_file_gets_one_line_on_stderr_the_rest_are_counted_and_exit_is_1(files: list[str]) -> None:
    result = run(*reversed(files), "-m", "scottish-stv", "--format", "jsonl")
    assert result.exit_code == 1
    assert result.stderr == "bad.blt, line 2: candidate 1 is ranked twice\n"
    assert [json.loads(line)["file"] for line in result.stdout.splitlines()] == ["ward1.blt"]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-m", "stv"], "there is no method 'stv'; the methods are plurality, block, approval, av,"),
        (["-m", "av", "-f", "xml"], "there is no format 'xml'; the formats are table, json, jsonl, csv"),
    ],
)
def test_an_unknown_method_or_format_is_one_line_and_exit_2(
    files: list[str], args: list[str], message: str
) -> None:
    result = run(files[0], *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_a_missing_file_and_a_method_that_does_not_fit_are_one_line_each(files: list[str]) -> None:
    result = run("nowhere.blt", files[0], "-m", "av")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "nowhere.blt: cannot read the file (No such file or directory)",
        "ward1.blt: av fills one seat and this election has 2: count it with scottish-stv or meek-stv, "
        "or give one seat",
    ]


def test_seats_and_withdrawals_replace_the_files(files: list[str]) -> None:
    result = run(files[0], "-m", "av", "--seats", "1", "--withdraw", "ann", "-f", "jsonl", "--seed", "s")
    data = json.loads(result.stdout)
    assert data["seats"] == 1 and data["stages"][0]["totals"][0] == "0"
    assert data["winners"] == ["Bob"]
    result = run(files[0], "-m", "av", "--seats", "1", "--withdraw", "Zed")
    assert result.exit_code == 1
    assert result.stderr == "ward1.blt: no candidate is called 'Zed'; the candidates are: Ann; Bob; Cy; Di\n"


def test_the_table_json_and_csv_formats(files: list[str]) -> None:
    table = run(files[0], "-m", "scottish-stv", "--seed", "s").stdout
    assert table.startswith("ward1.blt: Ward 1\n\nscottish-stv: 2 seats")
    assert "Non-transferable     0.00  +0.38     0.38            0.38" in table
    whole = json.loads(run(files[0], files[0], "-m", "meek-stv", "-f", "json", "--seed", "s").stdout)
    assert [r["method"] for r in whole] == ["meek-stv", "meek-stv"] and whole[0]["seed"] == "s"
    rows = list(csv.reader(io.StringIO(run(files[0], files[0], "-m", "block", "-f", "csv").stdout)))
    assert rows[0][0] == "file" and [r[0] for r in rows].count("file") == 1 and len(rows) == 1 + 2 * 5


def test_the_same_seed_gives_the_same_bytes_and_no_seed_gets_a_fresh_one(files: list[str]) -> None:
    tied = Path("tied.blt")
    tied.write_text("3 1\n2 1 0\n1 2 0\n1 3 0\n0\nA\nB\nC\n")
    once = run(str(tied), "-m", "scottish-stv", "-f", "json", "--seed", "witnessed").stdout
    assert once == run(str(tied), "-m", "scottish-stv", "-f", "json", "--seed", "witnessed").stdout
    assert '"by": "lot"' in once
    seeds = {json.loads(run(str(tied), "-m", "av", "-f", "json").stdout)[0]["seed"] for _ in range(3)}
    assert len(seeds) == 3
