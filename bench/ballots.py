"""Ballot casts per second, and p50/p99 latency, with 200 voters at once against `nominations serve`.

Usage: python bench/ballots.py [--voters N] [--concurrency C] [--postgres URL] [--json]
The server runs as its own process (uvicorn, one worker); the voters are asyncio HTTP clients. Each
voter loads its ballot page, then the timed part: the confirmation and the cast, as a browser sends them.
Baseline, against the same server just before: as many visitors shaped the same way, each asking
three times for the sign-in form, a page that reads no database (the last two requests timed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import ssl
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import emit, peak_mib_of
from scratch import add_database_options, databases

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
# One TLS context for every client (the voters speak plain HTTP anyway): httpx builds a new one,
# CA bundle and all, for each client otherwise, some 30 ms of the harness's CPU per voter.
TLS = ssl.create_default_context()
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
    """One voter: load the ballot page, then (timed) confirm the choice and cast it."""
    # Each voter is its own browser: its own cookies and its own connection, closed when done.
    async with gate, httpx.AsyncClient(timeout=120, verify=TLS) as client:
        page = (await client.get(link)).text
        fields = {"choice": CHOICE.findall(page)[0], "csrf_token": CSRF.findall(page)[0]}
        start = time.perf_counter()
        confirm = await client.post(link, data=fields)
        fields["csrf_token"] = CSRF.findall(confirm.text)[0]
        cast = await client.post(f"{link}/cast", data=fields)
        latencies.append(time.perf_counter() - start)
        assert cast.status_code == 200, cast.text[:200]


async def glance(link: str, gate: asyncio.Semaphore, latencies: list[float]) -> None:
    """The baseline visitor, shaped like a voter: one page, then (timed) two more requests,
    all three of a page that reads no database (the sign-in form)."""
    page = link.split("/ballot/", 1)[0] + "/sign-in"
    async with gate, httpx.AsyncClient(timeout=120, verify=TLS) as client:
        (await client.get(page)).raise_for_status()
        start = time.perf_counter()
        (await client.get(page)).raise_for_status()
        (await client.get(page)).raise_for_status()
        latencies.append(time.perf_counter() - start)


Visit = Callable[[str, asyncio.Semaphore, list[float]], Awaitable[None]]


@dataclass(frozen=True)
class Storm:
    """One storm of visitors: how many, its wall time, each visit's timed latency, the server's peak."""

    visits: int
    seconds: float
    latencies: list[float]
    peak_mib: float | None  # the server's, after this storm

    def record(self, name: str) -> dict[str, Any]:
        q = statistics.quantiles(self.latencies, n=100)
        return {
            "name": name,
            "rate": self.visits / self.seconds,
            "count": self.visits,
            "seconds": self.seconds,
            "peak_mib": self.peak_mib,
            "p50_ms": q[49] * 1000,
            "p99_ms": q[98] * 1000,
        }


async def storm(links: list[str], concurrency: int, visit: Visit) -> tuple[float, list[float]]:
    gate, latencies = asyncio.Semaphore(concurrency), list[float]()
    start = time.perf_counter()
    await asyncio.gather(*(visit(link, gate, latencies) for link in links))
    return time.perf_counter() - start, latencies


def run(url: str, voters: int, concurrency: int) -> tuple[Storm, Storm]:
    """The baseline storm, then the voters, against one `nominations serve`; (casts, baseline)."""
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
                httpx.get(base_url + "/sign-in", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        wall, latencies = asyncio.run(storm(links, concurrency, glance))
        baseline = Storm(len(latencies), wall, latencies, peak_mib_of(server.pid))
        wall, latencies = asyncio.run(storm(links, concurrency, vote))
        casts = Storm(len(latencies), wall, latencies, peak_mib_of(server.pid))
    finally:
        server.terminate()
        server.wait(10)
    return casts, baseline


def report(label: str, url: str, voters: int, concurrency: int, as_json: bool) -> None:
    casts, baseline = run(url, voters, concurrency)
    figure, floor = casts.record("ballot casts/s"), baseline.record("sign-in form pairs/s")
    if as_json:
        emit("ballots", f"{label}, {concurrency} at once", casts.visits, figure, floor)
        return
    print(
        f"{label:<11} {casts.visits} casts, {concurrency} at once: {figure['rate']:7.1f} casts/s   "
        f"p50 {figure['p50_ms']:6.0f} ms   p99 {figure['p99_ms']:6.0f} ms   "
        f"server peak {casts.peak_mib or 0:.0f} MiB\n"
        f"{'':<11} baseline (GET /sign-in): {floor['rate']:7.1f} pairs/s   p50 {floor['p50_ms']:6.0f} ms   "
        f"p99 {floor['p99_ms']:6.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=200)
    add_database_options(parser)
    args = parser.parse_args()
    for label, scratch_url in databases(args):
        with scratch_url() as url:
            report(label, url, args.voters, args.concurrency, args.json)


if __name__ == "__main__":
    main()
