"""A representative's whole term, travelling in time: induction, report-backs, reviews, re-election."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlmodel import col, select

from nominations.actors import Actor
from nominations.db.models import AuditEvent, OutboxMessage, Timer, Vacancy
from nominations.db.term_models import Appointment, InductionItem, Review
from nominations.errors import ReasonRequiredError, TransitionRefused
from nominations.services.audit_verify import verify
from nominations.services.induction import InductionError, representative
from nominations.services.report_backs import ReportBackError, ReportForm
from nominations.services.reviews import ReviewError, review_records
from tests.integration.conftest import COORDINATOR, OPEN_SEAT, World

DAY = timedelta(days=1)


def filled_seat(world: World, *, overrides: dict[str, object] | None = None, term_months: int = 36) -> int:
    """Run a contested election (Alice 3 votes, Bob 2) to a filled seat; return the vacancy id."""
    vid = world.request(overrides={**OPEN_SEAT, **(overrides or {})})
    with world.app.db.transaction() as session:
        vacancy = session.get_one(Vacancy, vid)
        vacancy.term_months = term_months
        session.add(vacancy)
    world.fire(vid, "accept")
    world.fire(vid, "open_nominations")
    alice = world.nominate(vid, 0, "Alice Able")
    bob = world.nominate(vid, 1, "Bob Baker")
    travel(world, 22 * DAY)
    assert world.status(vid) == "voting_open"
    for i, choice in enumerate([alice, alice, alice, bob, bob]):
        world.vote(vid, i, [choice])
    travel(world, 15 * DAY)
    assert world.status(vid) == "counted"
    world.fire(vid, "declare")
    world.fire(vid, "fill")
    return vid


def travel(world: World, by: timedelta, step: timedelta = 7 * DAY) -> None:
    """Move the clock forward a step at a time, firing what falls due (as a running worker would)."""
    end = world.clock.now() + by
    while world.clock.now() < end:
        world.clock.advance(min(step, end - world.clock.now()))
        world.fire_timers()


def appointments(world: World, vacancy_id: int) -> dict[str, Appointment]:
    with world.app.db.transaction() as session:
        rows = session.exec(select(Appointment).where(Appointment.vacancy_id == vacancy_id)).all()
        return {a.person_name.split()[0]: a for a in rows}


def appointment(world: World, appointment_id: int) -> Appointment:
    with world.app.db.transaction() as session:
        return session.get_one(Appointment, appointment_id)


def mail_to(world: World, template: str, email: str | None = None) -> list[OutboxMessage]:
    with world.app.db.transaction() as session:
        query = select(OutboxMessage).where(OutboxMessage.template == template)
        if email is not None:
            query = query.where(OutboxMessage.to_email == email)
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def schedule_meetings(world: World, first: datetime, count: int, every: timedelta) -> list[int]:
    return [
        world.app.term.meetings.schedule(
            world.partnership_id,
            "Safer Town board",
            first + i * every,
            first + i * every + timedelta(hours=2),
            COORDINATOR,
            location="Town Hall",
        )
        for i in range(count)
    ]


def finish_induction(world: World, appointment_id: int) -> None:
    with world.app.db.transaction() as session:
        keys = [
            i.key
            for i in session.exec(
                select(InductionItem).where(InductionItem.appointment_id == appointment_id)
            ).all()
            if i.required and i.status == "open"
        ]
    for key in keys:
        world.app.term.induction.tick(appointment_id, key, representative(appointment_id))


def test_the_winner_is_inducted_and_the_runner_up_stands_by(world: World) -> None:
    start = world.clock.now()
    meetings = schedule_meetings(world, start + 60 * DAY, 6, 60 * DAY)
    vid = filled_seat(world)
    seat = appointments(world, vid)
    alice, bob = seat["Alice"], seat["Bob"]
    assert (alice.status, alice.role, bob.status, bob.role) == (
        "inducting",
        "representative",
        "standing_by",
        "substitute",
    )
    assert alice.term_start_at == world.clock.now()
    assert alice.term_end_at == datetime(
        alice.term_start_at.year + 3, *alice.term_start_at.timetuple()[1:6], tzinfo=UTC
    )

    [welcome] = mail_to(world, "welcome_representative", alice.person_email)
    [ics] = welcome.attachments
    calendar = Calendar.from_ical(ics["text"])
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(meetings) == 6
    assert len({str(e["UID"]) for e in events}) == 6
    assert all(str(e["STATUS"]) == "CONFIRMED" for e in events)
    assert "/representative/" in welcome.text_body
    assert "Reduce crime and the fear of crime." in welcome.text_body  # the terms of reference
    assert mail_to(world, "substitute_standing_by", bob.person_email)


def test_induction_reminders_fire_and_stop_when_the_checklist_is_done(world: World) -> None:
    vid = filled_seat(world)
    alice = appointments(world, vid)["Alice"]
    assert alice.id is not None
    travel(world, 15 * DAY)  # the first reminder goes four weeks before the six-week deadline
    assert len(mail_to(world, "induction_reminder", alice.person_email)) == 1

    with pytest.raises(InductionError, match="only a coordinator may waive"):
        world.app.term.induction.waive(alice.id, "chair_meeting", representative(alice.id), "busy")
    with pytest.raises(InductionError, match="give a reason"):
        world.app.term.induction.waive(alice.id, "chair_meeting", COORDINATOR, "  ")
    world.app.term.induction.waive(alice.id, "chair_meeting", COORDINATOR, "The chair met her at the AGM.")
    with pytest.raises(InductionError, match="already waived"):
        world.app.term.induction.tick(alice.id, "chair_meeting", representative(alice.id))
    finish_induction(world, alice.id)
    assert appointment(world, alice.id).status == "active"
    with world.app.db.transaction() as session:
        pending = session.exec(
            select(Timer).where(
                Timer.entity_type == "appointment", Timer.entity_id == alice.id, Timer.status == "pending"
            )
        ).all()
    assert {t.name for t in pending} == {"annual_review", "call_reelection", "end_term"}

    travel(world, 60 * DAY)
    assert len(mail_to(world, "induction_reminder", alice.person_email)) == 1  # no more after it was done
    assert mail_to(world, "induction_complete", alice.person_email)


def test_a_three_year_term_reviews_every_year_and_the_next_term_starts_on_time(world: World) -> None:
    start = world.clock.now()
    meetings = schedule_meetings(world, start + 45 * DAY, 18, 60 * DAY)
    vid = filled_seat(world)
    alice = appointments(world, vid)["Alice"]
    assert alice.id is not None and alice.term_start_at is not None and alice.term_end_at is not None
    finish_induction(world, alice.id)

    # Year one: report back on the first two meetings; the third goes overdue and is chased once.
    travel(world, 170 * DAY)
    form = ReportForm(attended=True, discussed="Budget", sector_said="Protect grants", coming_up="Strategy")
    world.app.term.report_backs.submit(alice.id, meetings[0], form, representative(alice.id))
    world.app.term.report_backs.submit(
        alice.id, meetings[1], ReportForm(attended=False), representative(alice.id)
    )
    with pytest.raises(ReportBackError, match="already filed"):
        world.app.term.report_backs.submit(alice.id, meetings[0], form, representative(alice.id))
    with pytest.raises(ReportBackError, match="has not happened yet"):
        world.app.term.report_backs.submit(alice.id, meetings[5], form, representative(alice.id))
    world.clock.advance(30 * DAY)
    assert world.app.term.report_backs.chase() == 1
    assert world.app.term.report_backs.chase() == 0  # one reminder per overdue meeting
    [chaser] = mail_to(world, "report_back_reminder", alice.person_email)
    assert "/representative/" in chaser.text_body

    # The first anniversary opens the review, with figures computed from the record.
    travel(world, alice.term_start_at + timedelta(days=366) - world.clock.now())
    assert appointment(world, alice.id).status == "review_due"
    with world.app.db.transaction() as session:
        [review] = session.exec(select(Review).where(Review.appointment_id == alice.id)).all()
    assert (review.year, review.meetings_held, review.meetings_attended, review.report_backs_filed) == (
        1,
        6,
        1,
        2,
    )
    assert len(mail_to(world, "review_feedback_request")) == 6  # each member organisation in good standing
    world.app.term.reviews.reflect(
        alice.id, "A good year.", "yes", "Budget decisions land here.", representative(alice.id)
    )
    assert review.id is not None
    world.app.term.reviews.give_feedback(review.id, world.orgs[0], 5, "yes", "Clear reports.")
    with pytest.raises(ReviewError, match="already given"):
        world.app.term.reviews.give_feedback(review.id, world.orgs[0], 1, "no", "")
    with pytest.raises(ReviewError, match="from 1 to 5"):
        world.app.term.reviews.give_feedback(review.id, world.orgs[1], 9, "no", "")
    late = ReportForm(attended=True, discussed="Licensing")
    world.app.term.report_backs.submit(alice.id, meetings[2], late, representative(alice.id))

    travel(world, 22 * DAY)
    assert appointment(world, alice.id).status == "under_review"
    with world.app.db.transaction() as session:
        closed = session.get_one(Review, review.id)
    assert (closed.meetings_attended, closed.report_backs_filed) == (2, 3)  # counted again at the close
    with pytest.raises(ReviewError, match="no review open"):
        world.app.term.reviews.give_feedback(review.id, world.orgs[1], 4, "yes", "")
    with pytest.raises(ReasonRequiredError):
        world.app.transitions.fire(alice.id, "continue", actor=COORDINATOR, entity="appointment")
    world.app.transitions.fire(
        alice.id, "continue", actor=COORDINATOR, reason="Attends and reports well.", entity="appointment"
    )
    assert appointment(world, alice.id).next_review_at == alice.term_start_at.replace(
        year=alice.term_start_at.year + 2
    )

    # Year two: the second review opens on the second anniversary.
    travel(world, alice.term_start_at.replace(year=alice.term_start_at.year + 2) + DAY - world.clock.now())
    assert appointment(world, alice.id).status == "review_due"
    travel(world, 22 * DAY)
    world.app.transitions.fire(
        alice.id,
        "continue_with_support",
        actor=COORDINATOR,
        reason="Mentoring offered.",
        entity="appointment",
    )

    # Ten weeks before the term ends the next election opens by itself, for a term starting on time.
    notice = alice.term_end_at - timedelta(weeks=10)
    travel(world, notice - world.clock.now() - DAY)
    assert appointment(world, alice.id).successor_vacancy_id is None
    travel(world, 2 * DAY)
    successor = appointment(world, alice.id).successor_vacancy_id
    assert successor is not None
    assert world.status(successor) == "nominations_open"
    with world.app.db.transaction() as session:
        nxt = session.get_one(Vacancy, successor)
        assert (nxt.origin, nxt.previous_appointment_id, nxt.term_starts_at) == (
            "reelection",
            alice.id,
            alice.term_end_at,
        )
    world.nominate(successor, 2, "Carol Clark")
    travel(world, 22 * DAY)
    assert world.status(successor) == "elected_unopposed"
    world.fire(successor, "declare")
    world.fire(successor, "fill")
    carol = appointments(world, successor)["Carol"]
    assert carol.term_start_at == alice.term_end_at

    # The term ends on its date: no third review, the substitute is released, the chain verifies.
    travel(world, alice.term_end_at - world.clock.now() + DAY)
    assert appointment(world, alice.id).status == "ended"
    assert appointments(world, vid)["Bob"].status == "ended"
    with world.app.db.transaction() as session:
        years = session.exec(select(Review.year).where(Review.appointment_id == alice.id)).all()
        assert sorted(years) == [1, 2]
        actions = session.exec(
            select(AuditEvent.action).where(
                AuditEvent.entity_type == "appointment", AuditEvent.entity_id == str(alice.id)
            )
        ).all()
    assert verify(world.app.db).ok
    for expected in (
        "appoint",
        "start_induction",
        "complete_induction",
        "report_back",
        "open_review",
        "continue",
        "call_reelection",
        "end_term",
    ):
        assert expected in actions


@pytest.mark.parametrize(
    ("substitute", "expected"),
    [(True, "substitute steps up"), (False, "casual vacancy opens")],
)
def test_a_resignation_brings_in_the_substitute_or_opens_a_casual_vacancy(
    world: World, substitute: bool, expected: str
) -> None:
    vid = filled_seat(world, overrides={"runner_up_becomes_substitute": substitute})
    seat = appointments(world, vid)
    alice = seat["Alice"]
    assert alice.id is not None
    finish_induction(world, alice.id)
    travel(world, 100 * DAY)
    world.app.transitions.fire(alice.id, "resign", actor=representative(alice.id), entity="appointment")
    after = appointment(world, alice.id)
    assert after.status == "resigned"
    if substitute:
        bob = appointments(world, vid)["Bob"]
        assert (bob.status, bob.role, bob.term_end_at) == ("inducting", "representative", alice.term_end_at)
        assert after.successor_vacancy_id is None
    else:
        assert "Bob" not in seat
        assert after.successor_vacancy_id is not None
        with world.app.db.transaction() as session:
            casual = session.get_one(Vacancy, after.successor_vacancy_id)
            assert (casual.origin, casual.status, casual.term_ends_at) == (
                "casual",
                "nominations_open",
                alice.term_end_at,
            )


def test_removal_needs_a_reason_and_a_finished_appointment_takes_no_more(world: World) -> None:
    vid = filled_seat(world)
    alice = appointments(world, vid)["Alice"]
    assert alice.id is not None
    with pytest.raises(ReasonRequiredError):
        world.app.transitions.fire(alice.id, "remove", actor=COORDINATOR, entity="appointment")
    world.app.transitions.fire(
        alice.id, "remove", actor=COORDINATOR, reason="Conflict of interest.", entity="appointment"
    )
    with pytest.raises(InductionError, match="the induction is over: the appointment is removed"):
        world.app.term.induction.tick(alice.id, "chair_meeting", representative(alice.id))
    with pytest.raises(TransitionRefused):
        world.app.transitions.fire(alice.id, "resign", actor=COORDINATOR, entity="appointment")


@pytest.mark.parametrize("carry_on", [False, True])
def test_the_term_limit_bars_the_retiring_representative_unless_nobody_else_stands(
    world: World, carry_on: bool
) -> None:
    vid = filled_seat(world, overrides={"term_limit": 1, "carry_on_if_unopposed": carry_on}, term_months=12)
    alice = appointments(world, vid)["Alice"]
    assert alice.id is not None and alice.term_end_at is not None
    finish_induction(world, alice.id)
    travel(world, alice.term_end_at - timedelta(weeks=10) - world.clock.now() + DAY)
    successor = appointment(world, alice.id).successor_vacancy_id
    assert successor is not None
    with world.app.db.transaction() as session:
        assert session.get_one(Vacancy, successor).barred_emails == [alice.person_email]
    from nominations.eligibility import NominationInput
    from nominations.services.nominating import FormErrors

    with pytest.raises(FormErrors) as refused:
        world.app.nominating.propose_for(
            successor,
            world.orgs[3],
            NominationInput(
                "Alice Able", alice.person_email, "", "Again.", frozenset({"not_employed_by_partnership"}), ()
            ),
        )
    assert "most this network's protocol allows" in refused.value.errors["nominee_email"]
    travel(world, 22 * DAY)  # nobody else stands
    if not carry_on:
        assert world.status(successor) == "no_valid_nominations"
        return
    assert world.status(successor) == "elected_unopposed"
    world.fire(successor, "declare")
    world.fire(successor, "fill")
    again = appointments(world, successor)["Alice"]
    assert (again.consecutive_terms, again.term_start_at) == (2, alice.term_end_at)


def test_a_moved_meeting_keeps_its_calendar_id_and_a_cancelled_one_is_marked(world: World) -> None:
    start = world.clock.now()
    [first, second] = schedule_meetings(world, start + 60 * DAY, 2, 30 * DAY)
    vid = filled_seat(world)
    alice = appointments(world, vid)["Alice"]
    [welcome] = mail_to(world, "welcome_representative", alice.person_email)
    before = {str(e["UID"]): e for e in Calendar.from_ical(welcome.attachments[0]["text"]).walk("VEVENT")}
    moved_to = start + 65 * DAY
    world.app.term.meetings.move(first, moved_to, moved_to + timedelta(hours=2), COORDINATOR)
    world.app.term.meetings.cancel(second, COORDINATOR)
    moved, cancelled = mail_to(world, "schedule_updated", alice.person_email)
    after_move = {str(e["UID"]): e for e in Calendar.from_ical(moved.attachments[0]["text"]).walk("VEVENT")}
    after_cancel = {
        str(e["UID"]): e for e in Calendar.from_ical(cancelled.attachments[0]["text"]).walk("VEVENT")
    }
    assert set(before) == set(after_move) == set(after_cancel)
    uid = next(u for u, e in before.items() if e.decoded("DTSTART") == start + 60 * DAY)
    assert after_move[uid].decoded("DTSTART") == moved_to
    assert int(after_move[uid]["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1
    statuses = sorted(str(e["STATUS"]) for e in after_cancel.values())
    assert statuses == ["CANCELLED", "CONFIRMED"]
    assert "moved to" in moved.text_body


def test_a_review_outcome_of_rerun_opens_a_new_election(world: World) -> None:
    vid = filled_seat(world)
    alice = appointments(world, vid)["Alice"]
    assert alice.id is not None and alice.term_start_at is not None
    finish_induction(world, alice.id)
    travel(world, alice.term_start_at.replace(year=alice.term_start_at.year + 1) + DAY - world.clock.now())
    travel(world, 22 * DAY)
    assert appointment(world, alice.id).status == "under_review"
    world.app.transitions.fire(
        alice.id,
        "rerun_election",
        actor=COORDINATOR,
        reason="Members asked for a fresh election.",
        entity="appointment",
    )
    after = appointment(world, alice.id)
    assert after.status == "ended" and after.successor_vacancy_id is not None
    assert world.status(after.successor_vacancy_id) == "nominations_open"
    assert appointments(world, vid)["Bob"].status == "ended"
    with world.app.db.transaction() as session:
        [review] = session.exec(select(Review).where(Review.appointment_id == alice.id)).all()
    assert (review.outcome, review.outcome_reason) == (
        "rerun_election",
        "Members asked for a fresh election.",
    )


def test_a_representative_may_not_act_for_the_coordinator(world: World) -> None:
    vid = filled_seat(world)
    alice = appointments(world, vid)["Alice"]
    assert alice.id is not None
    from nominations.errors import ActorNotAllowedError

    with pytest.raises(ActorNotAllowedError):
        world.app.transitions.fire(
            alice.id, "remove", actor=Actor("representative", "x"), reason="x", entity="appointment"
        )


def test_members_get_a_digest_of_new_report_backs_as_often_as_the_protocol_says(world: World) -> None:
    start = world.clock.now()
    meetings = schedule_meetings(world, start + 40 * DAY, 3, 15 * DAY)
    vid = filled_seat(world)
    alice = appointments(world, vid)["Alice"]
    assert alice.id is not None
    finish_induction(world, alice.id)
    assert world.app.term.digests.send_due() == 0  # nothing filed yet: no empty digest
    travel(world, 20 * DAY)
    form = ReportForm(attended=True, discussed="The <b>budget</b>", needs_from_members="Case studies")
    world.app.term.report_backs.submit(alice.id, meetings[0], form, representative(alice.id))
    assert world.app.term.digests.send_due() == 1
    digests = mail_to(world, "report_back_digest")
    assert len(digests) == 6  # every member organisation in good standing
    assert "Case studies" in digests[0].text_body and "&lt;b&gt;budget" in digests[0].html_body
    world.clock.advance(10 * DAY)
    world.app.term.report_backs.submit(alice.id, meetings[1], form, representative(alice.id))
    assert world.app.term.digests.send_due() == 0  # four weeks have not passed since the last
    world.clock.advance(20 * DAY)
    assert world.app.term.digests.send_due() == 1
    assert len(mail_to(world, "report_back_digest")) == 12
    latest = mail_to(world, "report_back_digest")[-1]
    assert latest.text_body.count("Case studies") == 1  # only what is new since the last digest


def test_every_review_is_kept_and_exportable(world: World, tmp_path: Path) -> None:
    vid = filled_seat(world)
    alice = appointments(world, vid)["Alice"]
    assert alice.id is not None and alice.term_start_at is not None
    finish_induction(world, alice.id)
    for year, outcome in ((1, "continue"), (2, "continue_with_support")):
        travel(
            world, alice.term_start_at.replace(year=alice.term_start_at.year + year) + DAY - world.clock.now()
        )
        travel(world, 22 * DAY)
        world.app.transitions.fire(
            alice.id, outcome, actor=COORDINATOR, reason=f"Year {year}.", entity="appointment"
        )
    with world.app.db.transaction() as session:
        records = review_records(session, world.network_id)
    assert [(r["year"], r["outcome"], r["outcome_reason"]) for r in records] == [
        (1, "continue", "Year 1."),
        (2, "continue_with_support", "Year 2."),
    ]
    assert all(r["representative"] == "Alice Able" for r in records)


def test_a_seat_may_set_its_own_induction_checklist(world: World) -> None:
    own = [
        {"id": "control_room_visit", "text": "Visit the CCTV control room.", "required": True},
        {"id": "dbs_check", "text": "Complete a DBS check.", "required": False},
    ]
    vid = filled_seat(world, overrides={"induction_checklist": own})
    alice = appointments(world, vid)["Alice"]
    assert alice.id is not None
    with world.app.db.transaction() as session:
        items = session.exec(select(InductionItem).where(InductionItem.appointment_id == alice.id)).all()
    assert [(i.key, i.required) for i in items] == [("control_room_visit", True), ("dbs_check", False)]
    world.app.term.induction.tick(alice.id, "control_room_visit", representative(alice.id))
    assert appointment(world, alice.id).status == "active"  # the optional step does not hold it back


def test_workers_chasing_and_digesting_side_by_side_send_each_once(world: World) -> None:
    if world.app.db.dialect != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises whole transactions")
    start = world.clock.now()
    meetings = schedule_meetings(world, start + 40 * DAY, 2, 15 * DAY)
    vid = filled_seat(world)
    alice = appointments(world, vid)["Alice"]
    assert alice.id is not None
    finish_induction(world, alice.id)
    world.clock.advance(30 * DAY)
    form = ReportForm(attended=True, discussed="Budget")
    world.app.term.report_backs.submit(alice.id, meetings[0], form, representative(alice.id))
    world.clock.advance(30 * DAY)  # the second meeting's report-back is now overdue
    term = world.app.term
    with ThreadPoolExecutor(4) as pool:
        chased = list(pool.map(lambda _: term.report_backs.chase(), range(4)))
        digested = list(pool.map(lambda _: term.digests.send_due(), range(4)))
    assert (sum(chased), sum(digested)) == (1, 1)
    assert len(mail_to(world, "report_back_reminder")) == 1
    assert len(mail_to(world, "report_back_digest")) == 6
