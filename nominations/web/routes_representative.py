"""The representative's own page, reached from their link: induction, meetings, the yearly review."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from nominations.services.induction import InductionError
from nominations.services.representative_page import RepresentativePage
from nominations.services.representative_views import RepresentativeView
from nominations.services.reviews import TEXT_LIMIT, ReviewError
from nominations.web.deps import app_of, pages_of
from nominations.web.routes_nominate import _text

router = APIRouter()
REVIEW_FIELDS = ("reflection", "worthwhile", "why")


def page_service(request: Request) -> RepresentativePage:
    app = app_of(request)
    return RepresentativePage(app.db, app.clock, app.term.induction, app.term.report_backs, app.term.reviews)


def sentence(message: str) -> str:
    """A service's message as the page shows it: a sentence starting with a capital."""
    return message[:1].upper() + message[1:]


def form_values(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    return {name: _text(form, name) for name in names}


def _saved_reflection(view: RepresentativeView) -> dict[str, str]:
    if view.review is None:
        return {}
    r = view.review
    return {"reflection": r.reflection, "worthwhile": r.seat_worthwhile or "", "why": r.seat_worthwhile_why}


def show(
    request: Request, token: str, view: RepresentativeView, status: int = 200, **context: Any
) -> HTMLResponse:
    """The page for where the appointment stands: the working page, or a plain one once it is over."""
    name = "representative.html" if view.in_seat else "representative_ended.html"
    context = {"notice": "", "errors": {}, "values": _saved_reflection(view), **context}
    return pages_of(request).render(
        request,
        name,
        status,
        view=view,
        token=token,
        limit=TEXT_LIMIT,
        network_name=view.network_name,
        **context,
    )


@router.get("/representative/{token}", response_class=HTMLResponse)
async def representative(request: Request, token: str) -> HTMLResponse:
    return show(request, token, await run_in_threadpool(page_service(request).view, token))


@router.post("/representative/{token}/induction", response_class=HTMLResponse)
async def tick(request: Request, token: str) -> HTMLResponse:
    page = page_service(request)
    await pages_of(request).check_csrf(request)
    step = _text(await request.form(), "step")
    try:
        state = await run_in_threadpool(page.tick, token, step)
    except InductionError as exc:
        return show(
            request,
            token,
            await run_in_threadpool(page.view, token),
            400,
            errors={"induction": sentence(str(exc))},
        )
    view = await run_in_threadpool(page.view, token)
    done = next((s.text for s in view.steps if s.key == step), step)
    notice = (
        "Your induction is complete: you are now active in the seat."
        if state == "active"
        else f"Done: {done}"
    )
    return show(request, token, view, notice=notice)


@router.post("/representative/{token}/review", response_class=HTMLResponse)
async def reflect(request: Request, token: str) -> HTMLResponse:
    page = page_service(request)
    await pages_of(request).check_csrf(request)
    values = form_values(await request.form(), REVIEW_FIELDS)
    try:
        await run_in_threadpool(
            page.reflect, token, values["reflection"], values["worthwhile"], values["why"]
        )
    except ReviewError as exc:
        view = await run_in_threadpool(page.view, token)
        return show(
            request, token, view, 400, values=values, errors={exc.field or "review": sentence(str(exc))}
        )
    view = await run_in_threadpool(page.view, token)
    notice = "Your reflection is saved. You can change it until the review closes."
    return show(request, token, view, notice=notice)
