"""Accounts: invite by emailed link, set a password, sign in, reset a forgotten password."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from nominations.actors import Actor
from nominations.clock import Clock
from nominations.db.account_models import AccountToken, User
from nominations.db.engine import Database
from nominations.db.models import Network, Partnership
from nominations.errors import NominationsError, NotFoundError
from nominations.links import is_intact, new_token, token_hash
from nominations.mail.message import InvalidAddressError, make_address
from nominations.mail.outbox import queue_mail
from nominations.mail.render import MailRenderer
from nominations.roles import ROLES
from nominations.services.audit_log import append_event

INVITE_LASTS = timedelta(days=7)
RESET_LASTS = timedelta(hours=2)
MIN_PASSWORD = 12
_HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the email is unknown, so a wrong address takes as long as a wrong password.

    Made at first use, not import: hashing costs every process that imports the app ~64 MiB and 0.3 s.
    """
    return _HASHER.hash("not a password anyone has")


class AccountError(NominationsError):
    """An account request that cannot be done; `field` names the form field at fault, if one is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class SignInError(AccountError):
    """Wrong email or password: the message never says which."""


@dataclass(frozen=True)
class SignedIn:
    """Who is signed in: what the session cookie carries and every page is checked against."""

    user_id: int
    name: str
    role: str
    network_id: int | None
    partnership_id: int | None

    @property
    def actor(self) -> Actor:
        kind = "partnership" if self.role == "partnership" else "coordinator"
        if self.role in {"auditor", "admin"}:
            kind = "system"
        return Actor(kind, f"user:{self.user_id}")


def signed_in(user: User) -> SignedIn:
    assert user.id is not None
    return SignedIn(user.id, user.name, user.role, user.network_id, user.partnership_id)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            f"Use at least {MIN_PASSWORD} characters; a few words together are easy to remember", "password"
        )
    if len(password) > 1000:
        raise AccountError("Use at most 1,000 characters", "password")


class Accounts:
    def __init__(self, db: Database, clock: Clock, renderer: MailRenderer, base_url: str) -> None:
        self.db = db
        self.clock = clock
        self.renderer = renderer
        self.base_url = base_url

    def invite(
        self,
        email: str,
        name: str,
        role: str,
        actor: Actor,
        *,
        network_id: int | None = None,
        partnership_id: int | None = None,
    ) -> tuple[int, str]:
        """Create an account in `invited` and email it a link to set its password; return (id, link)."""
        email = email.strip().lower()
        name = name.strip()
        try:
            make_address(email)
        except InvalidAddressError:
            raise AccountError(f"{email!r} is not an email address", "email") from None
        if role not in ROLES:
            raise AccountError(f"the role must be one of {', '.join(ROLES)}, not {role!r}", "role")
        if not name:
            raise AccountError("give the person's name", "name")
        with self.db.transaction() as session:
            if session.exec(select(User).where(User.email == email)).first() is not None:
                raise AccountError(f"there is already an account for {email}", "email")
            network_id, partnership_id = _scope(session, role, network_id, partnership_id)
            user = User(
                email=email,
                name=name,
                role=role,
                network_id=network_id,
                partnership_id=partnership_id,
                created_at=self.clock.now(),
            )
            session.add(user)
            session.flush()
            assert user.id is not None
            link = self._send_link(session, user, "invite", INVITE_LASTS)
            self._audit(session, actor, "invite_user", user, {"role": role})
            return user.id, link

    def accept(self, token: str, password: str, purpose: str) -> SignedIn:
        """Set the password through an invitation or reset link; the link then stops working."""
        check_password(password)
        now = self.clock.now()
        with self.db.transaction() as session:
            row = self._token(session, token, purpose)
            user = session.get_one(User, row.user_id)
            if user.status == "disabled":
                raise AccountError("This account is disabled. Ask the network's administrator.")
            row.used_at = now
            user.password_hash = _HASHER.hash(password)
            user.status = "active"
            user.last_login_at = now
            session.add(row)
            session.add(user)
            self._audit(session, Actor("system", f"user:{user.id}"), f"{purpose}_accepted", user, {})
            return signed_in(user)

    def sign_in(self, email: str, password: str) -> SignedIn:
        """The account whose email and password these are; SignInError otherwise (never says which)."""
        email = email.strip().lower()
        with self.db.transaction() as session:
            user = session.exec(select(User).where(User.email == email)).first()
            stored = user.password_hash if user is not None and user.password_hash else _dummy_hash()
            try:
                _HASHER.verify(stored, password)
                ok = user is not None and user.password_hash is not None and user.status == "active"
            except (VerificationError, InvalidHashError):
                ok = False
            if not ok or user is None:
                raise SignInError("The email address or the password is not right")
            if user.password_hash is not None and _HASHER.check_needs_rehash(user.password_hash):
                user.password_hash = _HASHER.hash(password)
            user.last_login_at = self.clock.now()
            session.add(user)
            return signed_in(user)

    def request_reset(self, email: str) -> None:
        """Email a reset link if there is an active account; say nothing either way (no address probing)."""
        email = email.strip().lower()
        with self.db.transaction() as session:
            user = session.exec(select(User).where(User.email == email, User.status == "active")).first()
            if user is not None:
                self._send_link(session, user, "reset", RESET_LASTS)
                self._audit(session, Actor("system", f"user:{user.id}"), "password_reset_requested", user, {})

    def current(self, user_id: int) -> SignedIn | None:
        """The signed-in view of an account that is still active (a disabled one is signed out)."""
        with self.db.transaction() as session:
            user = session.get(User, user_id)
            return signed_in(user) if user is not None and user.status == "active" else None

    def disable(self, user_id: int, actor: Actor) -> None:
        with self.db.transaction() as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFoundError(f"there is no account {user_id}")
            user.status = "disabled"
            session.add(user)
            self._audit(session, actor, "disable_user", user, {})

    def list(self) -> list[User]:
        with self.db.transaction() as session:
            return list(session.exec(select(User).order_by(col(User.email))).all())

    def _token(self, session: Session, token: str, purpose: str) -> AccountToken:
        if not is_intact(token):
            raise AccountError(
                "This link is incomplete or has been changed. Copy the whole link from the email."
            )
        row = session.get(AccountToken, token_hash(token), with_for_update=True)
        if row is None or row.purpose != purpose:
            raise AccountError("This link is not one we sent. Use the link in the most recent email.")
        if row.used_at is not None:
            raise AccountError("This link has already been used. Sign in, or ask for a new link.")
        assert row.expires_at is not None
        if self.clock.now() >= row.expires_at:
            raise AccountError("This link has expired. Ask for a new one.")
        return row

    def _send_link(self, session: Session, user: User, purpose: str, lasts: timedelta) -> str:
        assert user.id is not None
        now = self.clock.now()
        token = new_token()
        session.add(
            AccountToken(
                token_hash=token_hash(token), user_id=user.id, purpose=purpose, expires_at=now + lasts
            )
        )
        link = f"{self.base_url}/account/{purpose}/{token}"
        network = session.get(Network, user.network_id) if user.network_id else None
        context = {
            "recipient": user,
            "link": link,
            "expires_at": now + lasts,
            "network_name": network.name if network else "nominations",
        }
        template = "account_invite" if purpose == "invite" else "password_reset"
        rendered = self.renderer.render(template, context)
        queue_mail(
            session,
            now=now,
            entity_type="user",
            entity_id=user.id,
            template=template,
            to_name=user.name,
            to_email=user.email,
            rendered=rendered,
        )
        return link

    def _audit(
        self, session: Session, actor: Actor, action: str, user: User, payload: dict[str, str]
    ) -> None:
        assert user.id is not None
        append_event(
            session,
            occurred_at=self.clock.now(),
            actor=actor,
            action=action,
            entity_type="user",
            entity_id=user.id,
            payload=payload,
        )


def _scope(
    session: Session, role: str, network_id: int | None, partnership_id: int | None
) -> tuple[int | None, int | None]:
    # A partnership contact belongs to one partnership (and so its network); the others to a network.
    if role == "partnership":
        if partnership_id is None:
            raise AccountError("a partnership contact needs the partnership they speak for", "partnership")
        partnership = session.get(Partnership, partnership_id)
        if partnership is None:
            raise AccountError(f"there is no partnership {partnership_id}", "partnership")
        return partnership.network_id, partnership_id
    if partnership_id is not None:
        raise AccountError(
            f"only a partnership contact belongs to a partnership, not a {role}", "partnership"
        )
    if network_id is not None and session.get(Network, network_id) is None:
        raise AccountError(f"there is no network {network_id}", "network")
    return network_id, None
