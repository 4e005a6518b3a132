"""The house rules, run with the tests: ruff's lint (including the rule that keeps Qt
inside sqdesk/ui) and mypy — strict on core, models and io, per pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_is_clean_below_the_ui() -> None:
    targets = ["sqdesk/core", "sqdesk/models", "sqdesk/io", "sqdesk/db", "sqdesk/rules", "sqdesk/analytics",
               "sqdesk/cli.py"]
    done = subprocess.run([sys.executable, "-m", "mypy", *targets], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
