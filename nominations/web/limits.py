"""Throttling: sign-in and reset requests per address, so passwords cannot be guessed at speed."""

from __future__ import annotations

from slowapi import Limiter
from slowapi.util import get_remote_address

limiter = Limiter(key_func=get_remote_address)
