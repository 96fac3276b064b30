"""Kill the worker process mid-send, restart it: no message is lost, duplicates stay bounded."""

from __future__ import annotations

import os
import random
import signal
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from nominations.db.engine import Database
from nominations.db.models import OutboxMessage
from nominations.mail.outbox import queue_mail
from nominations.mail.render import RenderedMail
from tests.utils import workers
from tests.utils.smtp import FaultyServer, received_ids
from tests.utils.workers import wait_for

pytestmark = pytest.mark.slow

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=300)
CONCURRENCY = 4
TOTAL = 200


def seed(database: Path) -> list[str]:
    db = Database(f"sqlite:///{database}")
    db.create_schema()
    with db.transaction() as session:
        rows = [
            queue_mail(
                session,
                now=START,
                entity_type="vacancy",
                entity_id=1,
                template="ballot_open",
                to_name=f"Contact {i}",
                to_email=f"contact{i}@org.example",
                rendered=RenderedMail(f"Ballot {i}", f"Text {i}\n", f"<p>HTML {i}</p>\n"),
            )
            for i in range(TOTAL)
        ]
        ids = [row.message_id for row in rows]
    db.dispose()
    return ids


def statuses(database: Path) -> dict[str, int]:
    db = Database(f"sqlite:///{database}")
    try:
        with db.transaction() as session:
            query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            return {status: count for status, count in session.exec(query).all()}
    finally:
        db.dispose()


def start_worker(database: Path, server: FaultyServer, now: datetime) -> subprocess.Popen[str]:
    return workers.start_worker(
        f"sqlite:///{database}", server, now,
        mail_concurrency=str(CONCURRENCY), mail_lease_seconds=str(int(LEASE.total_seconds())),
    )  # fmt: skip


def kill(worker: subprocess.Popen[str]) -> None:
    assert worker.poll() is None, f"the worker ended before it was killed:\n{worker.communicate()[0]}"
    os.kill(worker.pid, signal.SIGKILL)
    worker.communicate(timeout=30)  # reaps it and closes its pipe


def finish(database: Path, server: FaultyServer) -> None:
    """Restart the worker once the dead one's leases have run out, and let it finish."""
    worker = start_worker(database, server, START + LEASE + timedelta(seconds=1))
    output, _ = worker.communicate(timeout=120)
    assert worker.returncode == 0, output


def test_a_worker_killed_while_the_server_holds_a_message_loses_nothing(tmp_path: Path) -> None:
    database = tmp_path / "outbox.db"
    ids = seed(database)
    with FaultyServer(tmp_path / "mail") as server:
        server.handler.hold(60)  # message 60 and any after it wait, unanswered
        worker = start_worker(database, server, START)
        wait_for(server.handler.reached.is_set, "message 60 to arrive")
        accepted = len(server.paths)
        # Every message the server acknowledged is committed as sent before the kill, so this
        # kill lands outside the accepted-but-not-marked window and nothing may be duplicated.
        wait_for(lambda: statuses(database).get("sent") == accepted, "acknowledged mail marked sent")
        kill(worker)
        server.handler.release()
        wait_for(lambda: server.handler.holding == 0, "held handlers to see the client gone")

        assert accepted == 59 and len(server.paths) == 59  # the unanswered message was not kept
        assert statuses(database) == {"sent": 59, "queued": TOTAL - 59}

        finish(database, server)

        assert received_ids(server) == {i: 1 for i in ids}
    assert statuses(database) == {"sent": TOTAL}


@pytest.mark.parametrize("seed_value", [1, 2, 3])
def test_a_worker_killed_at_any_moment_loses_nothing(tmp_path: Path, seed_value: int) -> None:
    database = tmp_path / "outbox.db"
    ids = seed(database)
    after = random.Random(seed_value).randrange(5, TOTAL - 10)
    with FaultyServer(tmp_path / "mail") as server:
        worker = start_worker(database, server, START)
        wait_for(lambda: len(server.paths) >= after, f"{after} messages to arrive")
        kill(worker)  # wherever each connection is: mid-message, awaiting a reply, committing
        finish(database, server)

        received = received_ids(server)
    assert set(received) == set(ids)
    assert statuses(database) == {"sent": TOTAL}
    # The one inherent window: the server accepted a message but the worker died before it
    # committed "sent". Each connection waits for that commit before its next message, so at
    # most one message per connection can be sent again.
    duplicates = sum(count - 1 for count in received.values())
    assert duplicates <= CONCURRENCY, f"{duplicates} duplicates after a kill at message {after}"
