"""A small non-blocking prompt: pick (or type) one value, optionally tick a box.

Used by the roster's bulk actions (打标签, 移到群, 改角色). Opened with ``open()``
(window-modal, returns at once) so tests can fill it in and accept it like a user.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)


class ChoiceDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        label: str,
        items: Sequence[str],
        *,
        data: Sequence[Any] | None = None,
        editable: bool = False,
        placeholder: str = "",
        check_text: str | None = None,
        check_default: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(360)
        lay = QVBoxLayout(self)
        self.label = QLabel(label, self)
        self.label.setWordWrap(True)
        lay.addWidget(self.label)
        self.combo = QComboBox(self)
        self.combo.setEditable(editable)
        for i, text in enumerate(items):
            self.combo.addItem(text, data[i] if data is not None else text)
        if editable:
            self.combo.setCurrentIndex(-1)
            self.combo.setEditText("")
            line = self.combo.lineEdit()
            if line is not None and placeholder:
                line.setPlaceholderText(placeholder)
        lay.addWidget(self.combo)
        self.check: QCheckBox | None = None
        if check_text:
            self.check = QCheckBox(check_text, self)
            self.check.setChecked(check_default)
            lay.addWidget(self.check)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def text(self) -> str:
        return self.combo.currentText().strip()

    def value(self) -> Any:
        if self.combo.isEditable():
            return self.text()
        return self.combo.currentData()

    def checked(self) -> bool:
        return self.check is not None and self.check.isChecked()
