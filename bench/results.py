"""Render bench/RESULTS.md from the JSON records the bench scripts print: one table per measure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Record = dict[str, Any]


def rate(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def mib(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def ms(value: float) -> str:
    return f"{value:,.0f} ms"


def ratio(record: Record) -> str:
    return f"{record['figure']['rate'] / record['baseline']['rate']:.2f}"


@dataclass(frozen=True)
class Column:
    header: str
    cell: Callable[[Record], str]


SETTING = Column("Setting", lambda r: r["setting"])
RATIO = Column("Ratio", ratio)
PEAK = Column("Peak MiB", lambda r: mib(r["figure"]["peak_mib"]))


def _figure(key: str, show: Callable[[Any], str] = rate) -> Callable[[Record], str]:
    return lambda r: show(r["figure"][key])


def _baseline(key: str, show: Callable[[Any], str] = rate) -> Callable[[Record], str]:
    return lambda r: show(r["baseline"][key])


@dataclass(frozen=True)
class Table:
    measure: str
    title: str
    about: str  # what is measured and how; {size} and friends are filled from the run's sizes
    columns: list[Column]


TABLES = [
    Table(
        "durable_transitions",
        "Durable transitions per second",
        "Each transition is an `ask_for_information` or a `resubmit` fired through `app.transitions.fire` "
        "on a vacancy of the worker's own: a version-guarded UPDATE, one email rendered into the outbox "
        "and one hash-chained audit event, in one transaction. Baseline: as many one-row INSERTs, each "
        "committed alone, through the same engine on the same database. With {workers} workers, {workers} "
        "processes run at once, each with its share of the work; the rate is all their work over the "
        "wall time from the first start to the last finish, and the peak memory is their peaks summed.",
        [
            SETTING,
            Column("Transitions", lambda r: f"{r['size']:,}"),
            Column("Durable transitions/s", _figure("rate")),
            Column("Raw single-row commits/s (baseline)", _baseline("rate")),
            RATIO,
            PEAK,
        ],
    ),
    Table(
        "emails",
        "Emails per second, rendered, queued and delivered",
        "Vacancies in a network of {per_call} member organisations open their call for nominations: each "
        "transition renders {per_call} personal `call_for_nominations` emails (text and HTML, each with "
        "its organisation's own link) into the outbox; then the outbox dispatcher, built as the worker "
        "builds it ({connections} SMTP connections), delivers them to an aiosmtpd capture server in a "
        "process of its own. Baseline: the same messages, built into MIME beforehand, sent by bare "
        "aiosmtplib over as many connections to a fresh capture server. The files each server saved "
        "were counted: every message arrived.",
        [
            SETTING,
            Column("Emails", lambda r: f"{r['size']:,}"),
            Column("End to end/s", _figure("rate")),
            Column("Render + queue/s", _figure("rendered_queued_per_s")),
            Column("Deliver/s", _figure("delivered_per_s")),
            Column("Bare aiosmtplib/s (baseline)", _baseline("rate")),
            RATIO,
            PEAK,
        ],
    ),
    Table(
        "ballots",
        "Ballot casts per second and latency",
        "`nominations serve` (uvicorn, one process) and {voters} voters, {concurrency} at once, each an "
        "HTTP client with its own cookies and connection: it loads its ballot page, then confirms and "
        "casts (those two requests are the latency); casts/s is voters over the wall time of the whole "
        "storm. Baseline: the same server just before, as many visitors shaped the same way asking three "
        "times for the sign-in form, a page that reads no database (two requests timed, pairs/s). The "
        "peak memory is the server's.",
        [
            SETTING,
            Column("Casts", lambda r: f"{r['size']:,}"),
            Column("Casts/s", _figure("rate")),
            Column("p50", _figure("p50_ms", ms)),
            Column("p99", _figure("p99_ms", ms)),
            Column("Sign-in form pairs/s (baseline)", _baseline("rate")),
            Column("Baseline p99", _baseline("p99_ms", ms)),
            RATIO,
            Column("Server peak MiB", lambda r: mib(r["figure"]["peak_mib"])),
        ],
    ),
    Table(
        "audit_verify",
        "`audit verify` events per second",
        "A chain of {events:,} events shaped like real transitions, made with the project's own "
        "`canonical_json` and `chain_hash`, bulk inserted with SQLAlchemy Core, the head moved to its "
        "last event; then `verify`, the service behind `nominations audit verify`, over all of it (it "
        "must report the chain intact, and did). Baseline: the same rows in one streaming SELECT in seq "
        "order, with a sha256 over each row's text: the reading and hashing any check pays.",
        [
            SETTING,
            Column("Events", lambda r: f"{r['size']:,}"),
            Column("Verified/s", _figure("rate")),
            Column("Verify took", _figure("seconds", lambda s: f"{s:,.1f} s")),
            Column("Read + sha256 rows/s (baseline)", _baseline("rate")),
            RATIO,
            PEAK,
            Column("Chain written in", _figure("generated_seconds", lambda s: f"{s:,.1f} s")),
        ],
    ),
]


def table(spec: Table, records: list[Record]) -> list[str]:
    rows = [[column.cell(r) for column in spec.columns] for r in records]
    lines = ["| " + " | ".join(c.header for c in spec.columns) + " |"]
    lines.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(spec.columns))) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render(header: list[str], records: list[Record], sizes: dict[str, Any], failures: dict[str, str]) -> str:
    """The whole file: `header` lines, then a section per measure (its failure, where it failed)."""
    out = [*header, ""]
    for spec in TABLES:
        out += [f"## {spec.title}", "", spec.about.format(**sizes), ""]
        mine = [r for r in records if r["measure"] == spec.measure]
        if spec.measure in failures:
            out += [f"**Not measured**: {failures[spec.measure]}", ""]
        if mine:
            out += [*table(spec, mine), ""]
    return "\n".join(out)
