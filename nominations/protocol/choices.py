"""The kinds of value a protocol's settings take: durations, counts, methods, declarations."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from nominations.workflow.durations import parse_duration


def _positive(text: str) -> str:
    if parse_duration(text) <= timedelta(0):
        raise ValueError(f"{text!r} is no time at all; give a duration such as P7D")
    return text


Duration = Annotated[StrictStr, AfterValidator(_positive)]  # ISO 8601, kept as written
AtLeastOne = Annotated[StrictInt, Field(ge=1)]


class OneSeatMethod(StrEnum):
    PLURALITY = "plurality"
    AV = "av"


class SeveralSeatsMethod(StrEnum):
    SCOTTISH_STV = "scottish-stv"
    MEEK_STV = "meek-stv"
    BLOCK = "block"


class CandidateOrder(StrEnum):
    ALPHABETICAL = "alphabetical"
    RANDOM = "random"  # drawn once when the ballot opens, and recorded


class TieRule(StrEnum):
    LOT = "lot"  # drawn from a seed that is published with the result


class Receipts(StrEnum):
    WITH_CHOICES = "with-choices"  # a voter can see their ballot was counted as cast
    CODES_ONLY = "codes-only"  # nobody can prove to anyone else how they voted


class Strict(BaseModel):
    """Frozen, and every key it does not know is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Declaration(Strict):
    id: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    text: Annotated[StrictStr, Field(min_length=1)]


class InductionStep(Strict):
    id: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    text: Annotated[StrictStr, Field(min_length=1)]
    required: StrictBool = True  # a step that is not required never holds the appointment back


class VotingMethods(Strict):
    one_seat: OneSeatMethod
    several_seats: SeveralSeatsMethod
