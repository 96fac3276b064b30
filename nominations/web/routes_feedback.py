"""A member organisation's feedback on a representative's yearly review: one response per link."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from nominations.services.feedback_page import FeedbackPage, FeedbackView
from nominations.services.reviews import TEXT_LIMIT, ReviewError
from nominations.web.deps import app_of, pages_of
from nominations.web.routes_nominate import _text
from nominations.web.routes_representative import sentence
from nominations.whole_numbers import whole_number

router = APIRouter()
RATINGS = [
    ("1", "1: poorly"),
    ("2", "2: not well"),
    ("3", "3: adequately"),
    ("4", "4: well"),
    ("5", "5: very well"),
]


def _page(request: Request) -> FeedbackPage:
    app = app_of(request)
    return FeedbackPage(app.db, app.clock, app.term.reviews)


def _form(
    request: Request,
    view: FeedbackView,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    return pages_of(request).render(
        request,
        "feedback.html",
        status,
        view=view,
        ratings=RATINGS,
        limit=TEXT_LIMIT,
        values=values or {},
        errors=errors or {},
        network_name=view.network_name,
    )


@router.get("/feedback/{token}", response_class=HTMLResponse)
async def feedback_form(request: Request, token: str) -> HTMLResponse:
    return _form(request, await run_in_threadpool(_page(request).view, token))


@router.post("/feedback/{token}", response_class=HTMLResponse)
async def feedback_submit(request: Request, token: str) -> HTMLResponse:
    page = _page(request)
    await pages_of(request).check_csrf(request)
    form = await request.form()
    values = {name: _text(form, name) for name in ("rating", "worthwhile", "comment")}
    rating = whole_number(values["rating"]) or 0
    try:
        view = await run_in_threadpool(page.give, token, rating, values["worthwhile"], values["comment"])
    except ReviewError as exc:
        view = await run_in_threadpool(page.view, token)
        return _form(request, view, 400, values, {exc.field or "feedback": sentence(str(exc))})
    return pages_of(request).render(
        request,
        "done.html",
        title="Thank you: your feedback is recorded",
        message=f"Your organisation's feedback on {view.appointment.person_name}'s year on "
        f"{view.partnership} goes to the network's coordinator, who decides the review's outcome.",
        network_name=view.network_name,
    )
