"""The selection panel's scoring page over HTTP: the sheet, its errors, saving, and a closed link."""

from __future__ import annotations

from sqlmodel import select

from nominations.db.models import Nomination
from nominations.db.term_models import PanelScore
from nominations.services.panel import Panel
from tests.integration.conftest import COORDINATOR, snapshot
from tests.integration.test_expert_route import apply, request_expert
from tests.integration.test_vacancy_workflow import close_call
from tests.web.conftest import Site


def shortlisted(site: Site) -> tuple[int, str, int, int]:
    """An expert seat being scored by one panel member: the vacancy, their page's path, two applicants."""
    world = site.world
    vid = request_expert(world)
    world.fire(vid, "accept")
    Panel(world.app.transitions).add_member(vid, "Pat Panel", "pat@panel.example", COORDINATOR)
    world.fire(vid, "open_nominations")
    ann = apply(world, vid, "Ann Expert", 0)
    bo = apply(world, vid, "Bo Expert", 1)
    with world.app.db.transaction() as session:
        nomination = session.get_one(Nomination, ann)
        nomination.statement = "I ran refuges <script>alert(1)</script> for ten years."
        session.add(nomination)
    close_call(world, vid)
    [(to, path)] = site.links("panel_invitation")
    assert to == "pat@panel.example" and path.startswith("/panel/")
    return vid, path, ann, bo


def scores(site: Site) -> list[PanelScore]:
    with site.world.app.db.transaction() as session:
        return list(session.exec(select(PanelScore)).all())


def test_the_sheet_shows_each_statement_and_a_radio_group_and_reason_per_criterion(site: Site) -> None:
    _, path, ann, bo = shortlisted(site)
    page = site.browser.get(path)
    assert page.status_code == 200
    assert "<h1>Score the applicants for Domestic abuse expert</h1>" in page.text
    assert "&lt;script&gt;" in page.text and "<script>alert" not in page.text
    assert "You have given 0 of 6 scores" in page.text
    assert "<legend>Ann Expert: Multi-agency risk assessment (MARAC)</legend>" in page.text
    for nid in (ann, bo):
        for i in range(3):
            assert f'id="score-{nid}-{i}" name="score-{nid}-{i}" value="0"' in page.text
            assert f'id="score-{nid}-{i}-4" name="score-{nid}-{i}" value="4"' in page.text
            assert f'<textarea id="reason-{nid}-{i}" name="reason-{nid}-{i}"' in page.text


def test_errors_are_summarised_and_shown_beside_each_field_and_nothing_is_saved(site: Site) -> None:
    _, path, ann, _ = shortlisted(site)
    before = snapshot(site.world.app.db)
    fields: dict[str, str | list[str]] = {
        f"score-{ann}-0": "3",  # no reason
        f"reason-{ann}-1": "Strong references",  # no score
        f"score-{ann}-2": "7",  # out of range
        f"reason-{ann}-2": "Outstanding",
    }
    response = site.post(path, fields)
    assert response.status_code == 400
    assert "<title>Error: Score the applicants" in response.text
    expected = [
        (
            f"reason-{ann}-0",
            "Give your reason for the score of Ann Expert against “Running a domestic abuse service”",
        ),
        (
            f"score-{ann}-1",
            "Choose a score from 0 to 4 for Ann Expert against “Bringing survivors&#39; voices",
        ),
        (
            f"score-{ann}-2",
            "Choose a score from 0 to 4 for Ann Expert against “Multi-agency risk assessment (MARAC)”"
            " (7 is not)",
        ),
    ]
    summary = response.text.index('class="error-summary"')
    for field, message in expected:
        assert response.text.index(f'<li><a href="#{field}">{message}') > summary
        assert f'id="{field}-error"' in response.text
    assert f'id="score-{ann}-0" name="score-{ann}-0" value="0"' in response.text
    assert f'id="score-{ann}-0-3" name="score-{ann}-0" value="3" checked' in response.text  # kept
    assert "Strong references</textarea>" in response.text
    assert scores(site) == []
    assert snapshot(site.world.app.db) == before


def test_a_form_from_elsewhere_is_refused(site: Site) -> None:
    _, path, ann, _ = shortlisted(site)
    site.browser.get(path)
    response = site.browser.post(
        path, data={f"score-{ann}-0": "3", f"reason-{ann}-0": "x", "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert scores(site) == []


def test_scores_are_saved_part_done_revised_and_the_link_closes_at_the_decision(site: Site) -> None:
    vid, path, ann, bo = shortlisted(site)
    response = site.post(path, {f"score-{ann}-0": "2", f"reason-{ann}-0": "Some evidence"})
    assert response.status_code == 200
    assert "Thank you: your scores are saved" in response.text
    assert "You have given 1 of 6 scores (5 still to give)" in response.text
    page = site.browser.get(path)
    assert f'id="score-{ann}-0-2" name="score-{ann}-0" value="2" checked' in page.text
    assert "Some evidence</textarea>" in page.text

    full: dict[str, str | list[str]] = {}
    for nid, score in ((ann, "4"), (bo, "1")):
        for i in range(3):
            full |= {f"score-{nid}-{i}": score, f"reason-{nid}-{i}": f"Scored {score}"}
    response = site.post(path, full)
    assert "You have given 6 of 6 scores (you have scored every applicant on every point)" in response.text
    assert sorted((s.nomination_id, s.score) for s in scores(site)) == [(ann, 4)] * 3 + [(bo, 1)] * 3

    Panel(site.world.app.transitions).decide(vid, ann, "Ann scored highest on every point", COORDINATOR)
    closed = site.browser.get(path)
    assert closed.status_code == 410
    assert "The panel&#39;s decision is made, so scoring is closed." in closed.text
    damaged = site.browser.get(path[:-3])
    assert damaged.status_code == 404


def test_the_call_for_an_expert_asks_for_expressions_of_interest_not_candidates(site: Site) -> None:
    world = site.world
    vid = request_expert(world)
    world.fire(vid, "accept")
    world.fire(vid, "open_nominations")
    (_, path), *_ = site.links("call_for_expressions_of_interest")
    page = site.browser.get(path)
    assert page.status_code == 200
    assert "<h1>Put forward an expert for Domestic abuse expert</h1>" in page.text
    assert "Multi-agency risk assessment (MARAC)" in page.text
    assert "The selection panel will read it." in page.text and "on the ballot" not in page.text
