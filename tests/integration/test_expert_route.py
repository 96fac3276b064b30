"""workflows/expert.yaml through the services: a call for expressions of interest, a panel, a decision.

From a partnership's request for an expert to the expert's appointment being active, and every
refusal of the panel with nothing written.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from nominations.actors import Actor
from nominations.audit import canonical_json
from nominations.db.models import (
    AccessLink,
    AuditEvent,
    ElectionResult,
    Nomination,
    OutboxMessage,
    Vacancy,
)
from nominations.db.term_models import Appointment, InductionItem, PanelMember, PanelScore
from nominations.errors import ActorNotAllowedError, GuardRefusedError, NotFoundError
from nominations.selection import ScoreInput
from nominations.selection_errors import (
    IncompleteScoresError,
    NoCriteriaError,
    NotAnApplicantError,
    NotExpertSeatError,
    NotValidApplicantError,
    PanelMemberError,
    PanelStateError,
    ReasonMissingError,
    ScoreOutOfRangeError,
    UnknownCriterionError,
)
from nominations.services.access import LinkError
from nominations.services.audit_verify import verify
from nominations.services.nominating import FormErrors
from nominations.services.panel import Panel
from nominations.services.participation import SeatRequest
from nominations.services.protocols import protocol_for
from tests.integration.conftest import COORDINATOR, REQUEST, World, snapshot
from tests.integration.test_vacancy_workflow import close_call

KNOWLEDGE = """- Running a domestic abuse service
* Bringing survivors' voices into decisions
•  Multi-agency risk assessment (MARAC)

"""
CRITERIA = [
    "Running a domestic abuse service",
    "Bringing survivors' voices into decisions",
    "Multi-agency risk assessment (MARAC)",
]


def panel(world: World) -> Panel:
    return Panel(world.app.transitions)


def request_expert(world: World, knowledge: str = KNOWLEDGE) -> int:
    """A request for an expert under the shipped default protocol (one seconder, consent, declarations)."""
    request = replace(REQUEST, title="Domestic abuse expert", kind="expert", knowledge_skills=knowledge)
    return world.app.participation.request_seat(
        world.partnership_id, request, Actor("partnership", str(world.partnership_id))
    )


def mail(world: World, template: str) -> list[OutboxMessage]:
    with world.app.db.transaction() as session:
        query = select(OutboxMessage).where(OutboxMessage.template == template)
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def tokens(world: World, template: str, purpose: str) -> dict[str, str]:
    """Recipient → token of the personal link in each message from `template` (the latest wins)."""
    found = {}
    for message in mail(world, template):
        match = re.search(rf"/{purpose}/(\S+)", message.text_body)
        assert match is not None, message.text_body
        found[message.to_email] = match.group(1)
    return found


def apply(world: World, vid: int, name: str, org: int, consent: bool = True) -> int:
    """An organisation puts forward an expert; they consent through their link unless told not to."""
    nid = world.nominate(vid, org, name, statement=f"{name} has run refuges for ten years.")
    if consent:
        email = f"{name.lower().replace(' ', '.')}.{org}@example.org"
        world.app.nominating.consent(tokens(world, "consent_request", "consent")[email])
    return nid


def sheet(
    applicants: list[int], score: int = 3, reason: str = "Clear evidence in the statement"
) -> list[ScoreInput]:
    return [ScoreInput(a, i, score, reason) for a in applicants for i in range(len(CRITERIA))]


def shortlisted(world: World) -> tuple[int, list[int], int, list[int]]:
    """An expert seat being scored: two valid applicants, one that never consented, a panel of two."""
    vid = request_expert(world)
    world.fire(vid, "accept")
    members = [panel(world).add_member(vid, "Pat Panel", "pat@panel.example", COORDINATOR)]
    world.fire(vid, "open_nominations")
    valid = [apply(world, vid, "Ann Expert", 0), apply(world, vid, "Bo Expert", 1)]
    pending = apply(world, vid, "Cy Silent", 2, consent=False)
    close_call(world, vid)
    assert world.status(vid) == "shortlisting"
    members.append(panel(world).add_member(vid, "Quinn Panel", "quinn@panel.example", COORDINATOR))
    return vid, valid, pending, members


def written(world: World) -> dict[str, object]:
    """Everything a panel step writes, to show that a refusal wrote nothing."""
    with world.app.db.transaction() as session:
        counts = {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in (PanelMember, ElectionResult, AccessLink, Nomination)
        }
        vacancies = sorted((v.id, v.status, v.version) for v in session.exec(select(Vacancy)).all())
        scores = sorted(
            (s.panel_member_id, s.nomination_id, s.criterion, s.score, s.reason)
            for s in session.exec(select(PanelScore)).all()
        )
    return {**snapshot(world.app.db), **counts, "vacancies": vacancies, "scores": scores}


def events(world: World, vid: int) -> list[AuditEvent]:
    with world.app.db.transaction() as session:
        query = select(AuditEvent).where(
            AuditEvent.entity_type == "vacancy", AuditEvent.entity_id == str(vid)
        )
        return list(session.exec(query.order_by(col(AuditEvent.seq))).all())


def test_an_expert_is_requested_selected_by_a_panel_appointed_and_inducted(world: World) -> None:
    vid = request_expert(world)
    with world.app.db.transaction() as session:
        vacancy = session.get_one(Vacancy, vid)
        assert (vacancy.workflow, vacancy.status, vacancy.kind) == ("expert", "requested", "expert")
        assert protocol_for(session, vacancy).seconders_required == 0  # the default protocol asks for one
        assert protocol_for(session, vacancy).nominee_consent_required
    assert world.fire(vid, "accept") == "accepted"
    pat = panel(world).add_member(vid, "Pat Panel", "pat@panel.example", COORDINATOR)
    assert mail(world, "panel_invitation") == []  # invited when there is something to score

    assert world.fire(vid, "open_nominations") == "nominations_open"
    calls = mail(world, "call_for_expressions_of_interest")
    assert len(calls) == 6 and all("/nominate/" in m.text_body for m in calls)
    assert "Running a domestic abuse service" in calls[0].text_body
    assert mail(world, "call_for_nominations") == []

    ann = world.nominate(vid, 0, "Ann Expert", statement="Ann ran <b>refuges</b> for ten years.")
    bo = world.nominate(vid, 1, "Bo Expert")
    assert mail(world, "seconding_request") == []  # an expert needs no seconder
    view = world.app.nominating.view(
        tokens(world, "consent_request", "consent")["ann.expert.0@example.org"], "consent"
    )
    assert view.missing == ["the nominee's consent"]
    for token in tokens(world, "consent_request", "consent").values():
        world.app.nominating.consent(token)

    close_call(world, vid)
    assert world.status(vid) == "shortlisting"
    [invitation] = mail(world, "panel_invitation")
    assert invitation.to_email == "pat@panel.example"
    assert "Ann Expert" in invitation.text_body and "Bo Expert" in invitation.text_body
    quinn = panel(world).add_member(vid, "Quinn Panel", "quinn@panel.example", COORDINATOR)
    links = tokens(world, "panel_invitation", "panel")
    assert set(links) == {"pat@panel.example", "quinn@panel.example"}  # Quinn is invited at once

    page = panel(world).sheet(links["pat@panel.example"])
    assert (page.criteria, [n.id for n in page.applicants]) == (CRITERIA, [ann, bo])
    panel(world).score(links["pat@panel.example"], sheet([ann], 2) + sheet([bo], 1))
    panel(world).score(
        links["pat@panel.example"], [ScoreInput(ann, 0, 4, "Revised: the reference says more")]
    )
    quinn_page = panel(world).score(links["quinn@panel.example"], sheet([ann], 3) + sheet([bo], 3))
    assert (quinn_page.scored, quinn_page.needed) == (6, 6)
    table = panel(world).table(vid).table
    assert table["by_member"] == {
        str(pat): {str(ann): 4 + 2 + 2, str(bo): 3},
        str(quinn): {str(ann): 9, str(bo): 9},
    }
    assert table["totals"] == {str(ann): 17, str(bo): 12}

    reasons = "Ann has run a service and sat on MARAC; Bo has less direct experience."
    outcome = panel(world).decide(vid, ann, reasons, COORDINATOR)
    assert (outcome.from_state, outcome.to_state) == ("shortlisting", "selected")
    with world.app.db.transaction() as session:
        result = session.get_one(ElectionResult, vid)
    assert (result.method, result.winners, result.detail) == ("panel", [ann], table)
    assert {s["reason"] for s in result.detail["scores"]} >= {"Revised: the reference says more"}
    decision, select_event = events(world, vid)[-2:]
    assert (decision.action, decision.reason, decision.actor_type) == (
        "panel_decision",
        reasons,
        "coordinator",
    )
    payload = json.loads(decision.payload)
    assert payload["table_sha256"] == hashlib.sha256(canonical_json(table).encode()).hexdigest()
    assert (payload["nomination_id"], payload["highest_total"]) == (ann, True)
    assert "Revised" not in decision.payload  # reasons stay off the chain; the digest fixes them
    assert (select_event.action, select_event.from_state, select_event.to_state) == (
        "select",
        "shortlisting",
        "selected",
    )
    decisions = {m.to_email: m for m in mail(world, "selection_decision")}
    assert set(decisions) == {"pat@council.example", "ann.expert.0@example.org", "bo.expert.1@example.org"}
    assert "chosen you" in decisions["ann.expert.0@example.org"].text_body
    assert "chosen Ann Expert" in decisions["bo.expert.1@example.org"].text_body
    assert reasons in decisions["pat@council.example"].text_body

    assert world.fire(vid, "fill") == "filled"
    with world.app.db.transaction() as session:
        [expert] = session.exec(
            select(Appointment).where(Appointment.vacancy_id == vid)
        ).all()  # no substitute
        steps = session.exec(select(InductionItem).where(InductionItem.appointment_id == expert.id)).all()
    assert (expert.role, expert.status, expert.person_name, expert.nomination_id) == (
        "expert",
        "inducting",
        "Ann Expert",
        ann,
    )
    assert expert.id is not None
    state = ""
    for step in steps:
        if step.required:
            state = world.app.term.induction.tick(expert.id, step.key, COORDINATOR)
    assert state == "active"
    report = verify(world.app.db)
    assert report.ok, report.problem


def test_the_system_reopens_an_expert_seat_on_its_own_route_for_the_next_term(world: World) -> None:
    vid, (ann, bo), _, members = shortlisted(world)
    for member in members:
        panel(world).score_for(member, sheet([ann], 4) + sheet([bo], 2), COORDINATOR)
    panel(world).decide(vid, ann, "Ann scored highest on every point", COORDINATOR)
    world.fire(vid, "fill")
    with world.app.db.transaction() as session:
        [expert] = session.exec(select(Appointment).where(Appointment.vacancy_id == vid)).all()
    assert expert.id is not None
    world.app.transitions.fire(expert.id, "call_reelection", actor=COORDINATOR, entity="appointment")
    with world.app.db.transaction() as session:
        successor = session.get_one(Vacancy, session.get_one(Appointment, expert.id).successor_vacancy_id)
    assert (successor.workflow, successor.kind, successor.status) == ("expert", "expert", "nominations_open")
    assert len(mail(world, "call_for_expressions_of_interest")) == 12  # the first call and this one
    assert [e.actor_type for e in events(world, successor.id or 0)][-2:] == ["system", "system"]


def test_an_expert_application_needs_consent_but_no_seconder(world: World) -> None:
    vid = request_expert(world)
    world.fire(vid, "accept")
    world.fire(vid, "open_nominations")
    nid = apply(world, vid, "Ann Expert", 0, consent=False)
    with world.app.db.transaction() as session:
        assert session.get_one(Nomination, nid).status == "pending"
    world.app.nominating.consent(tokens(world, "consent_request", "consent")["ann.expert.0@example.org"])
    with world.app.db.transaction() as session:
        assert session.get_one(Nomination, nid).status == "valid"
    # The same application for a representative's seat is refused for want of a seconder.
    representative = world.request(overrides={})
    world.fire(representative, "accept")
    world.fire(representative, "open_nominations")
    with pytest.raises(FormErrors, match="second the nomination"):
        world.nominate(representative, 0, "Ann Expert")


def test_a_call_without_applicants_is_reopened_or_the_seat_withdrawn(world: World) -> None:
    vid = request_expert(world)
    world.fire(vid, "accept")
    world.fire(vid, "open_nominations")
    apply(world, vid, "Cy Silent", 2, consent=False)  # pending: never valid
    close_call(world, vid)
    assert world.status(vid) == "no_valid_nominations"
    assert world.fire(vid, "open_nominations") == "nominations_open"
    assert len(mail(world, "call_for_expressions_of_interest")) == 12
    close_call(world, vid)
    assert world.fire(vid, "withdraw", reason="No expert came forward twice") == "withdrawn"
    assert len(mail(world, "seat_withdrawn")) == 1


def test_reminders_and_cancel_from_shortlisting(world: World) -> None:
    vid = request_expert(world)
    world.fire(vid, "accept")
    world.fire(vid, "open_nominations")
    with world.app.db.transaction() as session:
        deadline = session.get_one(Vacancy, vid).nominations_close_at
    assert deadline is not None
    world.clock.set(deadline - timedelta(days=7))
    world.fire_timers()
    assert len(mail(world, "expressions_of_interest_reminder")) == 6
    apply(world, vid, "Ann Expert", 0)
    close_call(world, vid)
    assert world.status(vid) == "shortlisting"
    assert world.fire(vid, "cancel", reason="The partnership was dissolved") == "cancelled"


def test_every_refusal_of_the_panel_writes_nothing(world: World) -> None:
    vid, (ann, bo), pending, (pat, quinn) = shortlisted(world)
    refusals = [
        (
            NotAnApplicantError,
            "not a valid applicant",
            lambda: panel(world).score_for(pat, sheet([pending]), COORDINATOR),
        ),
        (
            ScoreOutOfRangeError,
            r"from 0 to 4 .*\(5 is not\)",
            lambda: panel(world).score_for(pat, [ScoreInput(ann, 0, 5, "x")], COORDINATOR),
        ),
        (
            ScoreOutOfRangeError,
            "Choose a score",
            lambda: panel(world).score_for(pat, [ScoreInput(ann, 0, None, "x")], COORDINATOR),
        ),
        (
            ReasonMissingError,
            "Give your reason",
            lambda: panel(world).score_for(pat, [ScoreInput(ann, 1, 3, "  ")], COORDINATOR),
        ),
        (
            UnknownCriterionError,
            "no criterion 5",
            lambda: panel(world).score_for(pat, [ScoreInput(ann, 4, 3, "x")], COORDINATOR),
        ),
        (ScoreOutOfRangeError, "at least one", lambda: panel(world).score_for(pat, [], COORDINATOR)),
        (NotFoundError, "no panel member", lambda: panel(world).score_for(999, sheet([ann]), COORDINATOR)),
        (
            IncompleteScoresError,
            r"Pat Panel has 6 of 6 .*Quinn Panel has 6 of 6",
            lambda: panel(world).decide(vid, ann, "Best", COORDINATOR),
        ),
        (
            NotValidApplicantError,
            "pending, not valid",
            lambda: panel(world).decide(vid, pending, "Best", COORDINATOR),
        ),
        (
            NotValidApplicantError,
            "not an application for this seat",
            lambda: panel(world).decide(vid, 999, "Best", COORDINATOR),
        ),
        (ReasonMissingError, "give its reasons", lambda: panel(world).decide(vid, ann, " ", COORDINATOR)),
        (
            PanelMemberError,
            "already on the panel",
            lambda: panel(world).add_member(vid, "Pat", "PAT@panel.example", COORDINATOR),
        ),
        (
            PanelMemberError,
            "email address",
            lambda: panel(world).add_member(vid, "Pat", "not-an-email", COORDINATOR),
        ),
        (
            PanelMemberError,
            "name",
            lambda: panel(world).add_member(vid, " ", "new@panel.example", COORDINATOR),
        ),
        (
            GuardRefusedError,
            "panel's decision has not been recorded",
            lambda: world.fire(vid, "select", reason="Ann"),
        ),
    ]
    before = written(world)
    for error, message, attempt in refusals:
        with pytest.raises(error, match=message):
            attempt()
        assert written(world) == before, error.__name__

    # Several problems at once: the first is raised, and carries the rest for the form.
    with pytest.raises(ScoreOutOfRangeError) as caught:
        panel(world).score_for(pat, [ScoreInput(ann, 0, 9, ""), ScoreInput(bo, 0, 2, "")], COORDINATOR)
    assert [(f, type(p).__name__) for f, p in caught.value.problems.items()] == [
        (f"score-{ann}-0", "ScoreOutOfRangeError"),
        (f"reason-{ann}-0", "ReasonMissingError"),
        (f"reason-{bo}-0", "ReasonMissingError"),
    ]

    # One member done, the other part done: still refused, and nothing written.
    panel(world).score_for(pat, sheet([ann, bo]), COORDINATOR)
    panel(world).score_for(quinn, sheet([ann]), COORDINATOR)
    before = written(world)
    with pytest.raises(IncompleteScoresError, match=r"Quinn Panel has 3 of 6") as caught_incomplete:
        panel(world).decide(vid, ann, "Best", COORDINATOR)
    assert "Pat Panel" not in str(caught_incomplete.value)
    # A sheet that revises one score and spoils another changes neither.
    with pytest.raises(ScoreOutOfRangeError):
        revision = [ScoreInput(ann, 0, 1, "Second thoughts"), ScoreInput(ann, 1, 9, "Too keen")]
        panel(world).score_for(pat, revision, COORDINATOR)
    assert written(world) == before
    panel(world).score_for(quinn, sheet([bo]), COORDINATOR)
    before = written(world)
    # The decision rolls back with its transition: only a coordinator may select.
    with pytest.raises(ActorNotAllowedError):
        panel(world).decide(vid, bo, "Best", Actor("panel", str(pat)))
    assert written(world) == before

    panel(world).decide(vid, bo, "Equal totals; Bo's MARAC experience decided it", COORDINATOR)
    assert json.loads(events(world, vid)[-2].payload)["highest_total"] is True
    before = written(world)
    pat_link = tokens(world, "panel_invitation", "panel")["pat@panel.example"]
    for error, message, attempt in [
        (
            PanelStateError,
            "selected: you may score",
            lambda: panel(world).score_for(pat, sheet([ann]), COORDINATOR),
        ),
        (
            PanelStateError,
            "selected: you may record",
            lambda: panel(world).decide(vid, ann, "Again", COORDINATOR),
        ),
        (
            PanelStateError,
            "selected: you may add",
            lambda: panel(world).add_member(vid, "Late", "late@panel.example", COORDINATOR),
        ),
        (LinkError, "decision is made", lambda: panel(world).score(pat_link, sheet([ann]))),
        (LinkError, "decision is made", lambda: panel(world).sheet(pat_link)),
    ]:
        with pytest.raises(error, match=message):
            attempt()
        assert written(world) == before, message
    assert verify(world.app.db).ok


def test_the_panel_is_refused_at_the_wrong_stage_and_on_the_wrong_seat(world: World) -> None:
    vid = request_expert(world)
    before = written(world)
    with pytest.raises(
        PanelStateError, match="requested: you may add a panel member only while it is accepted"
    ):
        panel(world).add_member(vid, "Pat Panel", "pat@panel.example", COORDINATOR)
    assert written(world) == before
    world.fire(vid, "accept")
    pat = panel(world).add_member(vid, "Pat Panel", "pat@panel.example", COORDINATOR)
    world.fire(vid, "open_nominations")
    ann = apply(world, vid, "Ann Expert", 0)
    before = written(world)
    with pytest.raises(
        PanelStateError, match="nominations_open: you may score the applicants only while it is shortlisting"
    ):
        panel(world).score_for(pat, sheet([ann]), COORDINATOR)
    with pytest.raises(PanelStateError, match="nominations_open: you may record"):
        panel(world).decide(vid, ann, "Early", COORDINATOR)
    assert written(world) == before

    representative = world.request()
    world.fire(representative, "accept")
    with pytest.raises(NotExpertSeatError, match="representative's seat"):
        panel(world).add_member(representative, "Pat Panel", "pat@panel.example", COORDINATOR)
    with pytest.raises(NotExpertSeatError):
        panel(world).table(representative)
    blank = request_expert(world, knowledge="\n - \n")
    world.fire(blank, "accept")
    before = written(world)
    with pytest.raises(NoCriteriaError, match="names no knowledge, skills or experience"):
        panel(world).add_member(blank, "Pat Panel", "pat@panel.example", COORDINATOR)
    assert written(world) == before


def test_request_seat_gives_each_kind_its_route(world: World) -> None:
    actor = Actor("partnership", str(world.partnership_id))
    expert = world.app.participation.request_seat(
        world.partnership_id, SeatRequest(**{**vars(REQUEST), "kind": "expert"}), actor
    )
    representative = world.app.participation.request_seat(world.partnership_id, REQUEST, actor)
    with world.app.db.transaction() as session:
        assert session.get_one(Vacancy, expert).workflow == "expert"
        assert session.get_one(Vacancy, representative).workflow == "vacancy"
