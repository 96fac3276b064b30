"""Where the shipped templates and workflows live, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    # An installed wheel carries the folders under nominations/_data; a checkout has them
    # beside the package.
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the {name}/ folder beside the nominations package")


def templates_dir() -> Path:
    """The folder holding `email/` (and later `web/`) templates."""
    return _find("templates")


def workflows_dir() -> Path:
    """The folder holding the shipped workflow definitions."""
    return _find("workflows")
