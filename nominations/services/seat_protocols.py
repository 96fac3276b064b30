"""The protocols of many seats at once: each network read once, each distinct set of overrides built once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from nominations.audit import canonical_json
from nominations.db.models import Network, Vacancy
from nominations.protocol.model import Protocol
from nominations.services.protocols import protocol_for

# What a seat's protocol depends on: its network, its kind, and its own overrides.
SeatRules = tuple[int, str, dict[str, Any]]
RulesKey = tuple[int, str, str]


def rules_key(network_id: int, kind: str, overrides: dict[str, Any]) -> RulesKey:
    return network_id, kind, canonical_json(overrides)


def protocols_for(session: Session, seats: Iterable[SeatRules]) -> dict[RulesKey, Protocol]:
    """The protocol for each distinct (network, kind, overrides) among `seats`, by `rules_key`."""
    wanted = {rules_key(*seat): seat for seat in seats}
    # The identity map holds a row only while something refers to it: keep the networks here, or
    # `protocol_for` would read a network again for every seat.
    networks = session.exec(
        select(Network).where(col(Network.id).in_({n for n, _, _ in wanted.values()}))
    ).all()
    found = {key: protocol_for(session, _standing_in(*seat)) for key, seat in wanted.items()}
    del networks
    return found


def _standing_in(network_id: int, kind: str, overrides: dict[str, Any]) -> Vacancy:
    # A stand-in row, never saved, with just what `protocol_for` reads.
    return Vacancy(
        network_id=network_id, partnership_id=0, status="", title="", kind=kind, protocol_overrides=overrides
    )


def seat_rules(vacancy: Vacancy) -> SeatRules:
    return vacancy.network_id, vacancy.kind, vacancy.protocol_overrides
