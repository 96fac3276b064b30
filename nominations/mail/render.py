"""Render a message folder (subject.txt, body.txt, body.html) with Jinja2, strictly and escaped."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes

from nominations.equality import EQUALITY_SECTORS
from nominations.errors import TemplateError
from nominations.paths import templates_dir

PARTS = ("subject.txt", "body.txt", "body.html")


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def one_line(text: str) -> str:
    """Collapse all whitespace, newlines included, so a value can never start a new header."""
    return " ".join(text.split())


class MailRenderer:
    """Renders `templates/email/<name>/` with StrictUndefined; HTML parts are autoescaped."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or templates_dir()) / "email"
        self._variables: dict[str, frozenset[str]] = {}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.root),
            undefined=jinja2.StrictUndefined,
            autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
            keep_trailing_newline=True,
        )
        # Shared vocabulary every message may use, e.g. {{ equality_sectors[vacancy.equality_sector] }}.
        self.env.globals["equality_sectors"] = EQUALITY_SECTORS

    def exists(self, name: str) -> bool:
        """True when the folder holds all three parts."""
        return all((self.root / name / part).is_file() for part in PARTS)

    def missing_parts(self, name: str) -> list[str]:
        return [part for part in PARTS if not (self.root / name / part).is_file()]

    def variables(self, name: str) -> set[str]:
        """Top-level names the message's parts (and the layouts they extend) need from context."""
        if name not in self._variables:
            found: set[str] = set()
            for part in PARTS:
                found |= self._variables_of(f"{name}/{part}", seen=set())
            self._variables[name] = frozenset(found - self.env.globals.keys())
        return set(self._variables[name])

    def _variables_of(self, template: str, seen: set[str]) -> set[str]:
        if template in seen:
            return set()
        seen.add(template)
        assert self.env.loader is not None
        source, _, _ = self.env.loader.get_source(self.env, template)
        ast = self.env.parse(source)
        # A name the template only reads under `{% if name is defined %}` is optional, not required.
        optional = {
            test.node.name
            for test in ast.find_all(nodes.Test)
            if test.name == "defined" and isinstance(test.node, nodes.Name)
        }
        names = set(meta.find_undeclared_variables(ast)) - optional
        for ref in meta.find_referenced_templates(ast):
            if ref is not None:
                names |= self._variables_of(ref, seen)
        return names

    def render(self, name: str, context: Mapping[str, Any]) -> RenderedMail:
        """Render all three parts; raise TemplateError naming the message and the problem."""
        missing = self.missing_parts(name)
        if missing:
            raise TemplateError(
                f"email template {name!r} is missing {', '.join(missing)} in {self.root / name}"
            )
        try:
            subject = self.env.get_template(f"{name}/subject.txt").render(context)
            text = self.env.get_template(f"{name}/body.txt").render(context)
            html = self.env.get_template(f"{name}/body.html").render(context)
        except jinja2.TemplateError as exc:
            raise TemplateError(f"email template {name!r} failed to render: {exc}") from exc
        return RenderedMail(subject=one_line(subject), text=text, html=html)
