"""What a ballot may say under each counting method. Pure: the service and the pages use it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from nominations.whole_numbers import whole_number

RANKED = frozenset({"av", "scottish-stv", "meek-stv"})


class BallotChoiceError(ValueError):
    """The choices on a ballot do not fit its method; the message says what to do."""


def ballot_kind(method: str) -> str:
    """How the page asks: one X, up to k X's, or a ranking."""
    if method in RANKED:
        return "ranking"
    return "single" if method == "plurality" else "multiple"


def read_choices(
    method: str, seats: int, candidates: Sequence[int], form: Mapping[str, list[str]]
) -> list[int]:
    """Turn the ballot form into the ordered list of nomination ids the ballot paper stores."""
    kind = ballot_kind(method)
    known = {str(c): c for c in candidates}
    if kind == "ranking":
        return _ranking(form, known)
    picked = form.get("choice", [])
    if any(p not in known for p in picked) or len(set(picked)) != len(picked):
        raise BallotChoiceError("Choose from the candidates on the ballot")
    if not picked:
        raise BallotChoiceError("Choose a candidate" if kind == "single" else "Choose at least one candidate")
    limit = 1 if kind == "single" else seats
    if len(picked) > limit:
        raise BallotChoiceError(f"Choose no more than {limit} candidate{'s' if limit > 1 else ''}")
    return [known[p] for p in picked]


def _ranking(form: Mapping[str, list[str]], known: Mapping[str, int]) -> list[int]:
    ranks: dict[int, int] = {}
    for key, candidate in known.items():
        values = [v.strip() for v in form.get(f"rank-{key}", []) if v.strip()]
        if not values:
            continue
        rank = whole_number(values[0]) if len(values) == 1 else None
        if rank is None or rank < 1:
            raise BallotChoiceError(
                "Give each candidate you rank a number: 1 for your first choice, 2 for your second"
            )
        ranks[candidate] = rank
    if not ranks:
        raise BallotChoiceError("Put 1 beside your first choice")
    order = sorted(ranks, key=ranks.__getitem__)
    numbers = sorted(ranks.values())
    if numbers != list(range(1, len(numbers) + 1)):
        if len(set(numbers)) != len(numbers):
            raise BallotChoiceError("Use each number once: two candidates cannot share a place")
        raise BallotChoiceError("Number your choices 1, 2, 3 and so on, without gaps")
    return order
