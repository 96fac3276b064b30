"""Every branch of workflows/vacancy.yaml, driven through the services on a real database."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlmodel import col, select

from nominations.actors import Actor
from nominations.db.models import (
    AccessLink,
    AuditEvent,
    ElectionResult,
    ElectorateMember,
    OutboxMessage,
    Timer,
    Vacancy,
)
from nominations.errors import (
    ActorNotAllowedError,
    NotFoundError,
    ReasonRequiredError,
    TriggerNotAllowedError,
)
from nominations.links import token_hash
from nominations.services.access import LinkError
from tests.integration.conftest import World, count, snapshot


def outbox(world: World, template: str) -> list[OutboxMessage]:
    with world.app.db.transaction() as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.template == template)).all())


def events(world: World, vacancy_id: int) -> list[AuditEvent]:
    with world.app.db.transaction() as session:
        return list(
            session.exec(
                select(AuditEvent)
                .where(AuditEvent.entity_type == "vacancy", AuditEvent.entity_id == str(vacancy_id))
                .order_by(col(AuditEvent.seq))
            ).all()
        )


def open_call(world: World) -> int:
    vid = world.request()
    world.fire(vid, "accept")
    world.fire(vid, "open_nominations")
    return vid


def close_call(world: World, vid: int) -> None:
    with world.app.db.transaction() as session:
        deadline = session.get_one(Vacancy, vid).nominations_close_at
    assert deadline is not None
    world.clock.set(deadline)
    world.fire_timers()


def test_request_is_accepted_and_the_partnership_is_told(world: World) -> None:
    vid = world.request()
    assert world.status(vid) == "requested"
    assert world.fire(vid, "accept") == "accepted"
    [mail] = outbox(world, "request_accepted")
    assert mail.to_email == "pat@council.example"
    assert "We will fill your seat" in mail.subject
    assert [(e.action, e.from_state, e.to_state) for e in events(world, vid)] == [
        ("request", None, "requested"),
        ("accept", "requested", "accepted"),
    ]


def test_request_is_declined_with_a_reason(world: World) -> None:
    vid = world.request()
    before = snapshot(world.app.db)
    with pytest.raises(ReasonRequiredError, match="give a reason"):
        world.fire(vid, "decline")
    assert snapshot(world.app.db) == before
    assert world.fire(vid, "decline", reason="Outside our area of benefit") == "declined"
    [mail] = outbox(world, "request_declined")
    assert "Outside our area of benefit" in mail.text_body
    assert events(world, vid)[-1].reason == "Outside our area of benefit"
    with pytest.raises(TriggerNotAllowedError, match=r"declined .*none: it is final"):
        world.fire(vid, "accept")


def test_more_information_is_asked_and_the_request_comes_back(world: World) -> None:
    vid = world.request()
    assert world.fire(vid, "ask_for_information", reason="Please send the terms of reference") == (
        "information_requested"
    )
    assert "Please send the terms of reference" in outbox(world, "information_requested")[0].text_body
    partnership = Actor("partnership", str(world.partnership_id))
    assert world.app.transitions.fire(vid, "resubmit", actor=partnership).to_state == "requested"
    assert len(outbox(world, "request_resubmitted")) == 1
    assert world.fire(vid, "accept") == "accepted"


def test_opening_the_call_freezes_the_roll_sets_the_deadline_and_mails_each_member(world: World) -> None:
    vid = open_call(world)
    assert world.status(vid) == "nominations_open"
    with world.app.db.transaction() as session:
        vacancy = session.get_one(Vacancy, vid)
        roll = session.exec(select(ElectorateMember).where(ElectorateMember.vacancy_id == vid)).all()
        timers = session.exec(select(Timer).where(Timer.entity_id == vid).order_by(col(Timer.due_at))).all()
    assert vacancy.nominations_close_at == world.clock.now() + timedelta(days=21)
    assert len(roll) == 6  # the lapsed member is not on the roll
    assert [(t.name, t.due_at) for t in timers] == [  # the default protocol: reminders 7 and 2 days before
        ("nomination_reminder", world.clock.now() + timedelta(days=14)),
        ("nomination_reminder", world.clock.now() + timedelta(days=19)),
        ("close_nominations", world.clock.now() + timedelta(days=21)),
    ]
    calls = outbox(world, "call_for_nominations")
    assert sorted(m.to_email for m in calls) == sorted(m.contact_email for m in roll)
    tokens = [re.search(r"/nominate/(\S+)", m.text_body).group(1) for m in calls]  # type: ignore[union-attr]
    assert len(set(tokens)) == 6
    with world.app.db.transaction() as session:
        links = session.exec(select(AccessLink).where(AccessLink.vacancy_id == vid)).all()
    assert {link.token_hash for link in links} == {token_hash(t) for t in tokens}  # only hashes are kept
    assert {link.organisation_id for link in links} == {m.organisation_id for m in roll}
    assert all(link.expires_at == vacancy.nominations_close_at for link in links)
    payload = json.loads(events(world, vid)[-1].payload)
    assert payload["effects"] == {"electorate": 6}
    assert "contact0@org0.example" not in events(world, vid)[-1].payload  # ids only, no personal data


def test_timer_reminds_then_closes_an_empty_call_which_is_reopened_or_withdrawn(world: World) -> None:
    vid = open_call(world)
    world.clock.advance(timedelta(days=14))
    world.fire_timers()
    assert len(outbox(world, "nomination_reminder")) == 6
    world.clock.advance(timedelta(days=5))
    world.fire_timers()
    assert len(outbox(world, "nomination_reminder")) == 12
    assert world.status(vid) == "nominations_open"
    close_call(world, vid)
    assert world.status(vid) == "no_valid_nominations"
    assert [e.action for e in events(world, vid)][-4:] == [
        "remind_nominators",
        "remind_nominators",
        "close_nominations",
        "tally_nominations",
    ]
    assert events(world, vid)[-1].actor_type == "timer"
    first_deadline = world.clock.now()
    world.clock.advance(timedelta(days=1))
    assert world.fire(vid, "open_nominations") == "nominations_open"
    with world.app.db.transaction() as session:
        assert session.get_one(Vacancy, vid).nominations_close_at == world.clock.now() + timedelta(days=21)
        assert session.get_one(Vacancy, vid).nominations_close_at != first_deadline
    close_call(world, vid)
    assert world.status(vid) == "no_valid_nominations"
    assert world.fire(vid, "withdraw", reason="No candidates after two calls") == "withdrawn"
    assert len(outbox(world, "seat_withdrawn")) == 1


def test_a_sole_valid_nominee_is_elected_unopposed_then_declared_and_the_seat_filled(world: World) -> None:
    vid = open_call(world)
    nid = world.nominate(vid, 2, "Sam Sole")
    close_call(world, vid)
    assert world.status(vid) == "elected_unopposed"
    with world.app.db.transaction() as session:
        result = session.get_one(ElectionResult, vid)
        assert (result.method, result.winners) == ("unopposed", [nid])
        assert count(session, Timer, Timer.entity_id == vid, Timer.name == "close_voting") == 0
    assert world.fire(vid, "declare") == "declared"
    [elected] = outbox(world, "you_are_elected")
    assert elected.to_email == "sam.sole.2@example.org"
    assert world.fire(vid, "fill") == "filled"
    assert "Sam Sole" in outbox(world, "seat_filled")[0].text_body


def test_a_contested_seat_goes_to_a_ballot_counted_declared_and_filled(world: World) -> None:
    vid = open_call(world)
    ids = [
        world.nominate(vid, i, name, statement="<script>alert(1)</script>")
        for i, name in [(0, "Ann"), (1, "Bob"), (2, "Cat")]
    ]
    close_call(world, vid)
    assert world.status(vid) == "voting_open"
    ballots = outbox(world, "ballot_open")
    assert len(ballots) == 6
    assert "&lt;script&gt;" in ballots[0].html_body and "<script>" not in ballots[0].html_body
    assert "<script>alert(1)</script>" in ballots[0].text_body
    for org, choice in [(0, 1), (1, 1), (2, 0), (3, 1)]:
        world.vote(vid, org, [ids[choice]])
    with pytest.raises(LinkError, match="already voted"):
        world.vote(vid, 0, [ids[2]])
    with world.app.db.transaction() as session:
        deadline = session.get_one(Vacancy, vid).voting_close_at
    assert deadline is not None
    world.clock.set(deadline - timedelta(days=7))
    world.fire_timers()
    reminded = sorted(m.to_email for m in outbox(world, "ballot_reminder"))
    assert reminded == ["contact4@org4.example", "contact5@org5.example"]
    world.vote(vid, 4, [ids[0]])
    world.clock.set(deadline - timedelta(days=2))
    world.fire_timers()
    reminded = sorted(m.to_email for m in outbox(world, "ballot_reminder"))
    assert reminded == ["contact4@org4.example", "contact5@org5.example", "contact5@org5.example"]
    world.clock.set(deadline)
    world.fire_timers()
    assert world.status(vid) == "counted"
    with world.app.db.transaction() as session:
        result = session.get_one(ElectionResult, vid)
    assert result.winners == [ids[1]]
    assert result.detail["totals"] == {str(ids[0]): 2, str(ids[1]): 3, str(ids[2]): 0}
    assert world.fire(vid, "declare") == "declared"
    assert {m.to_email for m in outbox(world, "result_declared")} >= {"pat@council.example"}
    assert world.fire(vid, "fill") == "filled"
    actions = [e.action for e in events(world, vid)]
    assert actions[-6:] == ["vote", "remind_voters", "close_voting", "count", "declare", "fill"]


@pytest.mark.parametrize(
    "steps",
    [[], ["accept"], ["accept", "open_nominations"]],
    ids=["requested", "accepted", "nominations_open"],
)
def test_cancel_with_a_reason_from_any_open_state_cancels_its_timers(world: World, steps: list[str]) -> None:
    vid = world.request()
    for step in steps:
        world.fire(vid, step)
    with pytest.raises(ReasonRequiredError):
        world.fire(vid, "cancel")
    assert world.fire(vid, "cancel", reason="The partnership was dissolved") == "cancelled"
    with world.app.db.transaction() as session:
        assert count(session, Timer, Timer.entity_id == vid, Timer.status == "pending") == 0
    with pytest.raises(TriggerNotAllowedError):
        world.fire(vid, "cancel", reason="again")


def test_cancel_during_the_ballot(world: World) -> None:
    vid = open_call(world)
    for i in range(2):
        world.nominate(vid, i, f"N{i}")
    close_call(world, vid)
    assert world.status(vid) == "voting_open"
    assert world.fire(vid, "cancel", reason="Partnership paused") == "cancelled"
    world.clock.advance(timedelta(days=30))
    world.fire_timers()
    assert world.status(vid) == "cancelled"


def test_an_actor_of_the_wrong_kind_is_refused_and_nothing_is_written(world: World) -> None:
    vid = world.request()
    before = snapshot(world.app.db)
    with pytest.raises(ActorNotAllowedError, match="an organisation may not accept; only: coordinator"):
        world.app.transitions.fire(vid, "accept", actor=Actor("organisation", "1"))
    assert snapshot(world.app.db) == before
    assert world.status(vid) == "requested"


def test_allowed_triggers_are_asked_of_the_machine(world: World) -> None:
    vid = world.request()
    assert world.app.transitions.allowed(vid) == ["accept", "ask_for_information", "decline", "cancel"]
    assert world.app.transitions.allowed(vid, "partnership") == []
    world.fire(vid, "accept")
    world.fire(vid, "open_nominations")
    assert world.app.transitions.allowed(vid, "timer") == ["remind_nominators", "close_nominations"]


def test_a_member_outside_the_roll_or_after_the_deadline_cannot_nominate(world: World) -> None:
    vid = open_call(world)
    lapsed_index = 6
    with pytest.raises(NotFoundError, match="is not on the roll"):
        world.nominate(vid, lapsed_index, "Late Larry")
    close_call(world, vid)
    with pytest.raises(LinkError, match="Nominations for this seat are closed"):
        world.nominate(vid, 0, "Too Late")


def test_a_seat_for_an_equality_sector_reaches_tagged_members_first_and_says_so(world: World) -> None:
    from nominations.db.models import Organisation
    from nominations.services.participation import ParticipationError, SeatRequest
    from tests.integration.conftest import REQUEST

    with world.app.db.transaction() as session:
        for org_id in (world.orgs[3], world.orgs[5]):
            org = session.get_one(Organisation, org_id)
            org.equality_sectors = ["women", "faith"]
            session.add(org)
    partnership = Actor("partnership", str(world.partnership_id))
    with pytest.raises(
        ParticipationError, match="unknown equality sector 'woman'; expected one of women, bme"
    ):
        world.app.participation.request_seat(
            world.partnership_id, SeatRequest(**{**vars(REQUEST), "equality_sector": "woman"}), partnership
        )
    vid = world.app.participation.request_seat(
        world.partnership_id, SeatRequest(**{**vars(REQUEST), "equality_sector": "women"}), partnership
    )
    world.fire(vid, "accept")
    world.fire(vid, "open_nominations")
    calls = outbox(world, "call_for_nominations")
    assert [m.to_email for m in calls[:2]] == ["contact3@org3.example", "contact5@org5.example"]
    assert len(calls) == 6
    assert (
        "THIS SEAT IS FOR WOMEN: the partnership asks for a representative from that sector."
        in calls[0].text_body
    )
    assert "This seat is for women" in calls[-1].html_body


def test_the_roll_is_frozen_when_the_call_opens(world: World) -> None:
    from nominations.db.models import Organisation

    vid = open_call(world)
    with world.app.db.transaction() as session:
        joined = Organisation(
            network_id=world.network_id,
            name="Late Joiner",
            contact_name="Lee",
            contact_email="lee@late.example",
        )
        session.add(joined)
        lapsed = session.get_one(Organisation, world.orgs[0])
        lapsed.status = "lapsed"
        session.add(lapsed)
    ids = [world.nominate(vid, i, f"N{i}") for i in (1, 2)]
    close_call(world, vid)
    ballots = sorted(m.to_email for m in outbox(world, "ballot_open"))
    assert "lee@late.example" not in ballots and "contact0@org0.example" in ballots and len(ballots) == 6
    world.vote(vid, 0, [ids[0]])  # lapsed since the call opened, but on the frozen roll
    payload = json.loads(next(e for e in events(world, vid) if e.action == "open_nominations").payload)
    assert payload["effects"]["electorate"] == 6  # the snapshot is on the record
