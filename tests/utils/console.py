"""Sign a test's browser in to the console as someone with a given role."""

from __future__ import annotations

from nominations.actors import Actor
from tests.web.conftest import Site

PASSWORD = "correct horse battery staple"


def sign_in_as(site: Site, role: str, email: str | None = None, *, partnership_id: int | None = None) -> int:
    """Invite an account with `role`, accept the emailed invitation in the browser; return its id.

    The browser then carries a signed session cookie and follows redirects, as a real one does.
    """
    email = email or f"{role}@network.example"
    scope = (
        {"partnership_id": partnership_id} if role == "partnership" else {"network_id": site.world.network_id}
    )
    user_id, _ = site.world.app.accounts.invite(
        email, f"Test {role.title()}", role, Actor("system", "test"), **scope
    )
    [path] = [p for to, p in site.links("account_invite") if to == email]
    site.browser.follow_redirects = True
    site.browser.cookies.clear()
    answer = site.post(path, {"password": PASSWORD, "confirm": PASSWORD})
    assert answer.status_code == 200, answer.text[:500]
    return user_id
