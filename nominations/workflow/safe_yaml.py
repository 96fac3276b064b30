"""PyYAML's safe loader, made to fail only with a MarkedYAMLError that says where.

Left to itself, the safe loader lets Python's own errors escape on hostile input: a number of
5,000 digits (ValueError), `2020-02-30` or `!!bool maybe` (ValueError, KeyError), a base-60 float
too big for a float (OverflowError), or brackets nested a thousand deep (RecursionError).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

MAX_DEPTH = 100  # workflow and protocol files nest six or seven deep
_KINDS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "timestamp": "a date",
    "binary": "base64 data",
}


class MarkedLoader(yaml.SafeLoader):
    """A SafeLoader whose every failure is a MarkedYAMLError with the line of the value at fault."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        # Composing recurses once for each level of nesting: stop long before Python's stack does.
        if self._depth >= MAX_DEPTH:
            event = self.peek_event()  # type: ignore[no-untyped-call]  # the stub leaves it bare
            raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, KeyError, AttributeError, OverflowError, TypeError):
            if isinstance(node, yaml.ScalarNode):
                kind = node.tag.rsplit(":", 1)[-1]
                problem = f"the value {_shown(node.value)} cannot be read as {_KINDS.get(kind, kind)}"
            else:
                problem = "this value cannot be read"
            raise ConstructorError(None, None, problem, node.start_mark) from None


def _shown(text: str) -> str:
    return repr(text) if len(text) <= 40 else f"{text[:20]!r}… ({len(text):,} characters)"
