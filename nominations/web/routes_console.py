"""The signed-in console's front door: each role lands where its work is."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from nominations.roles import actions_for
from nominations.services.accounts import SignedIn
from nominations.web.auth import SignInNeeded, current_user, require
from nominations.web.deps import pages_of
from nominations.web.routes_dashboard import dashboard_page

router = APIRouter()


@router.get("/console", response_class=HTMLResponse)
async def console(request: Request) -> Response:
    user = await current_user(request)
    if user is None:
        raise SignInNeeded("/console")
    if user.role == "partnership":
        return RedirectResponse("/console/requests", status_code=303)
    return await home(request, await require("dashboard.view")(request))


async def home(request: Request, user: SignedIn) -> Response:
    return await dashboard_page(request, user)


@router.get("/console/me", response_class=HTMLResponse)
async def me(request: Request, user: Annotated[SignedIn, Depends(require("vacancy.view"))]) -> Response:
    """Who is signed in and what their role may do."""
    return pages_of(request).render(request, "console_home.html", user=user, actions=actions_for(user.role))
