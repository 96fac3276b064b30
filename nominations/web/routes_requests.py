"""Partnership contacts: request a seat (terms of reference as a PDF too), follow it, answer questions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from nominations.documents import PDF_LIMIT, DocumentError, check_pdf
from nominations.errors import TransitionRefused
from nominations.services.accounts import SignedIn
from nominations.services.seat_requests import SeatRequests, TermsPdf, reference
from nominations.web.auth import Forbidden, require
from nominations.web.console_pages import render_console
from nominations.web.deps import app_of, pages_of
from nominations.web.request_form import KINDS, TEXTS, RequestFormError, parse_request
from nominations.whole_numbers import whole_number

router = APIRouter()
NEW = "/console/requests/new"
# The one form that uploads a file: the PDF and up to 1 MB of text; every other path keeps 1 MB.
BODY_ALLOWANCES = {NEW: PDF_LIMIT + 1_000_000}
ANSWER_LIMIT = 5_000

Lister = Annotated[SignedIn, Depends(require("request.list"))]
Creator = Annotated[SignedIn, Depends(require("request.create"))]
Viewer = Annotated[SignedIn, Depends(require("vacancy.view"))]


def seat_requests(request: Request) -> SeatRequests:
    app = app_of(request)
    return SeatRequests(
        app.db, app.transitions.renderer, app.participation, app.transitions, app.settings.base_url
    )


@router.get("/console/requests", response_class=HTMLResponse)
async def requests_list(request: Request, user: Lister) -> Response:
    lines = await run_in_threadpool(seat_requests(request).listing, user)
    return render_console(request, "requests.html", user, lines=lines)


async def _form_page(
    request: Request, user: SignedIn, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    partnerships = await run_in_threadpool(seat_requests(request).partnerships_for, user)
    return render_console(
        request,
        "requests_new.html",
        user,
        status,
        values=values,
        errors=errors,
        choices=[(p.id, p.name) for p in partnerships],
        texts=TEXTS,
        kinds=KINDS,
        pdf_limit_mb=PDF_LIMIT // (1024 * 1024),
    )


def _speaks_for_one(user: SignedIn) -> None:
    if user.role == "partnership" and user.partnership_id is None:
        raise Forbidden("Your account does not speak for a partnership. Ask the network's administrator.")


@router.get(NEW, response_class=HTMLResponse)
async def new_request_page(request: Request, user: Creator) -> Response:
    _speaks_for_one(user)
    return await _form_page(request, user, {}, {})


async def _read_pdf(upload: Any) -> tuple[TermsPdf | None, str | None, bool]:
    """The uploaded PDF, or the problem with it; and whether a file was chosen at all."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None, None, False
    content = await upload.read(PDF_LIMIT + 1)  # one byte over is enough to know it is too big
    try:
        check_pdf(content)
    except DocumentError as exc:
        return None, str(exc), True
    return TermsPdf(upload.filename, content), None, True


@router.post(NEW, response_class=HTMLResponse)
async def new_request(request: Request, user: Creator) -> Response:
    # Parsed once with a one-file limit (the CSRF check reuses it); the upload's spool closes after.
    async with request.form(max_files=1, max_fields=40) as form:
        await pages_of(request).check_csrf(request)
        _speaks_for_one(user)
        values = {name: value for name, value in form.items() if isinstance(value, str)}
        pdf, pdf_error, chosen = await _read_pdf(form.get("terms_pdf"))
    service = seat_requests(request)
    errors: dict[str, str] = {}
    partnership_id = user.partnership_id
    if user.role != "partnership":
        allowed = {str(p.id) for p in await run_in_threadpool(service.partnerships_for, user)}
        choice = values.get("partnership", "")
        if choice not in allowed:
            errors["partnership"] = "Select the partnership the seat is on"
        partnership_id = int(choice) if choice in allowed else None
    try:
        seat = parse_request(values, has_pdf=chosen, pdf_error=pdf_error)
    except RequestFormError as exc:
        errors.update(exc.errors)
    if errors or partnership_id is None:
        if chosen and "terms_pdf" not in errors:
            # A browser never sends a chosen file back with the page; say so rather than lose it quietly.
            errors["terms_pdf"] = "Choose the PDF again: it has to be sent again with the corrected form"
        return await _form_page(request, user, values, errors, 400)
    vacancy_id = await run_in_threadpool(service.file, user, partnership_id, seat, pdf)
    return RedirectResponse(f"/console/requests/{vacancy_id}?filed=1", status_code=303)


async def _view_page(
    request: Request,
    user: SignedIn,
    vacancy_id: int,
    *,
    filed: bool = False,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    view = await run_in_threadpool(seat_requests(request).view, user, vacancy_id)
    return render_console(
        request,
        "requests_view.html",
        user,
        status,
        view=view,
        line=view.line,
        vacancy=view.line.vacancy,
        filed=filed,
        may_resubmit=user.role in {"partnership", "coordinator"},
        values=values or {},
        errors=errors or {},
        problem=problem,
        answer_limit=ANSWER_LIMIT,
    )


@router.get("/console/requests/{vacancy_id:int}", response_class=HTMLResponse)
async def request_page(request: Request, vacancy_id: int, user: Lister, filed: str = "") -> Response:
    return await _view_page(request, user, vacancy_id, filed=filed == "1")


@router.post("/console/requests/{vacancy_id:int}/resubmit", response_class=HTMLResponse)
async def resubmit(request: Request, vacancy_id: int, user: Creator) -> Response:
    pages = pages_of(request)
    await pages.check_csrf(request)
    form = await request.form()
    answer = form.get("answer")
    answer = answer.strip() if isinstance(answer, str) else ""
    version = form.get("version")
    expected = whole_number(version) if isinstance(version, str) else None
    values = {"answer": answer}
    if not answer:
        errors = {"answer": "Enter the information the coordinator asked for"}
    elif len(answer) > ANSWER_LIMIT:
        errors = {"answer": f"Your answer must be {ANSWER_LIMIT:,} characters or fewer"}
    else:
        try:
            await run_in_threadpool(seat_requests(request).resubmit, user, vacancy_id, answer, expected)
        except TransitionRefused as exc:
            return await _view_page(
                request, user, vacancy_id, values=values, problem=_refusal(exc), status=409
            )
        return RedirectResponse(f"/console/requests/{vacancy_id}", status_code=303)
    return await _view_page(request, user, vacancy_id, values=values, errors=errors, status=400)


def _refusal(exc: TransitionRefused) -> str:
    return (
        "The request could not be sent back: it has changed since you opened this page "
        f"({exc}). Read where it stands now."
    )


@router.get("/console/requests/{vacancy_id:int}/terms.pdf")
async def terms_pdf(request: Request, vacancy_id: int, user: Viewer) -> Response:
    document = await run_in_threadpool(seat_requests(request).terms_pdf, user, vacancy_id)
    return Response(
        document.content,
        media_type="application/pdf",
        headers={
            # Our own name in the header: the uploaded one is shown on the page, never echoed here.
            "Content-Disposition": f'inline; filename="terms-of-reference-{reference(vacancy_id)}.pdf"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
