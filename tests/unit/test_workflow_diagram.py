"""The Mermaid diagram: drawn by `transitions`, stable, and the README's copy kept current."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nominations.cli import app
from nominations.errors import NotFoundError
from nominations.paths import workflows_dir
from nominations.workflow.diagram import mermaid
from nominations.workflow.loader import load_shipped

README = Path(__file__).resolve().parents[2] / "README.md"
SHIPPED = sorted(p.stem for p in workflows_dir().glob("*.yaml"))


@pytest.mark.parametrize("name", SHIPPED)
def test_readme_diagram_is_what_the_command_draws_now(name: str) -> None:
    start, end = f"<!-- diagram:{name}:start -->", f"<!-- diagram:{name}:end -->"
    text = README.read_text(encoding="utf-8")
    assert start in text and end in text, f"README.md has no diagram of the shipped workflow {name}"
    block = text[text.index(start) + len(start) : text.index(end)]
    result = CliRunner().invoke(app, ["workflow", "diagram", str(workflows_dir() / f"{name}.yaml")])
    assert result.exit_code == 0, result.output
    assert block == f"\n```mermaid\n{result.stdout}```\n", (
        f"README.md's {name} diagram is stale: paste the output of "
        f"`nominations workflow diagram workflows/{name}.yaml` between its markers"
    )


def test_same_definition_same_text() -> None:
    assert mermaid(load_shipped()) == mermaid(load_shipped())


def test_titled_with_front_matter_mermaid_reads() -> None:
    assert mermaid(load_shipped()).startswith("---\ntitle: vacancy\n---\nstateDiagram-v2\n")


def test_initial_state_is_entered_and_marked_by_default() -> None:
    lines = mermaid(load_shipped()).splitlines()
    assert "  [*] --> requested" in lines
    assert "  class requested s_active" in lines
    assert "  class voting_open s_default" in lines


def test_current_state_is_marked() -> None:
    lines = mermaid(load_shipped(), current="voting_open").splitlines()
    assert "  class voting_open s_active" in lines
    assert "  class requested s_default" in lines


def test_unknown_current_state_is_refused() -> None:
    with pytest.raises(NotFoundError, match="'vacancy' has no state 'voting'"):
        mermaid(load_shipped(), current="voting")


def test_guards_label_edges_and_internal_transitions_loop() -> None:
    lines = mermaid(load_shipped()).splitlines()
    assert "  nominations_closed --> voting_open: tally_nominations [contested]" in lines
    assert "  voting_open --> voting_open: remind_voters [internal]" in lines


def test_star_source_is_every_open_state_and_finals_end() -> None:
    defn = load_shipped()
    lines = mermaid(defn).splitlines()
    cancels = [line.split()[0] for line in lines if line.endswith("--> cancelled: cancel")]
    assert sorted(cancels) == sorted(name for name, s in defn.states.items() if not s.final)
    assert [line for line in lines if line.endswith("--> [*]")] == [
        f"  {name} --> [*]" for name in ("declined", "filled", "withdrawn", "cancelled")
    ]
