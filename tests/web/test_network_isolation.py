"""Two networks in one database: nothing of one reaches the other's pages, exports, links or actions.

Network A ("Ashby") and network B ("Zanzibar") each have seats in every state, an election counted
and filled, people in seats, a meeting and its report-back, costs, accounts of every role, audit
events and undelivered mail, every name carrying its network's word. Each of A's people then asks
for every page and export the routers declare: with A's ids (nothing of B may show: no word, no
link to a B record); with B's ids in the path, the query or a form, and with ids no row has. The
answers to the last two must be the same, byte for byte, but for the id echoed back: another
network's record is not there, exactly as a record that does not exist is not there.

The routes are read from the routers, so a new page is checked the day it is added; one that takes
a kind of id or token this test cannot fill fails here until it is taught how.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx
from fastapi.routing import APIRoute
from sqlmodel import col, select

import nominations.web
from nominations.db.account_models import User
from nominations.db.models import Organisation, OutboxMessage, Partnership, Vacancy
from nominations.db.term_models import Appointment, Meeting
from tests.integration.conftest import snapshot
from tests.utils.console import sign_in_as
from tests.utils.two_networks import ROLES, Filled, add_world, fill
from tests.web.conftest import CSRF, Site

A, B = "Ashby", "Zanzibar"
LEAK = re.compile(B, re.IGNORECASE)
PARAMS = {
    "vacancy_id": "vacancy",
    "appointment_id": "appointment",
    "account_id": "user",
    "meeting_id": "meeting",
}
# Filters a page may read from its query, naming records of other kinds than its path does.
QUERIES: list[dict[str, str]] = [
    {"vacancy": "{vacancy}", "network": "{network}", "partnership": "{partnership}", "q": "{word}"},
    {"organisation": "{organisation}"},
    {"appointment": "{appointment}"},
    {"user": "{user}"},
    {"person": "user:{user}"},
    {"person": "appointment:{appointment}"},
]
# What to send to an action on one record: all it needs to succeed on that record, were it reachable.
ACTIONS: dict[str, dict[str, str]] = {
    "/console/vacancies/{vacancy_id}/fire": {"trigger": "withdraw", "version": "{vacancy_version}"},
    "/console/appointments/{appointment_id}/fire": {
        "trigger": "close_review",
        "version": "{appointment_version}",
    },
    "/console/requests/{vacancy_id}/resubmit": {"answer": "Here it is.", "version": "{vacancy_version}"},
    "/console/accounts/{account_id}/disable": {},
    "/representative/{token}/report/{meeting_id}": {"attended": "yes", "discussed": "The harbour."},
}
# Forms whose fields name a network or partnership (the one a request or an account is for).
FORMS: dict[str, dict[str, str]] = {
    "/console/accounts": {
        "email": "newcomer@ashby.example",
        "name": "Newcomer",
        "role": "coordinator",
        "works_for": "network:{network}",
    },
    "/console/requests/new": {
        "title": "A seat",
        "terms_of_reference": "Terms.",
        "membership_details": "Members.",
        "knowledge_skills": "Skills.",
        "time_commitment": "6 hours a month",
        "meeting_schedule": "Monthly",
        "kind": "representative",
        "seats": "1",
        "term_months": "24",
        "partnership": "{partnership}",
    },
}
# Actions that name no record in their address but their own link's or the signed-in person's. The
# ids some of them take in the form (seconders, ballot choices, panel scores) are checked against the
# link's own vacancy by the services (tests/integration), as another network's would be.
OWN_ONLY = {
    "/sign-in",
    "/sign-out",
    "/account/forgot",
    "/account/{purpose}/{token}",
    "/console/audit/verify",
    "/ballot/{token}",
    "/ballot/{token}/cast",
    "/nominate/{token}",
    "/second/{token}",
    "/consent/{token}",
    "/panel/{token}",
    "/feedback/{token}",
    "/representative/{token}/induction",
    "/representative/{token}/review",
}
# Every page that lists or shows network A's own records, and must show them (or the test proves little).
SHOWS_A = {
    "coordinator": {
        "/console",
        "/console/audit",
        "/console/requests",
        "/console/elections",
        "/costs",
        "/console/vacancies/{vacancy_id}",
        "/console/appointments/{appointment_id}",
        "/console/elections/{vacancy_id}/result.json",
        "/console/vacancies/{vacancy_id}/audit.csv",
    },
    "admin": {"/console", "/console/accounts", "/console/accounts/{account_id}/disable"},
    "partnership": {"/console/requests", "/console/requests/{vacancy_id}"},
    "auditor": {"/console/audit", "/console/elections", "/console/vacancies/{vacancy_id}/audit.json"},
}
# Pages whose figures would change if B's rows were counted in: read before B exists and after.
FIGURES = ("/console/equality.csv", "/costs.csv?by=partnership", "/costs.csv?by=funder", "/console/elections")


@dataclass
class Side:
    """One way of filling the ids of a request: A's, B's, or ids no row has."""

    values: dict[str, str]
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)  # route prefix -> its params


def routes() -> list[tuple[str, APIRoute]]:
    """(method, route) for every route of every router in nominations.web."""
    found = []
    for module in pkgutil.iter_modules(nominations.web.__path__):
        router = getattr(importlib.import_module(f"nominations.web.{module.name}"), "router", None)
        for route in router.routes if router is not None else []:
            if isinstance(route, APIRoute):
                found += [(method, route) for method in sorted(route.methods)]
    return found


def params(path: str) -> list[str]:
    return re.findall(r"\{(\w+)(?::\w+)?\}", path)


def signed_in(route: APIRoute) -> bool:
    actions = [d.call for d in route.dependant.dependencies if getattr(d.call, "action", None)]
    return route.path.startswith("/console") or bool(actions)


def url(path: str, side: Side, query: Mapping[str, str] | None = None) -> str:
    """The path with its ids (and tokens) from `side`, and the query with `side`'s values."""
    tokens = next((found for prefix, found in side.tokens.items() if path.startswith(prefix)), {})

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in tokens or name in PARAMS, f"{path}: teach this test what a {{{name}}} of B's is"
        return tokens[name] if name in tokens else side.values[PARAMS[name]]

    concrete = re.sub(r"\{(\w+)(?::\w+)?\}", value, path)
    if query:
        concrete += "?" + str(httpx.QueryParams({k: v.format(**side.values) for k, v in query.items()}))
    return concrete


def leaks(text: str, b_links: list[re.Pattern[str]]) -> list[str]:
    """B's word wherever it is, and every link or reference to one of B's records."""
    return [m.group(0) for m in LEAK.finditer(text)] + [p.pattern for p in b_links if p.search(text)]


def links_to(site: Site, network_id: int) -> list[re.Pattern[str]]:
    """Patterns of every way a page could point at one of the network's records."""
    end = r"(?!\d)"
    with site.world.app.db.transaction() as session:
        ids = {
            kind: [i for i in session.exec(query).all() if i is not None]
            for kind, query in {
                "vacancy": select(Vacancy.id).where(Vacancy.network_id == network_id),
                "appointment": select(Appointment.id).where(Appointment.network_id == network_id),
                "user": select(User.id).where(User.network_id == network_id),
                "organisation": select(Organisation.id).where(Organisation.network_id == network_id),
                "partnership": select(Partnership.id).where(Partnership.network_id == network_id),
                "meeting": select(Meeting.id).join(Partnership).where(Partnership.network_id == network_id),
            }.items()
        }
    pages = r"/(?:console/vacancies|console/requests|console/elections|results|seats)/"
    patterns = [rf"{pages}{i}{end}|vacancy(?:=|%3A|:){i}{end}" for i in ids["vacancy"]]
    patterns += [rf"appointments/{i}{end}|appointment(?:=|%3A|:){i}{end}" for i in ids["appointment"]]
    patterns += [rf"accounts/{i}/|user(?:=|%3A|:){i}{end}" for i in ids["user"]]
    patterns += [rf"organisation(?:=|%3A|:){i}{end}" for i in ids["organisation"]]
    patterns += [rf"partnership(?:=|%3A|:){i}{end}" for i in ids["partnership"]]
    patterns += [rf"/report/{i}{end}" for i in ids["meeting"]]
    patterns += [rf"network(?:=|%3A|:){network_id}{end}"]
    return [re.compile(p) for p in patterns]


def side(site: Site, network_id: int, partnership_id: int, filled: Filled, word: str) -> Side:
    with site.world.app.db.transaction() as session:
        versions = {
            "vacancy_version": str(session.get_one(Vacancy, filled.vacancy_id).version),
            "appointment_version": str(session.get_one(Appointment, filled.appointment_id).version),
        }
    return Side(
        {
            **versions,
            "vacancy": str(filled.vacancy_id),
            "appointment": str(filled.appointment_id),
            "user": str(filled.account_id),
            "meeting": str(filled.meeting_id),
            "organisation": str(filled.organisation_id),
            "network": str(network_id),
            "partnership": str(partnership_id),
            "word": word,
        }
    )


def nowhere() -> Side:
    """Ids no row has (and a word no page says): each distinct, so that each echo can be told apart."""
    kinds = ("vacancy", "appointment", "user", "meeting", "organisation", "network", "partnership")
    kinds += ("vacancy_version", "appointment_version")
    return Side({**{kind: str(900_001 + n) for n, kind in enumerate(kinds)}, "word": "Qwfpgjluy"})


def links_in_mail(site: Site) -> list[str]:
    """Every path linked from the mail sent so far, newest first."""
    with site.world.app.db.transaction() as session:
        bodies = session.exec(select(OutboxMessage.text_body).order_by(col(OutboxMessage.id).desc())).all()
    return [path for body in bodies for path in re.findall(re.escape(site.url) + r"(/\S+)", body)]


def token_params(site: Site, all_routes: list[tuple[str, APIRoute]]) -> dict[str, dict[str, str]]:
    """For each route reached by an emailed link: the link's own params, from network A's mail."""
    links = links_in_mail(site)
    found: dict[str, dict[str, str]] = {}
    for _, route in all_routes:
        if "token" not in params(route.path):
            continue
        prefix = route.path[: route.path.index("{token}") + len("{token}")]
        shape = re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/?#]+)", re.escape(prefix)) + "$")
        matches = [m.groupdict() for link in links if (m := shape.match(link))]
        assert matches, f"no link to {prefix} in network A's mail: add a step that sends one to fill()"
        found[prefix] = matches[0]
    return found


class Visitor:
    """One of A's people, asking for pages as each side and checking the answers."""

    def __init__(self, site: Site, role: str, b_links: list[re.Pattern[str]]) -> None:
        self.site, self.role, self.b_links = site, role, b_links
        self.showed_a: set[str] = set()
        self.requests = 0

    def get(self, path: str, side: Side, query: Mapping[str, str] | None = None) -> httpx.Response:
        self.requests += 1
        return self.site.browser.get(url(path, side, query))

    def post(self, path: str, side: Side, form: Mapping[str, str]) -> httpx.Response:
        self.requests += 1
        page = self.site.browser.get("/console/requests" if self.role == "partnership" else "/console/me")
        csrf = CSRF.search(page.text)
        assert csrf is not None
        fields = {k: v.format(**side.values) for k, v in form.items()}
        return self.site.browser.post(url(path, side), data={**fields, "csrf_token": csrf.group(1)})

    def clean(self, answer: httpx.Response, what: str) -> None:
        found = leaks(answer.text, self.b_links)
        assert not found, f"{self.role} {what}: {answer.status_code} shows network B's {found[:5]}"

    def same(self, b: httpx.Response, gone: httpx.Response, missing: Side, theirs: Side, what: str) -> None:
        """B's record is answered for exactly as one that does not exist, but for the id echoed back."""
        self.clean(gone, what)
        expected = gone.text
        for kind, absent in missing.values.items():
            expected = expected.replace(absent, theirs.values[kind])
        differs = next((i for i, (x, y) in enumerate(zip(b.text, expected, strict=False)) if x != y), None)
        assert (b.status_code, b.text) == (gone.status_code, expected), (
            f"{self.role} {what}: B's ids answer {b.status_code}, no such ids {gone.status_code}; "
            f"they differ from {b.text[differs or 0 : (differs or 0) + 200]!r}"
        )
        if b.status_code not in (200, 400):  # a page of A's, with an unknown filter
            refused = b.status_code == 403 and "You may not do this" in b.text
            assert b.status_code == 404 or refused, f"{self.role} {what}: {b.status_code}"


def visit(visitor: Visitor, all_routes: list[tuple[str, APIRoute]], ours: Side, theirs: Side) -> None:
    missing = nowhere()
    missing.tokens = theirs.tokens = ours.tokens
    for method, route in all_routes:
        path, names = route.path, params(route.path)
        ids = [n for n in names if n not in ("token", "purpose")]
        if not signed_in(route) and not ids and "token" not in names and method == "GET":
            visitor.clean(visitor.get(path, ours), path)  # the sign-in and forgotten-password pages
            continue
        if not signed_in(route) and names == ["vacancy_id"] and method == "GET":
            answer = visitor.get(path, ours)  # a seat's public record: A's shows none of B
            assert answer.status_code == 200 and A in answer.text, path
            visitor.clean(answer, path)
            continue
        if method == "GET":
            answer = visitor.get(path, ours)
            visitor.clean(answer, f"GET {path}")
            if answer.status_code == 200 and A in answer.text:
                visitor.showed_a.add(re.sub(r":\w+\}", "}", path))
            variants = [None] if ids else ([] if not signed_in(route) else QUERIES)
            for query in variants:
                what = f"GET {url(path, theirs, query)}"
                visitor.same(
                    visitor.get(path, theirs, query), visitor.get(path, missing, query), missing, theirs, what
                )
            continue
        if ids:
            form = ACTIONS.get(re.sub(r":\w+\}", "}", path))
            assert form is not None, f"POST {path}: say what form would act on the record it names"
        elif path in FORMS:
            form = FORMS[path]
            if visitor.role == "partnership" and path == "/console/requests/new":
                continue  # a partnership contact's form has no partnership field: it files for their own
        else:
            assert path in OWN_ONLY, f"POST {path}: say how it could name another network's record"
            continue
        before = snapshot(visitor.site.world.app.db)
        b = visitor.post(path, theirs, form)
        gone = visitor.post(path, missing, form)
        visitor.same(b, gone, missing, theirs, f"POST {url(path, theirs)}")
        assert snapshot(visitor.site.world.app.db) == before, f"{visitor.role} POST {path} wrote something"


def sign_in_all(site: Site) -> dict[str, httpx.Cookies]:
    """Each role of network A signed in; the browser's cookies for each, to switch between them."""
    cookies = {}
    for role in ROLES:
        sign_in_as(site, role, partnership_id=site.world.partnership_id)
        cookies[role] = httpx.Cookies(site.browser.cookies)
    return cookies


def test_no_page_export_link_or_action_of_one_network_reaches_anothers(site: Site) -> None:
    world = site.world
    ours = side(site, world.network_id, world.partnership_id, fill(world, A), A)
    everything = routes()
    ours.tokens = token_params(site, everything)  # before B exists, every link is A's
    cookies = sign_in_all(site)
    site.browser.cookies = cookies["coordinator"]
    figures = {path: site.browser.get(path).text for path in FIGURES}

    other = add_world(world, B)
    theirs = side(site, other.network_id, other.partnership_id, fill(other, B), B)
    b_links = links_to(site, other.network_id)
    site.browser.cookies = cookies["coordinator"]
    for path, before in figures.items():
        assert site.browser.get(path).text == before, f"{path} counts network B's rows in"

    for role in ROLES:
        site.browser.cookies = cookies[role]
        visitor = Visitor(site, role, b_links)
        visit(visitor, everything, ours, theirs)
        missed = SHOWS_A[role] - visitor.showed_a
        assert not missed, f"{role}: these pages did not show network A's own records: {missed}"
        assert visitor.requests > 200, (
            "fewer requests than routes times variants: has the enumeration broken?"
        )
