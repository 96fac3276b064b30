"""A count's result for people and programs: a stage table (text, HTML), CSV rows, JSON objects.

The tables follow the result sheets Scottish returning officers publish: a column for each stage,
the transfer and the total, votes to two decimal places (rounded half up, as the sheets are);
CSV and JSON carry the exact figures. `jsonl_object` is the command line's one-line-per-file form.
"""

from __future__ import annotations

import csv
import html
import io
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

from nominations.counting.model import CountResult, Stage, Tie


def jsonl_object(result: CountResult, file: str) -> dict[str, Any]:
    """The result as the `--format jsonl` object: names, and votes as decimal strings."""
    name = result.candidates.__getitem__
    return {
        "file": file,
        "method": result.method,
        "seats": result.seats,
        "candidates": list(result.candidates),
        "ballots": result.valid,
        "invalid": result.invalid,
        "quota": None if result.quota is None else str(result.quota),
        "winners": [name(c) for c in result.winners],
        "stages": [
            {
                "action": s.action,
                "candidate": None if s.candidate is None else name(s.candidate),
                "totals": [str(t) for t in s.totals],
                "non_transferable": str(s.non_transferable),
                "elected": [name(c) for c in s.elected],
                "tie": _tie_object(s.tie, result) if s.tie else None,
            }
            for s in result.stages
        ],
    }


def json_object(result: CountResult, file: str) -> dict[str, Any]:
    """Everything the result holds: the jsonl object, the seed, the title, and every tie of a stage."""
    data = jsonl_object(result, file)
    data["seed"] = result.seed
    data["withdrawn"] = [result.candidates[c] for c in sorted(result.withdrawn)]
    for stage, out in zip(result.stages, data["stages"], strict=True):
        out["number"] = stage.number
        out["excluded_without_transfer"] = [result.candidates[c] for c in stage.excluded]
        out["ties"] = [_tie_object(t, result) for t in stage.ties()]
    return data


def _tie_object(tie: Tie, result: CountResult) -> dict[str, Any]:
    return {
        "by": tie.by,
        "candidates": [result.candidates[c] for c in tie.candidates],
        "chosen": result.candidates[tie.chosen],
        "stage": tie.stage,
        "seed": tie.seed,
    }


def csv_rows(result: CountResult, file: str) -> list[list[str]]:
    """One row per candidate (and non-transferable) per stage, exact votes; see `CSV_HEADER`."""
    rows = []
    for stage in result.stages:
        what, ties = describe(stage, result), "; ".join(tie_text(t, result) for t in stage.ties())
        out = [file, result.method, str(stage.number), what]
        excluded = {*stage.excluded, *([stage.candidate] if stage.action == "exclusion" else [])}
        for c, votes in enumerate(stage.totals):
            state = "elected" if c in stage.elected else "excluded" if c in excluded else ""
            rows.append([*out, result.candidates[c], str(votes), state, ties])
        rows.append([*out, "non-transferable", str(stage.non_transferable), "", ties])
    return rows


CSV_HEADER = ["file", "method", "stage", "action", "candidate", "votes", "at this stage", "ties"]


def render_csv(result: CountResult, file: str, *, header: bool = True) -> str:
    """The result as CSV (`CSV_HEADER` first, unless it is one of many files after the first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(result, file))
    return out.getvalue()


def describe(stage: Stage, result: CountResult) -> str:
    """What happened at a stage, in words."""
    if stage.action == "first":
        return "first preferences"
    if stage.candidate is None:  # Meek's method moves every elected candidate's surplus at once
        return "surpluses of the elected"
    return f"{stage.action} of {result.candidates[stage.candidate]}"


def tie_text(tie: Tie, result: CountResult) -> str:
    """How a tie was settled, in words."""
    names = ", ".join(result.candidates[c] for c in tie.candidates)
    chosen = result.candidates[tie.chosen]
    if tie.by == "earlier-stage":
        return f"{names} were equal; stage {tie.stage}, the latest at which they differed, chose {chosen}"
    narrowed = f" (stage {tie.stage} left some of them equal)" if tie.stage else ""
    return f"{names} were equal at every stage{narrowed}; a lot drawn from seed {tie.seed!r} chose {chosen}"


def figures(result: CountResult) -> int:
    """Decimal places for tables: none when every figure is whole, else two as the sheets print."""
    values = [v for s in result.stages for v in (*s.totals, s.non_transferable)]
    return 0 if all(v == v.to_integral_value() for v in values) else 2


def shown(value: Decimal, places: int) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def signed(value: Decimal, places: int) -> str:
    text = shown(value, places)
    return "" if Decimal(text) == 0 else text if text.startswith("-") else "+" + text


def table(result: CountResult) -> tuple[list[str], list[list[str]]]:
    """The stage table as header and rows of strings: candidate, then per stage transfer and total."""
    places, stages = figures(result), result.stages
    header = ["Candidate", "Stage 1"] + [h for s in stages[1:] for h in ("+/-", f"Stage {s.number}")]
    lines = [*((name, [s.totals[c] for s in stages]) for c, name in enumerate(result.candidates))]
    lines.append(("Non-transferable", [s.non_transferable for s in stages]))
    rows = []
    for label, values in lines:
        row = [label, shown(values[0], places)]
        for before, after in pairwise(values):
            row += [signed(after - before, places), shown(after, places)]
        rows.append(row)
    total = sum(stages[0].totals, stages[0].non_transferable)
    rows.append(["Total", shown(total, places)] + ["", shown(total, places)] * (len(stages) - 1))
    return header, rows


def summary(result: CountResult) -> list[str]:
    """The lines above the table: method, ballots, quota, seed, and what each stage did."""
    quota = "" if result.quota is None else f", quota {result.quota}"
    seats = f"{result.seats} seat{'s' if result.seats != 1 else ''}"
    lines = [
        f"{result.method}: {seats}, {len(result.candidates)} candidates, {result.valid} valid ballots, "
        f"{result.invalid} invalid{quota}, seed {result.seed!r}",
    ]
    if result.withdrawn:
        lines.append("Withdrawn: " + ", ".join(result.candidates[c] for c in sorted(result.withdrawn)))
    for stage in result.stages:
        line = f"Stage {stage.number}: {describe(stage, result)}."
        if stage.excluded:
            gone = ", ".join(result.candidates[c] for c in stage.excluded)
            line += f" {gone} excluded without transfer: the candidates left fill the seats."
        if stage.elected:
            line += " Elected: " + ", ".join(result.candidates[c] for c in stage.elected) + "."
        lines += [line] + [f"  Tie: {tie_text(t, result)}." for t in stage.ties()]
    lines.append("Elected, in order: " + ", ".join(result.candidates[c] for c in result.winners))
    return lines


def render_text(result: CountResult, title: str = "") -> str:
    """The result sheet as plain text: what happened, then the stage table."""
    header, rows = table(result)
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first, *rest = zip(cells, widths, strict=True)
        return "  ".join([first[0].ljust(first[1]), *(c.rjust(w) for c, w in rest)])

    rule = "-" * len(line(header))
    top = [title, ""] if title else []
    body = [line(header), rule, *map(line, rows[:-1]), rule, line(rows[-1])]
    return "\n".join([*top, *summary(result), "", *body]) + "\n"


def render_html(result: CountResult, title: str = "") -> str:
    """The result sheet as an HTML fragment (everything escaped)."""
    header, rows = table(result)
    e = html.escape
    cells = "".join(f'<th scope="col">{e(h)}</th>' for h in header)

    def tr(row: list[str]) -> str:
        data = "".join(f"<td>{e(v)}</td>" for v in row[1:])
        return f'<tr><th scope="row">{e(row[0])}</th>{data}</tr>\n'

    first, *stages = summary(result)
    return "".join(
        [
            '<section class="count">\n',
            f"<h2>{e(title)}</h2>\n" if title else "",
            f"<p>{e(first)}</p>\n<ul>\n",
            *(f"<li>{e(s.strip())}</li>\n" for s in stages),
            f"</ul>\n<table>\n<thead><tr>{cells}</tr></thead>\n<tbody>\n",
            *map(tr, rows[:-1]),
            f"</tbody>\n<tfoot>{tr(rows[-1])}</tfoot>\n</table>\n</section>\n",
        ]
    )
