"""The demo's member organisations: they read their email and use the links in it, over HTTP."""

from __future__ import annotations

import email
import re
from collections.abc import Mapping
from email import policy
from email.message import EmailMessage
from pathlib import Path

import httpx

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_PROBLEMS = re.compile(r'<li><a href="#[^"]*">([^<]+)</a></li>')


def _checked(response: httpx.Response) -> httpx.Response:
    # A refused form says why on the page: carry that into the error, not just the status.
    if response.is_error:
        problems = "; ".join(_PROBLEMS.findall(response.text)) or response.text[:200]
        raise RuntimeError(f"{response.request.url} answered {response.status_code}: {problems}")
    return response


class Mailbox:
    """The capture server's folder of delivered messages, read as a member's mail program would."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def messages(self, to: str, subject_starts: str) -> list[EmailMessage]:
        found = []
        for path in sorted(self.folder.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            assert isinstance(message, EmailMessage)
            if to in str(message["To"]) and str(message["Subject"]).startswith(subject_starts):
                found.append(message)
        return found

    def link(self, to: str, subject_starts: str, base_url: str) -> str:
        """The personal link in the newest such message to `to`."""
        messages = self.messages(to, subject_starts)
        if not messages:
            raise LookupError(f"no message to {to} starting {subject_starts!r}")
        body = messages[-1].get_body(("plain",))
        assert body is not None
        match = re.search(re.escape(base_url) + r"/\S+", body.get_content())
        if match is None:
            raise LookupError(f"no link in the message to {to}")
        return match.group(0)


class Browser:
    """One person's browser: keeps cookies, and sends forms with the CSRF field the page gave."""

    def __init__(self) -> None:
        self.client = httpx.Client(timeout=30)

    def submit(
        self, url: str, fields: Mapping[str, str | list[str]], action: str | None = None
    ) -> httpx.Response:
        page = _checked(self.client.get(url))
        match = _CSRF.search(page.text)
        if match is None:
            raise LookupError(f"no form on {url}")
        return _checked(self.client.post(action or url, data={**fields, "csrf_token": match.group(1)}))

    def post_from(self, page: str, action: str, fields: dict[str, str | list[str]]) -> httpx.Response:
        """Send a form found on a page already fetched (the ballot's confirmation, say)."""
        match = _CSRF.search(page)
        if match is None:
            raise LookupError(f"no form to send to {action}")
        return _checked(self.client.post(action, data={**fields, "csrf_token": match.group(1)}))

    def close(self) -> None:
        self.client.close()
