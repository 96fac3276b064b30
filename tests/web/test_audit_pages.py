"""The auditor's pages over HTTP: the log and its filters, verifying the chain, histories, elections."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import col, select

from nominations.actors import Actor
from nominations.db import audit_ddl
from nominations.db.models import AuditEvent, AuditHead, Network, Organisation, Partnership
from nominations.db.term_models import Appointment
from nominations.eligibility import NominationInput
from nominations.services.audit_log import append_event
from nominations.services.costs import CostInput, record_cost
from tests.integration.conftest import OPEN_SEAT, REQUEST
from tests.integration.test_vacancy_workflow import close_call
from tests.utils.browser import assert_accessible, chromium_page, needs_chromium
from tests.utils.console import PASSWORD, sign_in_as
from tests.utils.elections import close_ballot
from tests.web.conftest import CSRF, Site
from tests.web.test_ballot_pages import ballot_open

FORMULA = '=HYPERLINK("http://evil.example","click")'
SEQ = re.compile(r'<td class="num">(\d+)</td>')


@dataclass
class Story:
    """Two vacancies of the test network, their people, and every event the story wrote."""

    v1: int
    v2: int
    appointment: int
    coordinator: int
    cost: int

    def events(self, site: Site, keep: Callable[[AuditEvent], bool] = lambda e: True) -> list[int]:
        """Seqs of the recorded events that `keep` picks, newest first (as the log lists them)."""
        with site.world.app.db.transaction() as session:
            rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc())).all()
        return [e.seq for e in rows if keep(e)]


def nominee(name: str, seconders: tuple[int, ...] = ()) -> NominationInput:
    email = f"{name.lower().replace(' ', '.')}@example.org"
    declarations = frozenset({"not_employed_by_partnership"})
    return NominationInput(name, email, "", f"{name} will speak for the sector.", declarations, seconders)


@pytest.fixture
def story(site: Site) -> Story:
    """Day 1: a console coordinator accepts vacancy 2; its sole nominee (from org 1) is elected when
    the call closes three weeks later, and appointed. Then vacancy 1 opens and org 0 nominates, with
    org 2 seconding. A day later vacancy 1 has a cost recorded and is cancelled, with a reason that
    looks like a spreadsheet formula."""
    world, app = site.world, site.world.app
    coordinator, _ = app.accounts.invite(
        "cora@network.example",
        "Cora Console",
        "coordinator",
        Actor("system", "test"),
        network_id=world.network_id,
    )
    v2 = world.request()
    app.transitions.fire(v2, "accept", actor=Actor("coordinator", f"user:{coordinator}"))
    world.fire(v2, "open_nominations")
    world.nominate(v2, 1, "Bob Baker")
    close_call(world, v2)
    world.fire(v2, "declare")
    world.fire(v2, "fill")
    with app.db.transaction() as session:
        [appointment] = session.exec(select(Appointment.id).where(Appointment.vacancy_id == v2)).all()
    assert appointment is not None
    v1 = world.request(overrides={**OPEN_SEAT, "seconders_required": 1})
    world.fire(v1, "accept")
    world.fire(v1, "open_nominations")
    app.nominating.propose_for(v1, world.orgs[0], nominee("Ann Able", (world.orgs[2],)))
    world.clock.advance(timedelta(days=1))
    cost = record_cost(
        app.db,
        world.clock,
        CostInput("coordinator_time", "Safer Town Council", world.clock.now().date(), 90, vacancy_id=v1),
        Actor("coordinator", "c1"),
    )
    world.fire(v1, "cancel", reason=FORMULA)
    return Story(v1, v2, appointment, coordinator, cost)


def shown(site: Site, query: str = "") -> list[int]:
    page = site.browser.get(f"/console/audit{query}")
    assert page.status_code == 200, page.text[:800]
    return [int(seq) for seq in SEQ.findall(page.text)]


def about(kind: str, entity_id: int) -> Callable[[AuditEvent], bool]:
    return lambda e: (e.entity_type, e.entity_id) == (kind, str(entity_id))


def test_the_filters_narrow_the_log_to_what_was_asked(site: Site, story: Story) -> None:
    sign_in_as(site, "auditor")
    world = site.world
    everything = story.events(site)
    assert shown(site) == everything  # newest first, all of this network's
    v1 = shown(site, f"?vacancy={story.v1}")
    assert v1 == story.events(site, lambda e: about("vacancy", story.v1)(e) or e.action == "record_cost")
    assert len(v1) == 6  # request, accept, open, nominate, the cost (through its payload), cancel
    v2 = shown(site, f"?vacancy={story.v2}")
    assert v2 == story.events(site, lambda e: about("vacancy", story.v2)(e) or e.action == "appoint")
    seconder = shown(site, f"?organisation={world.orgs[2]}")  # named only in the nomination's seconders
    assert seconder == story.events(site, lambda e: e.action == "nominate" and e.entity_id == str(story.v1))
    proposer = shown(site, f"?organisation={world.orgs[1]}")
    assert proposer == story.events(site, lambda e: e.action == "nominate" and e.entity_id == str(story.v2))
    person = shown(site, f"?person=user:{story.coordinator}")
    assert person == story.events(
        site, lambda e: about("user", story.coordinator)(e) or e.actor_id == f"user:{story.coordinator}"
    )
    assert [e for e in person if e in v2]  # the accept the coordinator gave in the console
    kept = site.browser.get(f"/console/audit?person=appointment:{story.appointment}").text
    assert f'<option value="appointment:{story.appointment}" selected>Bob Baker (representative' in kept
    seat = shown(site, f"?person=appointment:{story.appointment}")
    assert seat == story.events(site, about("appointment", story.appointment)) and seat
    organisations = shown(site, "?actor=organisation")
    assert organisations == story.events(site, lambda e: e.actor_type == "organisation")
    assert len(organisations) == 2
    accepts = shown(site, "?action=accept")
    assert accepts == story.events(site, lambda e: e.action == "accept") and len(accepts) == 2
    day_two = (world.clock.now() - timedelta(days=1)).date().isoformat()
    on_day = shown(site, f"?from={day_two}&to={day_two}")
    assert on_day == story.events(site, lambda e: e.occurred_at.startswith(day_two)) and on_day != everything
    since = shown(site, f"?from={day_two}")
    assert since == story.events(site, lambda e: e.occurred_at[:10] >= day_two)
    both = shown(site, f"?vacancy={story.v1}&actor=organisation")
    assert both == story.events(site, lambda e: e.action == "nominate" and e.entity_id == str(story.v1))
    assert shown(site, f"?vacancy={story.v1}&organisation={world.orgs[1]}") == []


def test_a_filter_that_makes_no_sense_is_explained_next_to_its_field(site: Site, story: Story) -> None:
    sign_in_as(site, "auditor")
    page = site.browser.get("/console/audit?vacancy=twelve&from=2026-02-30&to=2026-01-01&person=nobody")
    assert page.status_code == 400
    assert "There is a problem" in page.text
    assert "Enter the vacancy&#39;s number, like 12" in page.text
    assert "Enter the start date as year-month-day, like 2026-03-31" in page.text
    assert "Choose a person from the list" in page.text
    assert SEQ.findall(page.text) == []
    backwards = site.browser.get("/console/audit?from=2026-03-05&to=2026-03-01")
    assert "The end date must be the same as or after the start date" in backwards.text


def test_the_log_pages_through_the_events_a_hundred_at_a_time(site: Site) -> None:
    world = site.world
    with world.app.db.transaction() as session:
        for i in range(230):
            append_event(
                session, occurred_at=world.clock.now(), actor=Actor("system", "test"),
                action="members_import", entity_type="network", entity_id=world.network_id, payload={"n": i},
            )  # fmt: skip
    sign_in_as(site, "auditor")
    newest = story_free_events(site)
    first = site.browser.get("/console/audit?action=members_import")
    seqs = [int(s) for s in SEQ.findall(first.text)]
    assert seqs == newest[:100] and "Newer events" not in first.text
    second = site.browser.get(_link(first.text, "Older events"))
    assert [int(s) for s in SEQ.findall(second.text)] == newest[100:200]
    third = site.browser.get(_link(second.text, "Older events"))
    assert [int(s) for s in SEQ.findall(third.text)] == newest[200:]
    assert "Older events" not in third.text
    back = site.browser.get(_link(third.text, "Newer events"))
    assert [int(s) for s in SEQ.findall(back.text)] == newest[100:200]
    assert "action=members_import" in _link(back.text, "Newer events")
    top = site.browser.get(_link(back.text, "Newer events"))
    assert [int(s) for s in SEQ.findall(top.text)] == newest[:100] and "Newer events" not in top.text


def story_free_events(site: Site) -> list[int]:
    with site.world.app.db.transaction() as session:
        rows = session.exec(
            select(AuditEvent.seq)
            .where(AuditEvent.action == "members_import")
            .order_by(col(AuditEvent.seq).desc())
        ).all()
    return list(rows)


def _link(page: str, label: str) -> str:
    match = re.search(r'<a href="([^"]+)"[^>]*>' + label + "</a>", page)
    assert match is not None, f"no link {label!r}"
    return match.group(1).replace("&amp;", "&")


def _verify(site: Site) -> httpx.Response:
    page = site.post("/console/audit/verify", {}, from_page="/console/audit")
    assert page.status_code == 200 and page.url.path == "/console/audit", page.text[:500]
    return page


def _head(site: Site) -> AuditHead:
    with site.world.app.db.transaction() as session:
        return session.get_one(AuditHead, 1)


def test_the_verify_button_reports_an_intact_chain_then_the_first_tampered_event(
    site: Site, story: Story
) -> None:
    sign_in_as(site, "auditor")
    before = site.browser.get("/console/audit")
    assert "The record has not been verified from the console yet" in before.text
    head = _head(site)
    intact = _verify(site)
    assert "Verified: the record is intact" in intact.text
    assert f"<dt>Events checked</dt><dd>{head.seq}</dd>" in intact.text
    assert head.hash in intact.text
    assert _head(site).seq == head.seq  # verifying changes nothing on the record
    target = story.events(site, lambda e: e.action == "open_nominations" and e.entity_id == str(story.v1))[0]
    with site.world.app.db.engine.begin() as conn:
        audit_ddl.uninstall(conn)
        changed = conn.execute(
            text("UPDATE audit_event SET reason = 'quietly edited' WHERE seq = :s"), {"s": target}
        )
        assert changed.rowcount == 1
    still = site.browser.get("/console/audit")
    assert "Verified: the record is intact" in still.text  # the last check is shown until one is run
    broken = _verify(site)
    assert "The record does not verify" in broken.text
    assert f"<dt>First bad event</dt><dd>Event {target}</dd>" in broken.text
    assert f"event {target}: hash does not match its contents" in broken.text
    assert f"<dd>{target - 1}</dd>" in broken.text  # the events that checked out before it


def test_a_tail_cut_off_with_the_head_wound_back_is_caught_by_the_last_good_check(
    site: Site, story: Story
) -> None:
    sign_in_as(site, "auditor")
    assert "Verified: the record is intact" in _verify(site).text
    keep = _head(site).seq - 3
    with site.world.app.db.engine.begin() as conn:
        audit_ddl.uninstall(conn)
        conn.execute(text("DELETE FROM audit_event WHERE seq > :k"), {"k": keep})
        conn.execute(
            text("UPDATE audit_head SET seq = :k, hash = (SELECT hash FROM audit_event WHERE seq = :k)"),
            {"k": keep},
        )
    broken = _verify(site)  # on its own, the shortened chain is consistent; the head last seen is gone
    assert "The record does not verify" in broken.text
    assert "<dt>First bad event</dt><dd>The chain as a whole</dd>" in broken.text
    assert "the chain no longer contains the anchor" in broken.text
    assert f"<dd>{keep}</dd>" in broken.text


def test_verifying_needs_the_form_from_our_own_page(site: Site, story: Story) -> None:
    sign_in_as(site, "auditor")
    forged = site.browser.post("/console/audit/verify", data={"csrf_token": "not-ours"})
    assert forged.status_code == 403 and "This form could not be accepted" in forged.text
    assert "has not been verified" in site.browser.get("/console/audit").text


def _download(site: Site, path: str, media: str) -> httpx.Response:
    answer = site.browser.get(path)
    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["content-type"].startswith(media)
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    return answer


def test_histories_download_with_their_events_and_formula_safe_cells(site: Site, story: Story) -> None:
    sign_in_as(site, "auditor")
    expected = story.events(site, lambda e: about("vacancy", story.v1)(e) or e.action == "record_cost")[::-1]
    page = site.browser.get(f"/console/audit?vacancy={story.v1}")
    assert f'href="/console/audit/history.csv?vacancy={story.v1}"' in page.text
    as_csv = _download(site, f"/console/audit/history.csv?vacancy={story.v1}", "text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [int(r["seq"]) for r in rows] == expected  # oldest first
    [cancel] = [r for r in rows if r["action"] == "cancel"]
    assert cancel["reason"] == "'" + FORMULA  # a spreadsheet shows it, never runs it
    assert not [cell for r in rows for cell in r.values() if cell[:1] in ("=", "+", "-", "@")]
    as_json = json.loads(
        _download(site, f"/console/audit/history.json?vacancy={story.v1}", "application/json").text
    )
    assert as_json["subject"] == {"kind": "vacancy", "id": story.v1}
    assert [e["seq"] for e in as_json["events"]] == expected
    [cost] = [e for e in as_json["events"] if e["action"] == "record_cost"]
    assert cost["payload"]["vacancy_id"] == story.v1 and cost["entity_id"] == str(story.cost)
    assert [e["reason"] for e in as_json["events"] if e["action"] == "cancel"] == [FORMULA]
    org = json.loads(site.browser.get(f"/console/audit/history.json?organisation={site.world.orgs[2]}").text)
    assert [e["action"] for e in org["events"]] == ["nominate"]
    seat = list(
        csv.DictReader(
            io.StringIO(site.browser.get(f"/console/audit/history.csv?appointment={story.appointment}").text)
        )
    )
    assert [int(r["seq"]) for r in seat] == story.events(site, about("appointment", story.appointment))[::-1]


@pytest.mark.parametrize(
    "query",
    ["", "?vacancy=1&organisation=1", "?vacancy=first", "?partnership=1"],
    ids=["nothing", "two", "not-a-number", "unknown-kind"],
)
def test_a_history_of_nothing_or_of_several_things_is_refused(site: Site, story: Story, query: str) -> None:
    sign_in_as(site, "auditor")
    answer = site.browser.get(f"/console/audit/history.csv{query}")
    assert answer.status_code == 400
    assert "That history cannot be made" in answer.text


def _other_network(site: Site) -> tuple[int, int, list[int]]:
    """A second network with a member, a partnership, a seat requested and accepted, and an account.

    Returns its vacancy, its account and the seqs of every event it wrote (nothing else writes meanwhile)."""
    app = site.world.app
    first = _head(site).seq
    with app.db.transaction() as session:
        network = Network(name="Other Network", coordinator_name="Oz", coordinator_email="oz@other.example")
        session.add(network)
        session.flush()
        assert network.id is not None
        org = Organisation(
            network_id=network.id, name="Other Org", contact_name="O", contact_email="o@o.example"
        )
        partnership = Partnership(
            network_id=network.id, name="Other Board", contact_name="P", contact_email="p@o.example"
        )
        session.add_all([org, partnership])
        session.flush()
        network_id, partnership_id, org_id = network.id, partnership.id or 0, org.id or 0
        append_event(session, occurred_at=site.world.clock.now(), actor=Actor("system", "test"),
                     action="members_import", entity_type="network", entity_id=network_id,
                     payload={"added_ids": [org_id]})  # fmt: skip
    vid = app.participation.request_seat(partnership_id, REQUEST, Actor("partnership", str(partnership_id)))
    app.transitions.fire(vid, "accept", actor=Actor("coordinator", "oz"))
    user, _ = app.accounts.invite(
        "oz@other.example", "Oz", "auditor", Actor("system", "test"), network_id=network_id
    )
    return vid, user, list(range(first + 1, _head(site).seq + 1))


def test_another_networks_events_never_appear(site: Site, story: Story) -> None:
    other_vacancy, other_user, theirs = _other_network(site)
    sign_in_as(site, "auditor")
    ours = shown(site)
    assert set(ours).isdisjoint(theirs) and len(theirs) >= 4
    assert ours == story.events(site, lambda e: e.seq not in theirs)
    assert shown(site, f"?vacancy={other_vacancy}") == []
    assert shown(site, "?action=accept") == story.events(
        site, lambda e: e.action == "accept" and e.seq not in theirs
    )
    for query in (f"vacancy={other_vacancy}", f"user={other_user}"):
        assert site.browser.get(f"/console/audit/history.csv?{query}").status_code == 404
    assert site.browser.get(f"/console/audit/history.json?user={other_user}").status_code == 404
    assert "Other Org" not in site.browser.get("/console/audit").text


def test_elections_list_their_anonymised_ballots_and_recount_files(site: Site) -> None:
    world = site.world
    vid, ids = ballot_open(site)
    for org, choice in [(0, 1), (1, 1), (2, 0), (3, 1), (4, 2)]:
        world.vote(vid, org, [ids[choice]])
    assert close_ballot(world, vid) == "counted"
    sign_in_as(site, "auditor")
    page = site.browser.get("/console/elections")
    assert f"{vid}: VCS representative" in page.text and "Published when the result is declared" in page.text
    assert site.browser.get(f"/console/elections/{vid}/result.json").status_code == 404
    world.fire(vid, "declare")
    page = site.browser.get("/console/elections")
    for link in (
        f"/results/{vid}/ballots.blt",
        f"/results/{vid}/ballots.csv",
        f"/console/elections/{vid}/result.json",
    ):
        assert f'href="{link}"' in page.text
    blt = site.browser.get(f"/results/{vid}/ballots.blt").text
    recount = site.browser.get(f"/console/elections/{vid}/result.json")
    assert recount.headers["content-disposition"] == f'attachment; filename="vacancy-{vid}-result.json"'
    result = recount.json()
    assert result["winners"] == ["Bob Baker"] and result["turnout"] == {"voted": 5, "electorate": 6}
    assert {line["candidate"]: line["votes"] for line in result["totals"]} == {
        "Bob Baker": "3",
        "Ann Able": "1",
        "Cat Cole": "1",
    }
    ballots = csv.reader(io.StringIO(site.browser.get(f"/results/{vid}/ballots.csv").text))
    for secret_free in (blt, recount.text, *(",".join(row) for row in ballots)):
        assert "Org " not in secret_free and "organisation" not in secret_free and "@org" not in secret_free


def test_no_page_here_offers_an_auditor_an_action_but_verifying(site: Site, story: Story) -> None:
    sign_in_as(site, "auditor")
    for path in (
        "/console/audit",
        f"/console/audit?vacancy={story.v1}",
        "/console/elections",
        "/console/equality",
    ):
        page = site.browser.get(path)
        assert page.status_code == 200
        posts = re.findall(r'<form method="post" action="([^"]+)"', page.text)
        assert set(posts) <= {"/console/audit/verify", "/sign-out"}, (path, posts)
        assert "Verify the record now" in page.text or path != "/console/audit"


def test_a_partnership_contact_is_refused_every_page_here(site: Site, story: Story) -> None:
    sign_in_as(site, "partnership", partnership_id=site.world.partnership_id)
    for path in (
        "/console/audit",
        f"/console/audit/history.csv?vacancy={story.v1}",
        f"/console/audit/history.json?vacancy={story.v1}",
        "/console/elections",
        f"/console/elections/{story.v2}/result.json",
    ):
        page = site.browser.get(path)
        assert page.status_code == 403, path
        assert "You may not do this" in page.text and "As a partnership you may not do this" in page.text
    token = CSRF.search(site.browser.get("/console/requests").text)
    assert token is not None
    refused = site.browser.post("/console/audit/verify", data={"csrf_token": token.group(1)})
    assert refused.status_code == 403 and "(audit.verify)" in refused.text


@pytest.mark.slow
@needs_chromium
def test_the_audit_pages_have_no_accessibility_violations(site: Site, story: Story) -> None:
    sign_in_as(site, "auditor")
    with chromium_page() as page:
        page.goto(site.url + "/sign-in")
        page.fill("#email", "auditor@network.example")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        for path in (
            "/console/audit",
            "/console/elections",
            "/console/equality",
            "/console/audit?vacancy=x&from=y",
        ):
            page.goto(site.url + path)
            assert_accessible(page)
        page.goto(site.url + "/console/audit")
        page.click("form[action='/console/audit/verify'] button[type=submit]")
        assert "Verified: the record is intact" in page.content()
        assert_accessible(page)
        with site.world.app.db.engine.begin() as conn:
            audit_ddl.uninstall(conn)
            conn.execute(text("UPDATE audit_event SET reason = 'edited' WHERE seq = 2"))
        page.click("form[action='/console/audit/verify'] button[type=submit]")
        assert "The record does not verify" in page.content()
        assert_accessible(page)
