"""Emails per second, rendered, queued and delivered to a local SMTP server, beside bare aiosmtplib.

Usage: python bench/emails.py [--emails N] [--per-call M] [--postgres URL] [--json]
The real path: vacancies in a network of M member organisations each open their call for
nominations (one transition renders and queues M personal emails, links included), then the
outbox dispatcher the worker builds sends them all. Baseline: the same messages, built beforehand,
sent by bare aiosmtplib over as many connections. Each side has its own aiosmtpd capture server in
a process of its own, and the files it saved are counted: every message must have arrived.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from multiprocessing.synchronize import Event
from pathlib import Path

import aiosmtplib
from sqlalchemy import insert
from sqlmodel import col, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Tally, emit, measure, side
from scratch import add_database_options, bench_partnership, databases

from nominations.actors import Actor
from nominations.bootstrap import build_app
from nominations.db.engine import Database
from nominations.db.models import Organisation, OutboxMessage
from nominations.mail.capture import CaptureServer, free_port
from nominations.mail.message import build_message
from nominations.services.participation import SeatRequest
from nominations.settings import Settings

COORDINATOR = Actor("coordinator", "bench")
# The settings' own default, so that both sides use as many connections as the worker would.
CONNECTIONS = Settings().mail_concurrency
CALL = "call_for_nominations"


def _capture(mail_dir: str, port: int, stop: Event) -> None:
    with CaptureServer(Path(mail_dir), port=port):
        stop.wait()


@contextmanager
def smtp_server(mail_dir: Path) -> Iterator[int]:
    """A CaptureServer in a process of its own, saving to `mail_dir`; yields its port."""
    context = multiprocessing.get_context("spawn")
    stop, port = context.Event(), free_port()
    server = context.Process(target=_capture, args=(str(mail_dir), port, stop))
    server.start()
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        stop.set()
        server.join(30)


def through_the_app(url: str, port: int, emails: int, per_call: int) -> Callable[[], Tally]:
    """Vacancies ready to open their call, in a network of `per_call` organisations."""
    settings = Settings(database_url=url, smtp_host="127.0.0.1", smtp_port=port)
    app = build_app(settings)  # the real clock, as the worker runs
    network_id, partnership_id = bench_partnership(app.db)
    with app.db.transaction() as session:
        session.execute(
            insert(Organisation),
            [
                {
                    "network_id": network_id,
                    "name": f"Member organisation {i}",
                    "contact_name": f"Contact {i}",
                    "contact_email": f"contact{i}@member{i}.example",
                    "interest_areas": [],
                    "equality_sectors": [],
                }
                for i in range(per_call)
            ],
        )
    request = SeatRequest(
        "Health and care board",
        "Advise the board on services for the people our members work with.\nReport back quarterly.",
        "Twelve members: the council, the health board, and two from the voluntary sector.",
        "Knowledge of local services; able to speak for the sector rather than one organisation.",
        "One day a month",
        "Second Tuesday of each month, 10:00 to 12:00",
    )
    vacancies = []
    for _ in range(max(emails // per_call, 1)):
        vid = app.participation.request_seat(partnership_id, request, Actor("partnership", "1"))
        app.transitions.fire(vid, "accept", actor=COORDINATOR)
        vacancies.append(vid)
    dispatcher = app.worker().dispatcher
    # Untimed: sends what asking and accepting queued, so that only the calls are timed.
    asyncio.run(dispatcher.run_until_idle())

    def go() -> Tally:
        start = time.perf_counter()
        for vid in vacancies:
            app.transitions.fire(vid, "open_nominations", actor=COORDINATOR)
        queued = time.perf_counter()
        report = asyncio.run(dispatcher.run_until_idle())
        delivered = time.perf_counter()
        if report.retried or report.failed or report.deferred:
            raise RuntimeError(f"the dispatcher did not send everything at once: {report}")
        phases = {"render_queue": queued - start, "deliver": delivered - queued}
        return Tally(report.sent, phases)

    return go


def bare_aiosmtplib(url: str, port: int) -> Callable[[], Tally]:
    """Every message the app queued, built into MIME beforehand, for aiosmtplib alone to send."""
    with Database(url).transaction() as session:
        query = select(OutboxMessage).where(OutboxMessage.template == CALL)
        rows = session.exec(query.order_by(col(OutboxMessage.id))).all()
        messages = [
            build_message(
                mail_from="nominations@localhost",
                to_name=row.to_name,
                to_email=row.to_email,
                subject=row.subject,
                text=row.text_body,
                html=row.html_body,
                message_id=row.message_id,
            )
            for row in rows
        ]

    async def send_all() -> None:
        waiting = deque(messages)

        async def connection() -> None:
            smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port)
            await smtp.connect()
            while waiting:
                await smtp.send_message(waiting.popleft())
            await smtp.quit()

        await asyncio.gather(*(connection() for _ in range(CONNECTIONS)))

    def go() -> Tally:
        asyncio.run(send_all())
        return Tally(len(messages))

    return go


def received(mail_dir: Path, sent: int) -> None:
    """Refuse a figure unless the server saved as many messages as were reported sent."""
    arrived = len(list(mail_dir.glob("*.eml")))
    if arrived != sent:
        raise SystemExit(f"the SMTP server saved {arrived} messages; {sent} were sent")


def sent_by_the_app(url: str) -> int:
    """Messages the outbox marks sent (the calls and the untimed ones before them); none may be left."""
    with Database(url).transaction() as session:
        statuses = session.exec(select(OutboxMessage.status)).all()
    if set(statuses) != {"sent"}:
        raise SystemExit(f"the outbox still holds unsent messages: {sorted(set(statuses))}")
    return len(statuses)


def compare(
    label: str, url_of: AbstractContextManager[str], emails: int, per_call: int, as_json: bool
) -> None:
    with url_of as url, tempfile.TemporaryDirectory() as folder:
        db = Database(url)
        db.create_schema()
        db.dispose()
        app_dir, bare_dir = Path(folder) / "app", Path(folder) / "bare"
        with smtp_server(app_dir) as port:
            app = measure(through_the_app, url, port, emails, per_call)
        received(app_dir, sent_by_the_app(url))
        with smtp_server(bare_dir) as port:
            bare = measure(bare_aiosmtplib, url, port)
        received(bare_dir, bare.count)
        if bare.count != app.count:
            raise SystemExit(f"the baseline sent {bare.count} messages, the app {app.count}")
    halves = {
        "rendered_queued_per_s": app.count / app.phases["render_queue"],
        "delivered_per_s": app.count / app.phases["deliver"],
    }
    if as_json:
        emit(
            "emails",
            label,
            app.count,
            side("emails rendered, queued and delivered/s", app, **halves),
            side("bare aiosmtplib sends/s", bare),
        )
        return
    print(
        f"{label:<11} {app.count} emails over {CONNECTIONS} connections: end to end {app.rate:7.1f}/s "
        f"(render+queue {halves['rendered_queued_per_s']:7.1f}/s, deliver {halves['delivered_per_s']:6.1f}/s)"
        f"   bare aiosmtplib {bare.rate:7.1f}/s   ratio {app.rate / bare.rate:.2f}"
        f"   peak {app.peak_mib:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=2000, help="in all (a multiple of --per-call)")
    parser.add_argument("--per-call", type=int, default=200, help="member organisations in the network")
    add_database_options(parser)
    args = parser.parse_args()
    for label, scratch_url in databases(args):
        compare(label, scratch_url(), args.emails, args.per_call, args.json)


if __name__ == "__main__":
    main()
