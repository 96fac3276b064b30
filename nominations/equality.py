"""Equality sectors a seat may have to reach (from the source document), as stored and as shown."""

from __future__ import annotations

EQUALITY_SECTORS: dict[str, str] = {
    "women": "women",
    "bme": "Black and minority ethnic people",
    "disabled": "disabled people",
    "lgbt": "LGBT+ people",
    "faith": "faith communities",
    "older": "older people",
    "younger": "younger people",
}

MEMBERSHIP_STATUSES = ("active", "lapsed", "suspended")
