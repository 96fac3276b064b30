"""Personal links: random tokens of 192 bits with a short checksum; only their hash is stored.

The checksum tells a damaged link (cut short by a mail program, or altered) from one that was
never issued, so each gets the page that says what to do.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

_RANDOM_BYTES = 24  # 192 bits: well past the 128 the ballot needs
_CHECK_CHARS = 6
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{6}$")


def _check(random_part: str) -> str:
    digest = hashlib.sha256(b"nominations-link:" + random_part.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:_CHECK_CHARS]


def new_token() -> str:
    """A fresh link token: 32 random URL-safe characters, a dot, a 6-character checksum."""
    random_part = base64.urlsafe_b64encode(secrets.token_bytes(_RANDOM_BYTES)).decode("ascii")
    return f"{random_part}.{_check(random_part)}"


def is_intact(token: str) -> bool:
    """Whether the token has the right shape and checksum (says nothing of whether it was issued)."""
    if not _SHAPE.match(token):
        return False
    random_part, check = token.split(".")
    return secrets.compare_digest(check, _check(random_part))


def token_hash(token: str) -> str:
    """What the database keeps: SHA-256 of the whole token, hex."""
    return hashlib.sha256(token.encode("ascii", errors="replace")).hexdigest()


def new_receipt_code() -> str:
    """A receipt code a voter can read out: 4 groups of 4 from an alphabet without look-alikes."""
    alphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))
