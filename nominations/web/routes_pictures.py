"""A vacancy in pictures: where it stands in its workflow, turnout day by day, the count stage by stage."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from nominations.charts import stage_rows, stages_svg, turnout_svg, workflow_svg
from nominations.charts.turnout import day_label, share
from nominations.charts.workflow_layout import arrows, steps
from nominations.services.accounts import SignedIn
from nominations.services.pictures import Pictures
from nominations.services.scope import scope_of
from nominations.web.auth import require
from nominations.web.console_pages import render_console
from nominations.web.deps import app_of

router = APIRouter()
Viewer = Annotated[SignedIn, Depends(require("vacancy.view"))]


@router.get("/console/vacancies/{vacancy_id}/pictures", response_class=HTMLResponse)
async def pictures(request: Request, vacancy_id: int, user: Viewer) -> Response:
    app = app_of(request)
    service = Pictures(app.db, app.clock, app.transitions.workflows)
    view = await run_in_threadpool(service.view, scope_of(user), vacancy_id)
    # The SVGs are built and escaped by nominations.charts; the template embeds them as they are.
    context: dict[str, Any] = {
        "workflow_svg": workflow_svg(view.workflow, view.vacancy.status),
        "steps": steps(arrows(view.workflow)),
        "turnout_svg": "",
        "turnout_rows": [],
        "stages_svg": "",
        "stage_rows": [],
    }
    if view.turnout is not None:
        context["turnout_svg"] = turnout_svg(view.turnout, view.electorate)
        context["turnout_rows"] = [
            (" ".join(day_label(day)), voted, share(voted, view.electorate)) for day, voted in view.turnout
        ]
    if view.count is not None:
        context["stages_svg"] = stages_svg(view.count.stages, view.count.names, view.count.quota)
        context["stage_rows"] = stage_rows(view.count.stages, view.count.names)
    return render_console(request, "console_pictures.html", user, view=view, **context)
