"""The loaded workflows: one engine (one shared machine) per workflow, built once per process."""

from __future__ import annotations

from pathlib import Path

from nominations.errors import NotFoundError
from nominations.paths import workflows_dir
from nominations.workflow.engine import WorkflowEngine
from nominations.workflow.loader import load_workflow


class WorkflowSet:
    """Workflows by name, loaded from a folder of YAML definitions on first use."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or workflows_dir()
        self._engines: dict[str, WorkflowEngine] = {}

    def __getitem__(self, name: str) -> WorkflowEngine:
        engine = self._engines.get(name)
        if engine is None:
            path = self.folder / f"{name}.yaml"
            if not path.is_file():
                raise NotFoundError(f"no workflow named {name!r} in {self.folder}")
            engine = self._engines[name] = WorkflowEngine(load_workflow(path))
        return engine
