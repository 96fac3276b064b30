"""Separating equal candidates: by the most recent earlier stage at which they differed, then by lot.

The API, for every counting method:

- ``break_tie(tied, history, highest=..., seed=..., stage=...) -> Tie`` picks one of ``tied``
  (candidate indexes, file order). ``history[i][c]`` is candidate ``c``'s total at the end of stage
  ``i + 1``: pass the stages counted so far (including the one at whose end the tie arose; the tied
  candidates are equal there, so it never decides). Totals may be ``int``, ``Decimal`` or
  ``Fraction``. With ``highest=True`` the candidate who was ahead wins (whose surplus moves first);
  with ``highest=False`` the one who was behind (who is excluded). Going back stage by stage, the
  candidates still equal are narrowed to those ahead (or behind) at that stage; if more than one
  is left after stage 1, a lot is drawn among them.
- ``draw_lot(seed, stage, tied) -> int``: the lot alone. It depends only on the seed, the stage
  number and the set of candidates, so the same seed always gives the same count, whatever the
  order of the ballots or the names of the candidates.
- ``by_history(candidates, history, highest=...)``: candidates sorted by their totals, equal totals
  by the earlier stages, the rest in file order (no lot); for listing those elected together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

from nominations.counting.model import Tie

Total = int | Decimal | Fraction


def draw_lot(seed: str, stage: int, tied: Iterable[int]) -> int:
    """One of `tied`, chosen by lot from `seed`: a SHA-256 of the seed, the stage and the candidates."""
    pool = sorted(set(tied))
    if not pool:
        raise ValueError("a lot needs at least one candidate")
    key = f"{seed}\x1fstage {stage}\x1f{','.join(map(str, pool))}".encode()
    return pool[int.from_bytes(hashlib.sha256(key).digest(), "big") % len(pool)]


def break_tie(
    tied: Iterable[int], history: Sequence[Sequence[Total]], *, highest: bool, seed: str, stage: int
) -> Tie:
    """Choose one of `tied` by the most recent earlier stage at which they differed, else by lot."""
    candidates = tuple(sorted(set(tied)))
    if len(candidates) < 2:
        raise ValueError("a tie needs at least two candidates")
    left = list(candidates)
    decided_at: int | None = None
    for number in range(len(history), 0, -1):
        totals = history[number - 1]
        best = max(totals[c] for c in left) if highest else min(totals[c] for c in left)
        narrowed = [c for c in left if totals[c] == best]
        if len(narrowed) < len(left):
            left, decided_at = narrowed, number
        if len(left) == 1:
            return Tie("earlier-stage", candidates, left[0], stage=decided_at)
    return Tie("lot", candidates, draw_lot(seed, stage, left), stage=decided_at, seed=seed)


def by_history(candidates: Iterable[int], history: Sequence[Sequence[Total]], *, highest: bool) -> list[int]:
    """`candidates` ordered by their latest totals, then by each earlier stage back to the first."""

    def key(c: int) -> tuple[Total, ...]:
        return tuple(totals[c] for totals in reversed(history))

    return sorted(sorted(candidates), key=key, reverse=highest)  # a stable sort keeps file order last
