"""Shipped email templates render strictly: escaped HTML, raw text, one-line subjects."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from nominations.errors import TemplateError
from nominations.mail.message import build_message
from nominations.mail.render import MailRenderer

SCRIPT = "<script>alert(1)</script>"


def ballot_context(statement: str = SCRIPT, title: str = "VCS representative") -> dict[str, Any]:
    return {
        "network": {
            "name": "Test Network",
            "coordinator_name": "Cora Ordinator",
            "coordinator_email": "coordinator@network.example",
        },
        "recipient": {"name": "Contact 1"},
        "link": "http://127.0.0.1:8000/ballot/TOKEN",
        "vacancy": {"title": title, "voting_close_at": datetime(2026, 3, 20, 17, 0, tzinfo=UTC)},
        "partnership": {"name": "Safer Town Partnership"},
        "nominations": [{"nominee_name": "Ann Smith", "statement": statement}],
    }


def test_html_part_escapes_a_statement_the_text_part_keeps_as_written() -> None:
    mail = MailRenderer().render("ballot_open", ballot_context())

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    assert SCRIPT not in mail.html
    assert SCRIPT in mail.text
    assert "&lt;" not in mail.text
    assert mail.subject == "Your ballot: VCS representative on Safer Town Partnership"


def test_a_missing_variable_raises_template_error_naming_the_message() -> None:
    context = ballot_context()
    del context["partnership"]

    with pytest.raises(TemplateError, match=r"ballot_open.*partnership"):
        MailRenderer().render("ballot_open", context)


def test_an_unknown_template_raises_template_error() -> None:
    with pytest.raises(TemplateError, match="no_such_message"):
        MailRenderer().render("no_such_message", ballot_context())


def test_a_line_break_in_a_value_cannot_leave_the_subject_line() -> None:
    mail = MailRenderer().render("ballot_open", ballot_context(title="Chair\r\nBcc: x@evil.example"))

    assert "\n" not in mail.subject and "\r" not in mail.subject
    assert mail.subject.startswith("Your ballot: Chair Bcc: x@evil.example on ")


def test_the_built_message_carries_both_rendered_parts() -> None:
    mail = MailRenderer().render("ballot_open", ballot_context())
    message = build_message(
        mail_from="coordinator@network.example",
        to_name="Contact 1",
        to_email="contact1@org1.example",
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        message_id="<outbox.1@nominations>",
    )

    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert message.get_content_type() == "multipart/alternative"
    assert plain is not None and plain.get_content_type() == "text/plain"
    assert html is not None and html.get_content_type() == "text/html"
    assert SCRIPT in plain.get_content()
    assert "&lt;script&gt;" in html.get_content()
