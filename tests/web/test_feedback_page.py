"""A member organisation's feedback on a yearly review over HTTP: errors, one response, closed links."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from nominations.db.models import AccessLink
from nominations.db.term_models import Review, ReviewFeedback
from nominations.links import token_hash
from nominations.services.access import issue_link
from nominations.services.induction import representative
from tests.integration.conftest import COORDINATOR, snapshot
from tests.integration.test_appointment_term import DAY, appointment, travel
from tests.web.conftest import Site
from tests.web.test_representative_pages import seated


def review_open(site: Site) -> tuple[int, int, dict[str, str]]:
    """Alice's first review open: (vacancy, review id, member email → feedback page path)."""
    world = site.world
    vid, aid, _, _ = seated(site)
    for key in ("protocol_acknowledged", "chair_meeting", "conflicts_briefing", "briefing_pack"):
        world.app.term.induction.tick(aid, key, representative(aid))
    start = appointment(world, aid).term_start_at
    assert start is not None
    travel(world, start + timedelta(days=366) - world.clock.now())
    with world.app.db.transaction() as session:
        [review] = session.exec(select(Review).where(Review.appointment_id == aid)).all()
    assert review.id is not None
    links = dict(site.links("review_feedback_request"))
    assert len(links) == 6 and all(p.startswith("/feedback/") for p in links.values())
    return vid, review.id, links


def feedback(site: Site) -> list[ReviewFeedback]:
    with site.world.app.db.transaction() as session:
        return list(session.exec(select(ReviewFeedback)).all())


def test_feedback_is_checked_then_taken_once_and_the_link_is_used_up(site: Site) -> None:
    vid, review_id, links = review_open(site)
    path = links["contact0@org0.example"]
    page = site.browser.get(path)
    assert page.status_code == 200
    assert '<h1 id="feedback">Feedback on Alice Able\'s year on Safer Town Partnership</h1>' in page.text
    assert "Org 0" in page.text
    assert 'id="rating" name="rating" value="1"' in page.text
    assert 'id="rating-5" name="rating" value="5"' in page.text
    assert 'id="worthwhile-unsure" name="worthwhile" value="unsure"' in page.text

    before = snapshot(site.world.app.db)
    for fields, field, message in [
        (
            {"worthwhile": "yes", "comment": "<script>alert(1)</script>"},
            "rating",
            "Choose a rating from 1 to 5",
        ),
        ({"rating": "9", "worthwhile": "yes"}, "rating", "Choose a rating from 1 to 5"),
        ({"rating": "4"}, "worthwhile", "Say whether the seat is still worth the sector&#39;s time"),
        (
            {"rating": "4", "worthwhile": "yes", "comment": "x" * 4001},
            "comment",
            "Keep this under 4000 characters",
        ),
    ]:
        response = site.post(path, fields)
        assert response.status_code == 400, fields
        assert f'<li><a href="#{field}">{message}' in response.text
        assert f'id="{field}-error"' in response.text
    kept = site.post(path, {"rating": "4", "comment": "<script>alert(1)</script>"})
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in kept.text and "<script>alert" not in kept.text
    )
    assert 'value="4" checked' in kept.text
    assert snapshot(site.world.app.db) == before and feedback(site) == []

    thanks = site.post(path, {"rating": "4", "worthwhile": "unsure", "comment": "Clear reports."})
    assert thanks.status_code == 200
    assert "Thank you: your feedback is recorded" in thanks.text
    [given] = feedback(site)
    assert (given.review_id, given.organisation_id, given.rating, given.seat_worthwhile, given.comment) == (
        review_id,
        site.world.orgs[0],
        4,
        "unsure",
        "Clear reports.",
    )
    with site.world.app.db.transaction() as session:
        assert session.get_one(AccessLink, token_hash(path.removeprefix("/feedback/"))).used_at is not None

    again = site.browser.get(path)
    assert again.status_code == 410
    assert "This link has already been used." in again.text
    other = links["contact1@org1.example"]
    resent = site.post(path, {"rating": "1", "worthwhile": "no"}, from_page=other)
    assert resent.status_code == 410
    with site.world.app.db.transaction() as session:  # a reminder's link for the same organisation
        second = issue_link(
            session,
            purpose="feedback",
            vacancy_id=vid,
            organisation_id=site.world.orgs[0],
            appointment_id=given_appointment(site, review_id),
            review_id=review_id,
            expires_at=site.world.clock.now() + DAY,
        )
    refused = site.browser.get(f"/feedback/{second}")
    assert refused.status_code == 410
    assert "Your organisation has already given its feedback on this review." in refused.text
    assert len(feedback(site)) == 1


def given_appointment(site: Site, review_id: int) -> int:
    with site.world.app.db.transaction() as session:
        return session.get_one(Review, review_id).appointment_id


def test_a_review_closed_early_or_past_its_deadline_takes_no_feedback(site: Site) -> None:
    _, review_id, links = review_open(site)
    early = links["contact0@org0.example"]
    site.browser.get(early)
    aid = given_appointment(site, review_id)
    site.world.app.transitions.fire(aid, "close_review", actor=COORDINATOR, entity="appointment")
    closed = site.browser.get(early)
    assert closed.status_code == 410
    assert "This review has closed, so the link no longer works." in closed.text

    travel(site.world, 22 * DAY)
    expired = site.browser.get(links["contact1@org1.example"])
    assert expired.status_code == 410 and "This link has expired." in expired.text
    damaged = site.browser.get(early[:-4])
    assert damaged.status_code == 404 and "This link is incomplete or has been changed." in damaged.text
    assert feedback(site) == []
