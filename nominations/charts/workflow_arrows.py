"""A workflow picture's arrows and their trigger labels, placed so that no label covers another."""

from __future__ import annotations

from nominations.charts.svg import GREY, SMALL, esc, num, text, width_of
from nominations.charts.workflow_layout import Arrows, Key, Layout, human

LANE = 24
SPOTS = (0.6, 0.4, 0.75, 0.28, 0.5, 0.85, 0.68, 0.33, 0.18, 0.9)  # along an arrow, where a label may go

Spot = tuple[float, float, float]  # a label placed: its centre x, baseline y and half its width


def arrow_marker(ident: str) -> str:
    return (
        f'<marker id="{esc(ident)}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" '
        f'markerHeight="9" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{GREY}"/></marker>'
    )


def lanes_width(layout: Layout, drawn: Arrows) -> float:
    """The room the lanes at the right take, with their labels."""
    labels = [width_of(", ".join(map(human, drawn.between[k])), SMALL) for k in layout.around]
    return len(layout.around) * LANE + max(labels, default=0)


def draw_arrows(layout: Layout, drawn: Arrows, ident: str) -> list[str]:
    placed: list[Spot] = []
    return _down(layout, ident, placed) + _around(layout, drawn, ident, placed)


def _down(layout: Layout, ident: str, placed: list[Spot]) -> list[str]:
    """Arrows to the next layer, spread along the bottom of their source and the top of their dest."""
    boxes, down = layout.boxes, layout.down

    def spread(key: Key, end: int) -> float:
        mine = sorted((k for k in down if k[end] == key[end]), key=lambda k: boxes[k[1 - end]].cx)
        return (mine.index(key) - (len(mine) - 1) / 2) * 16

    out = []
    for key, triggers in down.items():
        source, dest = boxes[key[0]], boxes[key[1]]
        x1, y1 = source.cx + spread(key, 0), source.bottom
        x2, y2 = dest.cx + spread(key, 1), dest.y
        out.append(_line([(x1, y1), (x2, y2)], ident, key))
        label = ", ".join(map(human, triggers))
        half = width_of(label, SMALL) / 2 + 4
        spots = [(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t) for t in SPOTS]
        # The first spot along the arrow where the label covers no other (else the usual one).
        lx, ly = next((p for p in spots if not any(_overlap(p, half, q) for q in placed)), spots[0])
        placed.append((lx, ly, half))
        out.append(text(lx, ly + 5, label, size=SMALL, anchor="middle", halo=True))
    return out


def _around(layout: Layout, drawn: Arrows, ident: str, placed: list[Spot]) -> list[str]:
    """Arrows back up (or across) the picture: out of the box's top, round a lane, into the other."""
    out: list[str] = []
    for k, key in enumerate(layout.around):
        source, dest = layout.boxes[key[0]], layout.boxes[key[1]]
        lane, nudge = layout.lane_x + k * LANE, 18 + (k % 4) * 8
        sx, dx = source.x + source.w - 16 - (k % 4) * 12, dest.x + dest.w - 16 - (k % 4) * 12
        below = dest.level > source.level
        leave_y, exit_y = (source.bottom, source.bottom + nudge) if below else (source.y, source.y - nudge)
        above = dest.level < source.level
        enter_y, into_y = (dest.bottom, dest.bottom + nudge) if above else (dest.y, dest.y - nudge)
        if dest.level == source.level:
            points = [(sx, leave_y), (sx, exit_y), (dx, exit_y), (dx, enter_y)]
            x, y, anchor = (sx + dx) / 2, exit_y - 6, "middle"
        else:
            points = [
                (sx, leave_y),
                (sx, exit_y),
                (lane, exit_y),
                (lane, into_y),
                (dx, into_y),
                (dx, enter_y),
            ]
            x, y, anchor = lane + 6, (exit_y + into_y) / 2 + 5, "start"
        out.append(_line(points, ident, key))
        label = ", ".join(map(human, drawn.between[key]))
        half = width_of(label, SMALL) / 2 + 4
        middle = x if anchor == "middle" else x + half
        while any(_overlap((middle, y), half, q) for q in placed):
            y += 20  # stacked under the labels already placed
        placed.append((middle, y, half))
        out.append(text(x, y, label, size=SMALL, anchor=anchor, halo=True))
    return out


def _overlap(spot: tuple[float, float], half: float, other: Spot) -> bool:
    return abs(spot[0] - other[0]) < half + other[2] and abs(spot[1] - other[1]) < 18


def _line(points: list[tuple[float, float]], ident: str, key: Key) -> str:
    path = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    return (
        f'<polyline class="arrow" data-from="{esc(key[0])}" data-to="{esc(key[1])}" points="{path}" '
        f'fill="none" stroke="{GREY}" stroke-width="2" marker-end="url(#{esc(ident)}-arrow)"/>'
    )
