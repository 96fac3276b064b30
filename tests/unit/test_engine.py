"""The engine on its own: the shared machine, intents, refusals in words. No database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from nominations.errors import ActionFailedError, GuardRefusedError, TriggerNotAllowedError
from nominations.paths import workflows_dir
from nominations.workflow.definition import WorkflowDef
from nominations.workflow.engine import WorkflowEngine
from nominations.workflow.facts import Facts
from nominations.workflow.intents import CancelTimer, Effect, SendMail, SetDeadline, StartTimer

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def engine() -> WorkflowEngine:
    raw = yaml.safe_load((workflows_dir() / "vacancy.yaml").read_text())
    return WorkflowEngine(WorkflowDef.model_validate(raw))


def test_opening_the_call_records_intents_in_order(engine: WorkflowEngine) -> None:
    attempt = engine.attempt("accepted", "open_nominations", Facts(), NOW, {})
    assert attempt.dest == "nominations_open"
    close = NOW + timedelta(days=21)
    assert attempt.intents == (
        Effect("freeze_electorate"),
        SetDeadline("nominations_close_at", close),
        StartTimer("close_nominations", "close_nominations", close),
        StartTimer("nomination_reminder", "remind_nominators", close - timedelta(days=2)),
        SendMail("call_for_nominations", "electorate", link="nominate"),
    )


@pytest.mark.parametrize(
    ("valid", "seats", "dest"),
    [
        (0, 1, "no_valid_nominations"),
        (1, 1, "elected_unopposed"),
        (2, 2, "elected_unopposed"),
        (2, 1, "voting_open"),
        (3, 2, "voting_open"),
    ],
)
def test_tally_branches_on_the_number_of_valid_nominations(
    engine: WorkflowEngine, valid: int, seats: int, dest: str
) -> None:
    facts = Facts(seats=seats, valid_nominations=valid)
    assert engine.attempt("nominations_closed", "tally_nominations", facts, NOW, {}).dest == dest


def test_an_internal_transition_keeps_the_state(engine: WorkflowEngine) -> None:
    attempt = engine.attempt("voting_open", "remind_voters", Facts(), NOW, {})
    assert (attempt.source, attempt.dest) == ("voting_open", "voting_open")
    assert attempt.intents == (SendMail("ballot_reminder", "electorate_not_voted", link="ballot"),)


def test_cancel_applies_to_every_open_state_and_no_final_one(engine: WorkflowEngine) -> None:
    for name, state in engine.definition.states.items():
        if state.final:
            with pytest.raises(TriggerNotAllowedError, match="it is final"):
                engine.attempt(name, "cancel", Facts(), NOW, {})
        else:
            attempt = engine.attempt(name, "cancel", Facts(), NOW, {})
            assert attempt.dest == "cancelled"
            assert attempt.intents[0] == CancelTimer("*")


def test_a_trigger_from_the_wrong_state_says_what_is_allowed(engine: WorkflowEngine) -> None:
    with pytest.raises(TriggerNotAllowedError) as caught:
        engine.attempt("requested", "declare", Facts(), NOW, {})
    assert str(caught.value) == (
        "cannot declare a vacancy that is requested "
        "(allowed from requested: accept, ask_for_information, decline, cancel)"
    )
    with pytest.raises(TriggerNotAllowedError, match="vacancy has no trigger 'explode'"):
        engine.attempt("requested", "explode", Facts(), NOW, {})


def test_a_timer_at_an_unset_deadline_fails_in_words(tmp_path: Path) -> None:
    raw = yaml.safe_load((workflows_dir() / "vacancy.yaml").read_text())
    for t in raw["transitions"]:
        if t["trigger"] == "open_nominations":
            t["actions"] = [a for a in t["actions"] if not (isinstance(a, dict) and "set_deadline" in a)]
    engine = WorkflowEngine(WorkflowDef.model_validate(raw))
    with pytest.raises(ActionFailedError, match="timer 'close_nominations' needs nominations_close_at"):
        engine.attempt("accepted", "open_nominations", Facts(), NOW, {})


def test_guard_refusal_names_what_failed() -> None:
    definition = WorkflowDef.model_validate(
        {
            "workflow": "w",
            "entity": "vacancy",
            "initial": "a",
            "states": {"a": {}, "b": {"final": True}},
            "transitions": [{"trigger": "go", "source": "a", "dest": "b", "guards": ["has_votes"]}],
        }
    )
    engine = WorkflowEngine(definition)
    with pytest.raises(GuardRefusedError, match="cannot go a vacancy that is a: nobody has voted"):
        engine.attempt("a", "go", Facts(votes_cast=0), NOW, {})
    assert engine.attempt("a", "go", Facts(votes_cast=1), NOW, {}).dest == "b"


def test_the_shared_machine_holds_no_models_after_use(engine: WorkflowEngine) -> None:
    for _ in range(50):
        engine.attempt("requested", "accept", Facts(), NOW, {})
        engine.allowed("voting_open", Facts())
    assert engine._machine.models == []


def test_allowed_asks_the_guards(engine: WorkflowEngine) -> None:
    assert engine.allowed("nominations_closed", Facts(valid_nominations=2)) == ["tally_nominations", "cancel"]
    assert engine.allowed("filled", Facts()) == []


def test_a_protocol_sets_the_windows_and_starts_one_reminder_per_entry(engine: WorkflowEngine) -> None:
    params = {"nomination_window": "P14D", "reminders": ["P7D", "P2D"]}
    attempt = engine.attempt("accepted", "open_nominations", Facts(), NOW, {}, params)
    close = NOW + timedelta(days=14)
    timers = [i for i in attempt.intents if isinstance(i, StartTimer)]
    assert SetDeadline("nominations_close_at", close) in attempt.intents
    assert [(t.name, t.due_at) for t in timers] == [
        ("close_nominations", close),
        ("nomination_reminder", close - timedelta(days=7)),
        ("nomination_reminder", close - timedelta(days=2)),
    ]
