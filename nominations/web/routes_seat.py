"""The public page of a seat: who holds it, and every report-back filed on it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from nominations.services.seat_reports import seat_reports
from nominations.web.deps import app_of, pages_of

router = APIRouter()


@router.get("/seats/{vacancy_id}/report-backs", response_class=HTMLResponse)
async def seat_report_backs(request: Request, vacancy_id: int) -> HTMLResponse:
    page = await run_in_threadpool(seat_reports, app_of(request).db, vacancy_id)
    return pages_of(request).render(request, "seat_reports.html", page=page, network_name=page.network_name)
