"""Settings from the environment (prefix NOMINATIONS_) and an optional `.env` file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from nominations.errors import SettingsError

PREFIX = "NOMINATIONS_"
_SECRET_FIELDS = {"smtp_password", "secret_key"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_file=".env", env_file_encoding="utf-8", extra="forbid"
    )

    database_url: str = "sqlite:///nominations.db"
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_timeout: float = Field(default=30.0, gt=0)
    mail_from: str = "nominations@localhost"
    base_url: str = "http://localhost:8000"
    # Signs CSRF tokens on forms; `serve` refuses to start without it.
    secret_key: SecretStr | None = Field(default=None, min_length=32)
    mail_concurrency: int = Field(default=4, ge=1, le=64)
    mail_lease_seconds: int = Field(default=300, ge=1)
    # A frozen instant for the worker's clock; only for tests and demos that run the
    # worker as a separate process and need it to see the time they chose.
    frozen_clock: datetime | None = None

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("is not a database URL (e.g. sqlite:///nominations.db)") from None
        if url.get_backend_name() not in {"sqlite", "postgresql"}:
            raise ValueError("must be a sqlite:// or postgresql:// URL")
        return value

    @field_validator("mail_from")
    @classmethod
    def _mail_from(cls, value: str) -> str:
        local, at, domain = value.partition("@")
        if not (local and at and domain) or any(c.isspace() or c in '<>,"' for c in value):
            raise ValueError("is not an email address (e.g. network@example.org)")
        return value

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or len(value.split("//", 1)[1]) == 0:
            raise ValueError("must start with http:// or https:// and name a host")
        return value.rstrip("/")

    @field_validator("frozen_clock")
    @classmethod
    def _frozen_clock(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a timezone, e.g. 2026-01-01T09:00:00+00:00")
        return value

    @model_validator(mode="after")
    def _credentials_in_pairs(self) -> Settings:
        if (self.smtp_username is None) != (self.smtp_password is None):
            present, missing = (
                ("SMTP_USERNAME", "SMTP_PASSWORD")
                if self.smtp_username is not None
                else ("SMTP_PASSWORD", "SMTP_USERNAME")
            )
            raise ValueError(f"{PREFIX}{missing} is missing: it is needed when {PREFIX}{present} is set")
        return self


def _describe(error: Any) -> str:
    loc = error.get("loc") or ()
    field = str(loc[0]) if loc else ""
    message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    if not field:
        return message
    name = PREFIX + field.upper()
    if error.get("type") == "extra_forbidden":
        return f"{name} is not a setting this program knows"
    if field in _SECRET_FIELDS:
        return f"{name}: {message}"
    return f"{name}={error.get('input')!r}: {message}"


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, or raise SettingsError with one line naming what is wrong."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError("; ".join(_describe(e) for e in exc.errors())) from None
