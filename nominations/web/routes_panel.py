"""The selection panel's page, reached from a panel member's personal link: score each applicant."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from nominations.selection import SCORES, ScoreInput, reason_field, score_field
from nominations.selection_errors import SelectionError
from nominations.services.panel import Panel
from nominations.services.panel_views import SheetView
from nominations.web.deps import app_of, pages_of
from nominations.web.routes_nominate import _text
from nominations.whole_numbers import whole_number

router = APIRouter()


def _entries(form: FormData, view: SheetView) -> list[ScoreInput]:
    """The scores on the form; a pair left blank is not scored yet (a sheet may be saved part done)."""
    entries = []
    for nomination in view.applicants:
        nid = nomination.id or 0
        for i in range(len(view.criteria)):
            raw, reason = _text(form, score_field(nid, i)), _text(form, reason_field(nid, i))
            if raw or reason.strip():
                entries.append(ScoreInput(nid, i, whole_number(raw), reason))
    return entries


@router.get("/panel/{token}", response_class=HTMLResponse)
async def panel_form(request: Request, token: str) -> HTMLResponse:
    panel = Panel(app_of(request).transitions)
    view = await run_in_threadpool(panel.sheet, token)
    return pages_of(request).render(
        request,
        "panel.html",
        view=view,
        values=view.saved,
        errors={},
        scores=SCORES,
        network_name=view.network_name,
    )


@router.post("/panel/{token}", response_class=HTMLResponse)
async def panel_submit(request: Request, token: str) -> HTMLResponse:
    pages, panel = pages_of(request), Panel(app_of(request).transitions)
    await pages.check_csrf(request)
    form = await request.form()
    view = await run_in_threadpool(panel.sheet, token)
    try:
        saved = await run_in_threadpool(panel.score, token, _entries(form, view))
    except SelectionError as exc:
        return pages.render(
            request,
            "panel.html",
            400,
            view=view,
            values={k: v for k, v in form.items() if isinstance(v, str)},
            errors={f: str(problem) for f, problem in exc.problems.items()} or {"sheet": str(exc)},
            scores=SCORES,
            network_name=view.network_name,
        )
    left = saved.needed - saved.scored
    still = f"{left} still to give" if left else "you have scored every applicant on every point"
    return pages.render(
        request,
        "done.html",
        title="Thank you: your scores are saved",
        message=f"You have given {saved.scored} of {saved.needed} scores ({still}). "
        "You can change them with the same link until the panel's decision is recorded.",
        network_name=view.network_name,
    )
