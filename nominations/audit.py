"""The audit chain's canonical form: what is hashed, and how. Pure: no database here."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def format_instant(instant: datetime) -> str:
    """UTC, microseconds, with a Z: the one spelling of a time inside the chain."""
    if instant.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class EventBody:
    """Everything about one event that the hash covers (all but prev_hash and hash)."""

    seq: int
    occurred_at: str
    actor_type: str
    actor_id: str
    action: str
    entity_type: str
    entity_id: str
    from_state: str | None
    to_state: str | None
    reason: str | None
    payload: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "occurred_at": self.occurred_at,
            "actor_type": self.actor_type,
            "actor_id": self.actor_id,
            "action": self.action,
            "entity_type": self.entity_type,
            "entity_id": self.entity_id,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "reason": self.reason,
            "payload": self.payload,
        }


def chain_hash(prev_hash: str, body: EventBody) -> str:
    """SHA-256 over the previous hash followed by the event's canonical JSON."""
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(canonical_json(body.as_dict()).encode("utf-8"))
    return digest.hexdigest()
