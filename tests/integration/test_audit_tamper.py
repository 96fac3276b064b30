"""With the guards dropped, every kind of tampering is still caught, at the right event."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from nominations.actors import Actor
from nominations.audit import EventBody, chain_hash
from nominations.clock import FakeClock
from nominations.db import audit_ddl
from nominations.db.engine import Database
from nominations.services.audit_export import export
from nominations.services.audit_log import append_event
from nominations.services.audit_verify import verify

EVENTS = 10


@pytest.fixture
def chain(db: Database, clock: FakeClock) -> Iterator[Database]:
    """Ten events that verify, with the append-only triggers dropped."""
    with db.transaction() as session:
        for i in range(1, EVENTS + 1):
            append_event(session, occurred_at=clock.advance(timedelta(minutes=1)),
                         actor=Actor("coordinator", "c1"), action="step", entity_type="vacancy",
                         entity_id=3, from_state=f"s{i - 1}", to_state=f"s{i}",
                         reason=f"reason {i}", payload={"n": i})  # fmt: skip
    assert verify(db).ok
    with db.engine.begin() as conn:
        audit_ddl.uninstall(conn)
    yield db


def _sql(db: Database, statement: str, **params: Any) -> None:
    with db.engine.begin() as conn:
        result = conn.execute(text(statement), params)
        assert result.rowcount >= 1, "the tampering itself did nothing"


def _hash_of(db: Database, seq: int) -> str:
    with db.engine.connect() as conn:
        return str(conn.execute(text("SELECT hash FROM audit_event WHERE seq = :s"), {"s": seq}).scalar_one())


def _forge(db: Database, seq: int, prev_hash: str, *, right_hash: bool, move_head: bool) -> str:
    body = EventBody(seq, "2026-03-02T10:30:00.000000Z", "coordinator", "c1", "elect", "vacancy",
                     "3", None, None, "forged", {"winner": 666})  # fmt: skip
    digest = chain_hash(prev_hash, body) if right_hash else "f" * 64
    _sql(db, "INSERT INTO audit_event (seq, occurred_at, actor_type, actor_id, action, entity_type,"
         " entity_id, reason, payload, prev_hash, hash) VALUES (:seq, :at, 'coordinator', 'c1',"
         " 'elect', 'vacancy', '3', 'forged', :payload, :prev, :hash)",
         seq=seq, at=body.occurred_at, payload='{"winner":666}', prev=prev_hash, hash=digest)  # fmt: skip
    if move_head:
        _sql(db, "UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1", seq=seq, hash=digest)
    return digest


def _caught(db: Database, seq: int | None, problem: str) -> None:
    report = verify(db, batch=4)  # small batches: problems may sit on either side of a boundary
    assert (report.ok, report.first_bad_seq, report.problem) == (False, seq, problem)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("reason", "nothing to see here"),
        ("reason", None),
        ("payload", '{"n":70}'),
        ("actor_type", "system"),
        ("actor_id", "c2"),
        ("occurred_at", "2026-03-02T09:07:00.000001Z"),
        ("action", "withdraw"),
        ("entity_id", "4"),
        ("to_state", "elected"),
    ],
)
def test_changing_any_field_is_caught_at_that_event(chain: Database, column: str, value: Any) -> None:
    _sql(chain, f"UPDATE audit_event SET {column} = :v WHERE seq = 7", v=value)
    _caught(chain, 7, "event 7: hash does not match its contents")
    assert verify(chain).count == 6


def test_respelling_the_payload_without_changing_its_meaning_is_caught(chain: Database) -> None:
    _sql(chain, "UPDATE audit_event SET payload = :p WHERE seq = 7", p='{"n": 7}')
    _caught(chain, 7, "event 7: payload text is not in canonical form")


def test_a_payload_that_is_no_longer_json_is_caught(chain: Database) -> None:
    _sql(chain, "UPDATE audit_event SET payload = :p WHERE seq = 7", p='{"n":NaN}')
    _caught(chain, 7, "event 7: payload is not a JSON object")


def test_an_edited_event_with_its_hash_recomputed_breaks_the_next_link(chain: Database) -> None:
    body = EventBody(7, "2026-03-02T09:07:00.000000Z", "coordinator", "c1", "step", "vacancy",
                     "3", "s6", "s7", "a better reason", {"n": 7})  # fmt: skip
    _sql(chain, "UPDATE audit_event SET reason = 'a better reason', hash = :h WHERE seq = 7",
         h=chain_hash(_hash_of(chain, 6), body))  # fmt: skip
    _caught(chain, 8, "event 8: previous hash does not match event 7")


def test_a_changed_previous_hash_is_caught(chain: Database) -> None:
    _sql(chain, "UPDATE audit_event SET prev_hash = :h WHERE seq = 1", h="1" * 64)
    _caught(chain, 1, "event 1: previous hash does not match the genesis hash")


def test_deleting_a_middle_event_is_caught(chain: Database) -> None:
    _sql(chain, "DELETE FROM audit_event WHERE seq = 5")
    _caught(chain, 5, "event 5 is missing (sequence jumps from 4 to 6)")


def test_deleting_the_first_event_is_caught(chain: Database) -> None:
    _sql(chain, "DELETE FROM audit_event WHERE seq = 1")
    _caught(chain, 1, "event 1 is missing (sequence jumps from 0 to 2)")


def test_deleting_the_last_events_is_caught_by_the_head(chain: Database) -> None:
    _sql(chain, "DELETE FROM audit_event WHERE seq >= 9")
    _caught(chain, 9, "event 9 is missing (the chain ends at 8, its head at 10)")


def test_deleting_everything_is_caught_by_the_head(chain: Database) -> None:
    _sql(chain, "DELETE FROM audit_event")
    _caught(chain, 1, "event 1 is missing (the chain ends at 0, its head at 10)")


def test_an_event_appended_behind_the_heads_back_is_caught(chain: Database) -> None:
    _forge(chain, 11, _hash_of(chain, 10), right_hash=True, move_head=False)
    _caught(chain, 11, "event 11 is past the chain's head (the head ends at 10)")


def test_a_forged_event_on_a_fork_is_caught_even_with_the_head_moved(chain: Database) -> None:
    _forge(chain, 11, _hash_of(chain, 8), right_hash=True, move_head=True)
    _caught(chain, 11, "event 11: previous hash does not match event 10")


def test_a_forged_event_with_a_wrong_hash_is_caught(chain: Database) -> None:
    _forge(chain, 11, _hash_of(chain, 10), right_hash=False, move_head=True)
    _caught(chain, 11, "event 11: hash does not match its contents")


def test_an_event_slipped_into_the_middle_is_caught(chain: Database) -> None:
    # Make room at 6 (in two steps: a one-step shift collides on the key), then forge 6
    # properly chained onto 5, and move the head to the new end.
    _sql(chain, "UPDATE audit_event SET seq = seq + 1000 WHERE seq >= 6")
    _sql(chain, "UPDATE audit_event SET seq = seq - 999 WHERE seq > 1000")
    _forge(chain, 6, _hash_of(chain, 5), right_hash=True, move_head=False)
    _sql(chain, "UPDATE audit_head SET seq = 11, hash = :h WHERE id = 1", h=_hash_of(chain, 11))
    _caught(chain, 7, "event 7: previous hash does not match event 6")


def test_an_event_numbered_zero_is_caught(chain: Database) -> None:
    _forge(chain, 0, "0" * 64, right_hash=True, move_head=False)
    _caught(chain, 0, "event 0 is out of sequence (expected event 1)")


def test_swapping_two_events_is_caught(chain: Database) -> None:
    _sql(chain, "UPDATE audit_event SET seq = -1 WHERE seq = 3")
    _sql(chain, "UPDATE audit_event SET seq = 3 WHERE seq = 4")
    _sql(chain, "UPDATE audit_event SET seq = 4 WHERE seq = -1")
    _caught(chain, 3, "event 3: previous hash does not match event 2")


def test_a_changed_head_hash_is_caught(chain: Database) -> None:
    _sql(chain, "UPDATE audit_head SET hash = :h WHERE id = 1", h="a" * 64)
    _caught(chain, 10, "the head's hash does not match event 10")


def test_a_head_moved_back_is_caught(chain: Database) -> None:
    _sql(chain, "UPDATE audit_head SET seq = 9 WHERE id = 1")
    _caught(chain, 10, "event 10 is past the chain's head (the head ends at 9)")


def test_a_head_moved_on_is_caught(chain: Database) -> None:
    _sql(chain, "UPDATE audit_head SET seq = 12 WHERE id = 1")
    _caught(chain, 11, "event 11 is missing (the chain ends at 10, its head at 12)")


def test_a_missing_head_is_caught(chain: Database) -> None:
    _sql(chain, "DELETE FROM audit_head")
    _caught(chain, None, "the chain's head record is missing")


def test_cutting_the_tail_and_rewinding_the_head_needs_a_head_kept_elsewhere(chain: Database) -> None:
    # The limit of a chain that lives in one database: a consistent cut is a valid shorter
    # chain. It shows only against a head published earlier (the output of `audit verify`).
    published = verify(chain).head
    _sql(chain, "DELETE FROM audit_event WHERE seq = 10")
    _sql(chain, "UPDATE audit_head SET seq = 9, hash = :h WHERE id = 1", h=_hash_of(chain, 9))
    report = verify(chain)
    assert report.ok and report.count == 9 and report.head != published
    anchored = verify(chain, anchor=published)
    assert not anchored.ok
    assert anchored.problem == (
        f"the chain no longer contains the anchor {published}: events recorded up to it have been "
        "removed or rewritten"
    )


def test_an_anchor_from_earlier_in_the_chain_still_verifies(chain: Database) -> None:
    early = _hash_of(chain, 4)
    assert verify(chain, anchor=early).ok
    assert not verify(chain, anchor="f" * 64).ok


def test_export_writes_a_broken_payload_as_found(chain: Database) -> None:
    _sql(chain, "UPDATE audit_event SET payload = :p WHERE seq = 2", p="{not json")
    out = io.StringIO()
    assert export(chain, out, fmt="jsonl") == EVENTS
    assert json.loads(out.getvalue().splitlines()[1])["payload"] == "{not json"
