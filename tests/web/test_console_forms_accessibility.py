"""axe-core in Chromium finds no WCAG 2.2 AA violation on the request and accounts pages, errors included."""

from __future__ import annotations

from typing import Any

import pytest

from tests.utils.browser import assert_accessible, chromium_page, needs_chromium
from tests.utils.console import PASSWORD, sign_in_as
from tests.web.conftest import Site
from tests.web.test_requests import COMPLETE, PDF, send

pytestmark = [pytest.mark.slow, needs_chromium]


def sign_in(site: Site, page: Any, email: str) -> None:
    page.goto(site.url + "/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


def test_the_request_pages_have_no_accessibility_violations(site: Site) -> None:
    sign_in_as(site, "partnership", partnership_id=site.world.partnership_id)
    send(site, COMPLETE, PDF)
    asked = site.world.request()
    site.world.fire(asked, "ask_for_information", reason="Which meetings will the seat attend?")
    with chromium_page() as page:
        sign_in(site, page, "partnership@network.example")
        for path in ("/console/requests", "/console/requests/1?filed=1", f"/console/requests/{asked}"):
            page.goto(site.url + path)
            assert_accessible(page)
        page.goto(site.url + "/console/requests/new")
        assert_accessible(page)
        page.click("form[action='/console/requests/new'] button[type=submit]")
        assert "There is a problem" in page.content()
        assert_accessible(page)
        page.goto(site.url + f"/console/requests/{asked}")
        page.click("form[action$='/resubmit'] button[type=submit]")
        assert "Enter the information the coordinator asked for" in page.content()
        assert_accessible(page)


def test_the_accounts_pages_have_no_accessibility_violations(site: Site) -> None:
    other = sign_in_as(site, "coordinator")
    sign_in_as(site, "admin")
    with chromium_page() as page:
        sign_in(site, page, "admin@network.example")
        for path in ("/console/accounts", f"/console/accounts/{other}/disable"):
            page.goto(site.url + path)
            assert_accessible(page)
        page.goto(site.url + "/console/accounts")
        page.click("form[action='/console/accounts'] button[type=submit]")
        assert "There is a problem" in page.content()
        assert_accessible(page)
