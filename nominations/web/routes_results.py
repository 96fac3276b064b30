"""The public results of a declared election, and the anonymised ballots for anyone to recount."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from starlette.concurrency import run_in_threadpool

from nominations.services.publishing import Publishing
from nominations.web.deps import app_of, pages_of

router = APIRouter()


def _publishing(request: Request) -> Publishing:
    return Publishing(app_of(request).db)


@router.get("/results/{vacancy_id}", response_class=HTMLResponse)
async def results(request: Request, vacancy_id: int) -> HTMLResponse:
    result = await run_in_threadpool(_publishing(request).result, vacancy_id)
    return pages_of(request).render(request, "results.html", result=result, network_name=result.network_name)


@router.get("/results/{vacancy_id}/ballots.blt", response_class=PlainTextResponse)
async def ballots_blt(request: Request, vacancy_id: int) -> PlainTextResponse:
    text = await run_in_threadpool(_publishing(request).ballots_blt, vacancy_id)
    return PlainTextResponse(
        text, headers={"Content-Disposition": f'attachment; filename="vacancy-{vacancy_id}.blt"'}
    )


@router.get("/results/{vacancy_id}/ballots.csv", response_class=PlainTextResponse)
async def ballots_csv(request: Request, vacancy_id: int) -> PlainTextResponse:
    text = await run_in_threadpool(_publishing(request).ballots_csv, vacancy_id)
    return PlainTextResponse(
        text,
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="vacancy-{vacancy_id}.csv"'},
    )
