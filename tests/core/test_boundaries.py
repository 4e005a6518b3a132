"""Architecture guards: the core never pulls in Qt; heavy modules stay lazy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sqdesk

PKG = Path(sqdesk.__file__).parent


def _qt_free_modules() -> list[str]:
    names = []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG.parent).with_suffix("")
        parts = rel.parts
        if parts[1] in {"ui", "app", "__main__"} or "migrations" in parts:
            continue
        names.append(".".join(p for p in parts if p != "__init__"))
    return names


def test_nothing_below_ui_imports_qt() -> None:
    modules = _qt_free_modules()
    assert "sqdesk.core.roster" in modules and "sqdesk.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(k for k in sys.modules if k.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"Qt imported by core: {out.stdout}"
