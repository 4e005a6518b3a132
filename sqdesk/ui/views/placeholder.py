"""The page shown for a screen whose module is not part of this build yet.

It says plainly what the screen will do and that it is not available yet — no fake
data, no dead buttons.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from sqdesk.ui.context import AppContext
from sqdesk.ui.views import ViewSpec
from sqdesk.ui.widgets.icons import MUTED, icon


class PlaceholderView(QWidget):
    def __init__(self, ctx: AppContext, spec: ViewSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.spec = spec
        self.title = spec.label
        self.setObjectName("placeholderView")

        picture = QLabel(self)
        picture.setPixmap(icon(spec.icon, MUTED).pixmap(64, 64))
        picture.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        heading = QLabel(self.tr("「{title}」还没有在这个版本中提供").format(title=spec.label), self)
        heading.setObjectName("placeholderHeading")
        heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        heading.setWordWrap(True)

        what = QLabel(self.tr("这一页将用来：") + spec.description, self)
        what.setObjectName("placeholderText")
        what.setWordWrap(True)
        what.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        note = QLabel(self.tr("工作区里已有的数据不受影响；其他页面照常可用。"), self)
        note.setObjectName("placeholderNote")
        note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        note.setWordWrap(True)

        # A centred column of readable width; word-wrapped labels get their full height
        # only when the layout, not an alignment flag, decides their width.
        column = QVBoxLayout()
        column.addWidget(picture)
        column.addSpacing(12)
        column.addWidget(heading)
        column.addSpacing(8)
        column.addWidget(what)
        column.addSpacing(8)
        column.addWidget(note)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(column, 4)
        row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addLayout(row)
        layout.addStretch(3)
