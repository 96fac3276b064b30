"""Who is signed in, and the check every signed-in page and action makes against the role table."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from nominations.errors import NominationsError
from nominations.roles import may
from nominations.services.accounts import SignedIn
from nominations.web.deps import app_of

SESSION_KEY = "user_id"
SESSION_SECONDS = 8 * 60 * 60  # a working day; the cookie is signed and expires with it


class SignInNeeded(NominationsError):
    """The page needs someone signed in; they are sent to sign in and brought back."""

    def __init__(self, next_path: str) -> None:
        super().__init__("sign in to see this page")
        self.next_path = next_path


class Forbidden(NominationsError):
    """Signed in, but the role may not do this: a 403 page that says so."""


async def current_user(request: Request) -> SignedIn | None:
    """The signed-in account, or None; a disabled account is signed out at once."""
    user_id = request.session.get(SESSION_KEY)
    if not isinstance(user_id, int):
        return None
    user = await run_in_threadpool(app_of(request).accounts.current, user_id)
    if user is None:
        request.session.clear()
    return user


def require(action: str) -> Callable[[Request], Awaitable[SignedIn]]:
    """A dependency: the signed-in user if their role may take `action`; otherwise 403 (or sign in)."""
    may("admin", action)  # an action missing from the table fails here, when the route is declared

    async def check(request: Request) -> SignedIn:
        user = await current_user(request)
        if user is None:
            path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise SignInNeeded(path)
        if not may(user.role, action):
            raise Forbidden(f"As {_a(user.role)} you may not do this ({action}).")
        return user

    check.action = action  # type: ignore[attr-defined]  # read by the role by page by action test
    return check


def sign_in_url(next_path: str) -> str:
    return f"/sign-in?next={quote(next_path, safe='/')}"


def safe_next(value: str | None) -> str:
    """Where to go after signing in: only a path on this site, never another site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/console"
    return value


def _a(role: str) -> str:
    return f"an {role}" if role[0] in "aeiou" else f"a {role}"
