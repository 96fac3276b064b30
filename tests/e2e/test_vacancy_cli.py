"""`nominations vacancy show|fire|invalidate`: what a coordinator sees and does before the console."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from nominations.cli import app
from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.eligibility import NominationInput
from tests.integration.conftest import make_world, snapshot


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(str(tmp_path))


def run(db: Database, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"NOMINATIONS_DATABASE_URL": db.url, "COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_a_coordinator_sees_what_each_nomination_lacks_fires_triggers_and_invalidates(
    db: Database, clock: FakeClock
) -> None:
    world = make_world(db, clock)
    vid = world.request(overrides={})  # the default protocol: consent and one seconder
    code, out, _ = run(db, "vacancy", "fire", str(vid), "accept")
    assert (code, out.strip()) == (0, f"vacancy {vid}: requested -> accepted (audit event 2)")
    before = snapshot(db)
    code, _, err = run(db, "vacancy", "fire", str(vid), "decline")
    assert code == 1 and "cannot decline a vacancy that is accepted" in err
    assert snapshot(db) == before
    run(db, "vacancy", "fire", str(vid), "open_nominations")
    data = NominationInput(
        "Ann Able",
        "ann@example.org",
        "",
        "Statement",
        frozenset({"not_employed_by_partnership"}),
        (world.orgs[1],),
    )
    nid = world.app.nominating.propose_for(vid, world.orgs[0], data)
    code, out, _ = run(db, "vacancy", "show", str(vid))
    assert code == 0
    assert "nominations_open" in out and "nominations close:" in out
    assert "Ann Able" in out and "pending" in out and "the nominee's consent, 1 seconder" in out
    assert "you may: remind_nominators, close_nominations, cancel" in out
    code, _, err = run(db, "vacancy", "invalidate", str(nid), "--reason", " ")
    assert code == 1 and "Give the reason the nomination is invalid" in err
    code, out, _ = run(
        db, "vacancy", "invalidate", str(nid), "--reason", "The nominee is employed by the council"
    )
    assert code == 0
    code, out, _ = run(db, "vacancy", "show", str(vid))
    assert "invalid" in out
    code, _, err = run(db, "vacancy", "show", "999")
    assert code == 1 and "there is no vacancy 999" in err
