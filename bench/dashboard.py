"""The coordinator's dashboard and a vacancy page with ten years of history behind them.

Usage: python bench/dashboard.py [--vacancies 5000] [--nominations 10] [--events 1000000] [--postgres URL]
Fills a fresh database with SQLAlchemy Core bulk inserts (5,000 vacancies, 50,000 nominations,
5,000 appointments, 1,000,000 audit events by default), serves it with uvicorn on loopback, signs
a coordinator in, and prints the response times of GET /console and GET /console/vacancies/{id}.
The audit events are filler rows (their hashes are not chained): the pages read them, never verify.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch import postgres_url, sqlite_url

from nominations.actors import Actor
from nominations.bootstrap import build_app
from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.db.models import (
    AuditEvent,
    Network,
    Nomination,
    Organisation,
    Partnership,
    Vacancy,
)
from nominations.db.term_models import Appointment
from nominations.mail.capture import free_port
from nominations.settings import Settings
from nominations.web.app import create_app
from nominations.web.server import BackgroundServer

NOW = datetime(2036, 6, 1, 9, 0, tzinfo=UTC)
LIVE = [
    "requested",
    "accepted",
    "nominations_open",
    "nominations_closed",
    "voting_open",
    "counted",
    "declared",
]
PASSWORD = "correct horse battery staple"


def fill(db: Database, vacancies: int, per_vacancy: int, events: int) -> int:
    """Ten years of one network's history; return the id of a vacancy whose ballot is open."""
    rng = random.Random(2036)
    with db.transaction() as session:
        network = Network(name="Bench Network", coordinator_name="C", coordinator_email="c@bench.example")
        session.add(network)
        session.flush()
        nid = network.id or 0
        session.execute(
            insert(Organisation),
            [
                {
                    "network_id": nid,
                    "name": f"Org {i}",
                    "contact_name": f"C{i}",
                    "contact_email": f"c{i}@o.example",
                    "status": "active",
                    "interest_areas": [],
                    "equality_sectors": [],
                }
                for i in range(200)
            ],
        )
        session.execute(
            insert(Partnership),
            [
                {
                    "network_id": nid,
                    "name": f"Partnership {i}",
                    "contact_name": "P",
                    "contact_email": f"p{i}@x.example",
                }
                for i in range(20)
            ],
        )
        org_ids = [r[0] for r in session.execute(text("SELECT id FROM organisation"))]
        partnership_ids = [r[0] for r in session.execute(text("SELECT id FROM partnership"))]
        rows = []
        for i in range(vacancies):
            created = NOW - timedelta(days=3650) + timedelta(days=3650 * i / vacancies)
            live = i >= vacancies - 40
            rows.append(
                {
                    "network_id": nid,
                    "partnership_id": rng.choice(partnership_ids),
                    "workflow": "vacancy",
                    "status": LIVE[i % len(LIVE)] if live else "filled",
                    "version": 12,
                    "title": f"Seat {i}",
                    "kind": "representative",
                    "seats": 1,
                    "terms_of_reference": "ToR",
                    "membership_details": "M",
                    "knowledge_skills": "K",
                    "time_commitment": "T",
                    "meeting_schedule": "S",
                    "term_months": 24,
                    "protocol_overrides": {},
                    "ballot_order": [],
                    "created_at": created,
                    "origin": "request",
                    "barred_emails": [],
                    "nominations_close_at": created + timedelta(days=21),
                    "voting_close_at": created + timedelta(days=35),
                }
            )
        session.execute(insert(Vacancy), rows)
        vacancy_ids = [r[0] for r in session.execute(text("SELECT id FROM vacancy ORDER BY id"))]
        session.execute(
            insert(Nomination),
            [
                {
                    "vacancy_id": v,
                    "organisation_id": rng.choice(org_ids),
                    "nominee_name": f"Person {v}-{k}",
                    "nominee_email": f"p{v}.{k}@x.example",
                    "nominee_organisation": "",
                    "statement": "Statement",
                    "declarations": [],
                    "status": "valid",
                    "created_at": NOW,
                }
                for v in vacancy_ids
                for k in range(per_vacancy)
            ],
        )
        first = dict(
            session.execute(text("SELECT vacancy_id, MIN(id) FROM nomination GROUP BY vacancy_id")).all()
        )
        session.execute(
            insert(Appointment),
            [
                {
                    "network_id": nid,
                    "partnership_id": partnership_ids[0],
                    "vacancy_id": v,
                    "nomination_id": first[v],
                    "workflow": "appointment",
                    "status": "ended" if v < vacancy_ids[-min(300, len(vacancy_ids))] else "active",
                    "version": 5,
                    "role": "representative",
                    "person_name": f"Person {v}-0",
                    "person_email": f"p{v}.0@x.example",
                    "person_organisation": "",
                    "consecutive_terms": 1,
                    "created_at": NOW,
                    "term_start_at": NOW,
                    "term_end_at": NOW + timedelta(days=700),
                    "reelection_at": NOW + timedelta(days=630),
                }
                for v in vacancy_ids[:-40]
            ],
        )
    _events(db, vacancy_ids, events)
    if db.dialect == "postgresql":  # fresh statistics after a bulk load, as autovacuum would in time
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return vacancy_ids[-40 + LIVE.index("voting_open")]


def _events(db: Database, vacancy_ids: list[int], total: int) -> None:
    batch = 20_000
    for start in range(0, total, batch):
        with db.transaction() as session:
            rows = []
            for seq in range(start + 1, min(start + batch, total) + 1):
                digest = hashlib.sha256(str(seq).encode()).hexdigest()
                rows.append(
                    {
                        "seq": seq,
                        "occurred_at": NOW.isoformat(),
                        "actor_type": "system",
                        "actor_id": "bench",
                        "action": "vote",
                        "entity_type": "vacancy",
                        "entity_id": str(vacancy_ids[seq % len(vacancy_ids)]),
                        "from_state": None,
                        "to_state": None,
                        "reason": None,
                        "payload": json.dumps({}),
                        "prev_hash": "0" * 64,
                        "hash": digest,
                    }
                )
            session.execute(insert(AuditEvent), rows)
    with db.transaction() as session:  # the head follows the filler, so real events append after it
        last = hashlib.sha256(str(total).encode()).hexdigest()
        session.execute(text("UPDATE audit_head SET seq = :seq, hash = :hash"), {"seq": total, "hash": last})


def measure(url: str, args: argparse.Namespace, label: str) -> None:
    db = Database(url)
    db.create_schema()
    started = time.perf_counter()
    open_vacancy = fill(db, args.vacancies, args.nominations, args.events)
    filled_in = time.perf_counter() - started
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = build_app(Settings(database_url=url, base_url=base), clock=FakeClock(NOW), db=db)
    app.accounts.invite(
        "coordinator@bench.example", "Cora", "coordinator", Actor("system", "bench"), network_id=1
    )
    with db.transaction() as session:
        body = session.execute(
            text("SELECT text_body FROM outboxmessage ORDER BY id DESC LIMIT 1")
        ).scalar_one()
    link = next(word for word in body.split() if "/account/invite/" in word).replace(base, "")
    with (
        BackgroundServer(create_app(app, "bench-secret-key-long-enough-to-sign-forms"), port),
        httpx.Client(base_url=base, timeout=120, follow_redirects=True) as browser,
    ):
        page = browser.get(link).text
        csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        browser.post(link, data={"password": PASSWORD, "confirm": PASSWORD, "csrf_token": csrf})
        for path in ("/console", f"/console/vacancies/{open_vacancy}"):
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                answer = browser.get(path)
                times.append(time.perf_counter() - t0)
                if answer.status_code != 200:
                    raise SystemExit(f"{path} answered {answer.status_code}")
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"{label:10} GET {path:28} median {statistics.median(times) * 1000:7.1f} ms   "
                f"p95 {p95 * 1000:7.1f} ms   ({args.repeat} requests)"
            )
    print(f"{label:10} history written in {filled_in:.1f} s")
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vacancies", type=int, default=5000)
    parser.add_argument("--nominations", type=int, default=10, help="per vacancy")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a fresh database is made and dropped")
    args = parser.parse_args()
    history = f"{args.vacancies * args.nominations} nominations, {args.events} audit events"
    print(f"{args.vacancies} vacancies, {history}")
    with sqlite_url() as url:
        measure(url, args, "SQLite")
    if args.postgres:
        with postgres_url(args.postgres) as url:
            measure(url, args, "PostgreSQL")


if __name__ == "__main__":
    main()
