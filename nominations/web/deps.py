"""What every handler needs from the request: the wired app and the page renderer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

from nominations.bootstrap import App

if TYPE_CHECKING:
    from nominations.web.app import Pages


def app_of(request: Request) -> App:
    app: App = request.app.state.app
    return app


def pages_of(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages
