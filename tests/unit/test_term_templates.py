"""The emails of a term in the seat render strictly, say what they must, and escape what they show."""

from __future__ import annotations

from datetime import UTC, datetime
from html import unescape
from types import SimpleNamespace
from typing import Any

import pytest

from nominations.mail.render import MailRenderer, RenderedMail

SCRIPT = "<script>alert(1)</script>"
LINK = "http://127.0.0.1:8000/representative/TOKEN-REP"
FEEDBACK_LINK = "http://127.0.0.1:8000/feedback/TOKEN-ORG"
REP_EMAIL = "alice@org1.example"
PARTNERSHIP_EMAIL = "pat@council.example"
COORDINATOR_EMAIL = "coordinator@network.example"

WORKFLOW_TEMPLATES = (
    "welcome_representative",
    "representative_appointed",
    "substitute_standing_by",
    "induction_reminder",
    "induction_complete",
    "review_reflection",
    "review_feedback_request",
    "review_ready",
    "review_outcome",
    "reelection_called",
    "term_ended",
    "representative_left",
)
OTHER_TEMPLATES = ("report_back_reminder", "report_back_digest", "schedule_updated")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def network() -> SimpleNamespace:
    return SimpleNamespace(
        id=7, name="Test Network", coordinator_name="Cora Ordinator", coordinator_email=COORDINATOR_EMAIL
    )


def partnership() -> SimpleNamespace:
    return SimpleNamespace(
        name="Safer Town Partnership", contact_name="Pat Partner", contact_email=PARTNERSHIP_EMAIL
    )


def representative() -> SimpleNamespace:
    return SimpleNamespace(name="Alice Adams", email=REP_EMAIL, organisation_id=None)


def partnership_contact() -> SimpleNamespace:
    return SimpleNamespace(name="Pat Partner", email=PARTNERSHIP_EMAIL, organisation_id=None)


def coordinator() -> SimpleNamespace:
    return SimpleNamespace(name="Cora Ordinator", email=COORDINATOR_EMAIL, organisation_id=None)


def meeting(title: str, starts_at: datetime, ends_at: datetime, location: str = "") -> SimpleNamespace:
    return SimpleNamespace(title=title, starts_at=starts_at, ends_at=ends_at, location=location)


def term_context(**changes: Any) -> dict[str, Any]:
    """What the appointment workflow gives a send, for a representative early in year one."""
    context: dict[str, Any] = {
        "appointment": SimpleNamespace(
            id=42,
            status="inducting",
            role="representative",
            person_name="Alice Adams",
            person_email=REP_EMAIL,
            person_organisation="Town Food Bank",
            term_start_at=at(2026, 4, 1, 9),
            term_end_at=at(2029, 4, 1, 9),
            induction_due_at=at(2026, 5, 13, 9),
            next_review_at=at(2027, 4, 1, 9),
            review_close_at=at(2027, 4, 22, 9, 30),
            ended_at=None,
        ),
        "vacancy": SimpleNamespace(
            title="VCS representative",
            kind="representative",
            term_months=36,
            terms_of_reference="Reduce crime.",
            membership_details="Council, police.",
            time_commitment="6 hours a month",
        ),
        "partnership": partnership(),
        "network": network(),
        "recipient": representative(),
        "reason": None,
        "induction": [
            SimpleNamespace(text="Read and acknowledge the protocol.", required=True, status="done"),
            SimpleNamespace(text="Meet the partnership's chair.", required=True, status="open"),
            SimpleNamespace(
                text="Attend the conflicts of interest briefing.", required=True, status="waived"
            ),
            SimpleNamespace(text="Visit a member organisation.", required=False, status="open"),
        ],
        "review": SimpleNamespace(
            year=1,
            meetings_held=6,
            meetings_attended=5,
            report_backs_filed=4,
            reflected_at=at(2027, 4, 10, 12),
            seat_worthwhile="yes",
            outcome=None,
        ),
        "meetings": [
            meeting("Board meeting", at(2026, 6, 3, 10), at(2026, 6, 3, 12), "Town Hall, Room 2"),
            meeting("Away day", at(2026, 9, 9, 9), at(2026, 9, 10, 16)),
        ],
        "overdue": [],
        "base_url": "http://127.0.0.1:8000",
        "link": LINK,
    }
    context.update(changes)
    return context


def render(name: str, context: dict[str, Any]) -> RenderedMail:
    return MailRenderer().render(name, context)


def parts(mail: RenderedMail) -> tuple[str, str]:
    """The text part and the HTML part with its entities decoded, for checking what they say."""
    return mail.text, unescape(mail.html)


def with_outcome(outcome: str) -> SimpleNamespace:
    review = term_context()["review"]
    return SimpleNamespace(**{**vars(review), "outcome": outcome, "reflected_at": None})


def appointment(**changes: Any) -> SimpleNamespace:
    return SimpleNamespace(**{**vars(term_context()["appointment"]), **changes})


def digest_line(**changes: Any) -> SimpleNamespace:
    line = {
        "seat": "VCS representative",
        "partnership": "Safer Town Partnership",
        "person": "Alice Adams",
        "meeting": "Board meeting",
        "held_at": at(2026, 6, 3, 10),
        "attended": True,
        "discussed": "The community safety budget.",
        "sector_said": "Keep the small grants fund.",
        "coming_up": "The new strategy in September.",
        "needs_from_members": "",
    }
    return SimpleNamespace(**{**line, **changes})


# --- every template ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", WORKFLOW_TEMPLATES + OTHER_TEMPLATES)
def test_every_template_has_its_three_parts(name: str) -> None:
    assert MailRenderer().missing_parts(name) == []


@pytest.mark.parametrize("name", WORKFLOW_TEMPLATES)
def test_workflow_templates_read_only_what_a_send_provides(name: str) -> None:
    provided = set(term_context()) | {"recipient"}
    assert MailRenderer().variables(name) <= provided


@pytest.mark.parametrize(
    ("name", "variables"),
    [
        ("report_back_reminder", {"appointment", "partnership", "network", "recipient", "overdue", "link"}),
        ("report_back_digest", {"network", "recipient", "since", "report_backs", "base_url"}),
        ("schedule_updated", {"appointment", "partnership", "network", "recipient", "changes"}),
    ],
)
def test_templates_sent_outside_the_workflow_read_only_their_context(name: str, variables: set[str]) -> None:
    assert MailRenderer().variables(name) <= variables


@pytest.mark.parametrize("name", WORKFLOW_TEMPLATES)
def test_every_workflow_template_greets_and_signs_off(name: str) -> None:
    review = with_outcome("continue") if name == "review_outcome" else term_context()["review"]
    mail = render(name, term_context(review=review))

    for part in parts(mail):
        assert "Dear Alice Adams," in part
        assert "Cora Ordinator" in part
    assert mail.subject and "\n" not in mail.subject
    assert "None" not in mail.text and "None" not in mail.html


# --- 1. welcome_representative ----------------------------------------------------------------


def test_welcome_gives_term_induction_deadline_page_and_meetings() -> None:
    mail = render("welcome_representative", term_context())

    assert mail.subject == "Welcome: your seat on Safer Town Partnership for Test Network"
    assert LINK in mail.text
    assert f'href="{LINK}"' in mail.html
    for part in parts(mail):
        assert "Wednesday 01 April 2026" in part and "Sunday 01 April 2029" in part
        assert "Wednesday 13 May 2026" in part  # the induction deadline
        assert "Meet the partnership's chair." in part
        assert "Visit a member organisation. (optional)" in part
        assert "Read and acknowledge the protocol. (done)" in part
        assert "Board meeting" in part and "Wednesday 03 June 2026, 10:00 to 12:00 UTC" in part
        assert "Town Hall, Room 2" in part
        assert "Wednesday 09 September 2026, 09:00 to Thursday 10 September 2026, 16:00 UTC" in part
        assert "Outlook" in part and "Google Calendar" in part
        assert "report-back" in part and "reflection" in part
    assert "Meet the partnership&#39;s chair." in mail.html  # values are escaped


def test_welcome_says_so_when_no_meeting_is_scheduled_yet() -> None:
    mail = render("welcome_representative", term_context(meetings=[]))

    assert "has not told us its meeting dates yet" in mail.text
    assert "has not told us its meeting dates yet" in mail.html
    assert "<ul></ul>" not in mail.html


def test_welcome_names_an_expert_seat_as_such() -> None:
    mail = render("welcome_representative", term_context(appointment=appointment(role="expert")))

    assert "Test Network's expert member on Safer Town Partnership" in mail.text


# --- 2. representative_appointed --------------------------------------------------------------


def test_the_partnership_learns_who_sits_for_the_sector_and_for_how_long() -> None:
    mail = render("representative_appointed", term_context(recipient=partnership_contact()))

    assert mail.subject == "Test Network's representative on Safer Town Partnership: Alice Adams"
    for part in parts(mail):
        assert "Dear Pat Partner," in part
        assert "Alice Adams" in part and "(Town Food Bank)" in part
        assert "Wednesday 01 April 2026" in part and "Sunday 01 April 2029" in part
    assert REP_EMAIL not in mail.text and REP_EMAIL not in mail.html


def test_an_expert_without_an_organisation_is_named_plainly() -> None:
    context = term_context(
        recipient=partnership_contact(), appointment=appointment(role="expert", person_organisation="")
    )
    mail = render("representative_appointed", context)

    assert "expert member" in mail.subject
    assert "Alice Adams to sit on" in mail.text
    assert "()" not in mail.text and "()" not in mail.html


# --- 3. substitute_standing_by ----------------------------------------------------------------


def test_the_substitute_knows_when_they_would_step_up() -> None:
    mail = render("substitute_standing_by", term_context())

    for part in parts(mail):
        assert "substitute" in part
        assert "falls vacant before" in part and "Sunday 01 April 2029" in part


# --- 4. induction_reminder --------------------------------------------------------------------


def test_the_induction_reminder_lists_only_required_open_steps_and_the_link() -> None:
    mail = render("induction_reminder", term_context())

    assert mail.subject == "Reminder: finish your induction for Safer Town Partnership"
    assert LINK in mail.text and f'href="{LINK}"' in mail.html
    for part in parts(mail):
        assert "Wednesday 13 May 2026" in part
        assert "Meet the partnership" in part
        assert "Visit a member organisation" not in part  # optional
        assert "Read and acknowledge the protocol" not in part  # done
        assert "conflicts of interest" not in part  # waived


def test_the_coordinators_induction_reminder_renders_without_a_link() -> None:
    context = term_context(recipient=coordinator())
    del context["link"]
    mail = render("induction_reminder", context)

    assert mail.subject.startswith("Induction not finished: Alice Adams")
    assert "/representative/" not in mail.text and 'href="http' not in mail.html
    for part in parts(mail):
        assert "Dear Cora Ordinator," in part
        assert "Alice Adams" in part and "Meet the partnership" in part
        assert "waive" in part


# --- 5. induction_complete --------------------------------------------------------------------


@pytest.mark.parametrize("recipient", [representative(), partnership_contact()])
def test_induction_complete_gives_the_first_review_date(recipient: SimpleNamespace) -> None:
    mail = render("induction_complete", term_context(recipient=recipient))

    assert mail.subject.startswith("Induction complete:")
    for part in parts(mail):
        assert "now active" in part
        assert "Thursday 01 April 2027" in part


def test_induction_complete_speaks_to_the_representative_as_you() -> None:
    to_rep = render("induction_complete", term_context())
    to_partnership = render("induction_complete", term_context(recipient=partnership_contact()))

    assert "you are now active" in to_rep.text
    assert "Alice Adams has finished their induction" in to_partnership.text
    assert "you are now active" not in to_partnership.text


# --- 6. review_reflection ---------------------------------------------------------------------


def test_the_reflection_request_shows_the_figures_and_asks_the_question() -> None:
    mail = render("review_reflection", term_context())

    assert LINK in mail.text and f'href="{LINK}"' in mail.html
    for part in parts(mail):
        assert "year 1" in part
        assert "Thursday 22 April 2027 at 09:30 UTC" in part
        assert "held: 6" in part and "attended: 5" in part and "filed: 4" in part
    for part in parts(mail):
        assert "is this seat still worth the sector's time?" in part


# --- 7. review_feedback_request ---------------------------------------------------------------


def test_members_are_asked_for_optional_feedback_with_their_own_link() -> None:
    member = SimpleNamespace(name="Olive Org", email="olive@org2.example", organisation_id=2)
    mail = render("review_feedback_request", term_context(recipient=member, link=FEEDBACK_LINK))

    assert FEEDBACK_LINK in mail.text and f'href="{FEEDBACK_LINK}"' in mail.html
    for part in parts(mail):
        assert "Dear Olive Org," in part
        assert "Alice Adams" in part and "Safer Town Partnership" in part
        assert "optional" in part and "one response" in part
        assert "Thursday 22 April 2027 at 09:30 UTC" in part
    assert REP_EMAIL not in mail.text


# --- 8. review_ready --------------------------------------------------------------------------


def test_the_coordinator_gets_the_figures_and_the_four_outcomes() -> None:
    mail = render("review_ready", term_context(recipient=coordinator()))

    assert "(year 1)" in mail.subject
    for part in parts(mail):
        assert "held: 6" in part and "attended: 5" in part and "filed: 4" in part
        assert "continue with support" in part and "stand down" in part and "re-run the election" in part
        assert "nominations appointment fire 42 continue" in part
        assert "sent their reflection" in part


def test_review_ready_says_when_there_was_no_reflection() -> None:
    mail = render("review_ready", term_context(recipient=coordinator(), review=with_outcome("continue")))

    assert "did not send a reflection" in mail.text


# --- 9. review_outcome ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "words"),
    [
        ("continue", "Continue"),
        ("continue_with_support", "Continue with support"),
        ("stand_down", "Stand down"),
        ("rerun_election", "Re-run the election"),
    ],
)
@pytest.mark.parametrize("recipient", [representative(), partnership_contact()])
def test_the_review_outcome_is_given_in_words(outcome: str, words: str, recipient: SimpleNamespace) -> None:
    mail = render("review_outcome", term_context(recipient=recipient, review=with_outcome(outcome)))

    for part in parts(mail):
        assert f"Outcome: {words}." in part
        assert f"Outcome: {outcome}." not in part


def test_the_reason_for_an_outcome_goes_to_the_representative_escaped() -> None:
    reason = f"Members asked for more report-backs. {SCRIPT}"
    mail = render("review_outcome", term_context(review=with_outcome("continue_with_support"), reason=reason))

    assert reason in mail.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mail.html and SCRIPT not in mail.html
    assert "extra support" in mail.text


def test_the_partnership_is_not_told_the_reason_for_an_outcome() -> None:
    context = term_context(
        recipient=partnership_contact(), review=with_outcome("stand_down"), reason="Private matter."
    )
    mail = render("review_outcome", context)

    assert "Private matter" not in mail.text and "Private matter" not in mail.html
    assert "Alice Adams stands down" in mail.text


def test_an_outcome_without_a_reason_renders() -> None:
    mail = render("review_outcome", term_context(review=with_outcome("continue"), reason=None))

    assert "reason" not in mail.text.lower()
    assert "None" not in mail.html


# --- 10. reelection_called --------------------------------------------------------------------


def test_reelection_called_gives_the_term_end_and_the_protocol_caveat() -> None:
    mail = render("reelection_called", term_context())

    for part in parts(mail):
        assert "Sunday 01 April 2029" in part
        assert "protocol allows" in part and "stand again" in part


# --- 11. term_ended ---------------------------------------------------------------------------


@pytest.mark.parametrize("recipient", [representative(), partnership_contact()])
def test_term_ended_thanks_and_dates_the_end(recipient: SimpleNamespace) -> None:
    context = term_context(recipient=recipient, appointment=appointment(status="ended"))
    mail = render("term_ended", context)

    for part in parts(mail):
        assert "Thank you" in part
        assert "ended on" in part and "Sunday 01 April 2029" in part


def test_a_term_ended_early_by_the_coordinator_gives_the_real_end_date() -> None:
    context = term_context(appointment=appointment(status="ended", ended_at=at(2028, 1, 14, 15)))
    mail = render("term_ended", context)

    assert "ended on Friday 14 January 2028" in mail.text


# --- 12. representative_left ------------------------------------------------------------------


def left(status: str, recipient: SimpleNamespace, reason: str | None) -> RenderedMail:
    ended = appointment(status=status, ended_at=at(2027, 2, 10, 11))
    return render("representative_left", term_context(appointment=ended, recipient=recipient, reason=reason))


def test_the_partnership_hears_of_a_resignation_and_what_happens_next_without_the_reason() -> None:
    mail = left("resigned", partnership_contact(), "Health reasons.")

    assert mail.subject == "Alice Adams has left the seat: VCS representative on Safer Town Partnership"
    for part in parts(mail):
        assert "they resigned on Wednesday 10 February 2027" in part
        assert "substitute" in part and "new election" in part
        assert "Health reasons" not in part


def test_the_coordinator_hears_of_a_resignation_with_the_reason_escaped() -> None:
    mail = left("resigned", coordinator(), f"Moving away. {SCRIPT}")

    assert f"Moving away. {SCRIPT}" in mail.text
    assert "&lt;script&gt;" in mail.html and SCRIPT not in mail.html


def test_a_removed_representative_is_told_in_the_second_person_with_the_reason() -> None:
    mail = left("removed", representative(), "Missed four meetings without notice.")

    assert mail.subject.startswith("Your appointment has ended:")
    for part in parts(mail):
        assert "has ended your appointment" in part
        assert "Missed four meetings without notice." in part


def test_a_removal_without_a_reason_renders() -> None:
    mail = left("removed", partnership_contact(), None)

    assert "the network ended their appointment" in mail.text
    assert "None" not in mail.text and "None" not in mail.html


# --- 13. report_back_reminder -----------------------------------------------------------------


def reminder_context(overdue: list[SimpleNamespace]) -> dict[str, Any]:
    context = term_context(overdue=overdue)
    return {k: context[k] for k in ("appointment", "partnership", "network", "recipient", "overdue", "link")}


def test_the_report_back_reminder_lists_the_overdue_meetings_and_the_link() -> None:
    overdue = [
        meeting("Board meeting", at(2026, 6, 3, 10), at(2026, 6, 3, 12)),
        meeting("Budget workshop", at(2026, 7, 1, 14), at(2026, 7, 1, 16)),
    ]
    mail = render("report_back_reminder", reminder_context(overdue))

    assert mail.subject == "Report-back overdue: Safer Town Partnership"
    assert LINK in mail.text and f'href="{LINK}"' in mail.html
    for part in parts(mail):
        assert "these meetings" in part
        assert "Board meeting, Wednesday 03 June 2026" in part
        assert "Budget workshop, Wednesday 01 July 2026" in part


def test_one_overdue_meeting_is_named_in_the_singular() -> None:
    mail = render(
        "report_back_reminder", reminder_context([meeting("Board", at(2026, 6, 3), at(2026, 6, 3, 2))])
    )

    assert "for this meeting" in mail.text and "these meetings" not in mail.text


# --- 14. report_back_digest -------------------------------------------------------------------


def digest_context(lines: list[SimpleNamespace], since: datetime | None) -> dict[str, Any]:
    member = SimpleNamespace(name="Olive Org", email="olive@org2.example", organisation_id=2)
    return {
        "network": network(),
        "recipient": member,
        "since": since,
        "report_backs": lines,
        "base_url": "http://127.0.0.1:8000",
    }


def test_the_digest_shows_each_report_back_and_escapes_it_in_html() -> None:
    lines = [
        digest_line(sector_said=f"We said {SCRIPT}", needs_from_members="Evidence of demand by July."),
        digest_line(meeting="Strategy day", person="Bob Brown", attended=False, discussed="", coming_up=""),
    ]
    mail = render("report_back_digest", digest_context(lines, since=at(2026, 5, 1, 8)))

    assert mail.subject == "Test Network: what our representatives reported"
    assert f"We said {SCRIPT}" in mail.text
    assert "We said &lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    assert SCRIPT not in mail.html
    for part in parts(mail):
        assert "since Friday 01 May 2026" in part
        assert "Safer Town Partnership: Board meeting, Wednesday 03 June 2026" in part
        assert "Evidence of demand by July." in part
        assert "Bob Brown, who could not attend" in part
        assert "Dear Olive Org," in part
    assert mail.text.count("Coming up") == 1  # an empty answer is left out


def test_the_first_digest_has_no_since_date() -> None:
    mail = render("report_back_digest", digest_context([digest_line()], since=None))

    assert "Here is the report-back our representatives have filed so far" in mail.text
    assert "None" not in mail.text


# --- 15. schedule_updated ---------------------------------------------------------------------


def test_a_schedule_change_lists_the_changes_and_explains_the_calendar() -> None:
    context = term_context()
    changes = [f"The meeting on Wednesday 03 June 2026 at 10:00 UTC moved to Thursday 04 June 2026. {SCRIPT}"]
    mail = render(
        "schedule_updated",
        {
            **{k: context[k] for k in ("appointment", "partnership", "network", "recipient")},
            "changes": changes,
        },
    )

    assert mail.subject == "Meeting schedule changed: Safer Town Partnership"
    assert changes[0] in mail.text
    assert "moved to Thursday 04 June 2026. &lt;script&gt;" in mail.html
    for part in parts(mail):
        assert "calendar" in part and "Outlook" in part
