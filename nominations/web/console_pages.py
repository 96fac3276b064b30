"""Rendering a console page: the signed-in user and the words every console template uses."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from nominations.console_words import ACTOR_WORDS, state_label, tag_colour, trigger_label
from nominations.equality import EQUALITY_SECTORS
from nominations.roles import may
from nominations.services.accounts import SignedIn
from nominations.web.deps import pages_of

WORDS: dict[str, Any] = {
    "state_label": state_label,
    "tag_colour": tag_colour,
    "trigger_label": trigger_label,
    "sectors": EQUALITY_SECTORS,
    "actor_words": ACTOR_WORDS,
}


def render_console(
    request: Request, name: str, user: SignedIn, status: int = 200, **context: Any
) -> HTMLResponse:
    """A console template with `user`, `may(action)` for this user, and the console's words."""

    def user_may(action: str) -> bool:
        return may(user.role, action)

    return pages_of(request).render(request, name, status, user=user, may=user_may, **WORDS, **context)
