"""Turnout over the ballot's days: how many had voted by the end of each day. Counts only, never votes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from nominations.charts.svg import BLUE, GREY, INK, figure, num, text

PLOT_H, SLOT, BAR_W, LEFT, TOP, MARGIN = 240, 68, 44, 24, 44, 24


def day_label(day: date) -> tuple[str, str]:
    """A day as two short lines: "Mon" and "2 Mar"."""
    return day.strftime("%a"), f"{day.day} {day.strftime('%b')}"


def share(voted: int, electorate: int) -> str:
    return f"{round(100 * voted / electorate)}%" if electorate else "not known"


def turnout_svg(points: Sequence[tuple[date, int]], electorate: int, *, ident: str = "turnout") -> str:
    """A bar per day: the votes cast by its end (cumulative), its count on top; the roll as a line."""
    scale = max(electorate, *(v for _, v in points), 1)
    width = LEFT + max(len(points), 4) * SLOT + 150 + MARGIN
    base = TOP + PLOT_H
    height = base + 60 + MARGIN
    axis = f'<line x1="{LEFT}" y1="{base}" x2="{num(width - MARGIN)}" y2="{base}" stroke="{INK}" '
    axis += 'stroke-width="2"/>'
    body = [axis]
    for i, (day, voted) in enumerate(points):
        x, h = LEFT + i * SLOT + (SLOT - BAR_W) / 2, PLOT_H * voted / scale
        body.append(
            f'<rect class="bar" data-day="{day.isoformat()}" data-votes="{voted}" x="{num(x)}" '
            f'y="{num(base - h)}" width="{BAR_W}" height="{num(h)}" fill="{BLUE}"/>'
        )
        body.append(
            text(x + BAR_W / 2, base - h - 8, str(voted), anchor="middle", bold=True, halo=True, css="count")
        )
        weekday, dm = day_label(day)
        body += [text(x + BAR_W / 2, base + 24, weekday, anchor="middle"),
                 text(x + BAR_W / 2, base + 46, dm, anchor="middle")]  # fmt: skip
    roll_y = base - PLOT_H * electorate / scale
    body.append(
        f'<line class="electorate" x1="{LEFT}" y1="{num(roll_y)}" x2="{num(width - MARGIN)}" '
        f'y2="{num(roll_y)}" stroke="{GREY}" stroke-width="2" stroke-dasharray="8 5"/>'
    )
    body.append(
        text(width - MARGIN, roll_y - 10, f"{electorate} on the roll", anchor="end", bold=True, halo=True)
    )
    return figure(ident, width, height, "Turnout, day by day", _desc(points, electorate), body)


def _desc(points: Sequence[tuple[date, int]], electorate: int) -> str:
    if not points:
        return f"No day of the ballot has begun yet; {electorate} member organisations are on the roll."
    (first, _), (last, voted) = points[0], points[-1]
    span = " ".join(day_label(first)) + ("" if first == last else " to " + " ".join(day_label(last)))
    return (
        f"Bars show how many member organisations had voted by the end of each day, {span}. "
        f"By the last day shown, {voted} of {electorate} had voted ({share(voted, electorate)}). "
        "The dashed line is the number on the roll."
    )
