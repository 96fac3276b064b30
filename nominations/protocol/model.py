"""A network's protocol as data: how it takes nominations, runs a ballot and seats the winner."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Annotated, Any

from pydantic import Field, StrictBool, StrictInt, StrictStr, ValidationError, ValidationInfo, field_validator

from nominations.errors import NominationsError
from nominations.protocol.choices import (
    AtLeastOne,
    CandidateOrder,
    Declaration,
    Duration,
    InductionStep,
    Receipts,
    Strict,
    TieRule,
    VotingMethods,
)
from nominations.protocol.messages import Finding, explain, refuse
from nominations.workflow.durations import parse_duration

_NOT_SETTINGS = ("protocol", "description")  # what the protocol is, not how a seat is filled
_OPENS = {"nomination_window": "the call for nominations", "ballot_window": "the ballot"}


class ProtocolError(NominationsError):
    """A seat's override of its protocol was refused; the message names each setting."""


class Protocol(Strict):
    """Every setting is required: a protocol says in its own file how its elections run."""

    name: StrictStr = Field(alias="protocol", min_length=1)
    description: StrictStr = ""
    nomination_window: Duration
    ballot_window: Duration
    reminders: list[Duration]  # before each deadline; checked after the windows they fit in
    seconders_required: Annotated[StrictInt, Field(ge=0, le=2)]
    seconders_from_other_organisations: StrictBool
    nominee_consent_required: StrictBool
    self_nomination_allowed: StrictBool  # may an organisation nominate its own voting contact
    statement_word_limit: AtLeastOne
    nominations_per_organisation: AtLeastOne | None
    declarations: list[Declaration]
    voting_method: VotingMethods
    candidate_order: CandidateOrder
    tie_rule: TieRule
    receipts: Receipts
    runner_up_becomes_substitute: StrictBool
    term_months: AtLeastOne
    term_limit: AtLeastOne | None  # consecutive terms
    carry_on_if_unopposed: StrictBool  # a retiring representative, if nobody else stands
    induction_checklist: list[InductionStep]
    induction_window: Duration
    induction_reminders: list[Duration]  # before the induction deadline, while steps are open
    report_back_within: Duration  # after each partnership meeting
    digest_every: Duration  # how often members get the report-backs filed since the last digest
    review_window: Duration  # how long members and the representative have to answer a review
    reelection_notice: Duration  # how long before a term ends its re-election opens

    @field_validator("induction_checklist")
    @classmethod
    def _steps_differ(cls, steps: list[InductionStep]) -> list[InductionStep]:
        first: dict[str, int] = {}
        found: list[Finding] = [
            ((i, "id"), f"{s.id!r} is already the id of induction_checklist[{first[s.id]}]")
            for i, s in enumerate(steps)
            if first.setdefault(s.id, i) != i
        ]
        return refuse(found, steps)

    @field_validator("induction_reminders")
    @classmethod
    def _induction_reminders_fit(cls, reminders: list[str], info: ValidationInfo) -> list[str]:
        window = info.data.get("induction_window")
        found: list[Finding] = [
            ((i,), f"{text!r} is not shorter than the induction_window {window!r}")
            for i, text in enumerate(reminders)
            if window is not None and parse_duration(text) >= parse_duration(window)
        ]
        return refuse(found, reminders)

    @field_validator("reelection_notice")
    @classmethod
    def _reelection_in_time(cls, notice: str, info: ValidationInfo) -> str:
        # The new term starts on time only if the call and the ballot both fit before it.
        windows = [w for w in (info.data.get(name) for name in _OPENS) if w is not None]
        needed = sum((parse_duration(w) for w in windows), timedelta())
        found: list[Finding] = []
        if len(windows) == len(_OPENS) and parse_duration(notice) <= needed:
            late = (
                f"leaves no time to run the call and the ballot ({' + '.join(windows)}) before the term ends"
            )
            found.append(((), f"{notice!r} {late}"))
        return refuse(found, notice)

    @field_validator("reminders")
    @classmethod
    def _reminders_fit(cls, reminders: list[str], info: ValidationInfo) -> list[str]:
        found: list[Finding] = []
        first: dict[timedelta, int] = {}
        for i, text in enumerate(reminders):
            before = parse_duration(text)
            if first.setdefault(before, i) != i:
                found.append(((i,), f"{text!r} repeats reminders[{first[before]}]"))
            # A window that failed its own check is missing from info.data and says so itself.
            for window, opens in _OPENS.items():
                length = info.data.get(window)
                if length is not None and before >= parse_duration(length):
                    late = f"so the reminder would go out before {opens} opens"
                    found.append(((i,), f"{text!r} is not shorter than the {window} {length!r}, {late}"))
                    break
        return refuse(found, reminders)

    @field_validator("declarations")
    @classmethod
    def _ids_differ(cls, declarations: list[Declaration]) -> list[Declaration]:
        first: dict[str, int] = {}
        found: list[Finding] = [
            ((i, "id"), f"{d.id!r} is already the id of declarations[{first[d.id]}]")
            for i, d in enumerate(declarations)
            if first.setdefault(d.id, i) != i
        ]
        return refuse(found, declarations)

    def method_for(self, seats: int) -> str:
        """The counting method for a vacancy of `seats` seats."""
        if seats < 1:
            raise ValueError(f"a vacancy has at least one seat, not {seats}")
        chosen = self.voting_method.one_seat if seats == 1 else self.voting_method.several_seats
        return chosen.value

    def with_overrides(self, overrides: Mapping[str, Any]) -> Protocol:
        """A validated copy with a seat's own settings; ProtocolError names each refused one."""
        fixed = [key for key in _NOT_SETTINGS if key in overrides]
        if fixed:
            raise ProtocolError(f"seat override: {fixed[0]!r} belongs to the protocol, not to a seat")
        data = self.model_dump(mode="json", by_alias=True)
        for key, value in overrides.items():
            mine = data.get(key)  # a mapping merges, so a seat may change one voting method
            data[key] = {**mine, **value} if isinstance(mine, dict) and isinstance(value, Mapping) else value
        try:
            return type(self).model_validate(data)
        except ValidationError as exc:
            said = [f"seat override: {text}" for _, text in explain(exc, type(self))]
            raise ProtocolError("\n".join(said)) from None
