"""A ranked count as a picture: a block per stage, a bar per candidate's total, the quota as a line.

Every stage is drawn on one scale (the largest total, or the quota if larger), so bars compare
across stages as well as within one. Inputs are as for `stage_rows`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from nominations.charts.stage_rows import StageRow, stage_rows
from nominations.charts.svg import BLUE, DARK_GREEN, GREEN, INK, clip, esc, figure, num, text, width_of
from nominations.counting.render import shown

PLOT_W, VALUE_W, HEAD_H, ROW_H, BAR_H, GAP, MARGIN, MOST = 440, 190, 36, 30, 20, 18, 24, 28


def stages_svg(
    stages: Sequence[Mapping[str, Any]],
    names: Mapping[str, str],
    quota: str | Decimal | None,
    *,
    ident: str = "stages",
) -> str:
    """The count stage by stage on one scale; elected and excluded candidates marked in words."""
    rows, people = stage_rows(stages, names), list(names.values())
    limit = Decimal(str(quota)) if quota is not None else None
    scale = float(max([v for r in rows for v in r.values] + [limit or Decimal(0), Decimal(1)]))
    label_w = min(300.0, max([width_of(clip(p, MOST)) for p in people] + [80.0]) + 12)
    x0, top = MARGIN + label_w, MARGIN + 30
    block = HEAD_H + len(people) * ROW_H + GAP
    width, height = x0 + PLOT_W + VALUE_W + MARGIN, top + len(rows) * block - GAP + MARGIN
    quota_x, body = None, []
    if limit is not None:
        quota_x = x0 + PLOT_W * float(limit) / scale
        body.append(text(quota_x, MARGIN + 14, f"quota {_plain(limit)}", anchor="middle", bold=True))
    for i, row in enumerate(rows):
        y = top + i * block
        body.append(text(MARGIN, y + 22, f"Stage {row.number}: {row.what}", bold=True))
        for j, person in enumerate(people):
            yy, w = y + HEAD_H + j * ROW_H, PLOT_W * float(row.values[j]) / scale
            fill = {"elected": f"url(#{esc(ident)}-elected)", "excluded": "#fff"}.get(row.marks[j], BLUE)
            dashes = ' stroke-dasharray="4 3"' if row.marks[j] == "excluded" else ""
            body += [
                text(x0 - 10, yy + 16, clip(person, MOST), anchor="end"),
                f'<rect class="bar" data-stage="{row.number}" data-candidate="{j}" x="{num(x0)}" '
                f'y="{yy}" width="{num(w)}" height="{BAR_H}" fill="{fill}" stroke="{INK}"{dashes}/>',
                _value(x0 + w + 8, yy + 16, row.totals[j], row.marks[j]),
            ]
        if quota_x is not None:
            body.append(
                f'<line class="quota" x1="{num(quota_x)}" y1="{y + HEAD_H - 6}" x2="{num(quota_x)}" '
                f'y2="{y + HEAD_H + len(people) * ROW_H - 4}" stroke="{INK}" stroke-width="2" '
                'stroke-dasharray="6 4"/>'
            )
    defs = (
        f'<pattern id="{esc(ident)}-elected" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{GREEN}"/>'
        f'<rect width="3" height="8" fill="{DARK_GREEN}"/></pattern>'
    )
    return figure(ident, width, height, "The count, stage by stage", _desc(rows, people, quota), body, defs)


def _plain(value: Decimal) -> str:
    """A figure to two places at most, without trailing zeros: 3, 2.5, 33.34."""
    text = shown(value, 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _value(x: float, y: float, total: str, mark: str) -> str:
    word = f'<tspan font-weight="bold"> {esc(mark)}</tspan>' if mark else ""
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-size="16" fill="{INK}" stroke="#fff" stroke-width="5" '
        f'stroke-linejoin="round" paint-order="stroke">{esc(total)}{word}</text>'
    )


def _desc(rows: list[StageRow], people: list[str], quota: str | Decimal | None) -> str:
    if not rows:
        return "The count has no stages."
    last = rows[-1].marks
    elected = [p for p, m in zip(people, last, strict=True) if m == "elected"]
    quota_words = f" against a quota of {quota}" if quota is not None else ""
    return (
        f"{len(rows)} stages{quota_words}, each a bar per candidate for their votes after it, with the "
        f"quota as a dashed line. Elected: {', '.join(elected) or 'nobody'}. "
        "The table after this picture gives every figure."
    )
