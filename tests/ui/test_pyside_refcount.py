"""Guard against PySide6 6.12.0's ``none_dealloc`` bug on CPython 3.11: every call of a
Qt method returning void dropped one reference to ``None`` until the interpreter
aborted. 100,000 void calls must leave ``sys.getrefcount(None)`` where it was."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QSize
from PySide6.QtWidgets import QWidget

CALLS = 100_000
SLACK = 50  # unrelated None references created/destroyed by the interpreter meanwhile


def test_void_qt_calls_keep_none_refcount(qapp: object) -> None:
    widget = QWidget()
    obj = QObject()
    size = QSize(10, 10)
    before = sys.getrefcount(None)
    for i in range(CALLS):
        widget.resize(size)  # void QWidget::resize(const QSize &)
        obj.setObjectName("x" if i & 1 else "y")  # void QObject::setObjectName
    after = sys.getrefcount(None)
    assert abs(after - before) <= SLACK, (before, after)
    widget.deleteLater()


def test_void_call_returns_none(qapp: object) -> None:
    widget = QWidget()
    assert widget.resize(5, 5) is None
    assert widget.size() == QSize(5, 5)
