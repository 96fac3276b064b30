"""Checking a workflow: every mistake found, in words, on the line where it was made."""

from __future__ import annotations

from pathlib import Path

import pytest

from nominations.mail.render import MailRenderer
from nominations.paths import workflows_dir
from nominations.workflow.check import check_workflow

FIXTURES = Path(__file__).parent.parent / "fixtures" / "workflows"

# Clean on its own (asserted below), so each case's problems are the case's alone.
BASE = """\
workflow: demo
entity: vacancy
initial: open
parameters:
  window: P7D
states:
  open: {}
  closed:
    final: true
transitions:
  - trigger: close
    source: open
    dest: closed
    actions:
      - send: {template: hello, to: partnership}
"""


def finish(action: str) -> str:
    """A second transition, whose one action (line 21) is the case."""
    return (
        "  - trigger: finish\n    source: open\n    dest: closed\n"
        f"    by: [coordinator, timer]\n    actions:\n      - {action}\n"
    )


def added(*lines: str) -> str:
    """A second transition from line 16, its keys on lines 16, 17, 18..."""
    return BASE + "  - " + "\n    ".join(lines) + "\n"


STUCK = BASE.replace("  open: {}\n", "  open: {}\n  stuck: {}\n")  # shifts transitions by one
ACTIONS_FROM = "send in transition 'finish': "

CASES = {
    "clean": (BASE, []),
    "unknown initial state": (
        BASE.replace("initial: open", "initial: opne"),
        [(3, "initial: unknown state 'opne'; expected one of closed, open; did you mean 'open'?")],
    ),
    "unknown source": (
        added("trigger: reopen", "source: shut", "dest: open"),
        [(17, "transition 'reopen': unknown source state 'shut'; expected one of closed, open")],
    ),
    "unknown source in a list": (
        added("trigger: reopen", "source:\n      - open\n      - shut", "dest: open"),
        [(19, "transition 'reopen': unknown source state 'shut'; expected one of closed, open")],
    ),
    "unknown dest": (
        added("trigger: pause", "source: open", "dest: paused"),
        [(18, "transition 'pause': unknown dest state 'paused'; expected one of closed, open")],
    ),
    "unreachable state": (
        BASE.replace("  closed:\n", "  orphan:\n    final: true\n  closed:\n"),
        [(8, "state 'orphan' cannot be reached from the initial state 'open'")],
    ),
    "dead end": (
        STUCK + "  - trigger: jam\n    source: open\n    dest: stuck\n",
        [(8, "state 'stuck' is a dead end: it is not final and no transition leads out of it")],
    ),
    "an internal transition is no way out": (
        STUCK + "  - trigger: jam\n    source: open\n    dest: stuck\n  - trigger: poke\n    source: stuck\n",
        [(8, "state 'stuck' is a dead end: it is not final and no transition leads out of it")],
    ),
    "a cancel from '*' is no way out": (
        STUCK + "  - trigger: jam\n    source: open\n    dest: stuck\n"
        "  - trigger: cancel\n    source: '*'\n    dest: closed\n",
        [
            (
                8,
                "state 'stuck' is a dead end: it is not final and no transition leads out of it "
                "(those from '*' do not count)",
            )
        ],
    ),
    "'*' leaves no final state": (added("trigger: cancel", "source: '*'", "dest: closed"), []),
    "final state with a way out": (
        added("trigger: reopen", "source: closed", "dest: open"),
        [(17, "transition 'reopen' leaves 'closed', which is final")],
    ),
    "unknown guard": (
        added("trigger: finish", "source: open", "dest: closed", "guards: [contested, maybe]"),
        [
            (
                19,
                "transition 'finish': unknown guard 'maybe'; expected one of contested, "
                "has_valid_nominations, has_votes, incumbent_carries_on, no_valid_nominations, "
                "panel_decided, uncontested",
            )
        ],
    ),
    "unknown actor kind": (
        added("trigger: finish", "source: open", "dest: closed", "by: robot"),
        [
            (
                19,
                "transition 'finish': unknown actor kind 'robot'; expected one of coordinator, "
                "nominee, organisation, panel, partnership, representative, system, timer",
            )
        ],
    ),
    "ambiguous twins": (
        added("trigger: close", "source: open", "dest: open"),
        [
            (
                16,
                "transition 'close' from 'open' is ambiguous: the one at line 11 has the same "
                "trigger and source, and neither has a guard",
            )
        ],
    ),
    "a guarded twin is not ambiguous": (
        added("trigger: close", "source: open", "dest: open", "guards: has_votes"),
        [],
    ),
    "unknown action": (
        BASE + finish("sned: {template: hello, to: partnership}"),
        [
            (
                21,
                "transition 'finish': unknown action 'sned'; expected one of appoint, cancel_timer, "
                "count_votes, elect_incumbent, elect_unopposed, freeze_electorate, open_ballot, "
                "seal_ballots, send, set_deadline, start_timer; did you mean 'send'?",
            )
        ],
    ),
    "missing action argument": (
        BASE + finish("send: {template: hello}"),
        [(21, ACTIONS_FROM + "the argument 'to' is missing")],
    ),
    "unexpected action argument": (
        BASE + finish("send: {template: hello, to: partnership, cc: coordinator}"),
        [(21, ACTIONS_FROM + "unknown argument 'cc'; expected one of attach, link, template, to")],
    ),
    "unknown audience": (
        BASE + finish("send: {template: hello, to: everybody}"),
        [
            (
                21,
                ACTIONS_FROM + "unknown audience 'everybody'; expected one of coordinator, "
                "elected, electorate, electorate_not_voted, nominees, panel, partnership",
            )
        ],
    ),
    "bad literal duration": (
        BASE + finish("set_deadline: {field: voting_close_at, after: P7X}"),
        [
            (
                21,
                "set_deadline in transition 'finish': after 'P7X' is neither a duration such as "
                "P21D nor a parameter",
            )
        ],
    ),
    "misspelt parameter": (
        BASE + finish("set_deadline: {field: voting_close_at, after: windw}"),
        [
            (
                21,
                "set_deadline in transition 'finish': after 'windw' is neither a duration such "
                "as P21D nor a parameter; did you mean 'window'?",
            )
        ],
    ),
    "a parameter and a literal are both durations": (
        BASE
        + finish("set_deadline: {field: voting_close_at, after: window}")
        + "      - set_deadline: {field: nominations_close_at, after: PT12H}\n",
        [],
    ),
    "unknown deadline field": (
        BASE + finish("set_deadline: {field: closes, after: P1D}"),
        [
            (
                21,
                "set_deadline in transition 'finish': unknown deadline field 'closes'; "
                "expected one of nominations_close_at, voting_close_at",
            )
        ],
    ),
    "start_timer at an unknown deadline": (
        BASE + finish("start_timer: {name: t, trigger: finish, at: someday}"),
        [
            (
                21,
                "start_timer in transition 'finish': unknown deadline field 'someday'; "
                "expected one of nominations_close_at, voting_close_at",
            )
        ],
    ),
    "start_timer of an unknown trigger": (
        BASE + finish("start_timer: {name: t, trigger: finsh}"),
        [
            (
                21,
                "start_timer in transition 'finish': unknown trigger 'finsh'; expected one of "
                "close, finish; did you mean 'finish'?",
            )
        ],
    ),
    "start_timer of a trigger the timer may not fire": (
        BASE + finish("start_timer: {name: t, trigger: close}"),
        [
            (
                21,
                "start_timer in transition 'finish': no transition 'close' may be fired by "
                "'timer', so the timer would be refused",
            )
        ],
    ),
    "start_timer before without at": (
        BASE + finish("start_timer: {name: t, trigger: finish, before: P1D}"),
        [
            (
                21,
                "start_timer in transition 'finish': 'before' counts back from a deadline, "
                "so 'at' is needed too",
            )
        ],
    ),
    "start_timer missing its name and trigger": (
        BASE + finish("start_timer: {at: voting_close_at}"),
        [
            (21, "start_timer in transition 'finish': the argument 'name' is missing"),
            (21, "start_timer in transition 'finish': the argument 'trigger' is missing"),
        ],
    ),
    "cancel_timer of a timer nobody starts": (
        BASE + finish("cancel_timer: {name: t}"),
        [(21, "cancel_timer in transition 'finish': no start_timer starts a timer named 't'")],
    ),
    "cancel_timer of every timer": (BASE + finish("cancel_timer: {name: '*'}"), []),
    "partial template": (
        BASE + finish("send: {template: partial, to: partnership}"),
        [(21, ACTIONS_FROM + "email template 'partial' is missing body.txt, body.html")],
    ),
    "template using a name a send does not provide": (
        BASE + finish("send: {template: leaky, to: partnership}"),
        [
            (
                21,
                ACTIONS_FROM + "email template 'leaky' uses 'secret', which a send does not "
                "provide; it may use base_url, network, nominations, partnership, reason, "
                "recipient, result, vacancy",
            )
        ],
    ),
}


@pytest.fixture
def renderer(tmp_path: Path) -> MailRenderer:
    """Templates of our own: hello is fine, leaky reads {{ secret }}, partial lacks parts."""
    parts = {
        "hello": ("Hello", "Dear {{ recipient.name }}", "<p>{{ vacancy.title }}</p>"),
        "leaky": ("Hello", "Dear {{ recipient.name }}", "<p>{{ secret }}</p>"),
        "linked": ("Hello", "Dear {{ recipient.name }}", "<p><a href='{{ link }}'>vote</a></p>"),
        "broken": ("Hello", "{% if %}", "<p></p>"),
        "maybe_linked": (
            "Hello",
            "{% if link is defined %}{{ link }}{% endif %}",
            "<p>{{ vacancy.title }}</p>",
        ),
    }
    for name, texts in parts.items():
        (tmp_path / "email" / name).mkdir(parents=True)
        for part, text in zip(("subject.txt", "body.txt", "body.html"), texts, strict=True):
            (tmp_path / "email" / name / part).write_text(text)
    (tmp_path / "email" / "partial").mkdir()
    (tmp_path / "email" / "partial" / "subject.txt").write_text("Hello")
    return MailRenderer(root=tmp_path)


def check_text(tmp_path: Path, text: str, renderer: MailRenderer) -> list[tuple[int, str]]:
    path = tmp_path / "workflow.yaml"
    path.write_text(text)
    problems = check_workflow(path, renderer)
    assert all(p.file == path for p in problems)
    return [(p.line, p.message) for p in problems]


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_each_mistake_is_found_on_its_line(
    tmp_path: Path, renderer: MailRenderer, text: str, expected: list[tuple[int, str]]
) -> None:
    assert check_text(tmp_path, text, renderer) == expected


def test_missing_template_names_the_folder_and_the_near_one(tmp_path: Path, renderer: MailRenderer) -> None:
    text = BASE + finish("send: {template: helo, to: partnership}")
    assert check_text(tmp_path, text, renderer) == [
        (21, f"{ACTIONS_FROM}there is no email template 'helo' in {renderer.root}; did you mean 'hello'?")
    ]


def test_template_that_does_not_parse(tmp_path: Path, renderer: MailRenderer) -> None:
    text = BASE + finish("send: {template: broken, to: partnership}")
    [(line, message)] = check_text(tmp_path, text, renderer)
    assert line == 21
    assert message.startswith(ACTIONS_FROM + "email template 'broken' cannot be read: ")


def test_every_problem_in_a_file_is_reported_in_line_order() -> None:
    problems = check_workflow(FIXTURES / "semantics.yaml")
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (9, "state 'stuck' is a dead end: it is not final and no transition leads out of it"),
        (10, "state 'orphan' cannot be reached from the initial state 'open'"),
        (18, "transition 'close': unknown actor kind 'robot'"),
        (19, "transition 'close': unknown guard 'maybe'"),
        (21, "transition 'close': unknown action 'sned'"),
        (22, "send in transition 'close': unknown audience 'everybody'"),
        (
            23,
            "set_deadline in transition 'close': after 'windw' is neither a duration such "
            "as P21D nor a parameter",
        ),
        (24, "start_timer in transition 'close': unknown trigger 'clsoe'"),
        (29, "transition 'reopen' leaves 'closed', which is final"),
        (30, "transition 'reopen': unknown dest state 'opne'"),
    ]


def test_a_file_that_does_not_load_reports_why() -> None:
    problems = check_workflow(FIXTURES / "structure.yaml")
    assert [p.line for p in problems] == [6, 9, 13, 14, 17, 18, 19, 22]
    assert check_workflow(FIXTURES / "nope.yaml")[0].message == "no such file"


def test_shipped_vacancy_workflow_checks_clean_against_shipped_templates() -> None:
    assert check_workflow(workflows_dir() / "vacancy.yaml") == []


def test_a_link_goes_only_to_organisations_and_only_of_a_known_kind(
    tmp_path: Path, renderer: MailRenderer
) -> None:
    assert (
        check_text(
            tmp_path, BASE + finish("send: {template: linked, to: electorate, link: ballot}"), renderer
        )
        == []
    )
    assert check_text(
        tmp_path, BASE + finish("send: {template: linked, to: partnership, link: ballot}"), renderer
    ) == [
        (
            21,
            ACTIONS_FROM + "a ballot link goes to member organisations: "
            "send it to electorate or electorate_not_voted",
        )
    ]
    assert check_text(
        tmp_path, BASE + finish("send: {template: linked, to: electorate, link: vote}"), renderer
    ) == [(21, ACTIONS_FROM + "unknown link 'vote'; expected one of ballot, nominate, panel")]


def test_a_template_may_use_link_only_when_its_send_gives_one(tmp_path: Path, renderer: MailRenderer) -> None:
    [(line, message)] = check_text(
        tmp_path, BASE + finish("send: {template: linked, to: electorate}"), renderer
    )
    assert line == 21
    assert message.startswith(
        ACTIONS_FROM + "email template 'linked' uses 'link', which a send does not provide"
    )


def test_a_template_that_reads_link_only_if_defined_needs_no_link(
    tmp_path: Path, renderer: MailRenderer
) -> None:
    assert (
        check_text(tmp_path, BASE + finish("send: {template: maybe_linked, to: coordinator}"), renderer) == []
    )
    assert renderer.variables("maybe_linked") == {"vacancy"}
