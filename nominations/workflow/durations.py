"""ISO 8601 durations as workflow files write them (P21D, P3W, PT12H, P1DT2H30M)."""

from __future__ import annotations

import re
from datetime import timedelta

_PATTERN = re.compile(
    r"^P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)


def parse_duration(text: str) -> timedelta:
    """Parse an ISO 8601 duration of weeks, days, hours, minutes and seconds."""
    match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
    if match is None or text.strip() in {"P", "PT"} or text.strip().endswith("T"):
        raise ValueError(f"{text!r} is not an ISO 8601 duration such as P21D, P3W or PT12H")
    parts = {k: int(v) for k, v in match.groupdict().items() if v}
    return timedelta(**parts)


def is_duration(text: str) -> bool:
    try:
        parse_duration(text)
    except ValueError:
        return False
    return True
