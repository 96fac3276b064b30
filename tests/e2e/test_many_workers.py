"""Four worker processes on one PostgreSQL: 10,000 due timers and 10,000 queued emails, each done once.

While they run, a sampler watches `pg_stat_activity` for any backend waiting on a lock. A claim
(of a timer or of mail) must never be among them: claims skip rows another worker holds, so no
worker waits for another's work. The waits that remain are printed by kind: the audit chain's
head, which puts every event in one order by design; a worker marking its own message sent just
after another's claim locked that row while checking it; inserts sharing a referenced row for a
foreign key check, or waiting for the table to grow.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, insert
from sqlalchemy.engine import make_url
from sqlmodel import col, select

from nominations.db.engine import Database
from nominations.db.models import (
    AuditEvent,
    ElectorateMember,
    Network,
    Organisation,
    OutboxMessage,
    Partnership,
    Timer,
    Vacancy,
)
from nominations.mail.outbox import new_message_id
from nominations.services.audit_verify import verify
from tests.utils.smtp import FaultyServer, received_ids
from tests.utils.workers import report, start_worker

pytestmark = pytest.mark.slow

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WORKERS = 4
TIMERS = 10_000
EMAILS = 10_000
BATCH = 2_000


def seed(db: Database) -> None:
    """TIMERS vacancies with their call open and a reminder due, and EMAILS messages already queued."""
    with db.transaction() as session:
        network = Network(name="Many", coordinator_name="C", coordinator_email="c@many.example")
        session.add(network)
        session.flush()
        org = Organisation(
            network_id=network.id or 0, name="Org", contact_name="O", contact_email="o@org.example"
        )
        partnership = Partnership(
            network_id=network.id or 0, name="P", contact_name="P", contact_email="p@p.example"
        )
        session.add_all([org, partnership])
        session.flush()
        ids = {"network_id": network.id, "partnership_id": partnership.id, "organisation_id": org.id}
    vacancy = {
        "network_id": ids["network_id"], "partnership_id": ids["partnership_id"], "workflow": "vacancy",
        "status": "nominations_open", "version": 3, "title": "Seat", "kind": "representative", "seats": 1,
        "terms_of_reference": "", "membership_details": "", "knowledge_skills": "", "time_commitment": "",
        "meeting_schedule": "", "term_months": 24, "protocol_overrides": {}, "ballot_order": [],
        "created_at": START, "nominations_close_at": START + timedelta(days=14), "origin": "request",
        "barred_emails": [],
    }  # fmt: skip
    with db.engine.begin() as conn:
        for first in range(1, TIMERS + 1, BATCH):
            numbers = range(first, min(first + BATCH, TIMERS + 1))
            conn.execute(insert(Vacancy), [{**vacancy, "id": n} for n in numbers])
            conn.execute(
                insert(ElectorateMember),
                [
                    {"vacancy_id": n, "organisation_id": ids["organisation_id"], "contact_name": "O",
                     "contact_email": f"o{n}@org.example"}
                    for n in numbers
                ],
            )  # fmt: skip
            conn.execute(
                insert(Timer),
                [
                    {"entity_type": "vacancy", "entity_id": n, "name": "nomination_reminder",
                     "trigger": "remind_nominators", "due_at": START - timedelta(minutes=n % 60),
                     "status": "pending"}
                    for n in numbers
                ],
            )  # fmt: skip
        for first in range(0, EMAILS, BATCH):
            conn.execute(
                insert(OutboxMessage),
                [
                    {"entity_type": "network", "entity_id": ids["network_id"], "template": "digest",
                     "to_name": f"Member {i}", "to_email": f"member{i}@org.example", "subject": f"Digest {i}",
                     "text_body": f"Digest {i}\n", "html_body": f"<p>Digest {i}</p>\n", "attachments": [],
                     "message_id": new_message_id(), "status": "queued", "attempts": 0,
                     "created_at": START, "next_attempt_at": START}
                    for i in range(first, first + BATCH)
                ],
            )  # fmt: skip
        conn.exec_driver_sql(f"SELECT setval('vacancy_id_seq', {TIMERS})")
        conn.exec_driver_sql("ANALYZE")


def kind_of(query: str, event: str) -> str:
    """What a waiting backend was doing, from its SQL, and what it waited for."""
    text = " ".join(query.split())
    if text.startswith("SELECT timer.") or (text.startswith("SELECT outboxmessage.") and "ORDER BY" in text):
        return CLAIM
    if text.startswith("SELECT audit_head.") and text.endswith("FOR UPDATE"):
        return "the audit head, which orders every event"
    if text.startswith("SELECT outboxmessage.") and "WHERE outboxmessage.id = " in text:
        return "marking a message sent, behind a claim that locked its row while checking it"
    if text.startswith("INSERT") and event in {"tuple", "extend"}:
        return f"an insert: {'a foreign key check sharing a row' if event == 'tuple' else 'a table growing'}"
    return f"{text} ({event})"


CLAIM = "claiming a timer or a message"


class LockWaits(threading.Thread):
    """Samples the backends of this database that wait on a lock, and what they were running."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.database = make_url(url).database
        self.waits: Counter[str] = Counter()
        self.samples = 0
        self.stop = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            while not self.stop.is_set():
                rows = conn.execute(
                    "SELECT query, wait_event FROM pg_stat_activity"
                    " WHERE datname = %s AND wait_event_type = 'Lock'",
                    (self.database,),
                ).fetchall()
                self.samples += 1
                for query, event in rows:
                    self.waits[kind_of(query, event)] += 1
                self.stop.wait(0.005)


def test_four_workers_share_ten_thousand_timers_and_ten_thousand_emails(
    postgres_db: Database, tmp_path: Path
) -> None:
    seed(postgres_db)
    sampler = LockWaits(postgres_db.url)
    with FaultyServer(tmp_path / "mail") as server:
        sampler.start()
        workers = [start_worker(postgres_db.url, server, START) for _ in range(WORKERS)]
        try:
            outputs = [worker.communicate(timeout=1800)[0] for worker in workers]
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.communicate()
            sampler.stop.set()
            sampler.join()
    for worker, output in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, output
    fired = [int(re.search(r"timers fired (\d+)", out).group(1)) for out in outputs]  # type: ignore[union-attr]
    sent = [int(re.search(r"mail sent (\d+)", out).group(1)) for out in outputs]  # type: ignore[union-attr]
    report(
        "many-workers",
        [f"timers fired per worker {fired}; mail sent per worker {sent}",
         f"lock waits seen in {sampler.samples} samples of pg_stat_activity:",
         *(f"  {n:>6}  {kind}" for kind, n in sampler.waits.most_common())],
    )  # fmt: skip

    assert sum(fired) == TIMERS and all(fired), fired  # every worker took a share
    with postgres_db.transaction() as session:
        timers = Counter(session.exec(select(Timer.status)).all())
        reminders = session.exec(
            select(AuditEvent.entity_id, func.count())
            .where(col(AuditEvent.action) == "remind_nominators")
            .group_by(col(AuditEvent.entity_id))
        ).all()
        outbox = session.exec(select(OutboxMessage.message_id, OutboxMessage.status)).all()
    assert timers == {"fired": TIMERS}
    assert len(reminders) == TIMERS and {n for _, n in reminders} == {1}  # each vacancy reminded once
    assert len(outbox) == EMAILS + TIMERS and {status for _, status in outbox} == {"sent"}
    arrivals = received_ids(server)
    assert set(arrivals) == {message_id for message_id, _ in outbox}  # none lost
    assert {n for n in arrivals.values()} == {1}  # none twice
    assert sum(sent) == EMAILS + TIMERS
    verified = verify(postgres_db)
    assert verified.ok and verified.count == TIMERS, verified
    # Claims skip what another worker holds, so no worker ever waits for another's work.
    assert CLAIM not in sampler.waits, sampler.waits
