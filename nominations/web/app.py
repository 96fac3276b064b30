"""The FastAPI application: templates, CSRF, size limits and the pages that explain every error."""

from __future__ import annotations

from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from slowapi.errors import RateLimitExceeded
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from nominations.bootstrap import App
from nominations.errors import DatabaseUnavailableError, NominationsError, NotFoundError
from nominations.paths import templates_dir
from nominations.services.access import LinkError
from nominations.web.auth import SESSION_SECONDS, Forbidden, SignInNeeded, sign_in_url
from nominations.web.csrf import COOKIE, FIELD, CsrfSigner
from nominations.web.input_guards import (
    BodyTooLargeError,
    CountedBody,
    UnreadableFormError,
    holds_nul,
    names_no_id,
    refuse_nul,
)
from nominations.web.limits import limiter

MAX_BODY = 1_000_000  # bytes: a 1 MB statement is refused before it is read


class Pages:
    """Renders templates/web with autoescaping and the CSRF field every form needs."""

    def __init__(self, signer: CsrfSigner) -> None:
        self.signer = signer
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir() / "web"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )

    def render(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        cookie = request.cookies.get(COOKIE) or getattr(request.state, "new_csrf", None)
        if cookie is None:
            cookie = request.state.new_csrf = CsrfSigner.new_cookie()
        html = self.env.get_template(name).render(
            csrf_field=FIELD, csrf_token=self.signer.field_for(cookie), **context
        )
        response = HTMLResponse(html, status_code=status)
        if request.cookies.get(COOKIE) != cookie:
            secure = request.url.scheme == "https"
            response.set_cookie(COOKIE, cookie, httponly=True, samesite="lax", secure=secure)
        return response

    def error(self, request: Request, status: int, title: str, message: str) -> HTMLResponse:
        """The error page: what went wrong, and what to do about it."""
        return self.render(request, "error.html", status, title=title, message=message)

    async def check_csrf(self, request: Request) -> None:
        form = await request.form()
        value = form.get(FIELD)
        if not self.signer.valid(request.cookies.get(COOKIE), value if isinstance(value, str) else None):
            raise CsrfError()
        refuse_nul(form)  # every form passes here first: the one place to refuse what cannot be stored


class CsrfError(NominationsError):
    """A form that did not come from our own page, or whose page is too old."""


LINK_ADVICE = {
    "damaged": "Copy the whole link from your email into the address bar; some mail programs cut long links.",
    "unknown": "Use the link in the most recent email we sent you, or ask the network's coordinator.",
    "expired": "The deadline for this step has passed. Ask the network's coordinator if this is wrong.",
    "used": "Each of these links works once. If you did not use it, tell the network's coordinator at once.",
    "closed": "This stage of the election is over, so the link no longer works.",
}


def create_app(app: App, secret_key: str) -> FastAPI:
    """The web app over a wired `App`; `secret_key` signs the CSRF fields."""
    from nominations.web import routes_ballot, routes_nominate, routes_panel, routes_results

    web = FastAPI(title="nominations", docs_url=None, redoc_url=None, openapi_url=None)
    pages = Pages(CsrfSigner(secret_key))
    web.state.app = app
    web.state.pages = pages
    web.state.limiter = limiter
    limiter.reset()  # counts belong to this app (tests build several in one process)
    # Signed (itsdangerous) and expiring: the cookie carries only the account id.
    web.add_middleware(
        SessionMiddleware,
        secret_key=secret_key,
        session_cookie="nominations_session",
        max_age=SESSION_SECONDS,
        same_site="lax",
    )

    body_allowances: dict[str, int] = {}  # paths that take more than MAX_BODY (a file upload)

    def too_much(request: Request, limit: int) -> Response:
        return pages.error(
            request,
            413,
            "That is too much to send",
            f"What you sent is over {limit // 1_000_000} MB. Shorten it and try again.",
        )

    def unreadable(request: Request) -> Response:
        return pages.error(
            request,
            400,
            "That request could not be read",
            "It held a character that cannot be stored (a NUL). Retype what you wrote and send it again.",
        )

    def not_understood(request: Request) -> Response:
        return pages.error(
            request, 400, "That request was not understood", "Go back and use the form on the page."
        )

    def page_not_found(request: Request, status: int) -> Response:
        return pages.error(
            request, status, "Page not found", "Check the address, or use the link in your email."
        )

    def limit_for(path: str) -> int:
        return body_allowances.get(path, MAX_BODY)

    # A body without a Content-Length (chunked) is counted as it is read, and refused past the limit.
    web.add_middleware(CountedBody, limit_for=limit_for)

    @web.middleware("http")
    async def refuse_early(request: Request, call_next: Any) -> Response:
        # What no route can use, refused before any reads it: too long a body, too long a number
        # in the path (no id is), a NUL in the query string (PostgreSQL refuses it).
        length = request.headers.get("content-length")
        limit = limit_for(request.url.path)
        if length is not None and (not length.isdigit() or int(length) > limit):
            return too_much(request, limit)
        if names_no_id(request.url.path):
            return page_not_found(request, 404)
        if holds_nul(request.query_params.multi_items()):
            return unreadable(request)
        response: Response = await call_next(request)
        return response

    @web.exception_handler(BodyTooLargeError)
    async def body_too_large(request: Request, exc: BodyTooLargeError) -> Response:
        return too_much(request, exc.limit)

    @web.exception_handler(UnreadableFormError)
    async def unreadable_form(request: Request, exc: UnreadableFormError) -> Response:
        return unreadable(request)

    @web.exception_handler(LinkError)
    async def link_error(request: Request, exc: LinkError) -> Response:
        status = 404 if exc.kind in {"damaged", "unknown"} else 410
        return pages.error(request, status, str(exc), LINK_ADVICE[exc.kind])

    @web.exception_handler(CsrfError)
    async def csrf_error(request: Request, exc: CsrfError) -> Response:
        return pages.error(
            request,
            403,
            "This form could not be accepted",
            "The page was too old or did not come from this site. "
            "Go back, reload the page and send the form again.",
        )

    @web.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, exc: SignInNeeded) -> Response:
        return RedirectResponse(sign_in_url(exc.next_path), status_code=303)

    @web.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return pages.error(request, 403, "You may not do this", str(exc))

    @web.exception_handler(RateLimitExceeded)
    async def too_many(request: Request, exc: RateLimitExceeded) -> Response:
        return pages.error(
            request,
            429,
            "Too many attempts",
            "For your account's safety, wait a minute before you try again.",
        )

    @web.exception_handler(NotFoundError)
    @web.exception_handler(StarletteHTTPException)
    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, StarletteHTTPException) else 404
        if status == 400:  # the form parser's: a broken multipart body, too many fields, a field over 1 MB
            return not_understood(request)
        return page_not_found(request, status)

    @web.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        return not_understood(request)

    @web.exception_handler(DatabaseUnavailableError)
    async def database_lost(request: Request, exc: DatabaseUnavailableError) -> Response:
        if exc.committing:
            advice = "Your change may or may not have been saved. Reload the page before you try again."
        else:
            advice = "Nothing was saved. Wait a moment and try again."
        return pages.error(request, 503, "We lost the connection to the database", advice)

    @web.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        # Never a traceback: say what to do; the server log has the detail.
        return pages.error(
            request,
            500,
            "Something went wrong on our side",
            "Nothing was saved. Please try again in a few minutes.",
        )

    for module in (routes_nominate, routes_ballot, routes_results, routes_panel):
        web.include_router(module.router)
    from nominations.web import routes_costs

    web.include_router(routes_costs.router)
    from nominations.web import routes_feedback, routes_report_back, routes_representative, routes_seat

    for term_module in (routes_representative, routes_report_back, routes_feedback, routes_seat):
        web.include_router(term_module.router)
    from nominations.web import (
        routes_account,
        routes_accounts_admin,
        routes_appointment_page,
        routes_audit,
        routes_console,
        routes_elections,
        routes_equality,
        routes_pictures,
        routes_requests,
        routes_vacancy_page,
    )

    for console_module in (
        routes_account,
        routes_console,
        routes_requests,
        routes_accounts_admin,
        routes_vacancy_page,
        routes_appointment_page,
        routes_pictures,
        routes_audit,
        routes_elections,
        routes_equality,
    ):
        web.include_router(console_module.router)
    body_allowances.update(routes_requests.BODY_ALLOWANCES)
    return web
