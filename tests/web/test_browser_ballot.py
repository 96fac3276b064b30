"""In a real browser: a ballot email arrives over SMTP; the voter ranks, confirms, casts, keeps a receipt."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from nominations.demo_members import Mailbox
from nominations.mail.capture import CaptureServer
from tests.utils.browser import ARGS, CHROMIUM
from tests.web.conftest import Site
from tests.web.test_ballot_pages import ballot_open

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("chromium") is None, reason="Debian's chromium is not installed (make test installs it)"
    ),
]


@pytest.fixture
def capture(tmp_path: Path) -> Iterator[CaptureServer]:
    with CaptureServer(tmp_path / "mail") as server:
        yield server


def test_a_voter_ranks_confirms_casts_and_finds_the_receipt_on_the_results(
    site: Site, capture: CaptureServer
) -> None:
    from playwright.sync_api import sync_playwright

    app = site.world.app
    app.settings.smtp_host, app.settings.smtp_port = "127.0.0.1", capture.port
    vid, ids = ballot_open(site, {"voting_method": {"one_seat": "av"}})
    asyncio.run(app.worker().run_until_idle())  # the ballots cross SMTP to the capture server
    link = Mailbox(capture.handler.mail_dir).link("contact3@org3.example", "Your ballot", site.url)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(link)
        assert "Number the candidates" in page.content()
        page.select_option(f"#candidate-{ids[2]}", "1")
        page.select_option(f"#candidate-{ids[0]}", "2")
        page.click("text=Continue")
        assert page.locator("ol li").all_inner_texts() == ["Cat Cole", "Ann Able"]
        page.click("text=Cast my vote")
        receipt = page.locator("#receipt").inner_text()
        assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", receipt)

        site.world.fire(vid, "close_voting")
        site.world.fire_timers()
        site.world.fire(vid, "declare")
        page.goto(f"{site.url}/results/{vid}")
        row = page.locator("tr", has=page.locator(f"code:text-is('{receipt}')"))
        assert row.locator("td").nth(1).inner_text() == "Cat Cole, Ann Able"
        browser.close()
