"""Issue personal links and resolve them, telling apart damaged, unknown, expired and used ones."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from nominations.db.models import AccessLink
from nominations.errors import NominationsError
from nominations.links import is_intact, new_token, token_hash

PURPOSES = ("nominate", "second", "consent", "ballot", "representative", "feedback", "panel")


class LinkError(NominationsError):
    """A link that cannot be used; `kind` picks the page that says what to do."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # damaged | unknown | expired | used | closed


def issue_link(
    session: Session,
    *,
    purpose: str,
    vacancy_id: int,
    expires_at: datetime,
    organisation_id: int | None = None,
    nomination_id: int | None = None,
    appointment_id: int | None = None,
    review_id: int | None = None,
    panel_member_id: int | None = None,
) -> str:
    """Store a new link's hash and return the token, which exists from now on only in the email."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    token = new_token()
    session.add(
        AccessLink(
            token_hash=token_hash(token),
            purpose=purpose,
            vacancy_id=vacancy_id,
            organisation_id=organisation_id,
            nomination_id=nomination_id,
            appointment_id=appointment_id,
            review_id=review_id,
            panel_member_id=panel_member_id,
            expires_at=expires_at,
        )
    )
    return token


def resolve_link(
    session: Session, token: str, purpose: str, now: datetime, *, lock: bool = False
) -> AccessLink:
    """The link behind a token, or a LinkError saying why it cannot be used."""
    if not is_intact(token):
        raise LinkError("damaged", "This link is incomplete or has been changed.")
    link = session.get(AccessLink, token_hash(token), with_for_update=lock)
    if link is None or link.purpose != purpose:
        raise LinkError("unknown", "This link is not one we sent.")
    if link.used_at is not None:
        raise LinkError("used", "This link has already been used.")
    assert link.expires_at is not None
    if now >= link.expires_at:
        raise LinkError("expired", "This link has expired.")
    return link
