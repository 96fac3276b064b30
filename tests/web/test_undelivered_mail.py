"""Undelivered email on the dashboard: a real SMTP server refuses, the worker gives up, a person sees why.

Each message the server refuses for good is listed for the people of its own network, with the
recipient, the subject, the record it is about, and the server's reply as the server gave it.
"""

from __future__ import annotations

import asyncio
import html
import re
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlmodel import col, select

from nominations.actors import Actor
from nominations.db.models import OutboxMessage
from nominations.mail.dispatch import OutboxDispatcher
from nominations.mail.outbox import RetryPolicy, queue_mail
from nominations.mail.render import RenderedMail
from nominations.mail.transport import SmtpConfig
from tests.utils.browser import assert_accessible, chromium_page, needs_chromium
from tests.utils.console import PASSWORD, sign_in_as
from tests.utils.console_seats import open_call, other_network, seat
from tests.utils.dashboard_queries import dashboard_selects
from tests.utils.smtp import FaultyServer, received_ids, smtp_server
from tests.web.conftest import Site
from tests.web.test_dashboard import need

__all__ = ["smtp_server"]  # the fixture

REFUSED = "550 5.1.1 <pat@council.example>: No such user & no forwarding"


def send_all(site: Site, server: FaultyServer, max_attempts: int = 10) -> None:
    """Run the outbox worker until nothing is due (one connection, so messages go out in id order)."""
    config = SmtpConfig(host="127.0.0.1", port=server.port, timeout=5, mail_from="network@example.org")
    worker = OutboxDispatcher(
        site.world.app.db,
        site.world.clock,
        config,
        worker_id="test",
        concurrency=1,
        policy=RetryPolicy(max_attempts=max_attempts),
    )
    asyncio.run(worker.run_until_idle())


def queued(site: Site) -> list[OutboxMessage]:
    with site.world.app.db.transaction() as session:
        query = select(OutboxMessage).where(OutboxMessage.status == "queued")
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def message(site: Site, outbox_id: int | None) -> OutboxMessage:
    with site.world.app.db.transaction() as session:
        return session.get_one(OutboxMessage, outbox_id)


def sign_in_elsewhere(site: Site, email: str, role: str, network_id: int) -> None:
    """Sign the browser in as `role` of another network than the world's."""
    site.world.app.accounts.invite(
        email, f"Other {role.title()}", role, Actor("system", "test"), network_id=network_id
    )
    [path] = [p for to, p in site.links("account_invite") if to == email]
    site.browser.follow_redirects = True
    site.browser.cookies.clear()
    assert site.post(path, {"password": PASSWORD, "confirm": PASSWORD}).status_code == 200


def undelivered(page: str) -> str:
    return need(page, "undelivered")


def test_a_refused_email_is_listed_with_the_servers_reply_for_its_own_network_only(
    site: Site, smtp_server: FaultyServer
) -> None:
    world = site.world
    ours = seat(world, "Harbour seat")
    network_b, partnership_b = other_network(world)
    theirs = seat(world, "Elsewhere seat", partnership_id=partnership_b)
    sign_in_elsewhere(site, "other@elsewhere.example", "coordinator", network_b)
    sign_in_as(site, "coordinator")
    send_all(site, smtp_server)  # everything so far is accepted: the slate is clean
    assert not queued(site) and "need-undelivered" not in site.browser.get("/console").text

    world.fire(ours, "accept")  # tells the partnership's contact
    [refused] = queued(site)
    smtp_server.handler.reply_next(REFUSED)
    send_all(site, smtp_server)
    world.fire(theirs, "accept")
    [elsewhere, *_] = queued(site)
    smtp_server.handler.reply_next("550 5.7.1 Elsewhere refuses this")
    send_all(site, smtp_server)

    failed = message(site, refused.id)
    assert (failed.status, failed.attempts, failed.last_error) == ("failed", 1, REFUSED)
    page = site.browser.get("/console").text
    [item] = re.findall(r"<li>(.*?)</li>", undelivered(page), re.S)
    assert f'<a href="/console/vacancies/{ours}">Harbour seat (Safer Town Partnership)</a>' in item
    said = " ".join(html.unescape(re.sub(r"<[^>]+>", "", item)).split())
    assert f"“{failed.subject}” to {failed.to_name} <{failed.to_email}>" in said
    assert f"queued on {failed.created_at:%d %B %Y at %H:%M} UTC, tried 1 time." in said
    # The reply exactly as the server gave it, escaped: its address cannot become markup.
    assert f"Why: <samp>{escape(REFUSED)}</samp>" in item and "<pat@" not in page
    assert "Emails that could not be delivered (1)" in page
    assert "Elsewhere" not in undelivered(page) and "5.7.1" not in page
    assert site.browser.get(f"/console/vacancies/{ours}").status_code == 200  # the link leads to the seat

    site.browser.cookies.clear()
    site.post("/sign-in", {"email": "other@elsewhere.example", "password": PASSWORD, "next": "/console"})
    theirs_page = site.browser.get("/console").text
    assert "Elsewhere seat (Elsewhere Board)" in undelivered(theirs_page)
    assert "550 5.7.1 Elsewhere refuses this" in undelivered(theirs_page)
    assert message(site, elsewhere.id).status == "failed"
    assert "Harbour" not in theirs_page and "No such user" not in theirs_page

    # Only what the server accepted is marked sent; what it refused never arrived.
    with site.world.app.db.transaction() as session:
        rows = session.exec(select(OutboxMessage)).all()
    arrived = received_ids(smtp_server)
    assert {r.message_id for r in rows if r.status == "sent"} == set(arrived)
    assert all(arrived[r.message_id] == 0 for r in rows if r.status == "failed")
    assert len(arrived) >= 2 and set(arrived.values()) == {1}  # the two invitations, once each


def test_a_deferred_email_that_later_goes_is_never_listed_and_one_given_up_on_is(
    site: Site, smtp_server: FaultyServer
) -> None:
    world = site.world
    ours = seat(world, "Harbour seat")
    sign_in_as(site, "coordinator")
    send_all(site, smtp_server)
    world.fire(ours, "accept")
    first, *_ = queued(site)

    smtp_server.handler.reply_next("451 4.3.0 Mailbox busy, try later")
    send_all(site, smtp_server, max_attempts=2)
    assert message(site, first.id).status == "queued"
    assert "need-undelivered" not in site.browser.get("/console").text  # waiting to retry is not failing
    world.clock.advance(timedelta(minutes=1))
    send_all(site, smtp_server, max_attempts=2)
    assert message(site, first.id).status == "sent" and received_ids(smtp_server)[first.message_id] == 1
    assert "need-undelivered" not in site.browser.get("/console").text

    world.fire(ours, "open_nominations")
    given_up, *_ = queued(site)
    for _ in range(2):  # the first message is deferred twice; the others go at once
        smtp_server.handler.reply_next("421 4.7.0 Try again")
        send_all(site, smtp_server, max_attempts=2)
        world.clock.advance(timedelta(minutes=1))
    listed = undelivered(site.browser.get("/console").text)
    assert "Why: <samp>gave up after 2 attempts: 421 4.7.0 Try again</samp>" in listed
    assert "tried 2 times." in listed and first.subject not in listed
    assert len(re.findall(r"<li>", listed)) == 1 and message(site, given_up.id).status == "failed"


def test_an_undelivered_invitation_is_listed_for_the_admin_not_the_coordinator(
    site: Site, smtp_server: FaultyServer
) -> None:
    world = site.world
    sign_in_as(site, "coordinator")
    sign_in_as(site, "admin")
    send_all(site, smtp_server)
    world.app.accounts.invite(
        "typo@nowhere.example", "Tess Typo", "auditor", Actor("system", "test"), network_id=world.network_id
    )
    smtp_server.handler.reply_next("550 5.1.2 Bad destination system")
    send_all(site, smtp_server)
    listed = undelivered(site.browser.get("/console").text)
    assert '<a href="/console/accounts">Tess Typo&#39;s account</a>' in listed
    assert "Why: <samp>550 5.1.2 Bad destination system</samp>" in listed
    site.browser.cookies.clear()
    site.post("/sign-in", {"email": "coordinator@network.example", "password": PASSWORD, "next": "/console"})
    assert "Tess Typo" not in site.browser.get("/console").text


def test_the_list_costs_one_query_however_many_emails_failed(site: Site) -> None:
    world = site.world
    ours = open_call(world, "Harbour seat")

    def fail(count: int) -> None:
        with world.app.db.transaction() as session:
            for i in range(count):
                row = queue_mail(
                    session,
                    now=world.clock.now(),
                    entity_type="vacancy",
                    entity_id=ours,
                    template="call_for_nominations",
                    to_name=f"Contact {i}",
                    to_email=f"contact{i}@nowhere.example",
                    rendered=RenderedMail(f"Call {i}", "Text\n", "<p>HTML</p>\n"),
                )
                row.status, row.attempts, row.last_error = "failed", 1, "550 5.1.1 No such user"

    def selects() -> tuple[int, int]:
        statements, view = dashboard_selects(world)
        return len(statements), view.undelivered.total

    fail(1)
    few, one = selects()
    fail(60)
    many, more = selects()
    assert (one, more) == (1, 61)  # every failed message is counted...
    assert many == few  # ...by the same query


@pytest.mark.slow
@needs_chromium
def test_the_list_of_undelivered_email_has_no_accessibility_violations(
    site: Site, smtp_server: FaultyServer
) -> None:
    ours = seat(site.world, "Harbour seat")
    sign_in_as(site, "coordinator")
    send_all(site, smtp_server)
    site.world.fire(ours, "accept")
    smtp_server.handler.reply_next(REFUSED)
    send_all(site, smtp_server)
    with chromium_page() as page:
        page.goto(site.url + "/sign-in")
        page.fill("#email", "coordinator@network.example")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(site.url + "/console")
        assert "Emails that could not be delivered (1)" in page.content()
        assert_accessible(page)
