"""The console's audit trail: the network's log, filtered; the chain verified on demand; histories."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from nominations.services.accounts import SignedIn
from nominations.services.audit_browse import history, read_page
from nominations.services.audit_checks import last_check, run_check
from nominations.services.audit_history import history_csv, history_json
from nominations.services.audit_subjects import Subject
from nominations.services.audit_views import event_rows, filter_choices
from nominations.services.scope import scope_of
from nominations.web.audit_query import HistoryQueryError, read_history_subject, read_log_query
from nominations.web.auth import require
from nominations.web.console_pages import render_console
from nominations.web.deps import app_of, pages_of

router = APIRouter()
FILTERS = ("vacancy", "organisation", "person", "actor", "action", "from", "to")
Viewer = Annotated[SignedIn, Depends(require("audit.view"))]
Exporter = Annotated[SignedIn, Depends(require("audit.export"))]


@router.get("/console/audit", response_class=HTMLResponse)
async def audit_log(
    request: Request,
    user: Viewer,
    vacancy: str = "",
    organisation: str = "",
    person: str = "",
    actor: str = "",
    action: str = "",
    start: Annotated[str, Query(alias="from")] = "",
    to: str = "",
    before: str = "",
    after: str = "",
) -> Response:
    app, scope = app_of(request), scope_of(user)
    db, finished = app.db, app.transitions.workflows["appointment"].definition.final_states()
    fields = dict(zip(FILTERS, (vacancy, organisation, person, actor, action, start, to), strict=True))
    query = read_log_query({**fields, "before": before, "after": after})
    rows, newer, older = [], None, None
    if not query.errors:
        page = await run_in_threadpool(
            read_page, db, scope, query.wanted, before=query.before, after=query.after
        )
        rows = await run_in_threadpool(event_rows, db, page.events)
        newer, older = page.newer, page.older
    chosen = "" if "person" in query.errors else query.values["person"]
    asked = {name: value for name, value in query.values.items() if name in FILTERS and value}
    return render_console(
        request,
        "audit.html",
        user,
        400 if query.errors else 200,
        query=query,
        rows=rows,
        newer=f"/console/audit?{urlencode({**asked, 'after': newer})}" if newer else None,
        older=f"/console/audit?{urlencode({**asked, 'before': older})}" if older else None,
        history=_history_query(query.subject()),
        choices=await run_in_threadpool(filter_choices, db, scope, finished, chosen),
        check=await run_in_threadpool(last_check, db),
        errors=query.errors,
    )


@router.post("/console/audit/verify")
async def verify_chain(
    request: Request, user: Annotated[SignedIn, Depends(require("audit.verify"))]
) -> Response:
    """Recompute the whole chain now; the log page then shows what was found."""
    await pages_of(request).check_csrf(request)
    app = app_of(request)
    await run_in_threadpool(run_check, app.db, app.clock, user.user_id)
    return RedirectResponse("/console/audit#verification", status_code=303)


@router.get("/console/audit/history.csv")
async def history_as_csv(request: Request, user: Exporter) -> Response:
    """Every event about one vacancy, organisation, appointment or account, as a spreadsheet-safe CSV."""
    return await _history(request, user, "csv")


@router.get("/console/audit/history.json")
async def history_as_json(request: Request, user: Exporter) -> Response:
    """The same history as JSON, each payload parsed."""
    return await _history(request, user, "json")


async def _history(request: Request, user: SignedIn, fmt: str) -> Response:
    try:
        subject = read_history_subject(dict(request.query_params))
    except HistoryQueryError as exc:
        return render_console(
            request, "error.html", user, 400, title="That history cannot be made", message=str(exc)
        )
    events = await run_in_threadpool(history, app_of(request).db, scope_of(user), subject)
    text = history_csv(events) if fmt == "csv" else history_json(subject, events)
    media_type = "text/csv" if fmt == "csv" else "application/json"
    filename = f"{subject.kind}-{subject.id}-history.{fmt}"
    return Response(
        text, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _history_query(subject: Subject | None) -> str | None:
    return None if subject is None else urlencode({subject.kind: subject.id})
