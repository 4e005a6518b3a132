"""The screens' toolbar actions: one way to make them (text, slot, shortcut scoped to the
screen, tooltip), so shortcuts like Ctrl+N mean "new" on whichever screen has focus."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget

Shortcut = QKeySequence | QKeySequence.StandardKey | str | None


def view_action(
    owner: QWidget,
    text: str,
    slot: Callable[[], Any],
    shortcut: Shortcut = None,
    tip: str = "",
    *,
    bar: QToolBar | None = None,
) -> QAction:
    action = QAction(text, owner)
    action.triggered.connect(lambda _checked=False: slot())
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.setToolTip(tip or text)
    owner.addAction(action)
    if bar is not None:
        bar.addAction(action)
    return action
