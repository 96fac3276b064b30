"""Results rendered: the stage table as text and HTML, CSV rows and the JSON objects."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from nominations.counting.model import Ballot, Election
from nominations.counting.render import (
    describe,
    json_object,
    jsonl_object,
    render_csv,
    render_html,
    render_text,
)
from nominations.counting.scottish import count_scottish
from nominations.counting.xvote import count_plurality

# The first hand-worked Scottish election (see test_counting_scottish), with names to escape.
ELECTION = Election(
    ("Ann <A>", "Bob & Co", "Cy", "Di"),
    2,
    (
        *(Ballot(5, (0, 1)), Ballot(2, (0, 2)), Ballot(1, (0,))),
        *(Ballot(3, (1,)), Ballot(2, (2,)), Ballot(1, (3, 2))),
    ),
)
RESULT = count_scottish(ELECTION, "s")

SHEET = """\
Example

scottish-stv: 2 seats, 4 candidates, 14 valid ballots, 0 invalid, quota 5, seed 's'
Stage 1: first preferences. Elected: Ann <A>.
Stage 2: surplus of Ann <A>.
Stage 3: exclusion of Di. Cy excluded without transfer: the candidates left fill the seats. Elected: Bob & Co.
Elected, in order: Ann <A>, Bob & Co

Candidate         Stage 1    +/-  Stage 2    +/-  Stage 3
---------------------------------------------------------
Ann <A>              8.00  -3.00     5.00            5.00
Bob & Co             3.00  +1.88     4.88            4.88
Cy                   2.00  +0.75     2.75  +1.00     3.75
Di                   1.00            1.00  -1.00     0.00
Non-transferable     0.00  +0.38     0.38            0.38
---------------------------------------------------------
Total               14.00           14.00           14.00
"""


def test_the_text_sheet_has_a_column_for_each_stage_rounded_to_hundredths_half_up() -> None:
    assert render_text(RESULT, "Example") == SHEET


def test_whole_votes_are_shown_whole_and_ties_are_explained() -> None:
    election = Election(("A", "B", "C"), 1, (Ballot(2, (0,)), Ballot(1, (1,)), Ballot(1, (2,))))
    text = render_text(count_plurality(Election(("A", "B"), 1, (Ballot(1, (0,)), Ballot(1, (1,)))), "w"))
    assert "Stage 1" in text and "  1\n" in text and ".00" not in text
    assert "were equal at every stage; a lot drawn from seed 'w' chose" in text
    text = render_text(count_scottish(election, "w"))
    assert "Tie: B, C were equal at every stage; a lot drawn from seed 'w' chose" in text


def test_the_html_sheet_escapes_every_name() -> None:
    page = render_html(RESULT, "Example <ward>")
    assert "<h2>Example &lt;ward&gt;</h2>" in page
    assert '<tr><th scope="row">Ann &lt;A&gt;</th><td>8.00</td><td>-3.00</td><td>5.00</td>' in page
    assert "Bob &amp; Co" in page and "<A>" not in page


def test_csv_has_a_row_per_candidate_and_non_transferable_per_stage_with_exact_votes() -> None:
    rows = list(csv.reader(io.StringIO(render_csv(RESULT, "x.blt"))))
    assert rows[0] == ["file", "method", "stage", "action", "candidate", "votes", "at this stage", "ties"]
    assert len(rows) == 1 + 3 * 5
    assert rows[7] == ["x.blt", "scottish-stv", "2", "surplus of Ann <A>", "Bob & Co", "4.87500", "", ""]
    assert rows[13][4:7] == ["Cy", "3.75000", "excluded"]
    assert render_csv(RESULT, "x.blt", header=False).splitlines()[0].startswith("x.blt,")


def test_the_jsonl_object_is_exactly_the_one_the_issue_specifies() -> None:
    data = jsonl_object(RESULT, "given/as.blt")
    keys = ["file", "method", "seats", "candidates", "ballots", "invalid", "quota", "winners", "stages"]
    assert list(data) == keys
    assert (data["file"], data["quota"], data["ballots"], data["invalid"]) == ("given/as.blt", "5", 14, 0)
    assert data["winners"] == ["Ann <A>", "Bob & Co"]
    assert data["stages"][1] == {
        "action": "surplus",
        "candidate": "Ann <A>",
        "totals": ["5.00000", "4.87500", "2.75000", "1.00000"],
        "non_transferable": "0.37500",
        "elected": [],
        "tie": None,
    }


def test_the_json_object_adds_the_seed_and_every_tie() -> None:
    election = Election(("A", "B", "C"), 1, (Ballot(2, (0,)), Ballot(1, (1,)), Ballot(1, (2,))))
    data = json_object(count_scottish(election, "w"), "f.blt")
    assert data["seed"] == "w"
    tie = data["stages"][1]["tie"]
    assert tie["by"] == "lot" and tie["candidates"] == ["B", "C"] and tie["seed"] == "w"
    assert data["stages"][1]["ties"] == [tie]
    # The lot excluded one of B and C at stage 2; the other then left A alone for the seat.
    other = ({"B", "C"} - {tie["chosen"]}).pop()
    assert (data["stages"][1]["number"], data["stages"][1]["excluded_without_transfer"]) == (2, [other])
    assert data["withdrawn"] == []


def test_a_stage_moving_every_surplus_at_once_says_so() -> None:
    # Meek's method records such stages with no one candidate.
    stage = replace(RESULT.stages[1], candidate=None)
    assert describe(stage, RESULT) == "surpluses of the elected"
    assert describe(RESULT.stages[1], RESULT) == "surplus of Ann <A>"
