"""Every form of the site posted hostile values, on SQLite and PostgreSQL: never a 500, always one of
our own pages (the form with its error summary, or an error page), and nothing written on a refusal.

The forms are listed by hand, each reached the way a person reaches it (their emailed link, their
console); a POST route the routers have and this list does not fails the first test.
"""

from __future__ import annotations

import importlib
import pkgutil

from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nominations.web
from nominations.actors import Actor
from nominations.roles import ROLES
from nominations.services.induction import representative
from nominations.web.request_form import KINDS, TEXTS
from tests.integration.test_appointment_term import DAY, travel
from tests.integration.test_expert_route import tokens
from tests.utils.console_seats import nominate_with_seconder
from tests.utils.hostile_web import Form, Poster, browser, classics, csrf_of, submission
from tests.utils.seats import add_seat
from tests.web.conftest import Site
from tests.web.test_ballot_pages import ballot_open
from tests.web.test_nomination_pages import DECLARATION, open_call
from tests.web.test_panel_page import shortlisted
from tests.web.test_representative_pages import REQUIRED, seated

EXAMPLES_PER_FORM = 6
TEXT = ["Community safety; speaking for small groups.", "word " * 150]
SYSTEM = Actor("system", "test")


def post_routes() -> set[str]:
    """Every POST route of the site's routers."""
    found = set()
    for module in pkgutil.iter_modules(nominations.web.__path__):
        router = getattr(importlib.import_module(f"nominations.web.{module.name}"), "router", None)
        for route in router.routes if router is not None else []:
            if isinstance(route, APIRoute) and "POST" in (route.methods or ()):
                found.add(route.path)
    return found


ELECTION_ROUTES = {
    *("/panel/{token}", "/ballot/{token}", "/ballot/{token}/cast"),
    *("/nominate/{token}", "/second/{token}", "/consent/{token}"),
    *("/sign-in", "/sign-out", "/account/forgot", "/account/{purpose}/{token}"),
    *("/console/accounts", "/console/accounts/{account_id:int}/disable"),
    *("/console/vacancies/{vacancy_id}/fire", "/console/appointments/{appointment_id}/fire"),
    *("/console/audit/verify", "/console/requests/new", "/console/requests/{vacancy_id:int}/resubmit"),
}
TERM_ROUTES = {
    *("/representative/{token}/induction", "/representative/{token}/review"),
    *("/representative/{token}/report/{meeting_id}", "/feedback/{token}"),
}


def test_every_post_route_is_posted_hostile_values_here() -> None:
    assert post_routes() == ELECTION_ROUTES | TERM_ROUTES


def election_forms(site: Site) -> list[Form]:
    """The forms of an election and of the console: a panel scoring, a ranked ballot open, a call open
    with a nomination waiting for its seconder and consent, accounts and requests to manage."""
    world, db = site.world, site.world.app.db
    _, panel, ann, bo = shortlisted(site)  # first: its call closes by travelling three weeks
    _, candidates = ballot_open(site, {"voting_method": {"one_seat": "av"}})  # ranks are typed numbers
    ballot = tokens(world, "ballot_open", "ballot")
    call = open_call(site)
    nominate = tokens(world, "call_for_nominations", "nominate")["contact0@org0.example"]
    nominate_with_seconder(world, call, "Nia Nominee", 1, 2)
    second = tokens(world, "seconding_request", "second")["contact2@org2.example"]
    consent = tokens(world, "consent_request", "consent")["nia@example.org"]
    asked = world.request()
    world.fire(asked, "ask_for_information", reason="Which meetings?")
    _, appointment = add_seat(db, world.partnership_id)
    accounts, network = world.app.accounts, world.network_id
    someone, _ = accounts.invite("someone@network.example", "Some One", "auditor", SYSTEM, network_id=network)
    accounts.invite("newbie@network.example", "New Bee", "auditor", SYSTEM, network_id=network)
    [invitation] = [path for to, path in site.links("account_invite") if to == "newbie@network.example"]
    public, coordinator, admin = browser(site), browser(site, "coordinator"), browser(site, "admin")

    ids = [str(c) for c in candidates]
    ranks = {"choice": ids, **{f"rank-{c}": ["1", "2", "3", "0", ""] for c in ids}}
    sheet = {f"score-{n}-{i}": ["3", "0", "4", "5"] for n in (ann, bo) for i in range(3)}
    sheet |= {f"reason-{n}-{i}": ["Clear evidence in the statement", ""] for n in (ann, bo) for i in range(3)}
    nomination = {
        "nominee_name": ["Ann Example", "Zoë Ünal"],
        "nominee_email": ["ann@example.org", "not-an-email"],
        "nominee_organisation": ["Example Trust", ""],
        "statement": TEXT,
        "seconder_1": [str(org) for org in world.orgs],
        DECLARATION: ["yes"],
    }
    odd_seconders = {
        "a seconder numbered past 64 bits": {"seconder_1": "9" * 20},
        "a seconder numbered in superscript": {"seconder_1": "\u00b2"},
        "a statement of one 900,000-letter word": {"statement": "x" * 900_000},
    }
    sign_in = {
        "email": ["coordinator@network.example"],
        "password": ["correct horse battery staple"],
        "next": ["/console", "//evil.example", "https://evil.example/"],
    }
    password = {"password": ["a long enough password", "short"], "confirm": ["a long enough password"]}
    invite = {
        "email": ["new@network.example"],
        "name": ["New Person"],
        "role": list(ROLES),
        "works_for": [f"network:{network}", f"partnership:{world.partnership_id}", "network:x"],
    }
    odd_scopes = {
        "a network numbered in superscript": {"works_for": "network:\u00b2"},
        "a partnership numbered past 64 bits": {"works_for": "partnership:" + "9" * 20},
    }
    triggers = ["accept", "decline", "ask_for_information", "cancel", "resign", "remove", "no_such_trigger"]
    fire = {"trigger": triggers, "reason": ["Because.", ""], "version": ["1", "2", "0"]}
    stale = {"a version past 64 bits": {"trigger": "cancel", "version": "9" * 20}}
    seat = {
        "partnership": [str(world.partnership_id), "0"],
        **{name: TEXT for name in TEXTS},
        "kind": list(KINDS),
        "seats": ["1", "10", "11"],
        "term_months": ["36", "61"],
        "equality_sector": ["", "women", "martians"],
    }
    answer = {"answer": TEXT, "version": ["2", "1", "x"]}
    return [
        Form("/panel/{token}", panel, public, sheet),
        Form("/ballot/{token}", f"/ballot/{ballot['contact3@org3.example']}", public, ranks),
        Form("/ballot/{token}/cast", f"/ballot/{ballot['contact4@org4.example']}/cast", public, ranks),
        Form("/nominate/{token}", f"/nominate/{nominate}", public, nomination, cases=odd_seconders),
        Form("/second/{token}", f"/second/{second}", public),
        Form("/consent/{token}", f"/consent/{consent}", public, {"action": ["consent", "withdraw"]}),
        Form("/sign-in", "/sign-in", public, sign_in),
        Form("/sign-out", "/sign-out", browser(site)),
        Form("/account/forgot", "/account/forgot", public, {"email": ["nobody@network.example"]}),
        Form("/account/{purpose}/{token}", invitation, public, password),
        Form("/console/accounts", "/console/accounts", admin, invite, cases=odd_scopes),
        Form("/console/accounts/{account_id:int}/disable", f"/console/accounts/{someone}/disable", admin),
        Form(
            "/console/vacancies/{vacancy_id}/fire",
            f"/console/vacancies/{call}/fire",
            coordinator,
            fire,
            cases=stale,
        ),
        Form(
            "/console/appointments/{appointment_id}/fire",
            f"/console/appointments/{appointment}/fire",
            coordinator,
            fire,
            cases=stale,
        ),
        Form("/console/audit/verify", "/console/audit/verify", coordinator),
        Form("/console/requests/new", "/console/requests/new", coordinator, seat, files=("terms_pdf",)),
        Form(
            "/console/requests/{vacancy_id:int}/resubmit",
            f"/console/requests/{asked}/resubmit",
            coordinator,
            answer,
            cases={"a version past 64 bits": {"version": "9" * 20}},
        ),
    ]


def term_forms(site: Site) -> list[Form]:
    """The forms of a seat in its first yearly review: the representative's page and report-backs,
    and a member organisation's feedback."""
    world = site.world
    _, aid, page, meetings = seated(site, meetings=2)
    for key in REQUIRED:
        world.app.term.induction.tick(aid, key, representative(aid))
    travel(world, 366 * DAY)
    feedback = tokens(world, "review_feedback_request", "feedback")["contact0@org0.example"]
    public = browser(site)
    review = {"reflection": TEXT, "worthwhile": ["yes", "no", "unsure", "perhaps"], "why": TEXT}
    report = {"attended": ["yes", "no", "maybe"]}
    report |= {name: TEXT for name in ("discussed", "sector_said", "coming_up", "needs_from_members")}
    rating = {"rating": ["4", "0", "6"], "worthwhile": ["yes", "no", "unsure"], "comment": TEXT}
    return [
        Form("/representative/{token}/induction", f"{page}/induction", public, {"step": [*REQUIRED, "nope"]}),
        Form("/representative/{token}/review", f"{page}/review", public, review),
        Form("/representative/{token}/report/{meeting_id}", f"{page}/report/{meetings[0]}", public, report),
        Form("/feedback/{token}", f"/feedback/{feedback}", public, rating),
    ]


def hostile_posts(site: Site, forms: list[Form]) -> None:
    """The classic hostile posts to every form, then hypothesis's own, a few for each form."""
    try:
        _hostile_posts(site, forms)
    finally:
        for client in {id(form.client): form.client for form in forms}.values():
            client.close()


def _hostile_posts(site: Site, forms: list[Form]) -> None:
    csrf = {id(form.client): csrf_of(form.client, "/account/forgot") for form in forms}
    poster = Poster(site)
    failures = []
    for form in forms:
        for name, fields in classics(form, csrf[id(form.client)]).items():
            try:
                poster.post(form, fields)
            except AssertionError as exc:
                failures.append(f"{name}: {exc}")
    assert not failures, "\n".join(failures)

    @settings(
        max_examples=EXAMPLES_PER_FORM * len(forms),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,  # the links are this run's: a saved example would post to a stale one
    )
    @given(st.data())
    def explore(data: st.DataObject) -> None:
        form = data.draw(st.sampled_from(forms), label="form")
        fields, files = data.draw(submission(form, csrf[id(form.client)]), label="post")
        poster.post(form, fields, files)

    explore()


def test_the_election_and_console_forms_refuse_hostile_posts_cleanly(site: Site) -> None:
    forms = election_forms(site)
    assert {form.route for form in forms} == ELECTION_ROUTES
    hostile_posts(site, forms)


def test_the_term_forms_refuse_hostile_posts_cleanly(site: Site) -> None:
    forms = term_forms(site)
    assert {form.route for form in forms} == TERM_ROUTES
    hostile_posts(site, forms)
