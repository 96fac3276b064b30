"""Role by page by action: every console route is allowed or refused exactly as `nominations.roles` says.

The routes are read from the routers themselves, so a new page is in the matrix the day it is added;
a console route that declares no action fails here. A refusal is the 403 page, never a hidden button.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from fastapi.routing import APIRoute

import nominations.web
from nominations.roles import ROLES, may
from tests.integration.test_appointment_term import appointments, filled_seat
from tests.utils.console import sign_in_as
from tests.web.conftest import CSRF, Site

OPEN_TO_ALL_SIGNED_IN = {"/console"}  # sends each role to where its work is


def console_routes() -> list[tuple[str, str, str]]:
    """(method, path, action) for every route of the signed-in console."""
    found = []
    for module in pkgutil.iter_modules(nominations.web.__path__):
        router = getattr(importlib.import_module(f"nominations.web.{module.name}"), "router", None)
        for route in router.routes if router is not None else []:
            if not isinstance(route, APIRoute) or not route.path.startswith("/console"):
                continue
            actions = [a for d in route.dependant.dependencies if (a := getattr(d.call, "action", None))]
            if route.path in OPEN_TO_ALL_SIGNED_IN:
                continue
            assert len(actions) == 1, (
                f"{route.path} must declare exactly one action with require(), not {actions}"
            )
            found += [(method, route.path, actions[0]) for method in sorted(route.methods)]
    return found


def concrete(path: str, ids: dict[str, int]) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(ids[m.group(1)]), path)


def test_every_role_is_allowed_or_refused_every_console_page_and_action_as_the_table_says(site: Site) -> None:
    vid = filled_seat(site.world)
    holder = appointments(site.world, vid)["Alice"]
    assert holder.id is not None
    routes = console_routes()
    assert len(routes) >= 20
    seen: dict[str, list[str]] = {}
    for role in ROLES:
        user_id = sign_in_as(site, role, partnership_id=site.world.partnership_id)
        ids = {"vacancy_id": vid, "appointment_id": holder.id, "account_id": user_id}
        csrf_page = site.browser.get("/console/me" if role != "partnership" else "/console/requests")
        match = CSRF.search(csrf_page.text)
        assert match is not None, f"no form for {role} to take a CSRF field from"
        for method, path, action in routes:
            url = concrete(path, ids)
            answer = (
                site.browser.get(url)
                if method == "GET"
                else site.browser.post(url, data={"csrf_token": match.group(1)}, follow_redirects=False)
            )
            refused = answer.status_code == 403
            expected = not may(role, action)
            assert refused == expected, f"{role} {method} {url} ({action}): {answer.status_code}"
            if refused:
                assert "You may not do this" in answer.text
            seen.setdefault(role, []).append(f"{method} {path} {'refused' if refused else 'allowed'}")
    # The auditor reads everything and changes nothing: every action but re-running the check is refused.
    auditor_posts = [row for row in seen["auditor"] if row.startswith("POST")]
    assert auditor_posts and all(
        row.endswith("refused") for row in auditor_posts if "/console/audit/verify" not in row
    )
    assert {role: sum("refused" in s for s in rows) > 0 for role, rows in seen.items()} == {
        "coordinator": True,
        "partnership": True,
        "auditor": True,
        "admin": True,
    }
