"""The report-back form of one meeting, reached from the representative's own page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from nominations.services.report_backs import FIELD_LIMIT, ReportBackError, ReportForm
from nominations.web.deps import pages_of
from nominations.web.routes_nominate import _text
from nominations.web.routes_representative import form_values, page_service, sentence, show

router = APIRouter()
REPORT_FIELDS = ("attended", "discussed", "sector_said", "coming_up", "needs_from_members")


def _report_form(form: FormData) -> ReportForm:
    attended = _text(form, "attended")
    if attended not in {"yes", "no"}:
        raise ReportBackError("say whether you attended the meeting", "attended")
    answers = {name: _text(form, name) for name in REPORT_FIELDS[1:]}
    return ReportForm(attended=attended == "yes", **answers)


async def _report_page(
    request: Request, token: str, meeting_id: int, status: int = 200, **context: Any
) -> HTMLResponse:
    view, line, filed = await run_in_threadpool(page_service(request).meeting, token, meeting_id)
    if not view.in_seat:
        return show(request, token, view)
    context = {"values": {}, "errors": {}, **context}
    return pages_of(request).render(
        request,
        "representative_report.html",
        status,
        view=view,
        line=line,
        filed=filed,
        limit=FIELD_LIMIT,
        token=token,
        network_name=view.network_name,
        **context,
    )


@router.get("/representative/{token}/report/{meeting_id}", response_class=HTMLResponse)
async def report_form(request: Request, token: str, meeting_id: int) -> HTMLResponse:
    return await _report_page(request, token, meeting_id)


@router.post("/representative/{token}/report/{meeting_id}", response_class=HTMLResponse)
async def report(request: Request, token: str, meeting_id: int) -> HTMLResponse:
    page = page_service(request)
    await pages_of(request).check_csrf(request)
    form = await request.form()
    _, line, _ = await run_in_threadpool(page.meeting, token, meeting_id)
    try:
        await run_in_threadpool(page.report, token, meeting_id, _report_form(form))
    except ReportBackError as exc:
        errors = {exc.field or "meeting": sentence(str(exc))}
        return await _report_page(
            request, token, meeting_id, 400, values=form_values(form, REPORT_FIELDS), errors=errors
        )
    assert line.meeting.starts_at is not None
    when = line.meeting.starts_at.strftime("%d %B %Y")
    notice = f"Thank you: your report-back on {line.meeting.title} of {when} is filed."
    return show(request, token, await run_in_threadpool(page.view, token), notice=notice)
