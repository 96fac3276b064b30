"""Pages reached from nomination emails: propose, second, consent or withdraw."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from nominations.eligibility import NominationInput, word_count
from nominations.services.nominating import FormErrors
from nominations.web.deps import app_of, pages_of
from nominations.whole_numbers import whole_number

router = APIRouter()


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _input(form: FormData, seconders_required: int) -> NominationInput:
    seconders = []
    for i in range(seconders_required):
        raw = _text(form, f"seconder_{i + 1}")
        number = whole_number(raw)
        seconders.append(-1 if number is None else number)
    declared = {k.removeprefix("declaration-") for k in form if k.startswith("declaration-")}
    return NominationInput(
        nominee_name=_text(form, "nominee_name"),
        nominee_email=_text(form, "nominee_email"),
        nominee_organisation=_text(form, "nominee_organisation"),
        statement=_text(form, "statement"),
        declarations=frozenset(declared),
        seconders=tuple(seconders),
    )


@router.get("/nominate/{token}", response_class=HTMLResponse)
async def nominate_form(request: Request, token: str) -> HTMLResponse:
    app = app_of(request)
    view = await run_in_threadpool(app.nominating.proposer_view, token)
    return pages_of(request).render(
        request,
        "nominate.html",
        view=view,
        values={},
        errors={},
        words=0,
        network_name=view.network_name,
    )


@router.post("/nominate/{token}", response_class=HTMLResponse)
async def nominate_submit(request: Request, token: str) -> HTMLResponse:
    pages, app = pages_of(request), app_of(request)
    await pages.check_csrf(request)
    form = await request.form()
    view = await run_in_threadpool(app.nominating.proposer_view, token)
    data = _input(form, view.protocol.seconders_required)
    try:
        await run_in_threadpool(app.nominating.propose, token, data)
    except FormErrors as exc:
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        return pages.render(
            request,
            "nominate.html",
            400,
            view=view,
            values=values,
            errors=exc.errors,
            words=word_count(data.statement),
            network_name=view.network_name,
        )
    return pages.render(request, "nominated.html", view=view, data=data, network_name=view.network_name)


@router.get("/second/{token}", response_class=HTMLResponse)
async def second_form(request: Request, token: str) -> HTMLResponse:
    app = app_of(request)
    view = await run_in_threadpool(app.nominating.view, token, "second")
    return pages_of(request).render(request, "second.html", view=view, network_name=view.network_name)


@router.post("/second/{token}", response_class=HTMLResponse)
async def second_submit(request: Request, token: str) -> HTMLResponse:
    pages, app = pages_of(request), app_of(request)
    await pages.check_csrf(request)
    view = await run_in_threadpool(app.nominating.view, token, "second")
    await run_in_threadpool(app.nominating.second, token)
    return pages.render(
        request,
        "done.html",
        title="Thank you: your organisation has seconded the nomination",
        message=f"You seconded {view.nomination.nominee_name} for {view.vacancy.title}.",
        network_name=view.network_name,
    )


@router.get("/consent/{token}", response_class=HTMLResponse)
async def consent_form(request: Request, token: str) -> HTMLResponse:
    app = app_of(request)
    view = await run_in_threadpool(app.nominating.view, token, "consent")
    return pages_of(request).render(request, "consent.html", view=view, network_name=view.network_name)


@router.post("/consent/{token}", response_class=HTMLResponse)
async def consent_submit(request: Request, token: str) -> HTMLResponse:
    pages, app = pages_of(request), app_of(request)
    await pages.check_csrf(request)
    form = await request.form()
    view = await run_in_threadpool(app.nominating.view, token, "consent")
    if _text(form, "action") == "withdraw":
        await run_in_threadpool(app.nominating.withdraw, token)
        return pages.render(
            request,
            "done.html",
            title="You have withdrawn",
            message=f"You will not stand for {view.vacancy.title}.",
            network_name=view.network_name,
        )
    await run_in_threadpool(app.nominating.consent, token)
    return pages.render(
        request,
        "done.html",
        title="Thank you: you have agreed to stand",
        message=f"Your nomination for {view.vacancy.title} is recorded.",
        network_name=view.network_name,
    )
