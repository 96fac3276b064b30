"""The nomination pages over HTTP: every field error, every bad link, and nothing written on refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from nominations.db.models import Nomination
from tests.integration.conftest import snapshot
from tests.web.conftest import Site

DECLARATION = "declaration-not_employed_by_partnership"


def open_call(site: Site) -> int:
    vid = site.world.request(overrides={})  # the shipped default protocol, untouched
    site.world.fire(vid, "accept")
    site.world.fire(vid, "open_nominations")
    return vid


def good(site: Site, seconder_index: int = 1, name: str = "Ann Example") -> dict[str, str | list[str]]:
    return {
        "nominee_name": name,
        "nominee_email": f"{name.split()[0].lower()}@example.org",
        "nominee_organisation": "Example Trust",
        "statement": "I will speak for the sector <script>alert(1)</script> and report back.",
        "seconder_1": str(site.world.orgs[seconder_index]),
        DECLARATION: "yes",
    }


def nominations(site: Site) -> list[Nomination]:
    with site.world.app.db.transaction() as session:
        return list(session.exec(select(Nomination)).all())


def test_the_nomination_page_shows_the_protocol(site: Site) -> None:
    open_call(site)
    (_, path) = site.links("call_for_nominations")[0]
    page = site.browser.get(path)
    assert page.status_code == 200
    assert "Org 0" in page.text  # the proposer, from the link
    assert "<header>Test Network</header>" in page.text
    assert "Up to 200 words" in page.text
    assert "I am not employed by the public body" in page.text
    assert 'option value="' + str(site.world.orgs[0]) + '"' not in page.text  # not its own seconder


def test_every_field_error_is_shown_beside_it_and_in_the_summary_and_nothing_is_written(site: Site) -> None:
    open_call(site)
    (_, path) = site.links("call_for_nominations")[0]
    before = snapshot(site.world.app.db)
    fields = {"nominee_name": " ", "nominee_email": "not-an-email", "statement": "word " * 201}
    response = site.post(path, fields)
    assert response.status_code == 400
    assert "Error: Nominate a candidate" in response.text
    for field, message in [
        ("nominee_name", "Enter the nominee&#39;s full name"),
        ("nominee_email", "Enter the nominee&#39;s email address, like name@example.org"),
        ("statement", "The statement must be 200 words or fewer; it has 201"),
        (DECLARATION, "Confirm: I am not employed by the public body"),
        ("seconder_1", "Choose a member organisation to second the nomination"),
    ]:
        assert f'<li><a href="#{field}">{message}' in response.text
        assert f'id="{field}-error"' in response.text
    assert 'value="not-an-email"' in response.text  # what was typed is kept
    assert "201 of 200 words" in response.text
    assert snapshot(site.world.app.db) == before
    assert nominations(site) == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"nominee_email": "contact0@org0.example"},
            "nominee_email",
            "may not nominate its own voting contact",
        ),
        ({"seconder_1": "999"}, "seconder_1", "Choose a member organisation to second the nomination"),
        ({"statement": ""}, "statement", "Enter the candidate&#39;s statement"),
    ],
)
def test_the_protocol_rules_are_applied_on_the_server(
    site: Site, change: dict[str, str], field: str, message: str
) -> None:
    open_call(site)
    (_, path) = site.links("call_for_nominations")[0]
    response = site.post(path, {**good(site), **change})
    assert response.status_code == 400
    assert f'<li><a href="#{field}">' in response.text and message in response.text
    assert nominations(site) == []


def test_one_nomination_per_organisation(site: Site) -> None:
    open_call(site)
    (_, path) = site.links("call_for_nominations")[0]
    assert site.post(path, good(site)).status_code == 200
    again = site.post(path, good(site, name="Bob Other"))
    assert again.status_code == 400
    assert "already made 1 nomination(s) for this seat" in again.text
    assert len(nominations(site)) == 1


def test_a_form_without_our_csrf_field_is_refused_and_nothing_is_written(site: Site) -> None:
    open_call(site)
    (_, path) = site.links("call_for_nominations")[0]
    site.browser.get(path)
    before = snapshot(site.world.app.db)
    forged = site.browser.post(path, data={**good(site), "csrf_token": "forged"})
    assert forged.status_code == 403
    assert "This form could not be accepted" in forged.text
    missing = site.browser.post(path, data=good(site))
    assert missing.status_code == 403
    assert snapshot(site.world.app.db) == before


def test_a_nomination_becomes_valid_with_consent_and_a_seconder(site: Site) -> None:
    open_call(site)
    (_, path) = site.links("call_for_nominations")[0]
    done = site.post(path, good(site))
    assert done.status_code == 200 and "Nomination received" in done.text
    [nomination] = nominations(site)
    assert nomination.status == "pending"
    [(nominee, consent)] = site.links("consent_request")
    [(seconder, second)] = site.links("seconding_request")
    assert (nominee, seconder) == ("ann@example.org", "contact1@org1.example")
    page = site.browser.get(consent)
    assert "the nominee&#39;s consent, 1 seconder" in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert(1)" not in page.text
    assert site.post(consent, {"action": "consent"}).status_code == 200
    assert nominations(site)[0].status == "pending"
    assert site.post(second, {}).status_code == 200
    assert nominations(site)[0].status == "valid"
    assert "nothing: the nomination is valid" in site.browser.get(consent).text
    used = site.browser.get(second)
    assert used.status_code == 410 and "This link has already been used." in used.text


def test_the_nominee_may_withdraw(site: Site) -> None:
    open_call(site)
    site.post(site.links("call_for_nominations")[0][1], good(site))
    [(_, consent)] = site.links("consent_request")
    withdrawn = site.post(consent, {"action": "withdraw"})
    assert withdrawn.status_code == 200 and "You have withdrawn" in withdrawn.text
    assert nominations(site)[0].status == "withdrawn"
    gone = site.browser.get(consent)
    assert gone.status_code == 410 and "This nomination has been withdrawn." in gone.text


def test_damaged_unknown_expired_and_closed_links_each_say_what_to_do(site: Site) -> None:
    vid = open_call(site)
    (_, path) = site.links("call_for_nominations")[0]
    damaged = site.browser.get(path[:-4])
    assert damaged.status_code == 404 and "incomplete or has been changed" in damaged.text
    assert "Copy the whole link" in damaged.text
    unknown = site.browser.get("/nominate/" + "A" * 32 + "." + path[-6:])
    assert unknown.status_code == 404 and ("not one we sent" in unknown.text or "incomplete" in unknown.text)
    site.world.fire(vid, "close_nominations")
    closed = site.browser.get(path)
    assert closed.status_code == 410 and "Nominations for this seat are closed." in closed.text
    site.world.clock.advance(timedelta(days=30))
    expired = site.browser.get(path)
    assert expired.status_code == 410 and "This link has expired." in expired.text


def test_an_unknown_well_formed_link_is_told_apart_from_a_damaged_one(site: Site) -> None:
    from nominations.links import new_token

    open_call(site)
    unknown = site.browser.get(f"/nominate/{new_token()}")
    assert unknown.status_code == 404 and "This link is not one we sent." in unknown.text


def test_an_oversized_form_is_refused_before_it_is_read(site: Site) -> None:
    open_call(site)
    (_, path) = site.links("call_for_nominations")[0]
    big = site.post(path, {**good(site), "statement": "x" * 1_100_000})
    assert big.status_code == 413 and "over 1 MB" in big.text
    assert nominations(site) == []


def test_unknown_pages_and_bad_requests_get_a_page_not_a_traceback(site: Site) -> None:
    missing = site.browser.get("/no/such/page")
    assert missing.status_code == 404 and "Page not found" in missing.text
    bad = site.browser.get("/results/not-a-number")
    assert bad.status_code == 400 and "Traceback" not in bad.text
