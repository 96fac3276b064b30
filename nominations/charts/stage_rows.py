"""A ranked count's stages in words and figures, for its picture and the table beside it.

`stages` are the stage objects of `counting.render.json_object` (as `ElectionResult.detail` keeps
them); `names` maps the count's candidate labels, in the count's order, to the names people know.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from nominations.counting.render import shown


@dataclass(frozen=True)
class StageRow:
    """One stage in words and figures: what it did, each candidate's total after it and their mark."""

    number: int
    what: str
    values: list[Decimal]
    totals: list[str]  # as shown: whole, or to two places
    marks: list[str]  # "elected" or "excluded" from the stage it happened at on, else ""
    non_transferable: str


def stage_rows(stages: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> list[StageRow]:
    """The stages as rows for a chart and a table; ValueError if a stage and `names` disagree."""
    labels = list(names)

    def index(label: Any) -> int:
        if str(label) not in names:
            raise ValueError(f"a stage names the candidate {label!r}, who is not among {labels}")
        return labels.index(str(label))

    every = [Decimal(str(v)) for s in stages for v in (*s["totals"], s.get("non_transferable", 0))]
    places = 0 if all(v == v.to_integral_value() for v in every) else 2
    marks, rows = [""] * len(labels), []
    for number, stage in enumerate(stages, start=1):
        values = [Decimal(str(v)) for v in stage["totals"]]
        if len(values) != len(labels):
            raise ValueError(f"stage {number} has {len(values)} totals for {len(labels)} candidates")
        for label in stage.get("elected", []):
            marks[index(label)] = "elected"
        gone = list(stage.get("excluded_without_transfer", []))
        if stage["action"] == "exclusion" and stage.get("candidate") is not None:
            gone.append(stage["candidate"])
        for label in gone:
            marks[index(label)] = "excluded"
        what = "first preferences" if stage["action"] == "first" else "surpluses of the elected"
        if stage["action"] != "first" and stage.get("candidate") is not None:
            what = f"{stage['action']} of {names[labels[index(stage['candidate'])]]}"
        rows.append(
            StageRow(
                int(stage.get("number", number)),
                what,
                values,
                [shown(v, places) for v in values],
                list(marks),
                shown(Decimal(str(stage.get("non_transferable", 0))), places),
            )
        )
    return rows
