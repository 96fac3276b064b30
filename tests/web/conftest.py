"""A real HTTP server (uvicorn on loopback) over the test database, and a member's browser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlmodel import col, select

from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.db.models import OutboxMessage
from nominations.mail.capture import free_port
from nominations.web.app import create_app
from nominations.web.server import BackgroundServer
from tests.integration.conftest import World, make_world

SECRET = "test-secret-key-that-is-long-enough-to-sign"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Site:
    world: World
    url: str
    browser: httpx.Client

    def links(self, template: str) -> list[tuple[str, str]]:
        """(recipient, path) of every queued message from `template`, oldest first."""
        with self.world.app.db.transaction() as session:
            rows = session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.template == template)
                .order_by(col(OutboxMessage.id))
            ).all()
        found = []
        for message in rows:
            match = re.search(re.escape(self.url) + r"(/\S+)", message.text_body)
            assert match is not None, f"no link in {template} to {message.to_email}"
            found.append((message.to_email, match.group(1)))
        return found

    def form(self, path: str) -> tuple[httpx.Response, str]:
        """GET a page with a form; return it and its CSRF field."""
        page = self.browser.get(path)
        match = CSRF.search(page.text)
        assert match is not None, page.text[:500]
        return page, match.group(1)

    def post(
        self, path: str, fields: dict[str, str | list[str]], from_page: str | None = None
    ) -> httpx.Response:
        _, csrf = self.form(from_page or path)
        return self.browser.post(path, data={**fields, "csrf_token": csrf})


@pytest.fixture
def site(db: Database, clock: FakeClock) -> Iterator[Site]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    world = make_world(db, clock, base_url=url)
    with (
        BackgroundServer(create_app(world.app, SECRET), port),
        httpx.Client(base_url=url, timeout=30) as browser,
    ):
        yield Site(world, url, browser)
