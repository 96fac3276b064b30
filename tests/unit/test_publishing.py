"""How the results page words a stage of a ranked count."""

from __future__ import annotations

from nominations.services.publishing import _stage_table

NAMES = {11: "Ann Able", 12: "Bob Baker", 13: "Cat Cole"}


def test_a_lot_and_an_exclusion_without_transfer_are_said_in_words() -> None:
    detail = {
        "candidates": [11, 12, 13],
        "stages": [
            {
                "action": "first",
                "candidate": None,
                "totals": ["2.00000", "2.00000", "2.00000"],
                "non_transferable": "0.00000",
                "elected": ["12", "13"],
                "excluded_without_transfer": ["11"],
                "ties": [
                    {
                        "by": "lot",
                        "candidates": ["11", "12", "13"],
                        "chosen": "11",
                        "stage": None,
                        "seed": "ab12",
                    }
                ],
            },
            {
                "action": "exclusion",
                "candidate": "12",
                "totals": ["3.00000", "0.00000", "3.00000"],
                "non_transferable": "0.00000",
                "elected": [],
                "ties": [
                    {
                        "by": "earlier-stage",
                        "candidates": ["12", "13"],
                        "chosen": "12",
                        "stage": 1,
                        "seed": None,
                    }
                ],
            },
        ],
    }
    [first, second], rows = _stage_table(detail, NAMES)
    assert first.heading == "1. First preferences" and second.heading == "2. Exclusion of Bob Baker"
    assert first.excluded == ["Ann Able"] and first.elected == ["Bob Baker", "Cat Cole"]
    assert first.ties == ["Ann Able, Bob Baker, Cat Cole were equal; Ann Able was chosen by lot (seed ab12)"]
    assert second.ties == ["Bob Baker, Cat Cole were equal; stage 1 decided: Bob Baker"]
    assert rows == [
        ("Ann Able", ["2.00000", "3.00000"]),
        ("Bob Baker", ["2.00000", "0.00000"]),
        ("Cat Cole", ["2.00000", "3.00000"]),
    ]


def test_an_x_vote_count_has_no_stage_table() -> None:
    assert _stage_table({"totals": {"11": 3}}, NAMES) == ([], [])
