"""供求 editor: member, kind (供给/需求), category, text, keywords, dates, status.

Validation is core's (``supply_demand._validate`` via the save command): its message
appears under the field it names, the dialog stays open, nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from sqdesk.core.supply_demand import SD_FIELDS, SupplyDemandInput, SupplyDemandView
from sqdesk.models.vocab import SD_CATEGORIES, SD_KINDS, SD_STATUSES
from sqdesk.ui.dialogs.activity_dialog import CommandFormDialog, MemberPicker, combo_with, qdate
from sqdesk.ui.i18n import vocab
from sqdesk.ui.itemmodels.supply_model import status_label

if TYPE_CHECKING:
    from sqdesk.ui.commands import CoreCommand
    from sqdesk.ui.context import AppContext


class SupplyDialog(CommandFormDialog):
    """``SupplyDialog(ctx, parent, item=None, kind="供给")``: new or edit."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        *,
        item: SupplyDemandView | None = None,
        kind: str = "供给",
        member: tuple[int, str] | None = None,
    ) -> None:
        super().__init__(ctx, parent, SD_FIELDS)
        self.item = item
        kind = item.kind if item else kind
        self.setWindowTitle(
            (self.tr("新建供给") if kind == "供给" else self.tr("新建需求")) if item is None
            else self.tr("编辑{kind} #{id}").format(kind=vocab(item.kind), id=item.id)
        )
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 76)
        self.member = MemberPicker(ctx, self)
        self.add_row("member_id", self.tr("成员"), self.member)
        self.kind = combo_with([(k, vocab(k)) for k in SD_KINDS], self, current=kind)
        self.kind.setObjectName("supply_kind")
        self.add_row("kind", self.tr("类型"), self.kind)
        self.category = combo_with([(c, vocab(c)) for c in SD_CATEGORIES], self,
                                   current=item.category if item else "其他")
        self.category.setObjectName("supply_category")
        self.add_row("category", self.tr("类别"), self.category)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("supply_text")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(self.tr("能提供什么 / 需要什么，越具体越容易匹配"))
        self.text.setFixedHeight(self.fontMetrics().height() * 5)
        self.text.setPlainText(item.text if item else "")
        self.add_row("text", self.tr("内容"), self.text)
        self.keywords = QLineEdit(self)
        self.keywords.setObjectName("supply_keywords")
        self.keywords.setPlaceholderText(self.tr("用逗号或空格分隔，如：短视频, 剪辑"))
        self.keywords.setText(", ".join(item.keywords) if item else "")
        self.add_row("keywords", self.tr("关键词"), self.keywords)
        self.created = QDateEdit(self)
        self.created.setObjectName("supply_created")
        self.created.setCalendarPopup(True)
        self.created.setDisplayFormat("yyyy-MM-dd")
        self.created.setDate(qdate(item.created_on if item else dt.date.today()))
        self.add_row("created_on", self.tr("发布日期"), self.created)
        expires_box = QWidget(self)
        h = QHBoxLayout(expires_box)
        h.setContentsMargins(0, 0, 0, 0)
        self.has_expiry = QCheckBox(self.tr("设有效期"), expires_box)
        self.has_expiry.setObjectName("supply_has_expiry")
        self.expires = QDateEdit(expires_box)
        self.expires.setObjectName("supply_expires")
        self.expires.setCalendarPopup(True)
        self.expires.setDisplayFormat("yyyy-MM-dd")
        default_expiry = dt.date.today() + dt.timedelta(days=30)
        self.expires.setDate(qdate(item.expires_on if item and item.expires_on else default_expiry))
        self.has_expiry.setChecked(bool(item and item.expires_on))
        self.expires.setEnabled(self.has_expiry.isChecked())
        self.has_expiry.toggled.connect(self.expires.setEnabled)
        h.addWidget(self.has_expiry)
        h.addWidget(self.expires, 1)
        self.add_row("expires_on", self.tr("有效期至"), expires_box)
        self.status = combo_with([(s, status_label(s)) for s in SD_STATUSES], self,
                                 current=item.status if item else "open")
        self.status.setObjectName("supply_status")
        self.add_row("status", self.tr("状态"), self.status)
        if item is not None:
            self.member.set_member(item.member_id, item.member_name)
        elif member is not None:
            self.member.set_member(*member)

    def data(self) -> SupplyDemandInput | None:
        mid = self.member.member_id()
        if mid is None:
            return None
        expires = self.expires.date().toPython() if self.has_expiry.isChecked() else None
        created: QDate = self.created.date()
        return SupplyDemandInput(
            member_id=mid, kind=self.kind.currentData(), text=self.text.toPlainText(),
            category=self.category.currentData(), keywords=self.keywords.text(),
            created_on=created.toPython(), expires_on=expires,  # type: ignore[arg-type]
            status=self.status.currentData(),
        )

    def make_command(self, on_done: Callable[[CoreCommand, bool], None],
                     on_error: Callable[[BaseException], None]) -> CoreCommand | None:
        from sqdesk.ui.commands_supply import SaveSupplyCommand

        data = self.data()
        if data is None:
            self.show_field_error("member_id", self.tr("请先选择成员"))
            return None
        if self.item is not None and data == self.item.to_input():
            self.accept()
            return None
        return SaveSupplyCommand(
            self.ctx, self.item.id if self.item else None, data,
            expected_version=self.item.version if self.item else None, on_done=on_done, on_error=on_error,
        )
