"""Every counted election of the network, with its anonymised ballots and the file to recount it from."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from nominations.services.accounts import SignedIn
from nominations.services.election_files import counted_elections, recount_file
from nominations.services.scope import scope_of
from nominations.web.auth import require
from nominations.web.console_pages import render_console
from nominations.web.deps import app_of

router = APIRouter()
Viewer = Annotated[SignedIn, Depends(require("audit.view"))]


@router.get("/console/elections", response_class=HTMLResponse)
async def elections(request: Request, user: Viewer) -> Response:
    found = await run_in_threadpool(counted_elections, app_of(request).db, scope_of(user))
    return render_console(request, "audit_elections.html", user, elections=found)


@router.get("/console/elections/{vacancy_id}/result.json")
async def result_json(request: Request, user: Viewer, vacancy_id: int) -> Response:
    """The declared result, stage by stage, as JSON: what a recount is checked against."""
    data = await run_in_threadpool(recount_file, app_of(request).db, scope_of(user), vacancy_id)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n",
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="vacancy-{vacancy_id}-result.json"'},
    )
