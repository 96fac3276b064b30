"""Where a workflow's boxes go: layers by a breadth-first walk from the initial state.

Every arrow the walk follows goes down one layer at most; the others (back to an earlier state, or
across a layer) are routed round a lane at the right, so that no line passes under a box.
Transitions from every open state (`*`) are left out of the walk: drawn, they would be an arrow
from each box, so the picture writes them once in words instead.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from nominations.console_words import state_label
from nominations.workflow.definition import ANY_OPEN_STATE, WorkflowDef

BOX_H, H_GAP, V_GAP, MARGIN = 80, 28, 110, 24

Key = tuple[str, str]  # (source, dest)


def human(name: str) -> str:
    """A state's or a trigger's name as words."""
    return name.replace("_", " ")


@dataclass(frozen=True)
class Arrows:
    """A definition's transitions as the picture draws them: arrows, loops and `*` notes."""

    between: dict[Key, list[str]]  # triggers from one state to another, each named once
    loops: dict[str, list[str]]  # triggers that leave a state where it is
    anywhere: list[tuple[str, str | None]]  # (trigger, dest) from every open state


def arrows(defn: WorkflowDef) -> Arrows:
    between: dict[Key, list[str]] = {}
    loops: dict[str, list[str]] = {}
    anywhere: list[tuple[str, str | None]] = []
    for t in defn.transitions:
        if ANY_OPEN_STATE in t.source:
            anywhere.append((t.trigger, t.dest))
            continue
        for source in t.source:
            if t.dest is None or t.dest == source:
                loops.setdefault(source, []).append(t.trigger)
            else:
                between.setdefault((source, t.dest), []).append(t.trigger)
    between = {k: list(dict.fromkeys(v)) for k, v in between.items()}
    return Arrows(between, {k: list(dict.fromkeys(v)) for k, v in loops.items()}, anywhere)


def layers(defn: WorkflowDef) -> list[list[str]]:
    """States by their distance from the initial state along drawn arrows; those reached only
    from every open state come last, in the definition's order."""
    nexts: dict[str, list[str]] = {}
    for source, dest in arrows(defn).between:
        nexts.setdefault(source, []).append(dest)
    depth = {defn.initial: 0}
    queue = deque([defn.initial])
    while queue:
        state = queue.popleft()
        for dest in nexts.get(state, []):
            if dest not in depth:
                depth[dest] = depth[state] + 1
                queue.append(dest)
    found: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for state, level in depth.items():  # in the order the walk found them
        found[level].append(state)
    rest = [s for s in defn.states if s not in depth]
    return [*found, rest] if rest else found


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    level: int

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def bottom(self) -> float:
        return self.y + BOX_H


@dataclass(frozen=True)
class Layout:
    boxes: dict[str, Box]
    down: dict[Key, list[str]]  # arrows to the next layer
    around: list[Key]  # arrows by a lane: the shortest first, so they take the innermost lanes
    lane_x: float  # the first lane; the picture's width follows from the lanes and their labels
    rows_end: float  # the bottom of the last layer


def lay_out(defn: WorkflowDef, drawn: Arrows, box_w: float) -> Layout:
    """Each layer a row of boxes `box_w` wide, centred on the widest row."""
    rows = layers(defn)
    content_w = max(len(r) * box_w + (len(r) - 1) * H_GAP for r in rows)
    boxes: dict[str, Box] = {}
    for level, row in enumerate(rows):
        left = MARGIN + (content_w - (len(row) * box_w + (len(row) - 1) * H_GAP)) / 2
        for i, state in enumerate(row):
            boxes[state] = Box(left + i * (box_w + H_GAP), MARGIN + level * (BOX_H + V_GAP), box_w, level)
    down = {k: v for k, v in drawn.between.items() if boxes[k[1]].level == boxes[k[0]].level + 1}
    around = sorted(
        (k for k in drawn.between if k not in down),
        key=lambda k: (abs(boxes[k[0]].level - boxes[k[1]].level), k),
    )
    rows_end = MARGIN + len(rows) * (BOX_H + V_GAP) - V_GAP
    return Layout(boxes, down, around, MARGIN + content_w + 20, rows_end)


def steps(drawn: Arrows) -> list[tuple[str, str, str]]:
    """Every arrow and note of the picture as (from, triggers, to) in words, for the table beside it."""
    name, stay = state_label, "(stays where it is)"
    rows = [(name(s), ", ".join(map(human, t)), name(d)) for (s, d), t in drawn.between.items()]
    rows += [(name(s), ", ".join(map(human, t)), stay) for s, t in drawn.loops.items()]
    rows += [("Any open state", human(t), name(d) if d else stay) for t, d in drawn.anywhere]
    return rows
