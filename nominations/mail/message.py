"""Build the MIME message the outbox sends: text and HTML alternatives, unforgeable headers."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from nominations.errors import NominationsError

# Categories that could end a header line or hide in one: C0/C1 controls and the Unicode line
# and paragraph separators (which some parsers also treat as line breaks).
_BREAKING = {"Cc", "Zl", "Zp"}


class InvalidAddressError(NominationsError):
    """An email address cannot be used as a sender or recipient."""


def header_text(value: str) -> str:
    """One line of header text: control characters and line breaks become single spaces."""
    cleaned = "".join(" " if unicodedata.category(c) in _BREAKING else c for c in value)
    return " ".join(cleaned.split())


def make_address(email: str, name: str = "") -> Address:
    """An Address for `email`, or InvalidAddressError naming the value that was refused."""
    try:
        return Address(display_name=header_text(name), addr_spec=email)
    except (ValueError, IndexError, HeaderParseError) as exc:
        # The email package reports a malformed address in several shapes; a person needs one.
        raise InvalidAddressError(f"{email!r} is not an email address ({exc})") from None


def build_message(
    *,
    mail_from: str,
    to_name: str,
    to_email: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    date: datetime | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> EmailMessage:
    """A message to one recipient with a text and an HTML part, and any text attachments.

    An attachment is {"filename", "content_type", "text"}; a calendar is text/calendar.
    """
    message = EmailMessage()
    message["From"] = make_address(mail_from)
    message["To"] = make_address(to_email, to_name)
    message["Subject"] = header_text(subject)
    message["Message-ID"] = header_text(message_id)
    if date is not None:
        message["Date"] = format_datetime(date)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for attachment in attachments or []:
        maintype, subtype = attachment["content_type"].split("/", 1)
        params = {"method": attachment["method"]} if "method" in attachment else {}
        message.add_attachment(
            attachment["text"].encode("utf-8"),
            maintype=maintype,
            subtype=subtype,
            filename=header_text(attachment["filename"]),
            params=params,
        )
    return message
