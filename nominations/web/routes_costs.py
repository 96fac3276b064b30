"""What representation cost, in aggregate: per partnership and per funder, as a page or as CSV."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from nominations.services.accounts import SignedIn
from nominations.services.cost_report import GROUPINGS, CostFilter, cost_report, total, write_csv
from nominations.services.costs import CostError
from nominations.web.auth import require
from nominations.web.deps import app_of, pages_of
from nominations.whole_numbers import whole_number

router = APIRouter()
DateText = Annotated[str, Query(alias="from")]


def _filter(start: str, end: str, network: str) -> CostFilter:
    """The page's query as a filter; an empty field means no limit."""

    def day(text: str, label: str) -> date | None:
        try:
            return date.fromisoformat(text.strip()) if text.strip() else None
        except ValueError:
            raise CostError(f"The {label} date {text!r} is not a date like 2026-03-31.") from None

    number = whole_number(network.strip())
    if network.strip() and number is None:
        raise CostError(f"The network {network!r} is not a network's number.")
    return CostFilter(day(start, "from"), day(end, "to"), number)


def _refused(request: Request, exc: CostError) -> HTMLResponse:
    return pages_of(request).render(
        request, "error.html", 400, title="That report cannot be made", message=str(exc)
    )


def _own(user: SignedIn, where: CostFilter) -> CostFilter:
    # Someone who works for one network sees only its costs, whatever the query says.
    if user.network_id is None:
        return where
    if where.network_id not in (None, user.network_id):
        raise CostError(f"You may see the costs of your own network only, not network {where.network_id}.")
    return replace(where, network_id=user.network_id)


@router.get("/costs", response_class=HTMLResponse)
async def costs(
    request: Request,
    user: Annotated[SignedIn, Depends(require("costs.view"))],
    start: DateText = "",
    to: str = "",
    network: str = "",
) -> HTMLResponse:
    db = app_of(request).db
    try:
        where = _own(user, _filter(start, to, network))
        tables = {by: await run_in_threadpool(cost_report, db, by, where) for by in GROUPINGS}
    except CostError as exc:
        return _refused(request, exc)
    totals = {by: total(rows) for by, rows in tables.items()}
    query = {"from": start, "to": to, "network": network}
    asked = {name: value for name, value in query.items() if value}
    csv_links = {by: "/costs.csv?" + urlencode({**asked, "by": by}) for by in GROUPINGS}
    return pages_of(request).render(
        request, "costs.html", tables=tables, totals=totals, query=query, csv_links=csv_links
    )


@router.get("/costs.csv", response_class=PlainTextResponse)
async def costs_csv(
    request: Request,
    user: Annotated[SignedIn, Depends(require("costs.view"))],
    start: DateText = "",
    to: str = "",
    network: str = "",
    by: str = "partnership",
) -> Response:
    try:
        where = _own(user, _filter(start, to, network))
        rows = await run_in_threadpool(cost_report, app_of(request).db, by, where)
    except CostError as exc:
        return _refused(request, exc)
    out = io.StringIO()
    write_csv(rows, by, out)
    return PlainTextResponse(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="costs-by-{by}.csv"'},
    )
