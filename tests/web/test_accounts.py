"""Accounts over HTTP: an invitation, signing in and out, throttling, a reset, and a disabled account."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import select

from nominations.actors import Actor
from nominations.db.account_models import User
from nominations.services.accounts import AccountError, SignInError
from tests.integration.conftest import snapshot
from tests.web.conftest import Site

ADMIN = Actor("system", "test")


@pytest.fixture(autouse=True)
def _follow(site: Site) -> None:
    site.browser.follow_redirects = True  # a browser follows the redirect after signing in


PASSWORD = "correct horse battery staple"


def invite(site: Site, email: str = "cora@network.example", role: str = "coordinator") -> str:
    """An invitation's path, as the invited person finds it in their email."""
    site.world.app.accounts.invite(email, "Cora Ordinator", role, ADMIN, network_id=site.world.network_id)
    [(_, path)] = [link for link in site.links("account_invite") if link[0] == email]
    return path


def sign_in(site: Site, email: str, password: str) -> httpx.Response:
    return site.post("/sign-in", {"email": email, "password": password, "next": "/console"})


def test_an_invited_coordinator_chooses_a_password_and_lands_on_the_console(site: Site) -> None:
    path = invite(site)
    assert path.startswith("/account/invite/")
    assert "<h1>Sign in</h1>" in site.browser.get("/console").text
    short = site.post(path, {"password": "short", "confirm": "short"})
    assert short.status_code == 400 and "Use at least 12 characters" in short.text
    differ = site.post(path, {"password": PASSWORD, "confirm": PASSWORD + "!"})
    assert differ.status_code == 400 and "The two passwords are not the same" in differ.text
    done = site.post(path, {"password": PASSWORD, "confirm": PASSWORD})
    assert done.status_code == 200 and "You are signed in as Cora Ordinator, coordinator" in done.text
    again = site.post(path, {"password": PASSWORD, "confirm": PASSWORD})
    assert "This link has already been used" in again.text

    site.post("/sign-out", {}, from_page="/console")
    assert "<h1>Sign in</h1>" in site.browser.get("/console").text
    wrong = sign_in(site, "cora@network.example", "not the password at all")
    assert wrong.status_code == 400 and "The email address or the password is not right" in wrong.text
    right = sign_in(site, "CORA@network.example ", PASSWORD)
    assert "You are signed in as Cora Ordinator" in right.text


def test_signing_in_is_throttled_with_a_clear_message(site: Site) -> None:
    codes = [sign_in(site, "nobody@network.example", "guess number one").status_code for _ in range(6)]
    assert codes == [400] * 5 + [429]
    page = sign_in(site, "nobody@network.example", "guess number seven")
    assert "Too many attempts" in page.text
    assert "wait a minute" in page.text


def test_a_forgotten_password_is_reset_by_an_emailed_link_that_works_once(site: Site) -> None:
    site.post(invite(site), {"password": PASSWORD, "confirm": PASSWORD})
    site.post("/sign-out", {}, from_page="/console")
    unknown = site.post("/account/forgot", {"email": "nobody@network.example"})
    known = site.post("/account/forgot", {"email": "cora@network.example"})
    assert "If there is an account for that address" in unknown.text and unknown.text == known.text
    [(to, path)] = site.links("password_reset")
    assert to == "cora@network.example" and path.startswith("/account/reset/")
    site.post(path, {"password": "a brand new passphrase", "confirm": "a brand new passphrase"})
    site.post("/sign-out", {}, from_page="/console")
    assert sign_in(site, "cora@network.example", PASSWORD).status_code == 400
    assert "You are signed in" in sign_in(site, "cora@network.example", "a brand new passphrase").text
    expired = site.browser.get(path)
    assert expired.status_code == 200
    reused = site.post(path, {"password": "yet another passphrase", "confirm": "yet another passphrase"})
    assert "This link has already been used" in reused.text


def test_a_disabled_account_is_signed_out_at_its_next_request(site: Site) -> None:
    site.post(invite(site), {"password": PASSWORD, "confirm": PASSWORD})
    assert "You are signed in" in site.browser.get("/console").text
    with site.world.app.db.transaction() as session:
        user = session.exec(select(User)).one()
    assert user.id is not None
    site.world.app.accounts.disable(user.id, ADMIN)
    assert "<h1>Sign in</h1>" in site.browser.get("/console").text
    with pytest.raises(SignInError):
        site.world.app.accounts.sign_in("cora@network.example", PASSWORD)


def test_a_bad_invitation_is_refused_and_writes_nothing(site: Site) -> None:
    accounts = site.world.app.accounts
    invite(site)
    before = snapshot(site.world.app.db)
    cases = [
        (("not-an-email", "X", "coordinator"), {}, "is not an email address"),
        (("x@example.org", "X", "wizard"), {}, "the role must be one of"),
        (("x@example.org", " ", "coordinator"), {}, "give the person's name"),
        (("CORA@network.example", "X", "coordinator"), {}, "there is already an account"),
        (("x@example.org", "X", "partnership"), {}, "needs the partnership they speak for"),
        (
            ("x@example.org", "X", "auditor"),
            {"partnership_id": site.world.partnership_id},
            "only a partnership contact",
        ),
        (("x@example.org", "X", "partnership"), {"partnership_id": 999}, "there is no partnership 999"),
    ]
    for args, scope, message in cases:
        with pytest.raises(AccountError, match=message):
            accounts.invite(*args, ADMIN, **scope)
    assert snapshot(site.world.app.db) == before


def test_sign_in_never_sends_people_to_another_site(site: Site) -> None:
    site.post(invite(site), {"password": PASSWORD, "confirm": PASSWORD})
    site.post("/sign-out", {}, from_page="/console")
    page, csrf = site.form("/sign-in?next=//evil.example/steal")
    assert 'value="/console"' in page.text
    site.browser.follow_redirects = False
    answer = site.browser.post(
        "/sign-in",
        data={
            "email": "cora@network.example",
            "password": PASSWORD,
            "next": "https://evil.example",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/console"



def test_an_unknown_kind_of_account_link_gets_the_page_not_found(site: Site) -> None:
    page = site.browser.get("/account/promote/abc.def")
    assert page.status_code == 404
    assert "Page not found" in page.text and "Check the address" in page.text
