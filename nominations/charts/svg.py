"""What every chart shares: escaping, the accessible <svg> wrapper, text, numbers and the palette.

Colours are GOV.UK's and each has at least 3:1 contrast against white (most 4.5:1 or more), but
no chart relies on colour: words, dashes and patterns say the same thing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

INK = "#0b0c0c"  # 19.8:1 on white
GREY = "#505a5f"  # 7.0:1
BLUE = "#1d70b8"  # 5.2:1
GREEN = "#00703c"  # 5.9:1
DARK_GREEN = "#003d21"
PALE_BLUE = "#d2e2f1"  # a background only: ink on it is 15:1
FONT = "Arial, Helvetica, sans-serif"
TEXT = 16  # px at natural size; pages show charts unscaled and let them scroll sideways
SMALL = 14

# Characters XML 1.0 forbids even as references: a name holding one would break the whole image.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(value: object) -> str:
    """Text or an attribute value, safe inside SVG and inside the HTML page around it."""
    return html.escape(_NOT_XML.sub("", str(value)), quote=True)


def num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: int = TEXT,
    anchor: str = "start",
    bold: bool = False,
    fill: str = INK,
    halo: bool = False,
    css: str = "",
) -> str:
    """One line of text; a halo (a white outline under the letters) keeps it legible over lines."""
    attrs = [f'x="{num(x)}"', f'y="{num(y)}"', f'font-size="{size}"', f'fill="{fill}"']
    if anchor != "start":
        attrs.append(f'text-anchor="{anchor}"')
    if bold:
        attrs.append('font-weight="bold"')
    if halo:
        attrs.append('stroke="#fff" stroke-width="5" stroke-linejoin="round" paint-order="stroke"')
    if css:
        attrs.append(f'class="{esc(css)}"')
    return f"<text {' '.join(attrs)}>{esc(content)}</text>"


def figure(
    ident: str, width: float, height: float, title: str, desc: str, body: Iterable[str], defs: str = ""
) -> str:
    """The whole image: role="img", named by its <title> and described by its <desc>."""
    i = esc(ident)
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{num(width)}" '
            f'height="{num(height)}" viewBox="0 0 {num(width)} {num(height)}" style="{_fit(width)}" '
            f'aria-labelledby="{i}-title" aria-describedby="{i}-desc" font-family="{FONT}">',
            f'<title id="{i}-title">{esc(title)}</title>',
            f'<desc id="{i}-desc">{esc(desc)}</desc>',
            f"<defs>{defs}</defs>" if defs else "",
            *body,
            "</svg>",
        ]
    )


def _fit(width: float) -> str:
    # Shrink to fit a page a little narrower than the picture, never below 90% (16px text stays
    # over 14px); past that the page scrolls it sideways instead.
    return f"max-width: 100%; height: auto; min-width: {num(0.9 * width)}px;"


def clip(label: str, most: int) -> str:
    """A label cut to `most` characters with an ellipsis; the table beside the chart has it whole."""
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def width_of(label: str, size: int = TEXT, bold: bool = False) -> float:
    """A generous estimate of a label's width in Arial, for laying out boxes and margins."""
    return len(label) * size * (0.58 if bold else 0.52)
