"""What no page can use, refused before a route acts on it: a body longer than the path allows when
it comes without a Content-Length (chunked), a NUL character in a form (PostgreSQL refuses NUL in
text, and no person types one), and a number in a path too long to be any id."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from starlette.datastructures import FormData, UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nominations.errors import NominationsError
from nominations.whole_numbers import MAX_DIGITS

# Every number in a path is an id; a longer one breaks int() (over 4,300 digits) or SQLite's INTEGER.
_LONG_NUMBER = re.compile(rf"[0-9]{{{MAX_DIGITS + 1},}}")


class BodyTooLargeError(NominationsError):
    """The request's body ran past the path's limit; nothing of it was used."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the body is over {limit:,} bytes")
        self.limit = limit


class UnreadableFormError(NominationsError):
    """A form field (its name, its text or a file's name) holds a NUL character."""


class CountedBody:
    """ASGI middleware: count the body as it arrives and raise BodyTooLargeError from `receive` once
    it passes the limit, so a chunked body is refused as early as one with a Content-Length."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, seen = self.limit_for(scope["path"]), 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLargeError(limit)
            return message

        await self.app(scope, counted, send)


def holds_nul(items: Iterable[tuple[str, str | UploadFile]]) -> bool:
    """Whether any name or text, or any file's name, among a form's or a query's items holds a NUL."""
    for name, value in items:
        text = value if isinstance(value, str) else value.filename or ""
        if "\x00" in name or "\x00" in text:
            return True
    return False


def refuse_nul(form: FormData) -> None:
    """Raise UnreadableFormError if the form holds a NUL anywhere (see holds_nul)."""
    if holds_nul(form.multi_items()):
        raise UnreadableFormError("a field of the form holds a NUL character")


def names_no_id(path: str) -> bool:
    """Whether the path holds a number longer than any id can be: no page is there."""
    return _LONG_NUMBER.search(path) is not None
