"""The ballot: choose, confirm, cast once, and keep the receipt."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from nominations.ballots import BallotChoiceError
from nominations.services.balloting import BallotView
from nominations.web.deps import app_of, pages_of

router = APIRouter()


def _lists(form: FormData) -> dict[str, list[str]]:
    return {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}


async def _ballot(
    request: Request,
    token: str,
    status: int = 200,
    error: str | None = None,
    chosen: dict[str, list[str]] | None = None,
) -> HTMLResponse:
    app = app_of(request)
    view: BallotView = await run_in_threadpool(app.balloting.view, token)
    return pages_of(request).render(
        request,
        "ballot.html",
        status,
        view=view,
        error=error,
        chosen=chosen or {},
        token=token,
        network_name=view.network_name,
    )


@router.get("/ballot/{token}", response_class=HTMLResponse)
async def ballot(request: Request, token: str) -> HTMLResponse:
    return await _ballot(request, token)


async def _read(
    request: Request, token: str
) -> tuple[BallotView, dict[str, list[str]], list[int] | HTMLResponse]:
    """The ballot, the form, and its choices; or the ballot again with what is wrong (400)."""
    app = app_of(request)
    await pages_of(request).check_csrf(request)
    form = _lists(await request.form())
    view = await run_in_threadpool(app.balloting.view, token)
    try:
        return view, form, app.balloting.choices(view, form)
    except BallotChoiceError as exc:
        return view, form, await _ballot(request, token, 400, str(exc), form)


@router.post("/ballot/{token}", response_class=HTMLResponse)
async def confirm(request: Request, token: str) -> HTMLResponse:
    """Show the choices back before anything is cast."""
    view, form, choices = await _read(request, token)
    if isinstance(choices, HTMLResponse):
        return choices
    by_id = {c.id: c for c in view.candidates}
    chosen = [by_id[c] for c in choices]
    return pages_of(request).render(
        request,
        "confirm.html",
        view=view,
        chosen=chosen,
        form=form,
        token=token,
        network_name=view.network_name,
    )


@router.post("/ballot/{token}/cast", response_class=HTMLResponse)
async def cast(request: Request, token: str) -> HTMLResponse:
    view, _, choices = await _read(request, token)
    if isinstance(choices, HTMLResponse):
        return choices
    app = app_of(request)
    receipt = await run_in_threadpool(app.balloting.cast, token, choices)
    return pages_of(request).render(
        request, "receipt.html", view=view, receipt=receipt, network_name=view.network_name
    )
