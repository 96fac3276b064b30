"""The dashboard at /console: what needs a person now, then every vacancy and appointment by state."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from nominations.roles import may
from nominations.services.accounts import SignedIn
from nominations.services.dashboard import dashboard
from nominations.services.scope import scope_of
from nominations.web.console_pages import render_console
from nominations.web.deps import app_of

ASKED = ("partnership", "state", "sector", "q")  # the filter form's fields, all plain GET
NEEDS_SHOWN = 50  # items of each kind of need; the count says how many more there are


async def dashboard_page(request: Request, user: SignedIn) -> Response:
    """The dashboard for the user's network (every network for an admin with none)."""
    app = app_of(request)
    asked = {name: value for name in ASKED if (value := request.query_params.get(name))}
    view = await run_in_threadpool(
        lambda: dashboard(
            app.db,
            app.transitions.workflows,
            app.clock,
            scope_of(user),
            asked,
            account_mail=may(user.role, "users.manage"),
        )
    )
    filtered = any(asked.values())
    return render_console(
        request, "dashboard.html", user, view=view, filtered=filtered, needs_shown=NEEDS_SHOWN
    )
