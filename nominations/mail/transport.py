"""SMTP over aiosmtplib: one reusable connection; failures sorted into temporary and permanent."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from email.message import EmailMessage

import aiosmtplib

from nominations.settings import Settings


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)  # kept out of logs and tracebacks
    starttls: bool = False
    timeout: float = 30.0
    mail_from: str = "nominations@localhost"

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig:
        password = settings.smtp_password
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=None if password is None else password.get_secret_value(),
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout,
            mail_from=settings.mail_from,
        )


class DeliveryError(Exception):
    """The server did not accept a message; `str()` is its reply or what went wrong."""


class TemporaryDeliveryError(DeliveryError):
    """Worth trying again later: a 4xx reply, or the connection failed."""


class PermanentDeliveryError(DeliveryError):
    """A 5xx reply, or a message the server can never take."""


class ServerUnavailableError(TemporaryDeliveryError):
    """No usable connection (refused, timed out, greeting or login failed); nothing was sent."""


def _reply(exc: aiosmtplib.SMTPResponseException) -> str:
    return f"{exc.code} {exc.message}"


class SmtpConnection:
    """One SMTP session, opened on first use and reused for message after message."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._smtp: aiosmtplib.SMTP | None = None

    async def _connect(self) -> aiosmtplib.SMTP:
        c = self.config
        smtp = aiosmtplib.SMTP(
            hostname=c.host,
            port=c.port,
            username=c.username,
            password=c.password,
            start_tls=c.starttls,
            timeout=c.timeout,
        )
        try:
            await smtp.connect()
        except (aiosmtplib.SMTPException, OSError) as exc:
            smtp.close()
            # Even a 5xx here (say a refused login) is about the server, never about one message.
            raise ServerUnavailableError(f"{type(exc).__name__}: {exc}") from exc
        return smtp

    async def send(self, message: EmailMessage) -> str:
        """Send one message; return the server's acceptance reply or raise a DeliveryError."""
        if self._smtp is None or not self._smtp.is_connected:
            self._smtp = await self._connect()
        try:
            _, reply = await self._smtp.send_message(message)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise _classified(exc.recipients[0]) from exc
        except aiosmtplib.SMTPSenderRefused as exc:
            # Every message has the same sender: a refusal says the server or our settings
            # are wrong, so failing this one message for good would be unfair to it.
            raise TemporaryDeliveryError(_reply(exc)) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise _classified(exc) from exc
        except (aiosmtplib.SMTPNotSupported, ValueError) as exc:
            raise PermanentDeliveryError(f"{type(exc).__name__}: {exc}") from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            # Disconnected or timed out mid-conversation: the session's state is unknown.
            self.close()
            raise TemporaryDeliveryError(f"{type(exc).__name__}: {exc}") from exc
        return reply

    def close(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    async def quit(self) -> None:
        """Say goodbye politely if the session is still open, then close it."""
        if self._smtp is not None and self._smtp.is_connected:
            with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                await self._smtp.quit()
        self.close()


def _classified(exc: aiosmtplib.SMTPResponseException) -> DeliveryError:
    kind = PermanentDeliveryError if exc.code >= 500 else TemporaryDeliveryError
    return kind(_reply(exc))
