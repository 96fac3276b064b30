"""A vacancy's console page, its buttons, and its audit history as CSV or JSON."""

from __future__ import annotations

import io
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from nominations.roles import may
from nominations.services.accounts import SignedIn
from nominations.services.audit_export import export
from nominations.services.scope import scope_of
from nominations.services.vacancy_page import vacancy_page, visible_vacancy
from nominations.web.auth import require
from nominations.web.console_fire import press, said_done
from nominations.web.console_pages import render_console
from nominations.web.deps import app_of

router = APIRouter()
Viewer = Annotated[SignedIn, Depends(require("vacancy.view"))]
Actor = Annotated[SignedIn, Depends(require("vacancy.fire"))]
Exporter = Annotated[SignedIn, Depends(require("vacancy.export"))]


async def _page(
    request: Request,
    user: SignedIn,
    vacancy_id: int,
    status: int = 200,
    *,
    done: str | None = None,
    **context: object,
) -> Response:
    app = app_of(request)
    page = await run_in_threadpool(
        vacancy_page,
        app.db,
        app.balloting,
        app.transitions,
        scope_of(user),
        vacancy_id,
        may_act=may(user.role, "vacancy.fire"),
    )
    said = said_done(request, page.vacancy.workflow, done)
    context = {"errors": {}, "values": {}, **context, "done": said}
    return render_console(request, "console_vacancy.html", user, status, page=page, **context)


@router.get("/console/vacancies/{vacancy_id}", response_class=HTMLResponse)
async def vacancy(request: Request, vacancy_id: int, user: Viewer, done: str | None = None) -> Response:
    if user.role == "partnership":  # a partnership contact follows the seat on their request's page
        return RedirectResponse(f"/console/requests/{vacancy_id}", status_code=303)
    return await _page(request, user, vacancy_id, done=done)


@router.post("/console/vacancies/{vacancy_id}/fire", response_class=HTMLResponse)
async def fire(request: Request, vacancy_id: int, user: Actor) -> Response:
    return await press(request, user, "vacancy", vacancy_id, _page)


async def _audit(request: Request, user: SignedIn, vacancy_id: int, fmt: Literal["csv", "jsonl"]) -> str:
    db = app_of(request).db
    await run_in_threadpool(visible_vacancy, db, scope_of(user), vacancy_id)
    out = io.StringIO()
    await run_in_threadpool(lambda: export(db, out, fmt=fmt, vacancy_id=vacancy_id))
    return out.getvalue()


def _download(text: str, name: str, media_type: str) -> Response:
    return Response(
        text, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/console/vacancies/{vacancy_id}/audit.csv")
async def audit_csv(request: Request, vacancy_id: int, user: Exporter) -> Response:
    text = await _audit(request, user, vacancy_id, "csv")
    return _download(text, f"vacancy-{vacancy_id}-audit.csv", "text/csv; charset=utf-8")


@router.get("/console/vacancies/{vacancy_id}/audit.json")
async def audit_json(request: Request, vacancy_id: int, user: Exporter) -> Response:
    # The export writes one object per line; a .json file is one array of them, in the same order.
    lines = (await _audit(request, user, vacancy_id, "jsonl")).splitlines()
    text = "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"
    return _download(text, f"vacancy-{vacancy_id}-audit.json", "application/json")
