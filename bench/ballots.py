"""Ballot casts per second, and p50/p99 latency, with 200 voters at once against `nominations serve`.

Usage: python bench/ballots.py [--voters N] [--concurrency C] [--postgres URL]
The server runs as its own process (uvicorn, one worker); the voters are asyncio HTTP clients. Each
voter loads its ballot page, then the timed part: the confirmation and the cast, as a browser sends them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch import postgres_url, sqlite_url

from nominations.actors import Actor
from nominations.bootstrap import build_app
from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.db.models import Network, Organisation, OutboxMessage, Partnership, Vacancy
from nominations.eligibility import NominationInput
from nominations.mail.capture import free_port
from nominations.services.participation import SeatRequest
from nominations.services.timers import fire_due_timers
from nominations.settings import Settings

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CHOICE = re.compile(r'name="choice" value="(\d+)"')
COORDINATOR = Actor("coordinator", "bench")
OPEN = {"seconders_required": 0, "nominee_consent_required": False, "nominations_per_organisation": None}


def prepare(url: str, base_url: str, voters: int) -> list[str]:
    """A network of `voters` organisations with a ballot open; return every ballot link."""
    db = Database(url)
    db.create_schema()
    app = build_app(Settings(database_url=url, base_url=base_url), clock=FakeClock(datetime.now(UTC)), db=db)
    with db.transaction() as session:
        network = Network(name="Bench", coordinator_name="C", coordinator_email="c@bench.example")
        session.add(network)
        session.flush()
        for i in range(voters):
            session.add(
                Organisation(
                    network_id=network.id or 0,
                    name=f"Org {i}",
                    contact_name=f"C {i}",
                    contact_email=f"c{i}@bench.example",
                )
            )
        session.add(
            Partnership(network_id=network.id or 0, name="P", contact_name="P", contact_email="p@x.example")
        )
        session.flush()
    vid = app.participation.request_seat(
        1, SeatRequest("Seat", "ToR", "M", "K", "T", "S"), Actor("partnership", "1")
    )
    with db.transaction() as session:
        session.get_one(Vacancy, vid).protocol_overrides = OPEN
    app.transitions.fire(vid, "accept", actor=COORDINATOR)
    app.transitions.fire(vid, "open_nominations", actor=COORDINATOR)
    for i in range(3):
        app.nominating.propose_for(
            vid,
            i + 1,
            NominationInput(
                f"Candidate {i}",
                f"n{i}@x.example",
                "",
                "Statement",
                frozenset({"not_employed_by_partnership"}),
                (),
            ),
        )
    # Close the call now (the server's clock is the real one), so the ballot opens and stays open.
    app.transitions.fire(vid, "close_nominations", actor=COORDINATOR)
    fire_due_timers(app.transitions)
    with db.transaction() as session:
        bodies = session.exec(
            select(OutboxMessage.text_body).where(OutboxMessage.template == "ballot_open")
        ).all()
    db.dispose()
    return [re.search(re.escape(base_url) + r"/\S+", b).group(0) for b in bodies]  # type: ignore[union-attr]


async def vote(link: str, gate: asyncio.Semaphore, latencies: list[float]) -> None:
    # Each voter is its own browser: its own cookies and its own connection, closed when done.
    async with gate, httpx.AsyncClient(timeout=120) as client:
        page = (await client.get(link)).text
        fields = {"choice": CHOICE.findall(page)[0], "csrf_token": CSRF.findall(page)[0]}
        start = time.perf_counter()
        confirm = await client.post(link, data=fields)
        fields["csrf_token"] = CSRF.findall(confirm.text)[0]
        cast = await client.post(f"{link}/cast", data=fields)
        latencies.append(time.perf_counter() - start)
        assert cast.status_code == 200, cast.text[:200]


async def storm(links: list[str], concurrency: int) -> tuple[float, list[float]]:
    gate, latencies = asyncio.Semaphore(concurrency), []
    start = time.perf_counter()
    await asyncio.gather(*(vote(link, gate, latencies) for link in links))
    return time.perf_counter() - start, latencies


def run(label: str, url: str, voters: int, concurrency: int) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    links = prepare(url, base_url, voters)
    env = {
        **os.environ,
        "NOMINATIONS_DATABASE_URL": url,
        "NOMINATIONS_BASE_URL": base_url,
        "NOMINATIONS_SECRET_KEY": "bench-secret-key-long-enough-to-sign-forms",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "nominations", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                httpx.get(base_url + "/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        wall, latencies = asyncio.run(storm(links, concurrency))
    finally:
        server.terminate()
        server.wait(10)
    q = statistics.quantiles(latencies, n=100)
    print(
        f"{label:<11} {len(latencies)} casts, {concurrency} at once: {len(latencies) / wall:7.1f} casts/s   "
        f"p50 {q[49] * 1000:6.0f} ms   p99 {q[98] * 1000:6.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--postgres", default=os.environ.get("NOMINATIONS_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    with sqlite_url() as url:
        run("SQLite", url, args.voters, args.concurrency)
    if not args.postgres:
        print("PostgreSQL  not measured: pass --postgres URL or set NOMINATIONS_TEST_POSTGRES_URL")
        return
    with postgres_url(args.postgres) as url:
        run("PostgreSQL", url, args.voters, args.concurrency)


if __name__ == "__main__":
    main()
