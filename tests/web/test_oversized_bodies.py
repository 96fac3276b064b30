"""Oversized bodies: a 1 MB+ statement is refused with the 413 page and nothing stored, whether the
browser says how long the body is (Content-Length) or sends it in chunks without saying; the one
form with a file takes more, up to its own limit; and a chunked body is read no further than the limit."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlencode

import httpx

from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.web.app import MAX_BODY, create_app
from tests.integration.conftest import make_world
from tests.utils.hostile import changed, database_state
from tests.utils.hostile_web import browser, csrf_of
from tests.web.conftest import CSRF, SECRET, Site
from tests.web.test_nomination_pages import good, open_call
from tests.web.test_requests import COMPLETE, PDF

FORM = "application/x-www-form-urlencoded"


def chunks(body: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """The body as a generator: httpx then sends it chunked, with no Content-Length."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def send(client: httpx.Client, path: str, body: bytes, content_type: str, *, chunked: bool) -> httpx.Response:
    answer = client.post(
        path, content=chunks(body) if chunked else body, headers={"content-type": content_type}
    )
    sent = answer.request.headers
    assert ("content-length" in sent) is not chunked and (
        sent.get("transfer-encoding") == "chunked"
    ) is chunked
    return answer


def assert_refused_as_too_much(answer: httpx.Response, megabytes: int) -> None:
    assert answer.status_code == 413, answer.text[:300]
    assert "<h1>That is too much to send</h1>" in answer.text
    assert f"What you sent is over {megabytes} MB. Shorten it and try again." in answer.text


def test_oversized_bodies_get_the_413_page_with_or_without_a_content_length_and_store_nothing(
    site: Site,
) -> None:
    open_call(site)
    (_, nominate) = site.links("call_for_nominations")[0]
    admin, coordinator = browser(site, "admin"), browser(site, "coordinator")
    try:
        csrf = csrf_of(site.browser, nominate)
        statement = urlencode({**good(site), "statement": "x" * 1_100_000, "csrf_token": csrf}).encode()
        # Fields each under the parser's own 1 MB a field, together over the 1 MB a body.
        account = urlencode({
            "email": "big@network.example", "name": "n" * 600_000, "role": "auditor",
            "works_for": f"network:{site.world.network_id}", "notes": "z" * 600_000,
            "csrf_token": csrf_of(admin, "/console/accounts"),
        }).encode()  # fmt: skip
        before = database_state(site.world.app.db)
        for chunked in (False, True):
            assert_refused_as_too_much(send(site.browser, nominate, statement, FORM, chunked=chunked), 1)
            assert_refused_as_too_much(send(admin, "/console/accounts", account, FORM, chunked=chunked), 1)
        assert changed(before, database_state(site.world.app.db)) == []

        # The request form takes a PDF of up to 5 MB with its text: chunked, as with a Content-Length.
        token = csrf_of(coordinator, "/console/requests/new")
        fields = {**COMPLETE, "partnership": str(site.world.partnership_id), "csrf_token": token}
        for pdf, megabytes in [(PDF + b"%" + b"0" * 7_000_000, 6), (PDF + b"%" + b"0" * 2_000_000, None)]:
            request = coordinator.build_request(
                "POST", "/console/requests/new", data=fields, files={"terms_pdf": ("t.pdf", pdf)}
            )
            body, kind = request.read(), request.headers["content-type"]
            answer = send(coordinator, "/console/requests/new", body, kind, chunked=True)
            if megabytes is None:
                assert answer.status_code == 303 and answer.headers["location"].endswith("?filed=1")
            else:
                assert_refused_as_too_much(answer, megabytes)
                assert changed(before, database_state(site.world.app.db)) == []
    finally:
        admin.close()
        coordinator.close()


async def test_a_chunked_body_is_refused_once_past_the_limit_not_read_to_its_end(
    db: Database, clock: FakeClock
) -> None:
    world = make_world(db, clock)
    read = 0

    async def fifty_megabytes() -> AsyncIterator[bytes]:
        nonlocal read
        yield f"csrf_token={token}&email=".encode()
        for _ in range(50):
            read += 1
            yield b"x" * 2**20

    transport = httpx.ASGITransport(app=create_app(world.app, SECRET))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        page = await client.get("/account/forgot")
        found = CSRF.search(page.text)
        assert found is not None
        token = found.group(1)
        before = database_state(db)
        answer = await client.post(
            "/account/forgot", content=fifty_megabytes(), headers={"content-type": FORM}
        )
    assert_refused_as_too_much(answer, MAX_BODY // 1_000_000)
    assert read <= 2, f"{read} MB read of a body refused at 1 MB"
    assert changed(before, database_state(db)) == []
    assert re.search(r"<title>That is too much to send", answer.text)


def test_a_form_body_the_parser_cannot_read_gets_the_400_page_that_says_so(site: Site) -> None:
    coordinator = browser(site, "coordinator")
    try:
        token = csrf_of(coordinator, "/console/requests/new")
        fields = {**COMPLETE, "partnership": str(site.world.partnership_id), "csrf_token": token}
        good = coordinator.build_request(
            "POST", "/console/requests/new", data=fields, files={"terms_pdf": ("t.pdf", PDF)}
        )
        body, kind = good.read(), good.headers["content-type"]
        many = urlencode([("csrf_token", token)] + [("f", "1")] * 1001).encode()
        broken = {
            "multipart without a boundary": (body, "multipart/form-data"),
            "a field of 1.1 MB in the upload form": (
                body.replace(b"6 hours a month", b"6 hours a month" + b"x" * 1_100_000),
                kind,
            ),
            "1,001 fields": (many, FORM),
        }
        before = database_state(site.world.app.db)
        for name, (content, content_type) in broken.items():
            answer = coordinator.post(
                "/console/requests/new", content=content, headers={"content-type": content_type}
            )
            assert answer.status_code == 400, (name, answer.status_code)
            assert "<h1>That request was not understood</h1>" in answer.text, name
        assert changed(before, database_state(site.world.app.db)) == []
    finally:
        coordinator.close()
