"""Appending builds a chain that verifies; the database itself refuses to change it."""

from __future__ import annotations

import hashlib
import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import col, select

from nominations.actors import SYSTEM, Actor
from nominations.audit import GENESIS_HASH
from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.db.models import AuditEvent, AuditHead
from nominations.services.audit_export import export
from nominations.services.audit_log import append_event
from nominations.services.audit_verify import VerifyReport, verify

COORDINATOR = Actor("coordinator", "c1")


def _rows(db: Database) -> list[AuditEvent]:
    with db.transaction() as session:
        return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))))


def _head(db: Database) -> tuple[int, str]:
    with db.transaction() as session:
        head = session.get_one(AuditHead, 1)
        return head.seq, head.hash


def _by_hand(prev: str, fields: dict[str, Any]) -> str:
    """The chain's hash spelled out without the package's helpers."""
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev + body).encode("utf-8")).hexdigest()


def test_appended_events_form_a_chain_whose_head_can_be_recomputed_by_hand(
    db: Database, clock: FakeClock
) -> None:
    calls: list[dict[str, Any]] = [
        dict(actor=COORDINATOR, action="open", entity_type="vacancy", entity_id=4,
             from_state="draft", to_state="open", payload={"seats": 2, "kind": "expert"}),
        dict(actor=Actor("organisation", "17"), action="nominate", entity_type="vacancy",
             entity_id="4", payload={"nomination_id": 9, "names": ["Siân", "Zoë"]}),
        dict(actor=COORDINATOR, action="invalidate", entity_type="nomination", entity_id=9,
             reason="Nominee is not resident in Ynys Môn (rule 4.2)"),
    ]  # fmt: skip
    prev, times = GENESIS_HASH, []
    with db.transaction() as session:
        for call in calls:
            times.append(clock.advance(timedelta(minutes=5, microseconds=7)))
            append_event(session, occurred_at=times[-1], **call)

    expected = []
    for seq, (call, when) in enumerate(zip(calls, times, strict=True), start=1):
        fields = {
            "seq": seq, "occurred_at": when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "actor_type": call["actor"].kind, "actor_id": call["actor"].id,
            "action": call["action"], "entity_type": call["entity_type"],
            "entity_id": str(call["entity_id"]), "from_state": call.get("from_state"),
            "to_state": call.get("to_state"), "reason": call.get("reason"),
            "payload": call.get("payload", {}),
        }  # fmt: skip
        prev = _by_hand(prev, fields)
        expected.append(prev)

    rows = _rows(db)
    assert [r.hash for r in rows] == expected
    assert [r.prev_hash for r in rows] == [GENESIS_HASH, *expected[:-1]]
    assert rows[0].occurred_at == "2026-03-02T09:05:00.000007Z"
    assert rows[1].payload == '{"names":["Siân","Zoë"],"nomination_id":9}'
    assert _head(db) == (3, expected[-1])
    assert verify(db) == VerifyReport(True, 3, expected[-1], None, None)


def test_an_empty_chain_verifies_to_the_genesis_hash(db: Database) -> None:
    report = verify(db)
    assert (report.ok, report.count, report.head) == (True, 0, GENESIS_HASH)


def test_append_joins_the_callers_transaction_and_is_undone_with_it(
    db: Database, clock: FakeClock
) -> None:
    with pytest.raises(RuntimeError), db.transaction() as session:
        append_event(session, occurred_at=clock.now(), actor=SYSTEM, action="x",
                     entity_type="vacancy", entity_id=1)  # fmt: skip
        raise RuntimeError("the caller's unit of work failed")
    assert _rows(db) == []
    assert _head(db) == (0, GENESIS_HASH)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"when": datetime(2026, 1, 1)}, r"payload\['when'\] is a datetime, which is not JSON"),
        ({"scores": [1.5, float("nan")]}, r"payload\['scores'\]\[1\] is nan"),
        ({"ids": {4: "x"}}, r"payload\['ids'\] has the key 4: JSON keys must be strings"),
        ({"tags": {"a", "b"}}, r"payload\['tags'\] is a set"),
        (["not", "an", "object"], r"payload is a list, not a JSON object"),
    ],
)
def test_a_payload_that_is_not_json_is_refused_and_nothing_is_written(
    db: Database, clock: FakeClock, payload: Any, message: str
) -> None:
    with db.transaction() as session:
        append_event(session, occurred_at=clock.now(), actor=SYSTEM, action="ok",
                     entity_type="vacancy", entity_id=1)  # fmt: skip
    with pytest.raises(TypeError, match=message), db.transaction() as session:
        append_event(session, occurred_at=clock.now(), actor=SYSTEM, action="bad",
                     entity_type="vacancy", entity_id=1, payload=payload)  # fmt: skip
    assert [r.action for r in _rows(db)] == ["ok"]
    assert verify(db).count == 1


def test_a_naive_time_is_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="timezone-aware"), db.transaction() as session:
        append_event(session, occurred_at=datetime(2026, 1, 1), actor=SYSTEM, action="x",
                     entity_type="vacancy", entity_id=1)  # fmt: skip
    assert _rows(db) == []


def _fill(db: Database, clock: FakeClock, n: int) -> None:
    with db.transaction() as session:
        for i in range(n):
            append_event(session, occurred_at=clock.advance(timedelta(seconds=1)), actor=SYSTEM,
                         action="tick", entity_type="vacancy", entity_id=1, payload={"i": i})  # fmt: skip


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET reason = 'edited' WHERE seq = 2",
        "UPDATE audit_event SET hash = prev_hash",
        "DELETE FROM audit_event WHERE seq = 3",
        "DELETE FROM audit_event",
    ],
)
def test_the_database_refuses_to_change_or_remove_events(
    db: Database, clock: FakeClock, statement: str
) -> None:
    _fill(db, clock, 3)
    before = [r.model_dump() for r in _rows(db)]
    with pytest.raises(DBAPIError, match="audit_event is append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    assert [r.model_dump() for r in _rows(db)] == before
    assert verify(db).ok


def test_postgres_refuses_truncate(db: Database, clock: FakeClock) -> None:
    if db.dialect != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (its DELETE without WHERE is tested above)")
    _fill(db, clock, 2)
    with pytest.raises(DBAPIError, match="append-only: TRUNCATE"), db.engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_event"))
    assert len(_rows(db)) == 2


def test_installing_the_guards_twice_leaves_one_of_each(db: Database) -> None:
    db.create_schema()
    query = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'",
        "postgresql": "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_event'::regclass"
        " AND NOT tgisinternal",
    }[db.dialect]
    with db.engine.connect() as conn:
        names = sorted(conn.execute(text(query)).scalars())
    assert len(names) == 2 and len(set(names)) == 2


def test_concurrent_appenders_make_one_unbroken_chain(db: Database, clock: FakeClock) -> None:
    threads, each = 8, 25
    start = threading.Barrier(threads)

    def appender(t: int) -> None:
        start.wait()
        for i in range(each):
            with db.transaction() as session:
                append_event(session, occurred_at=clock.now(), actor=Actor("organisation", str(t)),
                             action="vote", entity_type="vacancy", entity_id=1, payload={"i": i})  # fmt: skip

    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(appender, t) for t in range(threads)]:
            future.result()

    rows = _rows(db)
    assert [r.seq for r in rows] == list(range(1, threads * each + 1))
    for t in range(threads):  # each thread's own events kept their order
        mine = [json.loads(r.payload)["i"] for r in rows if r.actor_id == str(t)]
        assert mine == list(range(each))
    report = verify(db, batch=16)
    assert (report.ok, report.count, report.head) == (True, threads * each, rows[-1].hash)
    assert _head(db) == (threads * each, rows[-1].hash)


def test_verify_reads_in_batches_and_reports_progress(db: Database, clock: FakeClock) -> None:
    _fill(db, clock, 23)
    seen: list[int] = []
    report = verify(db, progress=seen.append, batch=5)
    assert report.ok and report.count == 23
    assert seen == [5, 10, 15, 20, 23]


def test_an_export_is_enough_to_recompute_the_chain(db: Database, clock: FakeClock) -> None:
    _fill(db, clock, 4)
    out = io.StringIO()
    assert export(db, out, fmt="jsonl", batch=3) == 4
    prev = GENESIS_HASH
    for line in out.getvalue().splitlines():
        record = json.loads(line)
        assert record["prev_hash"] == prev
        fields = {k: v for k, v in record.items() if k not in {"hash", "prev_hash"}}
        prev = _by_hand(prev, fields)
        assert record["hash"] == prev
    assert prev == verify(db).head


def test_verify_while_others_append_raises_no_false_alarm(db: Database, clock: FakeClock) -> None:
    _fill(db, clock, 5)
    done = threading.Event()

    def appender() -> None:
        try:
            for _ in range(60):
                _fill(db, clock, 1)
        finally:
            done.set()

    reports = []
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(appender)
        while not done.is_set():
            reports.append(verify(db, batch=3))
        future.result()
    reports.append(verify(db, batch=3))
    assert all(r.ok for r in reports), [r.problem for r in reports if not r.ok]
    assert reports[-1].count == 65
