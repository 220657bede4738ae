"""The installed package passes mypy --strict (with pyproject.toml's settings for generated code)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_the_package_is_strictly_typed(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable, "-m", "mypy",
            "--config-file", str(PYPROJECT),
            "--cache-dir", str(tmp_path / "cache"),
            "-p", "swinserve",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=170,
    )
    assert result.returncode == 0, result.stdout + result.stderr
