"""The real Scottish ballot data: the official Dumbarton 2017 result, and all 1,100 wards."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

import nominations.counting.blt as blt
from nominations.counting.blt import format_blt, parse_blt, read_blt, read_blt_rows, unpack
from nominations.counting.methods import count_file

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
WARDS = DATA / "scotland-stv"
needs_data = pytest.mark.skipif(not WARDS.is_dir(), reason=f"the Scottish ballot data is not at {WARDS}")


def hundredths(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@needs_data
def test_dumbarton_2017_reproduces_the_official_stage_table() -> None:
    official = json.loads((DATA / "dumbarton-2017-official.json").read_text())
    # The official names ("BLACK, George (WDCP)") differ from the file's ("George BLACK (WDuns)");
    # the notes give the file's order by surname.
    order = official["ballot_files"]["west_dunbartonshire_2017_ward3.blt"].split("candidate order ")[1]
    surnames = [s.strip() for s in order.split(",")]
    official_names = {name.split(",")[0]: name for name in official["tallies"]}
    _, result = count_file(WARDS / "west_dunbartonshire_2017_ward3.blt", "scottish-stv", "seed")
    assert [name.split()[1] for name in result.candidates] == surnames
    assert (result.valid, result.seats, result.quota) == (official["valid_ballots"], official["seats"], 1313)
    assert len(result.stages) == len(official["stages"]) == 5  # rule 52: no stage 6
    for number, stage in enumerate(result.stages):
        for c, surname in enumerate(surnames):
            published = official["tallies"][official_names[surname]][number]
            assert hundredths(stage.totals[c]) == hundredths(Decimal(published)), (number + 1, surname)
        assert hundredths(stage.non_transferable) == hundredths(Decimal(official["non_transferable"][number]))
    actions = [(s.action, None if s.candidate is None else surnames[s.candidate]) for s in result.stages]
    assert actions == [
        ("first", None),
        ("surplus", "MCBRIDE"),
        ("surplus", "CONAGHAN"),
        ("exclusion", "MUIR"),
        ("exclusion", "BLACK"),
    ]
    elected = [official_names[surnames[c]] for c in result.winners]
    assert elected == official["elected"]
    assert [surnames[c] for c in result.stages[-1].excluded] == ["RUINE"]


@needs_data
def test_the_comma_separated_file_reads_like_the_others() -> None:
    election = read_blt(WARDS / "perth_kinross_2016_by_election_ward9.blt")
    assert election.candidates[3] == "Wilma LUMSDEN"
    assert election.title == "Ward 9 - Almond and Earn"
    assert (len(election.candidates), election.seats) == (5, 1)


@needs_data
@pytest.mark.slow
@pytest.mark.parametrize("method", ["scottish-stv", "meek-stv"])
def test_every_scottish_ward_counts(method: str) -> None:
    files = sorted(WARDS.glob("*.blt"))
    assert len(files) == 1100
    for path in files:
        election, result = count_file(path, method, "seed")
        standing = len(election.candidates) - len(election.withdrawn)
        assert len(result.winners) == min(election.seats, standing), path.name
        assert len(set(result.winners)) == len(result.winners), path.name
        for stage in result.stages:
            assert sum(stage.totals) + stage.non_transferable == result.valid, (path.name, stage.number)


@needs_data
@pytest.mark.slow
def test_every_ward_reads_the_same_fast_and_careful_and_writes_back_unchanged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = sorted(WARDS.glob("*.blt"))
    fast = [read_blt_rows(path) for path in files]
    monkeypatch.setattr(blt, "_fast_rows", lambda section, n: None)
    for path, (header, rows) in zip(files, fast, strict=True):
        careful_header, careful_rows = read_blt_rows(path)
        assert careful_header == header, path.name
        assert unpack(rows) == unpack(careful_rows), path.name
    monkeypatch.undo()
    for path in files[::50]:
        election = read_blt(path)
        assert parse_blt(format_blt(election), path.name) == election, path.name
