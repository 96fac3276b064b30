"""An appointment's console page and its buttons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from nominations.roles import may
from nominations.services.accounts import SignedIn
from nominations.services.appointment_page import appointment_page, visible_appointment
from nominations.services.scope import scope_of
from nominations.web.auth import require
from nominations.web.console_fire import press, said_done
from nominations.web.console_pages import render_console
from nominations.web.deps import app_of

router = APIRouter()
Viewer = Annotated[SignedIn, Depends(require("appointment.view"))]
Actor = Annotated[SignedIn, Depends(require("appointment.fire"))]


async def _page(
    request: Request,
    user: SignedIn,
    appointment_id: int,
    status: int = 200,
    *,
    done: str | None = None,
    **context: object,
) -> Response:
    app = app_of(request)
    page = await run_in_threadpool(
        appointment_page,
        app.db,
        app.transitions,
        app.clock,
        scope_of(user),
        appointment_id,
        may_act=may(user.role, "appointment.fire"),
    )
    said = said_done(request, page.appointment.workflow, done)
    context = {"errors": {}, "values": {}, **context, "done": said}
    return render_console(request, "console_appointment.html", user, status, page=page, **context)


@router.get("/console/appointments/{appointment_id}", response_class=HTMLResponse)
async def appointment(
    request: Request, appointment_id: int, user: Viewer, done: str | None = None
) -> Response:
    if user.role == "partnership":  # a partnership contact follows the seat on their request's page
        seat = await run_in_threadpool(
            visible_appointment, app_of(request).db, scope_of(user), appointment_id
        )
        return RedirectResponse(f"/console/requests/{seat.vacancy_id}", status_code=303)
    return await _page(request, user, appointment_id, done=done)


@router.post("/console/appointments/{appointment_id}/fire", response_class=HTMLResponse)
async def fire(request: Request, appointment_id: int, user: Actor) -> Response:
    return await press(request, user, "appointment", appointment_id, _page)
