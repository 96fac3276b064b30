"""The representative's page over HTTP: induction, meetings, report-backs, review; the seat's record."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from nominations.db.models import Vacancy
from nominations.db.term_models import InductionItem, ReportBack, Review
from nominations.links import new_token
from nominations.services.access import issue_link
from nominations.services.induction import representative
from nominations.services.report_backs import ReportForm
from tests.integration.conftest import COORDINATOR, snapshot
from tests.integration.test_appointment_term import (
    DAY,
    appointment,
    appointments,
    filled_seat,
    finish_induction,
    schedule_meetings,
    travel,
)
from tests.web.conftest import CSRF, Site

REQUIRED = ["protocol_acknowledged", "chair_meeting", "conflicts_briefing", "briefing_pack"]


def seated(site: Site, *, meetings: int = 0) -> tuple[int, int, str, list[int]]:
    """A filled seat: (vacancy, Alice's appointment, her page's path, the partnership's meetings)."""
    world = site.world
    ids = schedule_meetings(world, world.clock.now() + 60 * DAY, meetings, 30 * DAY) if meetings else []
    vid = filled_seat(world)
    alice = appointments(world, vid)["Alice"]
    assert alice.id is not None
    [(_, path)] = [link for link in site.links("welcome_representative") if link[0] == alice.person_email]
    assert path.startswith("/representative/")
    return vid, alice.id, path, ids


def report_backs(site: Site) -> list[ReportBack]:
    with site.world.app.db.transaction() as session:
        return list(session.exec(select(ReportBack)).all())


def test_the_induction_is_ticked_off_step_by_step_until_the_appointment_is_active(site: Site) -> None:
    _, aid, path, _ = seated(site)
    site.world.app.term.induction.waive(aid, "chair_meeting", COORDINATOR, "Met the chair at the <AGM>.")
    page = site.browser.get(path)
    assert page.status_code == 200
    assert "<h1>Your seat on Safer Town Partnership</h1>" in page.text
    assert "Read and acknowledge the protocol" in page.text
    assert page.text.count(">Required<") + page.text.count(">Required.") == 4
    assert "Optional" in page.text
    assert 'id="step-chair_meeting-status">Waived</strong>' in page.text
    assert "Waived by the coordinator: Met the chair at the &lt;AGM&gt;." in page.text
    assert page.text.count(">Mark as done</button>") == 4  # every open step, the optional one too

    steps = [k for k in REQUIRED if k != "chair_meeting"]
    for key in steps[:-1]:
        done = site.post(f"{path}/induction", {"step": key}, from_page=path)
        assert done.status_code == 200
        assert f'id="step-{key}-status">Done</strong>' in done.text
        assert "Done: " in done.text
        assert appointment(site.world, aid).status == "inducting"

    again = site.post(f"{path}/induction", {"step": steps[0]}, from_page=path)  # a stale second tab
    assert again.status_code == 400
    assert '<li><a href="#induction">&#39;Read and acknowledge the protocol between the network' in again.text
    assert "is already done" in again.text
    unknown = site.post(f"{path}/induction", {"step": "no_such_step"}, from_page=path)
    assert unknown.status_code == 404

    last = site.post(f"{path}/induction", {"step": steps[-1]}, from_page=path)
    assert last.status_code == 200
    assert "Your induction is complete: you are now active in the seat." in last.text
    assert appointment(site.world, aid).status == "active"
    assert ">Mark as done</button>" not in last.text
    with site.world.app.db.transaction() as session:
        items = session.exec(select(InductionItem).where(InductionItem.appointment_id == aid)).all()
    assert {i.key: i.status for i in items} == {
        "protocol_acknowledged": "done",
        "chair_meeting": "waived",
        "conflicts_briefing": "done",
        "briefing_pack": "done",
        "expenses_arranged": "open",
    }
    assert {i.done_by for i in items if i.status == "done"} == {f"representative:appointment:{aid}"}


def test_a_forged_tick_is_refused_and_nothing_is_written(site: Site) -> None:
    _, aid, path, _ = seated(site)
    site.browser.get(path)
    before = snapshot(site.world.app.db)
    forged = site.browser.post(f"{path}/induction", data={"step": "chair_meeting", "csrf_token": "forged"})
    assert forged.status_code == 403
    assert snapshot(site.world.app.db) == before
    with site.world.app.db.transaction() as session:
        assert session.get_one(InductionItem, (aid, "chair_meeting")).status == "open"


def test_meetings_and_a_report_back_filed_after_a_validation_error(site: Site) -> None:
    world = site.world
    _, aid, path, meetings = seated(site, meetings=6)  # on days 60, 90, ... 210; the seat fills on day 37
    finish_induction(world, aid)
    world.app.term.meetings.cancel(meetings[2], COORDINATOR)
    travel(world, 67 * DAY)
    world.app.term.report_backs.submit(aid, meetings[1], ReportForm(attended=False), representative(aid))
    travel(world, 51 * DAY)  # day 155: 60 overdue, 90 filed, 120 cancelled, 150 due; 180 and 210 to come

    page = site.browser.get(path)
    assert page.status_code == 200
    upcoming = page.text.split('id="upcoming"')[1].split('id="past"')[0]
    assert upcoming.count("<tr><td>Safer Town board</td>") == 2 and "Town Hall" in upcoming
    past = page.text.split('id="past"')[1]
    assert f'id="meeting-{meetings[0]}"' in past and "Overdue" in past
    assert f'<a href="{path}/report/{meetings[0]}">File the report-back' in past
    assert f'href="{path}/report/{meetings[1]}"' not in past and ">Filed<" in past
    assert ">Cancelled<" in past and f'href="{path}/report/{meetings[2]}"' not in past
    assert ">Due by " in past and f'href="{path}/report/{meetings[3]}"' in past

    form_path = f"{path}/report/{meetings[0]}"
    before = snapshot(world.app.db)
    bad: dict[str, str | list[str]] = {
        "attended": "yes",
        "discussed": "  ",
        "sector_said": "Protect <b>grants</b>",
        "coming_up": "x" * 2001,
    }
    too_long = site.post(form_path, bad)
    assert too_long.status_code == 400
    assert "<title>Error: Report back on Safer Town board" in too_long.text
    assert '<li><a href="#coming_up">Keep each answer under 2000 characters</a></li>' in too_long.text
    assert 'id="coming_up-error"' in too_long.text and "You have 1 characters too many" in too_long.text
    assert "Protect &lt;b&gt;grants&lt;/b&gt;</textarea>" in too_long.text  # what was typed is kept
    assert 'value="yes" checked' in too_long.text
    response = site.post(form_path, {**bad, "coming_up": "Strategy"})
    assert response.status_code == 400
    assert '<li><a href="#discussed">Say what was discussed at the meeting</a></li>' in response.text
    assert 'id="discussed-error"' in response.text and "Strategy</textarea>" in response.text
    no_answer = site.post(form_path, {"discussed": "Budget"})
    assert no_answer.status_code == 400
    assert '<li><a href="#attended">Say whether you attended the meeting' in no_answer.text
    assert snapshot(world.app.db) == before
    assert [r.meeting_id for r in report_backs(site)] == [meetings[1]]

    good = {**bad, "discussed": "The budget", "coming_up": "Strategy"}
    filed = site.post(form_path, good)
    assert filed.status_code == 200
    assert "Thank you: your report-back on Safer Town board of" in filed.text
    assert f'href="{form_path}"' not in filed.text
    report = {r.meeting_id: r for r in report_backs(site)}[meetings[0]]
    assert (report.attended, report.discussed, report.sector_said) == (
        True,
        "The budget",
        "Protect <b>grants</b>",
    )

    twice = site.post(form_path, good, from_page=f"{path}/report/{meetings[3]}")
    assert twice.status_code == 400
    assert "The report-back on that meeting is already filed" in twice.text
    assert site.browser.get(f"{path}/report/{meetings[4]}").status_code == 404  # not held yet
    assert site.browser.get(f"{path}/report/999999").status_code == 404


def test_the_reflection_is_saved_and_revised_while_the_review_is_open(site: Site) -> None:
    world = site.world
    _, aid, path, _ = seated(site)
    finish_induction(world, aid)
    start = appointment(world, aid).term_start_at
    assert start is not None
    travel(world, start + timedelta(days=366) - world.clock.now())
    assert appointment(world, aid).status == "review_due"

    page = site.browser.get(path)
    assert 'id="review">Your yearly review</h2>' in page.text
    for figure in ("meetings-held", "meetings-attended", "report-backs-filed"):
        assert f'id="{figure}">0</dd>' in page.text
    before = snapshot(world.app.db)
    empty = site.post(f"{path}/review", {"reflection": " ", "worthwhile": "yes"}, from_page=path)
    assert empty.status_code == 400
    assert '<li><a href="#reflection">Write a few words of reflection on the year' in empty.text
    no_answer = site.post(f"{path}/review", {"reflection": "A <i>good</i> year."}, from_page=path)
    assert no_answer.status_code == 400
    assert '<a href="#worthwhile">Say whether the seat is still worth the sector&#39;s time' in no_answer.text
    assert "A &lt;i&gt;good&lt;/i&gt; year.</textarea>" in no_answer.text
    assert snapshot(world.app.db) == before

    saved = site.post(
        f"{path}/review",
        {"reflection": "A good year.", "worthwhile": "unsure", "why": "Few decisions."},
        path,
    )
    assert saved.status_code == 200 and "Your reflection is saved." in saved.text
    revised = site.post(f"{path}/review", {"reflection": "Better than I said.", "worthwhile": "yes"}, path)
    assert revised.status_code == 200
    assert 'value="yes" checked' in revised.text and "Better than I said.</textarea>" in revised.text
    with world.app.db.transaction() as session:
        [review] = session.exec(select(Review).where(Review.appointment_id == aid)).all()
    assert (review.reflection, review.seat_worthwhile, review.seat_worthwhile_why) == (
        "Better than I said.",
        "yes",
        "",
    )

    travel(world, 22 * DAY)
    assert appointment(world, aid).status == "under_review"
    closed = site.browser.get(path)
    assert (
        "the coordinator is deciding its outcome" in closed.text
        and 'action="' + path + '/review"' not in closed.text
    )
    stale = CSRF.search(revised.text)  # the form left open in a tab while the review closed
    assert stale is not None
    late_form = {"reflection": "One more thing.", "worthwhile": "no", "csrf_token": stale.group(1)}
    late = site.browser.post(f"{path}/review", data=late_form)
    assert late.status_code == 400
    assert "There is no review open for this appointment now" in late.text


def test_a_finished_appointment_shows_a_plain_page_with_no_forms(site: Site) -> None:
    _, aid, path, meetings = seated(site, meetings=1)
    travel(site.world, 30 * DAY)
    site.world.app.transitions.fire(
        aid, "remove", actor=COORDINATOR, reason="Conflict.", entity="appointment"
    )
    for page in (site.browser.get(path), site.browser.get(f"{path}/report/{meetings[0]}")):
        assert page.status_code == 200
        assert "<h1>You have been removed from this seat</h1>" in page.text
        assert "<form" not in page.text


def test_every_bad_representative_link_shows_the_link_error_pages(site: Site) -> None:
    vid, aid, path, _ = seated(site)
    token = path.removeprefix("/representative/")
    with site.world.app.db.transaction() as session:
        short = issue_link(
            session,
            purpose="representative",
            vacancy_id=vid,
            appointment_id=aid,
            expires_at=site.world.clock.now() + DAY,
        )
    assert site.browser.get(f"/representative/{short}").status_code == 200
    travel(site.world, 2 * DAY)
    cases = [
        (f"/representative/{token[:-3]}", 404, "This link is incomplete or has been changed."),
        (f"/representative/{new_token()}", 404, "This link is not one we sent."),
        (f"/feedback/{token}", 404, "This link is not one we sent."),  # a link for another purpose
        (f"/representative/{short}", 410, "This link has expired."),
        (f"/representative/{short}/report/1", 410, "This link has expired."),
    ]
    for url, status, title in cases:
        page = site.browser.get(url)
        assert page.status_code == status, url
        assert f"<h1>{title}</h1>" in page.text, url
    refused = site.post(f"/representative/{short}/induction", {"step": "chair_meeting"}, from_page=path)
    assert refused.status_code == 410
    with site.world.app.db.transaction() as session:
        assert session.get_one(InductionItem, (aid, "chair_meeting")).status == "open"


def test_the_seat_page_shows_its_holder_and_every_report_back_newest_first_escaped(site: Site) -> None:
    world = site.world
    vid, aid, _, meetings = seated(site, meetings=2)
    finish_induction(world, aid)
    travel(world, 60 * DAY)
    actor = representative(aid)
    hostile = ReportForm(attended=True, discussed="<script>alert(1)</script>", needs_from_members="Data")
    world.app.term.report_backs.submit(aid, meetings[0], hostile, actor)
    world.app.term.report_backs.submit(
        aid, meetings[1], ReportForm(attended=False, coming_up="Budget"), actor
    )

    page = site.browser.get(f"/seats/{vid}/report-backs")
    assert page.status_code == 200
    assert "<h1>Report-backs: VCS representative</h1>" in page.text
    assert "<strong>Alice Able</strong>" in page.text and "Bob Baker" not in page.text  # Bob stands by
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert" not in page.text
    newest, oldest = page.text.index('id="report-1"'), page.text.index('id="report-2"')
    assert page.text.index("Budget") < oldest < page.text.index("&lt;script&gt;") and newest < oldest
    assert "<dt>Attended</dt><dd>No</dd>" in page.text and "<dt>Attended</dt><dd>Yes</dd>" in page.text

    other = world.request()  # requested, nobody appointed to it
    with world.app.db.transaction() as session:
        assert session.get(Vacancy, other) is not None
    assert site.browser.get(f"/seats/{other}/report-backs").status_code == 404
    assert site.browser.get("/seats/999999/report-backs").status_code == 404
