"""A network's protocol: loaded from YAML, every mistake named with its line, overridden per seat."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from nominations.errors import NotFoundError, WorkflowDefinitionError
from nominations.paths import workflows_dir
from nominations.protocol import (
    Protocol,
    ProtocolError,
    check_protocol,
    is_protocol_file,
    load_named,
    load_protocol,
)
from nominations.protocol.loader import protocols_dir
from nominations.workflow.loader import Problem

FIXTURES = Path(__file__).parent.parent / "fixtures" / "protocols"
DURATION = "is not an ISO 8601 duration such as P21D, P3W or PT12H"
ALL_KEYS = (
    "protocol, description, nomination_window, ballot_window, reminders, seconders_required, "
    "seconders_from_other_organisations, nominee_consent_required, self_nomination_allowed, "
    "statement_word_limit, nominations_per_organisation, declarations, voting_method, "
    "candidate_order, tie_rule, receipts, runner_up_becomes_substitute, term_months, term_limit, "
    "carry_on_if_unopposed, induction_checklist, induction_window, induction_reminders, "
    "report_back_within, digest_every, review_window, reelection_notice"
)

VALID = """\
protocol: test
nomination_window: P21D
ballot_window: P14D
reminders: [P7D, P2D]
seconders_required: 1
seconders_from_other_organisations: true
nominee_consent_required: true
self_nomination_allowed: false
statement_word_limit: 200
nominations_per_organisation: 1
declarations:
  - id: not_employed
    text: I am not employed by the partnership's public body.
voting_method:
  one_seat: plurality
  several_seats: scottish-stv
candidate_order: alphabetical
tie_rule: lot
receipts: with-choices
runner_up_becomes_substitute: true
term_months: 24
term_limit:
carry_on_if_unopposed: false
induction_checklist:
  - id: chair_meeting
    text: Meet the partnership's chair.
induction_window: P6W
induction_reminders: [P4W, P2W]
report_back_within: P14D
digest_every: P4W
review_window: P3W
reelection_notice: P10W
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "protocol.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[tuple[int, str]]:
    """What check_protocol reports; load_protocol must refuse the file with the same problems."""
    found = check_protocol(path)
    with pytest.raises(WorkflowDefinitionError) as caught:
        load_protocol(path)
    assert caught.value.problems == found
    assert all(isinstance(p, Problem) and p.file == path for p in found)
    return [(p.line, p.message) for p in found]


def edited(tmp_path: Path, old: str, new: str) -> list[tuple[int, str]]:
    assert VALID.count(old) == 1, f"{old!r} must stand once in VALID"
    return problems_of(write(tmp_path, VALID.replace(old, new)))


def test_the_valid_text_is_valid(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    assert check_protocol(path) == []
    assert load_protocol(path).name == "test"


# Each case: a line of VALID, what replaces it, and every problem with its line.
CASES = {
    "unknown key, near one": (
        "term_months: 24",
        "term_month: 24",
        [
            (1, "'term_months' is required"),
            (21, "unknown key 'term_month' in the protocol; did you mean 'term_months'?"),
        ],
    ),
    "unknown key, none near": (
        "term_limit:\n",
        "term_limit:\ncolour: green\n",
        [
            (23, f"unknown key 'colour' in the protocol; expected one of {ALL_KEYS}"),
        ],
    ),
    "a key that is not text": (
        "term_limit:\n",
        "term_limit:\n2024: x\n",
        [
            (23, "the key 2024 must be text; put it in quotes"),
        ],
    ),
    "duplicate key": (
        "term_months: 24\n",
        "term_months: 24\nterm_months: 36\n",
        [
            (22, "duplicate key 'term_months' (first at line 21)"),
        ],
    ),
    "name missing": ("protocol: test\n", "", [(1, "'protocol' is required")]),
    "name not text": (
        "protocol: test",
        "protocol: 7",
        [
            (1, "'protocol' must be the protocol's name, not the number 7"),
        ],
    ),
    "bad duration": (
        "ballot_window: P14D",
        "ballot_window: P2X",
        [
            (3, f"ballot_window: 'P2X' {DURATION}"),
        ],
    ),
    "duration as a number": (
        "nomination_window: P21D",
        "nomination_window: 21",
        [
            (2, "'nomination_window' must be a duration such as P21D, not the number 21"),
        ],
    ),
    "a window of no time": (
        "ballot_window: P14D",
        "ballot_window: P0D",
        [
            (3, "ballot_window: 'P0D' is no time at all; give a duration such as P7D"),
        ],
    ),
    "bad reminder": ("[P7D, P2D]", "[P7D, 2 days]", [(4, f"reminders[1]: '2 days' {DURATION}")]),
    "reminders not a list": (
        "reminders: [P7D, P2D]",
        "reminders: P7D",
        [
            (4, "'reminders' must be a list of durations such as [P7D, P2D], not 'P7D'"),
        ],
    ),
    "reminder as long as the nomination window": (
        "[P7D, P2D]",
        "[P21D, P2D]",
        [
            (
                4,
                "reminders[0]: 'P21D' is not shorter than the nomination_window 'P21D', so the "
                "reminder would go out before the call for nominations opens",
            ),
        ],
    ),
    "reminder longer than the ballot window": (
        "ballot_window: P14D",
        "ballot_window: P5D",
        [
            (
                4,
                "reminders[0]: 'P7D' is not shorter than the ballot_window 'P5D', so the reminder "
                "would go out before the ballot opens",
            ),
        ],
    ),
    "each bad reminder on its own line": (
        "reminders: [P7D, P2D]",
        "reminders:\n  - P7D\n  - P30D",
        [
            (
                6,
                "reminders[1]: 'P30D' is not shorter than the nomination_window 'P21D', so the "
                "reminder would go out before the call for nominations opens",
            ),
        ],
    ),
    "repeated reminder": ("[P7D, P2D]", "[P1W, P2D, P7D]", [(4, "reminders[2]: 'P7D' repeats reminders[0]")]),
    "too many seconders": (
        "seconders_required: 1",
        "seconders_required: 3",
        [
            (5, "'seconders_required' must be 0, 1 or 2, not the number 3"),
        ],
    ),
    "fewer than no seconders": (
        "seconders_required: 1",
        "seconders_required: -1",
        [
            (5, "'seconders_required' must be 0, 1 or 2, not the number -1"),
        ],
    ),
    "seconders in words": (
        "seconders_required: 1",
        "seconders_required: one",
        [
            (5, "'seconders_required' must be 0, 1 or 2, not 'one'"),
        ],
    ),
    "a number for yes": (
        "nominee_consent_required: true",
        "nominee_consent_required: 1",
        [
            (7, "'nominee_consent_required' must be true or false, not the number 1"),
        ],
    ),
    "yes or no left empty": (
        "self_nomination_allowed: false",
        "self_nomination_allowed:",
        [
            (8, "'self_nomination_allowed' must be true or false, not nothing"),
        ],
    ),
    "no words": (
        "statement_word_limit: 200",
        "statement_word_limit: 0",
        [
            (9, "'statement_word_limit' must be a whole number of words, at least 1, not the number 0"),
        ],
    ),
    "part of a word": (
        "statement_word_limit: 200",
        "statement_word_limit: 99.5",
        [
            (9, "'statement_word_limit' must be a whole number of words, at least 1, not the number 99.5"),
        ],
    ),
    "no nominations": (
        "nominations_per_organisation: 1",
        "nominations_per_organisation: 0",
        [
            (
                10,
                "'nominations_per_organisation' must be a whole number, at least 1, or nothing for no "
                "limit, not the number 0",
            ),
        ],
    ),
    "declaration id repeated": (
        "body.\n",
        "body.\n  - id: not_employed\n    text: I live here.\n",
        [
            (14, "declarations[1].id: 'not_employed' is already the id of declarations[0]"),
        ],
    ),
    "declaration id not a short name": (
        "id: not_employed",
        "id: Not Employed",
        [
            (
                12,
                "'declarations[0].id' must be a short name in lower case, such as not_employed, "
                "not 'Not Employed'",
            ),
        ],
    ),
    "declaration with a misspelt key": (
        "    text: I am",
        "    txt: I am",
        [
            (12, "'declarations[0].text' is required"),
            (13, "declarations[0]: unknown key 'txt'; did you mean 'text'?"),
        ],
    ),
    "declaration that is only words": (
        "  - id: not_employed\n    text: I am not employed by the partnership's public body.",
        "  - not employed",
        [
            (12, "'declarations[0]' must be a mapping with 'id' and 'text', not 'not employed'"),
        ],
    ),
    "unknown one-seat method": (
        "one_seat: plurality",
        "one_seat: pluralty",
        [
            (
                15,
                "'voting_method.one_seat' must be 'plurality' or 'av', not 'pluralty'; "
                "did you mean 'plurality'?",
            ),
        ],
    ),
    "unknown several-seat method": (
        "several_seats: scottish-stv",
        "several_seats: stv",
        [
            (16, "'voting_method.several_seats' must be 'scottish-stv', 'meek-stv' or 'block', not 'stv'"),
        ],
    ),
    "several-seat method missing": (
        "  several_seats: scottish-stv\n",
        "",
        [
            (14, "'voting_method.several_seats' is required"),
        ],
    ),
    "voting method as one word": (
        "voting_method:\n  one_seat: plurality\n  several_seats: scottish-stv\n",
        "voting_method: plurality\n",
        [
            (14, "'voting_method' must be a mapping with 'one_seat' and 'several_seats', not 'plurality'"),
        ],
    ),
    "unknown candidate order": (
        "candidate_order: alphabetical",
        "candidate_order: alphabetic",
        [
            (
                17,
                "'candidate_order' must be 'alphabetical' or 'random', not 'alphabetic'; "
                "did you mean 'alphabetical'?",
            ),
        ],
    ),
    "unknown tie rule": ("tie_rule: lot", "tie_rule: coin", [(18, "'tie_rule' must be 'lot', not 'coin'")]),
    "unknown receipts": (
        "receipts: with-choices",
        "receipts: codes",
        [
            (
                19,
                "'receipts' must be 'with-choices' or 'codes-only', not 'codes'; did you mean 'codes-only'?",
            ),
        ],
    ),
    "no months": (
        "term_months: 24",
        "term_months: 0",
        [
            (21, "'term_months' must be a whole number of months, at least 1, not the number 0"),
        ],
    ),
    "a limit of no terms": (
        "term_limit:",
        "term_limit: 0",
        [
            (
                22,
                "'term_limit' must be a whole number of consecutive terms, at least 1, or nothing for "
                "no limit, not the number 0",
            ),
        ],
    ),
}


@pytest.mark.parametrize(("old", "new", "expected"), CASES.values(), ids=CASES.keys())
def test_every_mistake_is_named_on_its_line(
    tmp_path: Path, old: str, new: str, expected: list[tuple[int, str]]
) -> None:
    assert edited(tmp_path, old, new) == expected


def test_every_problem_in_a_file_is_reported_in_line_order() -> None:
    assert problems_of(FIXTURES / "problems.yaml") == [
        (2, "'term_months' is required"),
        (4, f"ballot_window: '14 days' {DURATION}"),
        (5, "reminders[1]: 'P1W' repeats reminders[0]"),
        (
            5,
            "reminders[2]: 'P30D' is not shorter than the nomination_window 'P3W', so the reminder "
            "would go out before the call for nominations opens",
        ),
        (6, "'seconders_required' must be 0, 1 or 2, not the number 3"),
        (8, "'nominee_consent_required' must be true or false, not the number 1"),
        (10, "'statement_word_limit' must be a whole number of words, at least 1, not the number 0"),
        (15, "declarations[1].id: 'not_employed' is already the id of declarations[0]"),
        (19, "voting_method: unknown key 'two_seats'; did you mean 'one_seat'?"),
        (20, "'voting_method.several_seats' must be 'scottish-stv', 'meek-stv' or 'block', not 'stv'"),
        (
            21,
            "'candidate_order' must be 'alphabetical' or 'random', not 'alphabetic'; "
            "did you mean 'alphabetical'?",
        ),
        (22, "'tie_rule' must be 'lot', not 'coin'"),
        (25, "unknown key 'term_month' in the protocol; did you mean 'term_months'?"),
        (31, "induction_checklist[1].id: 'chair_meeting' is already the id of induction_checklist[0]"),
        (34, "induction_reminders[0]: 'P3W' is not shorter than the induction_window 'P2W'"),
    ]


def test_a_reelection_notice_too_short_for_the_call_and_the_ballot_is_refused(tmp_path: Path) -> None:
    text = VALID.replace("reelection_notice: P10W", "reelection_notice: P5W")
    assert problems_of(write(tmp_path, text)) == [
        (
            32,
            "reelection_notice: 'P5W' leaves no time to run the call and the ballot (P21D + P14D) "
            "before the term ends",
        )
    ]


def test_a_file_that_is_not_a_protocol_says_what_one_is(tmp_path: Path) -> None:
    expected = "a mapping of settings that starts with 'protocol:' and its name"
    assert problems_of(write(tmp_path, "# nothing yet\n")) == [
        (1, f"the file is empty; a protocol is {expected}")
    ]
    assert problems_of(write(tmp_path, "- P21D\n- P14D\n")) == [
        (1, f"the top level must be {expected}, not a list")
    ]


def test_yaml_syntax_error_and_missing_file(tmp_path: Path) -> None:
    assert problems_of(write(tmp_path, "protocol: x\nreminders: [P7D\n")) == [
        (
            3,
            "YAML syntax error: while parsing a flow sequence (line 2), expected ',' or ']', "
            "but got '<stream end>'",
        )
    ]
    assert problems_of(tmp_path / "nope.yaml") == [(1, "no such file")]


def test_the_shipped_default_checks_clean_with_the_settings_it_documents() -> None:
    path = protocols_dir() / "default.yaml"
    assert path == workflows_dir() / "protocols" / "default.yaml"
    assert check_protocol(path) == []
    default = load_named("default")
    assert default == load_protocol(path)
    assert (default.name, default.nomination_window, default.reminders) == ("default", "P21D", ["P7D", "P2D"])
    assert (default.seconders_required, default.seconders_from_other_organisations) == (1, True)
    assert (default.nominee_consent_required, default.self_nomination_allowed) == (True, False)
    assert (default.statement_word_limit, default.nominations_per_organisation) == (200, 1)
    assert [d.id for d in default.declarations] == ["not_employed_by_partnership"]
    assert (default.ballot_window, default.method_for(1), default.method_for(2)) == (
        "P14D",
        "plurality",
        "scottish-stv",
    )
    assert (default.candidate_order, default.tie_rule, default.receipts) == (
        "alphabetical",
        "lot",
        "with-choices",
    )
    assert (default.runner_up_becomes_substitute, default.term_months, default.term_limit) == (True, 24, None)
    assert default.carry_on_if_unopposed is False


def test_every_setting_in_the_default_is_explained_by_a_comment_above_it() -> None:
    lines = (protocols_dir() / "default.yaml").read_text(encoding="utf-8").splitlines()
    keys = {m[1]: i for i, line in enumerate(lines) if (m := re.match(r"^([a-z_]+):", line))}
    settings = [f.alias or name for name, f in Protocol.model_fields.items() if name != "description"]
    assert sorted(keys) == sorted([*settings, "description"])
    uncommented = [key for key in settings if not lines[keys[key] - 1].startswith("#")]
    assert uncommented == []


def test_the_test_networks_protocol_loads() -> None:
    strict = load_protocol(FIXTURES / "two_seconders.yaml")
    assert (strict.name, strict.seconders_required, strict.seconders_from_other_organisations) == (
        "two_seconders",
        2,
        True,
    )
    assert (strict.statement_word_limit, strict.nominations_per_organisation) == (100, None)
    assert [d.id for d in strict.declarations] == ["not_employed", "lives_or_works_locally"]
    assert (strict.method_for(1), strict.method_for(3)) == ("av", "meek-stv")
    assert (strict.candidate_order, strict.receipts) == ("random", "codes-only")
    assert (strict.term_months, strict.term_limit, strict.carry_on_if_unopposed) == (36, 2, True)


def test_a_vacancy_has_at_least_one_seat() -> None:
    with pytest.raises(ValueError, match="a vacancy has at least one seat, not 0"):
        load_named("default").method_for(0)


def test_a_protocol_cannot_be_changed_in_place() -> None:
    default = load_named("default")
    with pytest.raises(ValidationError):
        default.term_months = 36  # type: ignore[misc]
    assert default.term_months == 24


def test_load_named_refuses_unknown_names_and_paths() -> None:
    folder = protocols_dir()
    with pytest.raises(NotFoundError) as caught:
        load_named("defualt")
    assert str(caught.value) == (
        f"no protocol named 'defualt' in {folder}; there are default; did you mean 'default'?"
    )
    assert (workflows_dir() / "vacancy.yaml").is_file()
    with pytest.raises(NotFoundError, match=r"no protocol named '\.\./vacancy'"):
        load_named("../vacancy")


def test_a_protocol_file_is_one_whose_top_level_has_the_key_protocol(tmp_path: Path) -> None:
    assert is_protocol_file(protocols_dir() / "default.yaml")
    assert not is_protocol_file(workflows_dir() / "vacancy.yaml")
    assert not is_protocol_file(tmp_path / "nope.yaml")
    assert not is_protocol_file(write(tmp_path, "- protocol\n"))


def test_a_seat_overrides_settings_in_a_validated_copy() -> None:
    default = load_named("default")
    seat = default.with_overrides(
        {
            "ballot_window": "P10D",
            "voting_method": {"one_seat": "av"},  # merged: several_seats stays as the protocol says
            "nominations_per_organisation": None,
            "reminders": [],
        }
    )
    assert (seat.ballot_window, seat.method_for(1), seat.method_for(4)) == ("P10D", "av", "scottish-stv")
    assert (seat.nominations_per_organisation, seat.reminders) == (None, [])
    assert (default.ballot_window, default.method_for(1), default.reminders) == (
        "P14D",
        "plurality",
        ["P7D", "P2D"],
    )
    assert default.with_overrides({}) == default


OVERRIDES = {
    "unknown setting": (
        {"balot_window": "P10D"},
        "seat override: unknown key 'balot_window' in the protocol; did you mean 'ballot_window'?",
    ),
    "invalid value": (
        {"seconders_required": 3},
        "seat override: 'seconders_required' must be 0, 1 or 2, not the number 3",
    ),
    "invalid nested value": (
        {"voting_method": {"several_seats": "stv"}},
        "seat override: 'voting_method.several_seats' must be 'scottish-stv', 'meek-stv' or 'block', "
        "not 'stv'",
    ),
    "a window too short for the reminders": (
        {"ballot_window": "P5D"},
        "seat override: reminders[0]: 'P7D' is not shorter than the ballot_window 'P5D', so the "
        "reminder would go out before the ballot opens",
    ),
    "every refusal": (
        {"term_months": 0, "tie_rule": "coin"},
        "seat override: 'tie_rule' must be 'lot', not 'coin'\n"
        "seat override: 'term_months' must be a whole number of months, at least 1, not the number 0",
    ),
    "the name": ({"protocol": "mine"}, "seat override: 'protocol' belongs to the protocol, not to a seat"),
    "the description": (
        {"description": "x"},
        "seat override: 'description' belongs to the protocol, not to a seat",
    ),
}


@pytest.mark.parametrize(("overrides", "message"), OVERRIDES.values(), ids=OVERRIDES.keys())
def test_a_refused_override_names_the_setting(overrides: dict[str, object], message: str) -> None:
    default = load_named("default")
    with pytest.raises(ProtocolError) as caught:
        default.with_overrides(overrides)
    assert str(caught.value) == message
    assert default == load_named("default")
