"""axe-core in Chromium finds no WCAG 2.2 AA violation on the pages members and candidates use."""

from __future__ import annotations

import pytest

from tests.utils.browser import assert_accessible, chromium_page, needs_chromium
from tests.web.conftest import Site
from tests.web.test_ballot_pages import ballot_open
from tests.web.test_nomination_pages import open_call

pytestmark = [pytest.mark.slow, needs_chromium]


def test_the_member_pages_have_no_accessibility_violations(site: Site) -> None:
    vid = open_call(site)
    [(_, nominate), *_] = site.links("call_for_nominations")
    with chromium_page() as page:
        for path in (nominate, "/sign-in", "/account/forgot", f"/results/{vid}", "/no-such-page"):
            page.goto(site.url + path)
            assert_accessible(page)
        page.goto(site.url + nominate)
        page.click("button[type=submit]")  # every field wrong: the error summary and messages
        assert "There is a problem" in page.content()
        assert_accessible(page)
        ballot_open(site)
        [(_, ballot), *_] = site.links("ballot_open")
        page.goto(site.url + ballot)
        assert_accessible(page)
