"""Signing in and out, accepting an invitation, and resetting a forgotten password."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from nominations.errors import NotFoundError
from nominations.services.accounts import AccountError, SignedIn
from nominations.web.auth import SESSION_KEY, current_user, safe_next
from nominations.web.deps import app_of, pages_of
from nominations.web.limits import limiter

router = APIRouter()
PURPOSES = {"invite": "Choose your password", "reset": "Choose a new password"}


def _text(form: object, name: str) -> str:
    value = form.get(name) if hasattr(form, "get") else None
    return value if isinstance(value, str) else ""


def _start(request: Request, user: SignedIn, next_path: str) -> Response:
    request.session.clear()  # a new session on every sign-in: no fixation
    request.session[SESSION_KEY] = user.user_id
    return RedirectResponse(safe_next(next_path), status_code=303)


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_page(request: Request, next: str = "/console") -> Response:
    if await current_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return pages_of(request).render(request, "sign_in.html", next=safe_next(next), values={}, errors={})


@router.post("/sign-in", response_class=HTMLResponse)
@limiter.limit("5/minute")
async def sign_in(request: Request) -> Response:
    pages = pages_of(request)
    await pages.check_csrf(request)
    form = await request.form()
    email, password, next_path = _text(form, "email"), _text(form, "password"), _text(form, "next")
    errors = {}
    if not email.strip():
        errors["email"] = "Enter your email address"
    if not password:
        errors["password"] = "Enter your password"
    if not errors:
        try:
            user = await run_in_threadpool(app_of(request).accounts.sign_in, email, password)
            return _start(request, user, next_path)
        except AccountError as exc:
            errors["email"] = str(exc)
    values = {"email": email}
    return pages.render(request, "sign_in.html", 400, next=safe_next(next_path), values=values, errors=errors)


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    await pages_of(request).check_csrf(request)
    request.session.clear()
    return RedirectResponse("/sign-in", status_code=303)


@router.get("/account/forgot", response_class=HTMLResponse)
async def forgot_page(request: Request) -> Response:
    return pages_of(request).render(request, "forgot.html", sent=False, values={}, errors={})


@router.post("/account/forgot", response_class=HTMLResponse)
@limiter.limit("5/minute")
async def forgot(request: Request) -> Response:
    pages = pages_of(request)
    await pages.check_csrf(request)
    email = _text(await request.form(), "email")
    if not email.strip():
        errors = {"email": "Enter your email address"}
        return pages.render(request, "forgot.html", 400, sent=False, values={}, errors=errors)
    await run_in_threadpool(app_of(request).accounts.request_reset, email)
    return pages.render(request, "forgot.html", sent=True, values={}, errors={})


@router.get("/account/{purpose}/{token}", response_class=HTMLResponse)
async def set_password_page(request: Request, purpose: str, token: str) -> Response:
    if purpose not in PURPOSES:
        raise NotFoundError(f"no account link of kind {purpose!r}")
    return pages_of(request).render(
        request, "set_password.html", heading=PURPOSES[purpose], errors={}, link_problem=None
    )


@router.post("/account/{purpose}/{token}", response_class=HTMLResponse)
async def set_password(request: Request, purpose: str, token: str) -> Response:
    pages = pages_of(request)
    if purpose not in PURPOSES:
        raise NotFoundError(f"no account link of kind {purpose!r}")
    await pages.check_csrf(request)
    form = await request.form()
    password, again = _text(form, "password"), _text(form, "confirm")
    errors: dict[str, str] = {}
    link_problem = None
    if password != again:
        errors["confirm"] = "The two passwords are not the same"
    else:
        try:
            user = await run_in_threadpool(app_of(request).accounts.accept, token, password, purpose)
            return _start(request, user, "/console")
        except AccountError as exc:
            if exc.field:
                errors[exc.field] = str(exc)
            else:
                link_problem = str(exc)
    return pages.render(
        request, "set_password.html", 400, heading=PURPOSES[purpose], errors=errors, link_problem=link_problem
    )
