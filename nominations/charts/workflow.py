"""A workflow as a picture: the states in layers, arrows labelled by trigger, the current state
marked (a thick border and "you are here"), final states with a double border."""

from __future__ import annotations

from nominations.charts.svg import INK, PALE_BLUE, SMALL, TEXT, clip, esc, figure, num, text, width_of
from nominations.charts.workflow_arrows import arrow_marker, draw_arrows, lanes_width
from nominations.charts.workflow_layout import BOX_H, MARGIN, Arrows, Box, arrows, human, lay_out
from nominations.console_words import state_label
from nominations.errors import NotFoundError
from nominations.workflow.definition import WorkflowDef

ANYWHERE = "from any open state"
HERE = "you are here"
MOST = 34  # characters on a line inside a box


def workflow_svg(defn: WorkflowDef, current_state: str, *, ident: str = "workflow") -> str:
    """The workflow with `current_state` highlighted; NotFoundError if it has no such state."""
    if current_state not in defn.states:
        raise NotFoundError(f"{defn.workflow!r} has no state {current_state!r}")
    drawn = arrows(defn)
    lines = {s: _lines(s, s == current_state, drawn) for s in defn.states}
    box_w = max(200.0, *(_width(i, line) + 28 for ls in lines.values() for i, line in enumerate(ls)))
    layout = lay_out(defn, drawn, box_w)
    foot = [f"{ANYWHERE}: {human(t)}" + (f" (to {human(d)})" if d else "") for t, d in drawn.anywhere]
    width = layout.lane_x + lanes_width(layout, drawn) + MARGIN
    height = layout.rows_end + (28 * len(foot) + 16 if foot else 0) + MARGIN
    body = draw_arrows(layout, drawn, ident)
    for state in defn.states:  # boxes after arrows: an arrowhead ends at a box's edge, not under it
        body.append(
            _box(state, layout.boxes[state], lines[state], state == current_state, defn.states[state].final)
        )
    body += [text(MARGIN, layout.rows_end + 36 + 28 * i, line) for i, line in enumerate(foot)]
    title = f"The {human(defn.workflow)} workflow"
    return figure(ident, width, height, title, _desc(defn, current_state), body, arrow_marker(ident))


def _lines(state: str, current: bool, drawn: Arrows) -> list[str]:
    lines = [clip(state_label(state), MOST)]
    if state in drawn.loops:
        lines.append(clip("also: " + ", ".join(map(human, drawn.loops[state])), MOST))
    if any(dest == state for _, dest in drawn.anywhere):
        lines.append(ANYWHERE)
    return [*lines, HERE] if current else lines


def _width(i: int, line: str) -> float:
    return width_of(line, TEXT, bold=True) if i == 0 or line == HERE else width_of(line, SMALL)


def _box(state: str, box: Box, lines: list[str], current: bool, final: bool) -> str:
    fill, stroke = (PALE_BLUE, 5) if current else ("#fff", 2)
    kind = "state" + (" current" if current else "") + (" final" if final else "")
    parts = [
        f'<g class="{kind}" data-state="{esc(state)}">',
        f'<rect x="{num(box.x)}" y="{num(box.y)}" width="{num(box.w)}" height="{BOX_H}" rx="6" '
        f'fill="{fill}" stroke="{INK}" stroke-width="{stroke}"/>',
    ]
    if final:  # a second border inside the first, as state diagrams mark an end
        parts.append(
            f'<rect x="{num(box.x + 6)}" y="{num(box.y + 6)}" width="{num(box.w - 12)}" '
            f'height="{BOX_H - 12}" rx="3" fill="none" stroke="{INK}" stroke-width="1.5"/>'
        )
    first = box.y + BOX_H / 2 + 6 - (len(lines) - 1) * 10  # lines 20 apart, centred as a block
    for i, line in enumerate(lines):
        strong, here = i == 0 or (current and line == HERE), current and line == HERE
        parts.append(
            text(box.cx, first + 20 * i, line, anchor="middle", bold=strong,
                 size=TEXT if strong else SMALL, css="you-are-here" if here else "")
        )  # fmt: skip
    return "".join(parts) + "</g>"


def _desc(defn: WorkflowDef, current: str) -> str:
    state = defn.states[current]
    onward = [
        f"{human(t.trigger)} (to {human(t.dest)})" if t.dest else human(t.trigger)
        for t in defn.transitions
        if current in defn.sources(t)
    ]
    finals = ", ".join(map(human, defn.final_states())) or "none"
    about = f": {state.description.rstrip('.')}" if state.description else ""
    then = "It is final: nothing follows." if state.final else f"From here: {'; '.join(onward)}."
    return (
        f"{len(defn.states)} states, from {human(defn.initial)} to the final states ({finals}). "
        f"The current state, marked “{HERE}”, is {human(current)}{about}. {then}"
    )
