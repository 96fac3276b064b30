"""The console's words for states, triggers and actors, as a coordinator reads them. Pure: no I/O."""

from __future__ import annotations

# What each button says; a trigger not listed here is shown by its name in words.
TRIGGER_LABELS = {
    "accept": "Accept the request",
    "ask_for_information": "Ask the partnership for more information",
    "resubmit": "Mark the request as resubmitted",
    "decline": "Decline the request",
    "open_nominations": "Open the call for nominations",
    "remind_nominators": "Remind members to nominate",
    "close_nominations": "Close the call now",
    "tally_nominations": "Tally the nominations",
    "withdraw": "Withdraw the seat",
    "remind_voters": "Remind members who have not voted",
    "close_voting": "Close the ballot now",
    "count": "Count the votes",
    "declare": "Declare the result",
    "fill": "Fill the seat",
    "cancel": "Cancel this vacancy",
    "start_induction": "Start the induction",
    "step_up": "Step up into the seat",
    "release": "Release the substitute",
    "remind_induction": "Send an induction reminder",
    "complete_induction": "Mark the induction complete",
    "open_review": "Open the yearly review",
    "close_review": "Close the review for a decision",
    "continue": "Continue in the seat",
    "continue_with_support": "Continue with support",
    "stand_down": "Stand down",
    "rerun_election": "End the term and re-run the election",
    "call_reelection": "Call the election for the next term",
    "end_term": "End the term now",
    "resign": "Record a resignation",
    "remove": "Remove from the seat",
}

# Triggers that end or refuse something: their buttons are red, as GOV.UK warns of such actions.
ENDING_TRIGGERS = frozenset(
    {"decline", "withdraw", "cancel", "stand_down", "rerun_election", "end_term", "resign", "remove"}
)

# Who acted, by the kind of actor the audit trail records.
ACTOR_WORDS = {
    "coordinator": "Coordinator",
    "partnership": "Partnership contact",
    "organisation": "Member organisation",
    "nominee": "Nominee",
    "representative": "Representative",
    "panel": "Selection panel member",
    "timer": "Automatic, at its deadline",
    "system": "The system",
}

# What an audit entry that is not a trigger records, in the past tense.
ACTION_WORDS = {
    "request": "Requested the seat",
    "nominate": "Made a nomination",
    "second": "Seconded a nomination",
    "consent": "Consented to stand",
    "withdraw_nomination": "Withdrew a nomination",
    "invalidate_nomination": "Ruled a nomination invalid",
    "panel_score": "Scored the applicants",
    "panel_decision": "Recorded the panel's decision",
    "add_panel_member": "Added a panel member",
    "vote": "Voted",
    "appoint": "Appointed to the seat",
    "replace": "Filled the seat from the substitute",
    "report_back": "Filed a report-back",
    "remind_report_back": "Was reminded of overdue report-backs",
    "review_reflection": "Reflected on the year",
    "review_feedback": "Gave review feedback",
    "induction_step_done": "Ticked an induction step",
    "induction_step_waived": "Waived an induction step",
}

# GOV.UK tag colours: what a state asks of the coordinator, at a glance.
_TAG_COLOURS = {
    "yellow": {"requested", "information_requested", "no_valid_nominations", "counted", "under_review"},
    "green": {"declared", "filled", "selected", "elected_unopposed", "active"},
    "red": {"declined", "withdrawn", "cancelled", "removed", "resigned"},
    "grey": {"ended", "standing_by"},
}


def words(name: str) -> str:
    """A snake_case name as words: `no_valid_nominations` → `No valid nominations`."""
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def trigger_label(trigger: str) -> str:
    return TRIGGER_LABELS.get(trigger, words(trigger))


def state_label(state: str) -> str:
    return words(state)


def tag_colour(state: str) -> str:
    """The tag colour for a state: blue (in progress) unless it asks for, ends or fulfils something."""
    return next((colour for colour, states in _TAG_COLOURS.items() if state in states), "blue")


def action_words(action: str, from_state: str | None, to_state: str | None) -> str:
    """What an audit entry did, in words, with the change of state when there was one."""
    said = ACTION_WORDS.get(action) or TRIGGER_LABELS.get(action) or words(action)
    if from_state and to_state and from_state != to_state:
        return f"{said}: {state_label(from_state).lower()} → {state_label(to_state).lower()}"
    return said
