"""CSRF protection for plain HTML forms: a random cookie, and a form field signed against it.

A cross-site page can make the browser send the cookie but cannot read it, so it cannot produce
the matching signed field. Works without JavaScript.
"""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "nominations_csrf"
FIELD = "csrf_token"


class CsrfSigner:
    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt="csrf")

    @staticmethod
    def new_cookie() -> str:
        return secrets.token_urlsafe(24)

    def field_for(self, cookie: str) -> str:
        """The hidden form value that proves the form came from our own page."""
        return str(self._serializer.dumps(cookie))

    def valid(self, cookie: str | None, field: str | None) -> bool:
        if not cookie or not field:
            return False
        try:
            signed = self._serializer.loads(field)
        except BadSignature:
            return False
        return isinstance(signed, str) and secrets.compare_digest(signed, cookie)
