"""Hostile form posts: what to send (hypothesis), and what every answer must be: never a 500, always
one of our own HTML pages, and nothing written when the answer is a refusal."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import httpx
from hypothesis import strategies as st

from nominations.web.limits import limiter
from tests.utils.console import sign_in_as
from tests.utils.hostile import changed, database_state, texts
from tests.web.conftest import CSRF, Site

Fields = dict[str, str | list[str]]
Files = dict[str, tuple[str, bytes, str]]
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


@dataclass
class Form:
    """A form as a browser posts it: where, as whom, and what each field plausibly holds."""

    route: str  # the router's path, e.g. /nominate/{token}
    path: str  # the concrete path posted to
    client: httpx.Client
    fields: Mapping[str, Sequence[str]] = field(default_factory=dict)  # plausible values, typical first
    files: tuple[str, ...] = ()  # file fields (multipart)
    method: str = "POST"  # or GET: a filter form's fields go in the query string
    cases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # its own classics, by name


def csrf_of(client: httpx.Client, page: str) -> str:
    """The client's CSRF field, read from any page with a form (it depends only on the cookie)."""
    found = CSRF.search(client.get(page).text)
    assert found is not None, page
    return found.group(1)


def browser(site: Site, role: str | None = None, **scope: int) -> httpx.Client:
    """A browser of its own: signed in to the console as `role`, or a member of the public."""
    client = httpx.Client(base_url=site.url, timeout=60)
    if role is not None:
        sign_in_as(Site(site.world, site.url, client), role, f"{role}-{id(client)}@network.example", **scope)
    client.follow_redirects = False
    return client


def value(plausible: Sequence[str], huge: bool) -> st.SearchStrategy[str | list[str] | None]:
    """A field's value: left out (None), plausible, hostile, or the field sent several times."""
    one = st.one_of(st.sampled_from(plausible), texts(huge=huge))
    return st.one_of(
        st.none(), st.sampled_from(plausible), texts(huge=huge), st.lists(one, min_size=2, max_size=3)
    )


@st.composite
def submission(draw: st.DrawFn, form: Form, csrf: str | None) -> tuple[Fields, Files | None]:
    """The fields (and files) of one post of `form`: its own fields mangled, strangers added, the
    CSRF field mostly right (a wrong one must be refused and write nothing)."""
    huge = form.method == "POST"  # a query string is kept short: servers refuse long request lines
    fields: Fields = {}
    for name, plausible in form.fields.items():
        if (sent := draw(value(plausible, huge))) is not None:
            fields[name] = sent
    for name in draw(
        st.lists(st.one_of(texts(huge=False), st.sampled_from(list(form.fields) or ["x"])), max_size=2)
    ):
        fields.setdefault(name, draw(texts(huge=huge)))
    token = draw(st.sampled_from(["good"] * 6 + ["none", "garbled", "twice", "hostile"]))
    if csrf is not None and token != "none":
        garbled = csrf[:-3] + csrf[-3:][::-1] if len(csrf) > 3 else csrf + "x"
        tokens: dict[str, str | list[str]] = {"good": csrf, "garbled": garbled, "twice": [csrf, garbled]}
        fields["csrf_token"] = tokens[token] if token in tokens else draw(texts(huge=False))
    files: Files | None = None
    if form.files:
        content = draw(
            st.one_of(st.binary(max_size=64), st.just(b"%PDF-1.4\n%%EOF\n"), st.just(b"%PDF-" + b"\0" * 4096))
        )
        name = draw(st.one_of(st.just("terms.pdf"), texts(huge=False)))
        files = {form.files[0]: (name, content, "application/pdf")} if draw(st.booleans()) else None
    return fields, files


def classics(form: Form, csrf: str) -> dict[str, Fields]:
    """The posts that break forms most often, each by name: every field missing, a NUL (PostgreSQL
    refuses it in text), numbers int() or a 64-bit column cannot take, a field sent twice."""
    typical = {name: values[0] for name, values in form.fields.items()}
    names = list(form.fields) or ["x"]

    def every(text: str) -> Fields:
        return {**{name: text for name in names}, "csrf_token": csrf}

    def each(change: Callable[[str], str | list[str]]) -> Fields:
        return {**{k: change(v) for k, v in typical.items()}, "csrf_token": csrf}

    return {
        "nothing but the CSRF field": {"csrf_token": csrf},
        "typical, CSRF field garbled": {**typical, "csrf_token": csrf[:-2] + "xx"},
        "typical, NUL at each end": each(lambda v: f"\x00{v}\x00"),
        # names and statements take the NUL, while emails and numbers stay good and let it through
        "typical, NUL inside the words": each(lambda v: v.replace(" ", " \x00", 1)),
        "NUL in a field's name": {**typical, "x\x00y": "1", "csrf_token": csrf},
        "NUL in every field": every("a\x00b"),
        "5,000 digits": every("9" * 5000),
        "20 digits": every("9" * 20),
        "superscript two": every("²"),
        "unicode": every("Zoë 🙂 \u202eevil\u2028"),
        "each field twice": each(lambda v: [v, v]),
        "long": every("x" * 150_000),
        **{name: {**typical, **fields, "csrf_token": csrf} for name, fields in form.cases.items()},
    }


class Poster:
    """Posts forms and checks each answer: no 500, our own HTML page, and on a refusal nothing written.

    Only these posts write to the database while it runs (no worker, no other browser), so the
    state after one post is the state before the next.
    """

    def __init__(self, site: Site) -> None:
        self.db, self.url = site.world.app.db, site.url
        self.state = database_state(self.db)

    def post(self, form: Form, fields: Fields, files: Files | None = None) -> httpx.Response:
        limiter.reset()  # sign-in and reset requests are throttled per address; every post here is one
        if files is not None:  # multipart takes text only, once per name
            fields = {k: v if isinstance(v, str) else v[0] for k, v in fields.items() if v}
        try:
            if form.method == "GET":
                answer = form.client.get(form.path, params=fields)
            else:
                answer = form.client.post(form.path, data=fields, files=files)
        except httpx.TransportError as exc:  # the server dropped the connection (after a 500, uvicorn does)
            raise AssertionError(f"{form.route}: no answer: {exc!r}") from exc
        before, self.state = self.state, database_state(self.db)
        title = TITLE.search(answer.text)
        said = title.group(1).split(" \u2013 ")[0] if title else ""
        where = f"{form.route}: {answer.status_code} {said!r}"
        assert answer.status_code < 500, where
        if form.method == "GET":  # looking never writes, whatever the answer
            assert changed(before, self.state) == [], f"{where}: a GET wrote to the database"
        if answer.is_redirect:  # done: the pattern is post, redirect, get
            location = answer.headers["location"].removeprefix(self.url)
            assert location.startswith("/") and not location.startswith("//"), f"{where}: to {location}"
            return answer
        html = answer.text
        if answer.status_code < 400 and not answer.headers["content-type"].startswith("text/html"):
            return answer  # a download: a CSV, JSON, BLT or PDF file
        assert answer.headers["content-type"].startswith("text/html"), where
        assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>"), where
        assert "Traceback" not in html, where
        if answer.status_code >= 400:
            # The form again with its error summary (or titled "Error: ..."), or an error page, whose
            # heading is its title (error.html: what went wrong, and what to do about it).
            heading = H1.search(html)
            summary = 'class="error-summary"' in html or said.startswith("Error: ")
            error_page = heading is not None and heading.group(1).strip() == said
            assert summary or error_page, f"{where}: neither an error summary nor an error page"
            assert changed(before, self.state) == [], f"{where}: a refusal wrote to the database"
        return answer
