"""The pictures: well-formed, accessible SVG whose marks say what the data says, every text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest

from nominations.charts import stage_rows, stages_svg, turnout_svg, workflow_svg
from nominations.charts.stages import PLOT_W
from nominations.charts.turnout import PLOT_H
from nominations.charts.workflow_layout import layers
from nominations.console_words import state_label
from nominations.errors import NotFoundError
from nominations.workflow.loader import load_shipped

NS = {"s": "http://www.w3.org/2000/svg"}
VACANCY = load_shipped()


def parse(svg: str) -> ET.Element:
    """The SVG as a tree (this fails on anything not well formed), checked to be an accessible image."""
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("role") == "img"
    title, desc = root.find("s:title", NS), root.find("s:desc", NS)
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    return root


def texts(node: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in node.iter("{http://www.w3.org/2000/svg}text")]


def states(root: ET.Element) -> list[ET.Element]:
    return [
        g for g in root.iter("{http://www.w3.org/2000/svg}g") if "state" in (g.get("class") or "").split()
    ]


def stv_stages() -> list[dict[str, object]]:
    """Three candidates, two seats, quota 3: Ann elected at once, Bob excluded, Cat elected last."""
    return [
        {"action": "first", "candidate": None, "totals": ["4", "1", "2"], "non_transferable": "0",
         "elected": ["11"], "excluded_without_transfer": [], "number": 1},
        {"action": "surplus", "candidate": "11", "totals": ["3", "1", "3"], "non_transferable": "0",
         "elected": ["13"], "excluded_without_transfer": [], "number": 2},
        {"action": "exclusion", "candidate": "12", "totals": ["3", "0", "3"], "non_transferable": "1",
         "elected": [], "excluded_without_transfer": [], "number": 3},
    ]  # fmt: skip


NAMES = {"11": "Ann Able", "12": "Bob Baker", "13": "Cat Cole"}


@pytest.mark.parametrize("current", list(VACANCY.states))
def test_the_current_state_and_only_it_is_marked_you_are_here(current: str) -> None:
    root = parse(workflow_svg(VACANCY, current))
    [marked] = [g for g in states(root) if "current" in (g.get("class") or "").split()]
    assert marked.get("data-state") == current
    assert texts(marked)[-1] == "you are here" and texts(root).count("you are here") == 1
    assert marked.find("s:rect", NS).get("stroke-width") == "5"  # type: ignore[union-attr]
    assert f"is {current.replace('_', ' ')}" in root.find("s:desc", NS).text  # type: ignore[operator,union-attr]


def test_every_state_appears_once_and_final_states_have_a_double_border() -> None:
    root = parse(workflow_svg(VACANCY, "requested"))
    drawn = [g.get("data-state") for g in states(root)]
    assert sorted(drawn) == sorted(VACANCY.states) and len(drawn) == len(set(drawn))  # type: ignore[type-var]
    for g in states(root):
        name = g.get("data-state") or ""
        assert texts(g)[0] == state_label(name)
        borders = len(g.findall("s:rect", NS))
        assert borders == (2 if VACANCY.states[name].final else 1), name
        assert ("final" in (g.get("class") or "").split()) == VACANCY.states[name].final


def test_states_are_laid_out_in_layers_of_a_breadth_first_walk() -> None:
    root = parse(workflow_svg(VACANCY, "requested"))
    top = {g.get("data-state"): float(g.find("s:rect", NS).get("y")) for g in states(root)}  # type: ignore[arg-type,union-attr]
    assert layers(VACANCY)[:3] == [
        ["requested"],
        ["accepted", "information_requested", "declined"],
        ["nominations_open"],
    ]
    assert top["requested"] < top["accepted"] == top["information_requested"] == top["declined"]
    assert top["declined"] < top["nominations_open"] < top["nominations_closed"] < top["voting_open"]
    # `cancel` leaves every open state: written once, not drawn from each box; its state comes last.
    assert max(top.values()) == top["cancelled"]
    assert "from any open state: cancel (to cancelled)" in texts(root)


def test_every_transition_is_an_arrow_labelled_with_its_trigger() -> None:
    root = parse(workflow_svg(VACANCY, "voting_open"))
    arrows = {
        (p.get("data-from"), p.get("data-to")) for p in root.iter("{http://www.w3.org/2000/svg}polyline")
    }
    expected = {(s, t.dest) for t in VACANCY.transitions if "*" not in t.source and t.dest for s in t.source}
    assert arrows == expected
    labels = set(texts(root))
    for trigger in ("accept", "ask for information", "resubmit", "tally nominations", "close voting", "fill"):
        assert trigger in labels
    assert "also: remind voters" in labels  # a transition that stays in its state


def test_a_state_the_workflow_lacks_is_refused() -> None:
    with pytest.raises(NotFoundError, match="no state 'elsewhere'"):
        workflow_svg(VACANCY, "elsewhere")


def test_a_candidate_name_is_escaped_text_never_markup() -> None:
    names = {**NAMES, "12": '<script>alert("x")</script> & Co'}
    svg = stages_svg(stv_stages(), names, "3")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)
    assert not list(root.iter("{http://www.w3.org/2000/svg}script")) and not list(root.iter("script"))
    assert any(t.startswith('<script>alert("x")') for t in texts(root))  # the words survive, as words
    assert 'Stage 3: exclusion of <script>alert("x")</script> & Co' in texts(root)


def test_a_character_xml_forbids_is_dropped_rather_than_breaking_the_picture() -> None:
    root = parse(stages_svg(stv_stages(), {**NAMES, "11": "Ann\x01 Able"}, "3"))
    assert "Ann Able" in texts(root)


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("class") == "bar"]


def test_stage_bars_are_proportional_to_the_totals_on_one_scale() -> None:
    root = parse(stages_svg(stv_stages(), NAMES, "3"))
    found = bars(root)
    assert len(found) == 9  # three stages, three candidates
    widths = {
        (int(b.get("data-stage") or 0), int(b.get("data-candidate") or 0)): float(b.get("width") or 0)
        for b in found
    }
    assert widths[(1, 0)] == PLOT_W  # the largest total (4) fills the plot
    for (stage, candidate), width in widths.items():
        total = Decimal(stv_stages()[stage - 1]["totals"][candidate])  # type: ignore[index]
        assert width == pytest.approx(PLOT_W * float(total) / 4, abs=0.01)


def test_the_quota_line_is_where_a_total_equal_to_the_quota_ends() -> None:
    root = parse(stages_svg(stv_stages(), NAMES, "3"))
    lines = [n for n in root.iter("{http://www.w3.org/2000/svg}line") if n.get("class") == "quota"]
    assert len(lines) == 3  # one across each stage's bars
    x0 = float(bars(root)[0].get("x") or 0)
    assert {n.get("x1") for n in lines} == {n.get("x2") for n in lines}
    quota_x = float(lines[0].get("x1") or 0)
    assert quota_x == pytest.approx(x0 + PLOT_W * 3 / 4, abs=0.01)
    [cat_at_quota] = [b for b in bars(root) if b.get("data-stage") == "2" and b.get("data-candidate") == "2"]
    assert x0 + float(cat_at_quota.get("width") or 0) == pytest.approx(quota_x, abs=0.01)
    assert "quota 3" in texts(root)


def test_a_quota_above_every_total_sets_the_scale_and_no_quota_draws_no_line() -> None:
    root = parse(stages_svg(stv_stages(), NAMES, Decimal("8")))
    [first] = [n for n in root.iter("{http://www.w3.org/2000/svg}line") if n.get("class") == "quota"][:1]
    assert float(first.get("x1") or 0) == pytest.approx(float(bars(root)[0].get("x") or 0) + PLOT_W, abs=0.01)
    bare = parse(stages_svg(stv_stages(), NAMES, None))
    assert not [n for n in bare.iter("{http://www.w3.org/2000/svg}line") if n.get("class") == "quota"]


def test_elected_and_excluded_are_marked_in_words_from_their_stage_on() -> None:
    rows = stage_rows(stv_stages(), NAMES)
    assert [r.marks for r in rows] == [
        ["elected", "", ""],
        ["elected", "", "elected"],
        ["elected", "excluded", "elected"],
    ]
    assert [r.what for r in rows] == ["first preferences", "surplus of Ann Able", "exclusion of Bob Baker"]
    assert rows[2].non_transferable == "1"
    words = texts(parse(stages_svg(stv_stages(), NAMES, "3")))
    assert words.count("3 elected") == 4 and "0 excluded" in words and "1" in words


def test_fractional_votes_show_to_two_places() -> None:
    stages = stv_stages()
    stages[1]["totals"] = ["3.00000", "1.33333", "2.66667"]
    rows = stage_rows(stages, NAMES)
    assert rows[1].totals == ["3.00", "1.33", "2.67"] and rows[0].totals == ["4.00", "1.00", "2.00"]


def test_stages_that_name_a_stranger_are_refused() -> None:
    with pytest.raises(ValueError, match="'99'"):
        stage_rows([{**stv_stages()[0], "elected": ["99"]}], NAMES)
    with pytest.raises(ValueError, match="2 totals for 3 candidates"):
        stage_rows([{**stv_stages()[0], "totals": ["1", "2"]}], NAMES)


def turnout_points() -> list[tuple[date, int]]:
    return [(date(2026, 3, 23) + timedelta(days=i), v) for i, v in enumerate([2, 3, 3, 6])]


def test_turnout_bars_grow_with_the_votes_cast_and_carry_their_count() -> None:
    root = parse(turnout_svg(turnout_points(), 8))
    found = bars(root)
    assert [b.get("data-votes") for b in found] == ["2", "3", "3", "6"]
    for bar in found:
        assert float(bar.get("height") or 0) == pytest.approx(
            PLOT_H * int(bar.get("data-votes") or 0) / 8, abs=0.01
        )
    counts = [
        "".join(t.itertext())
        for t in root.iter("{http://www.w3.org/2000/svg}text")
        if t.get("class") == "count"
    ]
    assert counts == ["2", "3", "3", "6"]
    assert {"Mon", "23 Mar", "Thu", "26 Mar"} <= set(texts(root))
    assert "6 of 8 had voted (75%)" in root.find("s:desc", NS).text  # type: ignore[operator,union-attr]


def test_the_electorate_line_is_where_a_full_turnout_would_reach() -> None:
    root = parse(turnout_svg([*turnout_points(), (date(2026, 3, 27), 8)], 8))
    [line] = [n for n in root.iter("{http://www.w3.org/2000/svg}line") if n.get("class") == "electorate"]
    full = bars(root)[-1]
    assert (
        float(line.get("y1") or 0)
        == pytest.approx(float(full.get("y") or 0), abs=0.01)
        == float(line.get("y2") or 0)
    )
    assert "8 on the roll" in texts(root)
    half = parse(turnout_svg(turnout_points(), 12))
    [line] = [n for n in half.iter("{http://www.w3.org/2000/svg}line") if n.get("class") == "electorate"]
    base = float(bars(half)[0].get("y") or 0) + float(bars(half)[0].get("height") or 0)
    assert base - float(line.get("y1") or 0) == pytest.approx(PLOT_H, abs=0.01)  # the roll is the top


def test_turnout_with_no_day_yet_is_still_a_picture() -> None:
    root = parse(turnout_svg([], 6))
    assert not bars(root) and "No day of the ballot" in (root.find("s:desc", NS).text or "")  # type: ignore[union-attr]
