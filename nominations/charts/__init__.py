"""Pictures drawn on the server as SVG: no JavaScript, each an accessible image with words beside it.

Pure: data in, markup out. Every piece of text is escaped here, so a page may embed the result as is.
"""

from __future__ import annotations

from nominations.charts.stage_rows import StageRow, stage_rows
from nominations.charts.stages import stages_svg
from nominations.charts.turnout import turnout_svg
from nominations.charts.workflow import workflow_svg

__all__ = ["StageRow", "stage_rows", "stages_svg", "turnout_svg", "workflow_svg"]
