"""The lots a count drew to settle ties, read back from its stored result for people to witness."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nominations.db.models import ElectionResult


@dataclass(frozen=True)
class Lot:
    tied: list[str]  # the nominees who were equal
    chosen: list[str]  # whom the lot chose, in the order drawn
    seed: str  # the count's seed: anyone can draw the same lot again from it

    @property
    def words(self) -> str:
        return f"{_and(self.tied)} were tied; a lot drawn from seed {self.seed} chose {_and(self.chosen)}"


def lots_drawn(result: ElectionResult, names: Mapping[int, str]) -> list[Lot]:
    """Every lot of the count: an X-vote count's last seats, and each ranked count's stage drawn by lot."""

    def name(candidate: Any) -> str:
        return names.get(int(candidate), f"nomination {candidate}")

    detail = result.detail
    lots = [
        Lot([name(c) for c in tie["tied"]], [name(c) for c in tie["drawn"]], result.seed)
        for tie in detail.get("ties", [])
    ]
    for stage in detail.get("stages", []):
        lots += [
            Lot(
                [name(c) for c in tie["candidates"]],
                [name(tie["chosen"])],
                str(tie.get("seed") or result.seed),
            )
            for tie in stage.get("ties", [])
            if tie.get("by") == "lot"
        ]
    return lots


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
