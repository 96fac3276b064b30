"""The equality monitoring report: in aggregate only, small numbers suppressed; as a page and as CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from nominations.monitoring import COLUMNS, SMALL, SUPPRESSED
from nominations.services.accounts import SignedIn
from nominations.services.equality_report import equality_report, write_csv
from nominations.services.scope import scope_of
from nominations.web.auth import require
from nominations.web.console_pages import render_console
from nominations.web.deps import app_of

router = APIRouter()
Viewer = Annotated[SignedIn, Depends(require("equality.view"))]


@router.get("/console/equality", response_class=HTMLResponse)
async def equality(request: Request, user: Viewer) -> Response:
    rows = await run_in_threadpool(equality_report, app_of(request).db, scope_of(user))
    return render_console(
        request, "equality.html", user, rows=rows, columns=COLUMNS, small=SMALL, suppressed=SUPPRESSED
    )


@router.get("/console/equality.csv")
async def equality_csv(request: Request, user: Viewer) -> Response:
    rows = await run_in_threadpool(equality_report, app_of(request).db, scope_of(user))
    return Response(
        write_csv(rows),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="equality-monitoring.csv"'},
    )
