"""The protocol a vacancy runs under: its network's, with the seat's own overrides."""

from __future__ import annotations

from functools import lru_cache

from sqlmodel import Session

from nominations.db.models import Network, Vacancy
from nominations.protocol.loader import load_named
from nominations.protocol.model import Protocol


@lru_cache(maxsize=32)
def _named(name: str) -> Protocol:
    # Protocol files are read once per process: they change with a release, not at run time.
    return load_named(name)


def named_protocol(name: str) -> Protocol:
    """A network's protocol by its name, as shipped (read once per process)."""
    return _named(name)


def protocol_for(session: Session, vacancy: Vacancy) -> Protocol:
    """The network's protocol with the vacancy's per-seat overrides applied and validated."""
    network = session.get_one(Network, vacancy.network_id)
    protocol = _named(network.protocol)
    protocol = protocol.with_overrides(vacancy.protocol_overrides) if vacancy.protocol_overrides else protocol
    if vacancy.kind == "expert":
        # An expert is selected by a panel, not backed by members: the applicant's consent is enough.
        protocol = protocol.model_copy(update={"seconders_required": 0})
    return protocol


def workflow_parameters(protocol: Protocol) -> dict[str, str | list[str]]:
    """The durations the vacancy workflow reads from the protocol."""
    return {
        "nomination_window": protocol.nomination_window,
        "ballot_window": protocol.ballot_window,
        "reminders": list(protocol.reminders),
    }


def appointment_parameters(protocol: Protocol) -> dict[str, str | list[str]]:
    """The durations the appointment workflow reads from the protocol."""
    return {
        "induction_window": protocol.induction_window,
        "induction_reminders": list(protocol.induction_reminders),
        "review_window": protocol.review_window,
    }
