"""The MIME message: both alternatives always, one recipient, headers no value can forge."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses
from typing import Any

import pytest
from aiosmtplib.email import extract_recipients

from nominations.mail.message import InvalidAddressError, build_message, header_text

EVE = "eve@example.org"


def build(**overrides: Any) -> EmailMessage:
    fields: dict[str, Any] = {
        "mail_from": "network@example.org",
        "to_name": "Eve Example",
        "to_email": EVE,
        "subject": "Your ballot",
        "text": "Plain words.",
        "html": "<p>Plain words.</p>",
        "message_id": "<outbox.abc@nominations>",
        **overrides,
    }
    return build_message(**fields)


def parsed(message: EmailMessage) -> EmailMessage:
    """What a receiving server sees: the message as bytes, parsed again."""
    return message_from_bytes(message.as_bytes(), policy=policy.default)


def test_a_display_name_and_subject_cannot_inject_a_header() -> None:
    message = parsed(build(to_name="Eve\r\nBcc: x@evil.example", subject="Hi\nBcc: x@y"))

    assert message.get_all("To") is not None and len(message.get_all("To") or []) == 1
    assert message.get_all("Bcc") is None
    assert [addr for _, addr in getaddresses(message.get_all("To") or [])] == [EVE]
    assert extract_recipients(message) == [EVE]  # what the SMTP client puts in RCPT TO
    assert message["Subject"] == "Hi Bcc: x@y"
    assert message["To"].addresses[0].display_name == "Eve Bcc: x@evil.example"


@pytest.mark.parametrize("name", ["Eve\x00Bcc: x@y", "Eve\u2028Bcc: x@y", "Eve\x85Bcc: x@y", "Eve\tX"])
def test_other_control_characters_become_spaces(name: str) -> None:
    message = parsed(build(to_name=name))

    display = message["To"].addresses[0].display_name
    assert all(c.isprintable() for c in display)
    assert message.get_all("Bcc") is None
    assert extract_recipients(message) == [EVE]


def test_header_text_collapses_runs_of_breaks_and_spaces() -> None:
    assert header_text("  a\r\n\r\n b\x07c  ") == "a b c"


@pytest.mark.parametrize(
    "address", ["not an email", "a@", "@example.org", "a@b@c", "x@y.org\r\nBcc: q@r", "a@b.org, c@d.org"]
)
def test_an_invalid_recipient_address_raises_a_clear_error(address: str) -> None:
    with pytest.raises(InvalidAddressError, match="is not an email address") as raised:
        build(to_email=address)
    assert repr(address) in str(raised.value)


def test_an_invalid_sender_address_raises_a_clear_error() -> None:
    with pytest.raises(InvalidAddressError, match="'network at example'"):
        build(mail_from="network at example")


def test_both_alternatives_are_always_there_even_when_empty() -> None:
    message = parsed(build(text="", html=""))

    assert message.get_content_type() == "multipart/alternative"
    types = [part.get_content_type() for part in message.iter_parts()]
    assert types == ["text/plain", "text/html"]


def test_headers_carry_the_given_id_sender_recipient_and_date() -> None:
    sent = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    message = parsed(build(to_name="Zoë Ó Briain", date=sent))

    assert message["Message-ID"] == "<outbox.abc@nominations>"
    assert message["From"].addresses[0].addr_spec == "network@example.org"
    assert message["To"].addresses[0].display_name == "Zoë Ó Briain"
    assert message["Date"].datetime == sent
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content() == "Plain words.\n"
