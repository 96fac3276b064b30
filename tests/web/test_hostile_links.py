"""Every link with a token or an id in its path, and every page that reads a query string, asked for
with garbled, truncated, over-long and hostile values, on SQLite and PostgreSQL: a clear 400, 404 or
410 page, never a 500, and nothing written."""

from __future__ import annotations

import importlib
import pkgutil
import re
from urllib.parse import quote

import httpx
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nominations.web
from nominations.links import new_token
from tests.utils.hostile import texts
from tests.utils.hostile_web import Form, Poster, browser, csrf_of, submission
from tests.web.conftest import Site
from tests.web.test_representative_pages import seated

PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
IDS = ["0", "-1", "1.5", "1e3", "0x10", "\u00b2", "\u0663", "\uff11", "9" * 20, str(2**63), "9" * 5000]
REAL = new_token()
TOKENS = [
    new_token(),  # well formed, never issued
    REAL[:-1] + ("A" if REAL[-1] != "A" else "B"),  # its checksum broken
    REAL[:20],  # cut short by a mail program
    REAL + "x",
    REAL * 40,  # over-long
    "\x00",
    "..",
    "a.b",
    "ünïcödé.🙂",
    "x" * 5000,
]
PURPOSES = ["nope", "INVITE", "\x00", "invite\x00", "réinitialiser"]
REFUSED = {400, 404, 405, 410}
FORM_FIRST = {200} | REFUSED
# The password page shows its form whatever the token, and says what is wrong with the link when the
# form is sent (tests/web/test_accounts.py shows a used link's page as 200): the POST is refused.
LOOKED_AT_ON_POST = {("GET", "/account/{purpose}/{token}", "token")}
AUDIT_FILTERS = ("vacancy", "organisation", "person", "actor", "action", "from", "to", "before", "after")
QUERY_PAGES = {  # GET pages that read a query string, and the names they read
    "/console/audit": AUDIT_FILTERS,
    "/console/audit/history.csv": ("vacancy", "organisation", "appointment", "user"),
    "/console/audit/history.json": ("vacancy", "organisation", "appointment", "user"),
    "/costs": ("from", "to", "network"),
    "/costs.csv": ("from", "to", "network", "by"),
    "/console": ("partnership", "state", "sector", "q"),
    "/console/accounts": ("invited", "disabled"),
    "/console/vacancies/{vacancy_id}": ("done",),
    "/console/appointments/{appointment_id}": ("done",),
    "/console/requests/{vacancy_id:int}": ("filed",),
    "/sign-in": ("next",),
}


def routes() -> dict[tuple[str, str], APIRoute]:
    """Every GET and POST route of the site's routers, by (method, path)."""
    found: dict[tuple[str, str], APIRoute] = {}
    for module in pkgutil.iter_modules(nominations.web.__path__):
        router = getattr(importlib.import_module(f"nominations.web.{module.name}"), "router", None)
        for route in router.routes if router is not None else []:
            if isinstance(route, APIRoute):
                found |= {(m, route.path): route for m in route.methods or () if m in {"GET", "POST"}}
    return found


def routes_with_parameters() -> set[tuple[str, str]]:
    """(method, path) of every route with a token or an id in its path."""
    return {key for key in routes() if PARAM.search(key[1])}


def path(route: str, values: dict[str, str]) -> str:
    return PARAM.sub(lambda m: quote(values[m.group(1)], safe=""), route)


class Links:
    """A seat in its first weeks, a coordinator's and an admin's browsers, and the public's."""

    def __init__(self, site: Site) -> None:
        vacancy, appointment, page, [meeting] = seated(site, meetings=1)
        self.site = site
        self.public, self.coordinator = browser(site), browser(site, "coordinator")
        self.admin = browser(site, "admin")
        self.valid = {
            "token": page.removeprefix("/representative/"),
            "purpose": "invite",
            "vacancy_id": str(vacancy),
            "appointment_id": str(appointment),
            "meeting_id": str(meeting),
            "account_id": "1",
        }
        self.csrf = {
            id(c): csrf_of(c, "/account/forgot") for c in (self.public, self.coordinator, self.admin)
        }

    def client_for(self, route: str) -> httpx.Client:
        if route.startswith("/console/accounts"):
            return self.admin
        return self.coordinator if route.startswith(("/console", "/costs")) else self.public

    def form(self, method: str, route: str, **hostile: str) -> tuple[Form, dict[str, str | list[str]]]:
        client = self.client_for(route)
        fields: dict[str, str | list[str]] = {"csrf_token": self.csrf[id(client)]} if method == "POST" else {}
        form = Form(route, path(route, {**self.valid, **hostile}), client, method=method)
        return form, fields

    def close(self) -> None:
        for client in (self.public, self.coordinator, self.admin):
            client.close()


def hostile_values(param: str) -> list[str]:
    return TOKENS if param == "token" else PURPOSES if param == "purpose" else IDS


def test_every_link_with_a_token_or_an_id_and_every_query_is_tried_here() -> None:
    params = {m for _, route in routes_with_parameters() for m in PARAM.findall(route)}
    assert params == {"token", "purpose", "vacancy_id", "appointment_id", "meeting_id", "account_id"}
    gets = {path: route for (method, path), route in routes().items() if method == "GET"}
    # Pages that declare query parameters; the dashboard and the history exports read theirs by hand.
    declared = {path for path, route in gets.items() if route.dependant.query_params}
    assert declared <= set(QUERY_PAGES) <= set(gets)


def test_garbled_tokens_and_ids_get_a_clear_page_and_write_nothing(site: Site) -> None:
    links = Links(site)
    try:
        poster, failures = Poster(site), []
        for method, route in sorted(routes_with_parameters()):
            for param in PARAM.findall(route):
                for value in hostile_values(param):
                    form, fields = links.form(method, route, **{param: value})
                    try:
                        answer = poster.post(form, fields)
                        allowed = FORM_FIRST if (method, route, param) in LOOKED_AT_ON_POST else REFUSED
                        assert answer.status_code in allowed, answer.status_code
                    except AssertionError as exc:
                        failures.append(f"{method} {route} {param}={value[:30]!r}: {exc}")
        assert not failures, "\n".join(failures)

        @settings(max_examples=80, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(st.data())
        def explore(data: st.DataObject) -> None:
            method, route = data.draw(st.sampled_from(sorted(routes_with_parameters())), label="route")
            param = data.draw(st.sampled_from(PARAM.findall(route)), label="param")
            value = data.draw(
                st.one_of(st.sampled_from(hostile_values(param)), texts(huge=False)), label="value"
            )
            form, fields = links.form(method, route, **{param: value})
            poster.post(form, fields)

        explore()
    finally:
        links.close()


def test_hostile_query_strings_get_the_page_or_a_clear_refusal_and_write_nothing(site: Site) -> None:
    links = Links(site)
    try:
        poster = Poster(site)
        forms = [
            Form(
                route,
                path(route, links.valid),
                links.client_for(route),
                {n: [""] for n in names},
                method="GET",
            )
            for route, names in QUERY_PAGES.items()
        ]
        failures = []
        for form in forms:  # one field at a time: an earlier field's refusal must not hide a later one
            for name in form.fields:
                for text in ["\x00", "99999999999999999999", "²", "user:99999999999999999999", "9" * 5000]:
                    try:
                        poster.post(form, {name: text})
                    except AssertionError as exc:
                        failures.append(f"{form.route} {name}={text[:30]!r}: {exc}")
        assert not failures, "\n".join(failures)

        @settings(
            max_examples=6 * len(forms), deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(st.data())
        def explore(data: st.DataObject) -> None:
            form = data.draw(st.sampled_from(forms), label="page")
            fields, _ = data.draw(submission(form, None), label="query")
            poster.post(form, fields)

        explore()
    finally:
        links.close()
