"""A page whose database connection is cut says to try again, writes nothing, and works once it is back."""

from __future__ import annotations

import pytest

from nominations.db.models import BallotPaper, VoteRecord
from tests.integration.conftest import count, snapshot
from tests.utils.console import sign_in_as
from tests.utils.console_seats import open_call, version_on
from tests.utils.dropper import Dropper
from tests.web.conftest import Site

# A SQLite database is a file in the same process: only a server's connection can be cut.
pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def test_a_button_pressed_while_the_database_is_unreachable_says_nothing_was_saved(site: Site) -> None:
    vid = open_call(site.world, "Health and wellbeing seat")
    sign_in_as(site, "coordinator")
    page = f"/console/vacancies/{vid}"
    form, csrf = site.form(page)
    fields = {"trigger": "close_nominations", "version": version_on(form.text), "csrf_token": csrf}
    before = snapshot(site.world.app.db)
    with Dropper(site.world.app.db, "UPDATE vacancy", times=2):  # the try and its one retry
        refused = site.browser.post(f"{page}/fire", data=fields)
    assert refused.status_code == 503
    assert "We lost the connection to the database" in refused.text
    assert "Nothing was saved. Wait a moment and try again." in refused.text
    assert "Traceback" not in refused.text
    assert snapshot(site.world.app.db) == before
    assert site.world.status(vid) == "nominations_open"

    again = site.browser.post(f"{page}/fire", data=fields)  # the same form, sent again
    assert again.status_code == 200
    assert site.world.status(vid) == "nominations_closed"


def test_a_vote_whose_connection_drops_is_not_counted_and_the_link_still_works(site: Site) -> None:
    world = site.world
    vid = open_call(world, "Community safety seat")
    alice, bob = world.nominate(vid, 0, "Alice Able"), world.nominate(vid, 1, "Bob Baker")
    world.fire(vid, "close_nominations")
    world.fire_timers()  # the tally opens the ballot and mails each member its link
    assert world.status(vid) == "voting_open" and {alice, bob}
    [(_, path), *_] = site.links("ballot_open")
    _, csrf = site.form(path)
    fields = {"choice": str(alice), "csrf_token": csrf}
    with Dropper(world.app.db, "INSERT INTO ballotpaper", times=2):
        refused = site.browser.post(f"{path}/cast", data=fields)
    assert refused.status_code == 503
    assert "Nothing was saved" in refused.text
    with world.app.db.transaction() as session:
        assert count(session, BallotPaper) == 0 and count(session, VoteRecord) == 0
    cast = site.browser.post(f"{path}/cast", data=fields)
    assert cast.status_code == 200, cast.text[:500]
    assert "receipt" in cast.text.lower()
    with world.app.db.transaction() as session:
        assert count(session, BallotPaper) == 1 and count(session, VoteRecord) == 1
