"""The accounts page over HTTP: an admin lists, invites and disables accounts; nobody else may."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest
from sqlmodel import select

from nominations.db.account_models import User
from tests.integration.conftest import count, snapshot
from tests.utils.console import PASSWORD, sign_in_as
from tests.web.conftest import Site

ACCOUNTS = "/console/accounts"


def summary(page: httpx.Response) -> dict[str, str]:
    box = page.text.split('<div class="error-summary"', 1)[1].split("</div>", 1)[0]
    return {field: unescape(text) for field, text in re.findall(r'<a href="#([a-z_]+)">([^<]+)</a>', box)}


def written(site: Site) -> dict[str, int]:
    with site.world.app.db.transaction() as session:
        return {**snapshot(site.world.app.db), "users": count(session, User)}


def account(site: Site, email: str) -> User:
    with site.world.app.db.transaction() as session:
        return session.exec(select(User).where(User.email == email)).one()


def row(page: httpx.Response, email: str) -> str:
    """The accounts table's row for `email`, tags removed, cells joined by |."""
    [found] = [r for r in re.findall(r"<tr>(.*?)</tr>", page.text, re.S) if f"<td>{email}</td>" in r]
    cells = re.findall(r"<td>(.*?)</td>", found, re.S)
    return "|".join(" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in cells)


def test_an_admin_invites_a_coordinator_who_then_signs_in(site: Site) -> None:
    sign_in_as(site, "admin", "ada@network.example")
    page = site.browser.get(ACCOUNTS)
    assert page.status_code == 200
    assert row(page, "ada@network.example").startswith(
        "ada@network.example|Test Admin|admin|Test Network|active"
    )
    assert "Runs the network&#39;s calls, elections and appointments." in page.text  # the role's purpose
    assert f'<option value="partnership:{site.world.partnership_id}">Safer Town Partnership' in page.text

    invited = site.post(
        ACCOUNTS,
        {
            "email": " Cora@Network.example ",
            "name": "Cora Ordinator",
            "role": "coordinator",
            "works_for": f"network:{site.world.network_id}",
        },
    )
    assert invited.status_code == 200 and invited.url.path == ACCOUNTS
    assert "We have emailed Cora Ordinator (cora@network.example) an invitation" in invited.text
    cells = "cora@network.example|Cora Ordinator|coordinator|Test Network|invited"
    assert row(invited, "cora@network.example") == f"{cells}|Disable Cora Ordinator's account"
    cora = account(site, "cora@network.example")
    assert (cora.role, cora.network_id, cora.partnership_id) == ("coordinator", site.world.network_id, None)

    [(_, link)] = [found for found in site.links("account_invite") if found[0] == "cora@network.example"]
    site.browser.cookies.clear()
    chosen = site.post(link, {"password": PASSWORD, "confirm": PASSWORD})
    assert chosen.status_code == 200 and account(site, "cora@network.example").status == "active"
    site.browser.cookies.clear()
    fields = {"email": "cora@network.example", "password": PASSWORD, "next": "/console/requests"}
    signed_in = site.post("/sign-in", fields)
    assert signed_in.status_code == 200 and signed_in.url.path == "/console/requests"
    assert "Signed in as Cora Ordinator (coordinator)" in signed_in.text


def test_an_admin_invites_a_partnership_contact_for_their_partnership(site: Site) -> None:
    sign_in_as(site, "admin")
    site.post(
        ACCOUNTS,
        {
            "email": "pat@council.example",
            "name": "Pat Ner",
            "role": "partnership",
            "works_for": f"partnership:{site.world.partnership_id}",
        },
    )
    pat = account(site, "pat@council.example")
    assert (pat.role, pat.partnership_id, pat.network_id) == (
        "partnership",
        site.world.partnership_id,
        site.world.network_id,
    )


def test_an_invitation_with_problems_names_each_and_writes_nothing(site: Site) -> None:
    sign_in_as(site, "admin")
    before = written(site)
    empty = site.post(ACCOUNTS, {"email": "", "name": " ", "works_for": ""})
    assert empty.status_code == 400
    assert summary(empty) == {
        "email": "Enter the person's email address",
        "name": "Enter the person's name",
        "role": "Select the person's role",
        "works_for": "Select the network or partnership they work for",
    }
    cases = [
        (
            {"role": "partnership", "works_for": f"network:{site.world.network_id}"},
            {"works_for": "A partnership contact speaks for one partnership: select it"},
        ),
        (
            {"role": "auditor", "works_for": f"partnership:{site.world.partnership_id}"},
            {"works_for": "Only a partnership contact works for a partnership: select the auditor's network"},
        ),
        ({"email": "not an address"}, {"email": "'not an address' is not an email address"}),
        (
            {"email": "admin@network.example"},
            {"email": "There is already an account for admin@network.example"},
        ),
        ({"works_for": "network:999"}, {"works_for": "There is no network 999"}),
    ]
    good = {
        "email": "new@network.example",
        "name": "New Person",
        "role": "coordinator",
        "works_for": f"network:{site.world.network_id}",
    }
    for change, expected in cases:
        page = site.post(ACCOUNTS, {**good, **change})
        assert page.status_code == 400 and summary(page) == expected, change
        assert 'value="New Person"' in page.text  # what was typed is kept
    assert written(site) == before


def test_an_admin_disables_an_account_after_confirming(site: Site) -> None:
    victim = sign_in_as(site, "coordinator", "leaving@network.example")
    admin = sign_in_as(site, "admin")
    confirm = site.browser.get(f"/console/accounts/{victim}/disable")
    assert "Disable Test Coordinator's account?" in confirm.text
    assert account(site, "leaving@network.example").status == "active"  # asking is not doing

    done = site.post(f"/console/accounts/{victim}/disable", {}, f"/console/accounts/{victim}/disable")
    assert (
        done.url.path == ACCOUNTS
        and "Test Coordinator&#39;s account (leaving@network.example) is disabled" in (done.text)
    )
    assert row(done, "leaving@network.example").endswith("|disabled|")
    assert account(site, "leaving@network.example").status == "disabled"

    own = site.post(f"/console/accounts/{admin}/disable", {}, ACCOUNTS)
    assert own.status_code == 400 and "You cannot disable your own account" in own.text
    assert account(site, "admin@network.example").status == "active"

    site.browser.cookies.clear()
    refused = site.post(
        "/sign-in", {"email": "leaving@network.example", "password": PASSWORD, "next": "/console"}
    )
    assert refused.status_code == 400


@pytest.mark.parametrize("role", ["auditor", "coordinator", "partnership"])
def test_only_an_admin_may_see_or_change_accounts(site: Site, role: str) -> None:
    other = sign_in_as(site, "admin", "boss@network.example")
    scope = {"partnership_id": site.world.partnership_id} if role == "partnership" else {}
    sign_in_as(site, role, **scope)
    before = written(site)
    page = site.browser.get(ACCOUNTS)
    assert page.status_code == 403 and "You may not do this" in page.text and "users.manage" in page.text
    assert "boss@network.example" not in page.text
    assert site.browser.get(f"/console/accounts/{other}/disable").status_code == 403
    fields = {"email": "x@network.example", "name": "X", "role": "admin", "works_for": "network:1"}
    assert site.post(ACCOUNTS, fields, "/console/requests").status_code == 403
    assert site.post(f"/console/accounts/{other}/disable", {}, "/console/requests").status_code == 403
    assert written(site) == before and account(site, "boss@network.example").status == "active"
