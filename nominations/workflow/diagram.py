"""Draw a workflow as a Mermaid state diagram, through the `transitions` library's own graphs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from transitions.extensions import GraphMachine

from nominations.errors import NotFoundError
from nominations.workflow.definition import WorkflowDef


class _Drawn:
    """A stand-in model: the graph marks the state it is in."""

    get_graph: Callable[[], Any]  # bound by GraphMachine.add_model


def mermaid(defn: WorkflowDef, current: str | None = None) -> str:
    """Mermaid text for a checked definition, with `current` (or the initial state) marked.

    Internal transitions are self-loops labelled "[internal]"; guards show in brackets; the
    same definition always gives the same text, so a copy of it can be compared in a test.
    """
    state = current or defn.initial
    if state not in defn.states:
        raise NotFoundError(f"{defn.workflow!r} has no state {state!r}")
    machine = GraphMachine(
        model=None,
        states=list(defn.states),
        initial=defn.initial,
        auto_transitions=False,
        graph_engine="mermaid",
        # The library writes the title bare between `---` lines; Mermaid reads that block as
        # YAML front matter and wants a `title:` key there, or it drops the title.
        title=f"title: {defn.workflow}",
        show_conditions=True,
    )
    for t in defn.transitions:
        for source in defn.sources(t):
            machine.add_transition(t.trigger, source, t.dest, conditions=list(t.guards))
    model = _Drawn()
    machine.add_model(model, initial=state)
    text: str = model.get_graph().draw(None)
    # The flat Mermaid graph does not mark final states; the usual `state --> [*]` does.
    ends = [f"  {name} --> [*]" for name in defn.final_states()]
    # Blank lines carry indentation; stripping it keeps copies safe from editors that trim.
    lines = [_keyword(line.rstrip()) for line in text.splitlines()]
    return "\n".join([*lines, *ends]) + "\n"


def _keyword(line: str) -> str:
    # The library writes `Class state style`; Mermaid's state diagrams spell the keyword `class`.
    return "  class " + line.removeprefix("  Class ") if line.startswith("  Class ") else line
