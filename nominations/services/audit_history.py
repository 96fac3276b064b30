"""The history of one vacancy, organisation or person as files: CSV for a spreadsheet, JSON for programs."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from nominations.db.models import AuditEvent
from nominations.services.audit_log import FIELDS
from nominations.services.audit_subjects import Subject, parse_payload
from nominations.spreadsheet import safe_cell


def history_csv(events: list[AuditEvent]) -> str:
    """A header of the record's fields, then one row per event; no cell can run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    for event in events:
        writer.writerow(["" if value is None else safe_cell(value) for value in _values(event)])
    return out.getvalue()


def history_json(subject: Subject, events: list[AuditEvent]) -> str:
    """`{"subject": {...}, "events": [...]}`, each event's payload parsed where it parses."""
    rows = [
        dict(zip(FIELDS, _values(event), strict=True)) | {"payload": parse_payload(event.payload)}
        for event in events
    ]
    document = {"subject": {"kind": subject.kind, "id": subject.id}, "events": rows}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _values(event: AuditEvent) -> list[Any]:
    return [getattr(event, name) for name in FIELDS]
