"""`pip install .` builds a wheel that carries templates/ and workflows/ and gives a working command."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_built_wheel_works_away_from_the_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    [wheel] = wheels.glob("nominations-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "nominations/_data/workflows/vacancy.yaml" in names
    assert "nominations/_data/templates/email/ballot_open/body.html" in names
    assert "nominations/_data/templates/email/_layout.txt" in names

    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True,
    )
    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import nominations.paths as p; "
            "print(p.__file__); print(p.templates_dir()); print(p.workflows_dir())",
        ],
        cwd=away,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert all(line.startswith(str(site)) for line in where), where

    shipped = site / "nominations" / "_data" / "workflows" / "vacancy.yaml"
    checked = subprocess.run(
        [sys.executable, "-m", "nominations", "workflow", "check", str(shipped)],
        cwd=away,
        env=env,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (site / "bin" / "nominations").is_file()
