"""Admins manage accounts: see every account, invite someone with a role, disable one (after asking)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from nominations.errors import NotFoundError
from nominations.roles import ROLE_PURPOSE, ROLES
from nominations.services.account_directory import AccountLine, directory
from nominations.services.accounts import AccountError, SignedIn
from nominations.services.scope import scope_of
from nominations.web.auth import require
from nominations.web.console_pages import render_console
from nominations.web.deps import app_of, pages_of
from nominations.whole_numbers import whole_number

router = APIRouter()
Admin = Annotated[SignedIn, Depends(require("users.manage"))]
FIELDS = ("email", "name", "role", "works_for")
# Where Accounts.invite names a field at fault, and where that field is on this form.
FORM_FIELD = {
    "email": "email",
    "name": "name",
    "role": "role",
    "network": "works_for",
    "partnership": "works_for",
}


async def _page(
    request: Request,
    user: SignedIn,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    invited: str = "",
    disabled: str = "",
    status: int = 200,
) -> Response:
    app = app_of(request)
    found = await run_in_threadpool(directory, app.db, scope_of(user))
    notice = None
    if (line := _find(found.accounts, invited)) is not None:
        notice = f"We have emailed {line.name} ({line.email}) an invitation to choose a password."
    elif (line := _find(found.accounts, disabled)) is not None:
        notice = f"{line.name}'s account ({line.email}) is disabled. They can no longer sign in."
    return render_console(
        request,
        "accounts.html",
        user,
        status,
        directory=found,
        roles=[(role, ROLE_PURPOSE[role]) for role in ROLES],
        values=values or {},
        errors=errors or {},
        notice=notice,
    )


def _find(lines: list[AccountLine], account_id: str) -> AccountLine | None:
    return next((line for line in lines if str(line.id) == account_id), None)


@router.get("/console/accounts", response_class=HTMLResponse)
async def accounts_page(request: Request, user: Admin, invited: str = "", disabled: str = "") -> Response:
    return await _page(request, user, invited=invited, disabled=disabled)


def _check(values: dict[str, str]) -> tuple[dict[str, str], dict[str, int | None]]:
    """Problems with the invitation form, and the network or partnership it names."""
    errors: dict[str, str] = {}
    if not values["email"].strip():
        errors["email"] = "Enter the person's email address"
    if not values["name"].strip():
        errors["name"] = "Enter the person's name"
    role = values["role"]
    if role not in ROLES:
        errors["role"] = "Select the person's role"
    kind, _, written = values["works_for"].partition(":")
    number = whole_number(written)
    scope: dict[str, int | None] = {"network_id": None, "partnership_id": None}
    if kind not in {"network", "partnership"} or number is None:
        errors["works_for"] = "Select the network or partnership they work for"
    elif role == "partnership" and kind != "partnership":
        errors["works_for"] = "A partnership contact speaks for one partnership: select it"
    elif role in ROLES and role != "partnership" and kind == "partnership":
        errors["works_for"] = (
            f"Only a partnership contact works for a partnership: select the {role}'s network"
        )
    else:
        scope[f"{kind}_id"] = number
    return errors, scope


@router.post("/console/accounts", response_class=HTMLResponse)
async def invite(request: Request, user: Admin) -> Response:
    await pages_of(request).check_csrf(request)
    form = await request.form()
    values = {name: str(form.get(name) or "") for name in FIELDS}
    errors, scope = _check(values)
    offered = await run_in_threadpool(directory, app_of(request).db, scope_of(user))
    if not errors and not offered.offers(values["works_for"]):
        # Another network's is not shown to exist: the same words as for one that does not.
        kind, _, number = values["works_for"].partition(":")
        errors["works_for"] = f"There is no {kind} {number}"
    if not errors:
        try:
            account_id, _ = await run_in_threadpool(
                lambda: app_of(request).accounts.invite(
                    values["email"], values["name"], values["role"], user.actor, **scope
                )
            )
        except AccountError as exc:
            errors[FORM_FIELD.get(exc.field or "", "email")] = _sentence(str(exc))
        else:
            return RedirectResponse(f"/console/accounts?invited={account_id}", status_code=303)
    return await _page(request, user, values=values, errors=errors, status=400)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


async def _account(request: Request, user: SignedIn, account_id: int) -> AccountLine:
    lines = (await run_in_threadpool(directory, app_of(request).db, scope_of(user))).accounts
    line = _find(lines, str(account_id))
    if line is None:
        raise NotFoundError(f"there is no account {account_id}")
    return line


@router.get("/console/accounts/{account_id:int}/disable", response_class=HTMLResponse)
async def confirm_disable(request: Request, account_id: int, user: Admin) -> Response:
    account = await _account(request, user, account_id)
    own = account.id == user.user_id
    return render_console(request, "accounts_disable.html", user, account=account, own=own)


@router.post("/console/accounts/{account_id:int}/disable", response_class=HTMLResponse)
async def disable(request: Request, account_id: int, user: Admin) -> Response:
    await pages_of(request).check_csrf(request)
    account = await _account(request, user, account_id)
    own = account.id == user.user_id  # disabling yourself could leave nobody to manage accounts
    if own or account.status == "disabled":
        status = 400 if own else 200
        return render_console(request, "accounts_disable.html", user, status, account=account, own=own)
    await run_in_threadpool(app_of(request).accounts.disable, account_id, user.actor)
    return RedirectResponse(f"/console/accounts?disabled={account_id}", status_code=303)
