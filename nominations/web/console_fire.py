"""Pressing a button on a console page: read its form, fire, and go back to the page or say what to fix."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from nominations.services.accounts import SignedIn
from nominations.services.console_actions import ActionFormError, fire_from_form, offers, reason_field
from nominations.services.entity_kinds import KINDS
from nominations.services.scope import scope_of, visible
from nominations.web.deps import app_of, pages_of

FIELDS = ("trigger", "reason", "version")
PAGES = {"vacancy": "/console/vacancies", "appointment": "/console/appointments"}
# Shows an entity's page: (request, user, id, status, errors=..., values=...) -> the response.
ShowPage = Callable[..., Awaitable[Response]]


async def press(request: Request, user: SignedIn, entity: str, entity_id: int, show: ShowPage) -> Response:
    """Fire the button's trigger and go back to the page (so a reload does not fire again), or show
    the page again with the error summary; nothing is written then."""
    await pages_of(request).check_csrf(request)
    sent = await request.form()
    form = {name: value for name in FIELDS if isinstance(value := sent.get(name), str)}
    app = app_of(request)
    row = await run_in_threadpool(visible, app.db, scope_of(user), KINDS[entity].model, entity_id, entity)
    offered = await run_in_threadpool(offers, app.transitions, entity, entity_id, row.status, row.workflow)
    try:
        await run_in_threadpool(
            fire_from_form, app.transitions, entity, entity_id, user.actor, form, (row.version, offered)
        )
    except ActionFormError as problem:
        trigger = form.get("trigger", "")
        typed = {reason_field(trigger): form["reason"]} if trigger and form.get("reason") else {}
        status = 409 if problem.conflict else 400
        return await show(
            request, user, entity_id, status, errors={problem.field: str(problem)}, values=typed
        )
    target = f"{PAGES[entity]}/{entity_id}?done={quote(form['trigger'])}"
    return RedirectResponse(target, status_code=303)


def said_done(request: Request, workflow: str, done: str | None) -> str | None:
    """The trigger a page may say was just done: only one of its workflow's, so a link cannot put
    other words on the page."""
    return done if done in app_of(request).transitions.workflows[workflow].definition.triggers() else None
