"""Durations in workflow files, and settings: every bad value stops start-up with one clear line."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nominations.errors import SettingsError
from nominations.settings import load_settings
from nominations.workflow.durations import parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P21D", timedelta(days=21)),
        ("P3W", timedelta(weeks=3)),
        ("PT12H", timedelta(hours=12)),
        ("P1DT2H30M", timedelta(days=1, hours=2, minutes=30)),
        ("PT0S", timedelta()),
    ],
)
def test_iso_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["21 days", "P", "PT", "P1DT", "P-1D", "", "P1.5D"])
def test_bad_durations_are_refused_with_an_example(text: str) -> None:
    with pytest.raises(ValueError, match="is not an ISO 8601 duration such as P21D"):
        parse_duration(text)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> pytest.MonkeyPatch:
    for name in [
        "DATABASE_URL",
        "SMTP_HOST",
        "SMTP_PORT",
        "SMTP_USERNAME",
        "SMTP_PASSWORD",
        "SMTP_STARTTLS",
        "MAIL_FROM",
        "BASE_URL",
        "FROZEN_CLOCK",
    ]:
        monkeypatch.delenv(f"NOMINATIONS_{name}", raising=False)
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    return monkeypatch


def test_defaults_need_nothing_set(env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///nominations.db"
    assert (settings.smtp_port, settings.smtp_starttls) == (25, False)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"NOMINATIONS_SMTP_PORT": "abc"},
            "NOMINATIONS_SMTP_PORT='abc': Input should be a valid integer, "
            "unable to parse string as an integer",
        ),
        (
            {"NOMINATIONS_SMTP_PORT": "70000"},
            "NOMINATIONS_SMTP_PORT='70000': Input should be less than or equal to 65535",
        ),
        (
            {"NOMINATIONS_SMTP_STARTTLS": "perhaps"},
            "NOMINATIONS_SMTP_STARTTLS='perhaps': Input should be a valid boolean, unable to interpret input",
        ),
        (
            {"NOMINATIONS_SMTP_USERNAME": "relay"},
            "NOMINATIONS_SMTP_PASSWORD is missing: it is needed when NOMINATIONS_SMTP_USERNAME is set",
        ),
        (
            {"NOMINATIONS_SMTP_PASSWORD": "s3cret"},
            "NOMINATIONS_SMTP_USERNAME is missing: it is needed when NOMINATIONS_SMTP_PASSWORD is set",
        ),
        (
            {"NOMINATIONS_DATABASE_URL": "mysql://db/x"},
            "NOMINATIONS_DATABASE_URL='mysql://db/x': must be a sqlite:// or postgresql:// URL",
        ),
        (
            {"NOMINATIONS_DATABASE_URL": "not a url"},
            "NOMINATIONS_DATABASE_URL='not a url': is not a database URL (e.g. sqlite:///nominations.db)",
        ),
        (
            {"NOMINATIONS_MAIL_FROM": "network"},
            "NOMINATIONS_MAIL_FROM='network': is not an email address (e.g. network@example.org)",
        ),
        (
            {"NOMINATIONS_BASE_URL": "example.org"},
            "NOMINATIONS_BASE_URL='example.org': must start with http:// or https:// and name a host",
        ),
        (
            {"NOMINATIONS_FROZEN_CLOCK": "2026-01-01T09:00"},
            "NOMINATIONS_FROZEN_CLOCK='2026-01-01T09:00': needs a timezone, e.g. 2026-01-01T09:00:00+00:00",
        ),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(
    env: pytest.MonkeyPatch, variables: dict[str, str], message: str
) -> None:
    for name, value in variables.items():
        env.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_a_password_is_never_echoed(env: pytest.MonkeyPatch) -> None:
    env.setenv("NOMINATIONS_SMTP_PASSWORD", "hunter2")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "hunter2" not in str(caught.value)


def test_dotenv_is_read_and_a_misspelt_setting_there_is_named(
    env: pytest.MonkeyPatch, tmp_path: object
) -> None:
    from pathlib import Path

    dotenv = Path(str(tmp_path)) / ".env"
    dotenv.write_text("NOMINATIONS_SMTP_PORT=2525\n")
    assert load_settings().smtp_port == 2525
    dotenv.write_text("NOMINATIONS_SMTP_HSOT=mail.example.org\n")
    with pytest.raises(SettingsError, match="NOMINATIONS_SMTP_HSOT is not a setting this program knows"):
        load_settings()
