"""The 群规 editor: title, published text, category, scope, and the condition with
live validation, action, action argument and grace period.

:class:`ConditionEdit` parses as the operator types (debounced; the parser is pure
Python and bounded to 4,000 characters, so it runs on the UI thread in well under a
millisecond). A ``ConditionError`` is shown under the field as the parser words it
("第 1 行第 19 列：…") and the spot is underlined; :meth:`ConditionEdit.check` — run by
检查 and by 保存 — also puts the text cursor there. The cursor is not moved while the
operator is still typing: jumping away from where they type would be worse than the
error.

Saving pushes a :class:`~sqdesk.ui.commands_rules.SaveRuleCommand`; a
``ValidationError`` from the store appears under the field it names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sqdesk.core.errors import UserError
from sqdesk.core.rules_store import RULE_FIELDS, RuleInput, RuleView
from sqdesk.models.vocab import RULE_ACTIONS, RULE_CATEGORIES
from sqdesk.ui.i18n import vocab

if TYPE_CHECKING:
    from sqdesk.ui.commands import CoreCommand
    from sqdesk.ui.context import AppContext

ERROR_STYLE = "color: #b91c1c;"
OK_STYLE = "color: #166534;"
VALIDATE_DEBOUNCE_MS = 250
LABEL_TO_FIELD = {label: key for key, label in RULE_FIELDS.items()} | {RULE_FIELDS["all_groups"]: "group_ids"}


def chinese_ui() -> bool:
    """The UI speaks Chinese (no translation of our strings is installed): show the
    condition language's Chinese aliases; in English, the variables' names."""
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("Vocab", "成员") == "成员"


def variable_label(name: str) -> str:
    """A metric variable as the UI shows it: its Chinese alias, or its name in English."""
    from sqdesk.rules.catalogue import MEMBER_VARIABLES

    var = MEMBER_VARIABLES.get(name)
    return var.alias if var is not None and chinese_ui() else name


def qt_offset(text: str, offset: int) -> int:
    """A Python character offset as Qt's UTF-16 position (characters beyond U+FFFF
    take two units)."""
    return len(text[:offset].encode("utf-16-le")) // 2


class ConditionEdit(QWidget):
    """The condition field: text, its error/status line, and an 插入变量 menu."""

    validityChanged = Signal(bool)  # parses (or is empty) / does not
    conditionReady = Signal(str)  # a non-empty condition that parses, after typing paused

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        row = QHBoxLayout()
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName("rule_condition")
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText(self.tr('例如：未发言天数 >= 30 且 角色 == "成员"'))
        self.edit.setFixedHeight(self.fontMetrics().height() * 3 + 14)
        row.addWidget(self.edit, 1)
        buttons = QVBoxLayout()
        self.insert_button = QToolButton(self)
        self.insert_button.setText(self.tr("插入变量"))
        self.insert_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.insert_button.setMenu(self._variables_menu())
        self.insert_button.setMinimumWidth(self.fontMetrics().horizontalAdvance(self.insert_button.text()) + 28)
        self.check_button = QToolButton(self)
        self.check_button.setObjectName("rule_check")
        self.check_button.setText(self.tr("检查"))
        self.check_button.clicked.connect(lambda: self.check(move_cursor=True))
        buttons.addWidget(self.insert_button)
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        lay.addLayout(row)
        self.message = QLabel(self)
        self.message.setObjectName("rule_condition_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.message)
        self.error_offset: int | None = None
        self.valid = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DEBOUNCE_MS)
        self._timer.timeout.connect(lambda: self.check(move_cursor=False))
        self.edit.textChanged.connect(self._timer.start)

    def _variables_menu(self) -> QMenu:
        from sqdesk.rules.catalogue import MEMBER_VARIABLES

        menu = QMenu(self)
        for var in MEMBER_VARIABLES.values():
            a = menu.addAction(f"{var.alias}  ({var.name})" if chinese_ui() else f"{var.name}  ({var.alias})")
            a.setToolTip(var.description)
            a.setStatusTip(var.description)
            word = var.alias if chinese_ui() else var.name
            a.triggered.connect(lambda _c=False, word=word: self._insert(word))
        menu.setToolTipsVisible(True)
        return menu

    def _insert(self, word: str) -> None:
        cursor = self.edit.textCursor()
        before = self.edit.toPlainText()[: cursor.position()]
        cursor.insertText(("" if not before or before.endswith((" ", "(", "（")) else " ") + word + " ")
        self.edit.setFocus()

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.edit.blockSignals(True)
        self.edit.setPlainText(text)
        self.edit.blockSignals(False)
        self.check(move_cursor=False)

    def error_text(self) -> str:
        return self.message.text() if not self.valid else ""

    def check(self, *, move_cursor: bool) -> bool:
        """Parse now; show the result; on an error optionally put the cursor there."""
        from sqdesk.rules.lang import ConditionError, parse, to_text

        self._timer.stop()
        text = self.edit.toPlainText()
        was = self.valid
        self.edit.setExtraSelections([])
        if not text.strip():
            self.valid, self.error_offset = True, None
            self.message.setStyleSheet("color: #475569;")
            self.message.setText(self.tr("没有条件：这条群规只发布文字，不做检查。"))
        else:
            try:
                node = parse(text)
            except ConditionError as err:
                self.valid, self.error_offset = False, err.offset
                self.message.setStyleSheet(ERROR_STYLE)
                self.message.setText(str(err))
                self._underline(text, err.offset)
                if move_cursor:
                    cursor = self.edit.textCursor()
                    cursor.setPosition(min(qt_offset(text, err.offset), len(text.encode("utf-16-le")) // 2))
                    self.edit.setTextCursor(cursor)
                    self.edit.setFocus()
            else:
                self.valid, self.error_offset = True, None
                self.message.setStyleSheet(OK_STYLE)
                self.message.setText(self.tr("✓ 条件有效：{text}").format(text=to_text(node, chinese=chinese_ui())))
                self.conditionReady.emit(text)
        if was != self.valid:
            self.validityChanged.emit(self.valid)
        return self.valid

    def _underline(self, text: str, offset: int) -> None:
        sel = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor("#dc2626"))
        fmt.setBackground(QColor("#fee2e2"))
        sel.format = fmt
        cursor = QTextCursor(self.edit.document())
        start = qt_offset(text, min(offset, len(text)))
        end_char = min(offset + 1, len(text))
        if start >= qt_offset(text, end_char):  # at the very end: mark the last character
            start = max(0, start - 1)
        cursor.setPosition(start)
        cursor.setPosition(max(qt_offset(text, end_char), start + 1 if text else 0),
                           QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        self.edit.setExtraSelections([sel])


class RuleEditor(QWidget):
    """Edit one rule (or a new one). ``saved(rule_id)`` after the command ran."""

    saved = Signal(int)
    dirtyChanged = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rule: RuleView | None = None
        self.command: CoreCommand | None = None
        self._loading = False
        self._dirty = False
        self._errors: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(self)
        self.heading.setObjectName("sectionTitle")
        lay.addWidget(self.heading)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form = form
        lay.addLayout(form)

        self.title = QLineEdit(self)
        self.title.setObjectName("rule_title")
        self.title.setPlaceholderText(self.tr("如：30 天内违规 3 次清退"))
        self._row("title", self.tr("标题"), self.title)
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("rule_body")
        self.body.setTabChangesFocus(True)
        self.body.setPlaceholderText(self.tr("发布给成员看的条文"))
        self.body.setFixedHeight(self.fontMetrics().height() * 3 + 14)
        self._row("body", self.tr("正文"), self.body)
        cat_row = QWidget(self)
        ch = QHBoxLayout(cat_row)
        ch.setContentsMargins(0, 0, 0, 0)
        self.category = QComboBox(cat_row)
        self.category.setObjectName("rule_category")
        for c in RULE_CATEGORIES:
            self.category.addItem(vocab(c), c)
        self.category.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.enabled = QCheckBox(self.tr("启用"), cat_row)
        self.enabled.setObjectName("rule_enabled")
        self.enabled.setToolTip(self.tr("停用的群规不发布、也不检查，历史仍保留"))
        ch.addWidget(self.category)
        ch.addSpacing(16)
        ch.addWidget(self.enabled)
        ch.addStretch(1)
        self._row("category", self.tr("类别"), cat_row)

        scope = QWidget(self)
        sv = QVBoxLayout(scope)
        sv.setContentsMargins(0, 0, 0, 0)
        sh = QHBoxLayout()
        self.scope_all = QRadioButton(self.tr("全部群"), scope)
        self.scope_all.setObjectName("rule_scope_all")
        self.scope_some = QRadioButton(self.tr("指定的群"), scope)
        self.scope_some.setObjectName("rule_scope_some")
        group = QButtonGroup(scope)
        group.addButton(self.scope_all)
        group.addButton(self.scope_some)
        self.scope_all.setChecked(True)
        sh.addWidget(self.scope_all)
        sh.addWidget(self.scope_some)
        sh.addStretch(1)
        sv.addLayout(sh)
        self.groups = QListWidget(scope)
        self.groups.setObjectName("rule_groups")
        self.groups.setMaximumHeight(self.fontMetrics().height() * 5)
        self.groups.setVisible(False)
        sv.addWidget(self.groups)
        self.scope_some.toggled.connect(self.groups.setVisible)
        self._row("group_ids", self.tr("适用范围"), scope)

        self.condition = ConditionEdit(self)
        self._row("condition", self.tr("条件"), self.condition)
        act_row = QWidget(self)
        ah = QHBoxLayout(act_row)
        ah.setContentsMargins(0, 0, 0, 0)
        self.action = QComboBox(act_row)
        self.action.setObjectName("rule_action")
        self.action.addItem(self.tr("（不处理）"), "")
        for a in RULE_ACTIONS:
            self.action.addItem(vocab(a), a)
        self.action.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.action.setMinimumContentsLength(6)
        self.action_arg = QLineEdit(act_row)
        self.action_arg.setObjectName("rule_action_arg")
        self.action_arg.setPlaceholderText(self.tr("标签名（打标签时）"))
        self.grace = QSpinBox(act_row)
        self.grace.setObjectName("rule_grace")
        self.grace.setRange(0, 365)
        self.grace.setSuffix(self.tr(" 天"))
        self.grace.setToolTip(self.tr("宽限期：先发宽限提醒，这么多天后仍符合条件才执行动作"))
        ah.addWidget(self.action)
        ah.addWidget(self.action_arg, 1)
        ah.addWidget(QLabel(self.tr("宽限"), act_row))
        ah.addWidget(self.grace)
        self._row("action", self.tr("处理动作"), act_row)
        self._errors["action_arg"] = self._errors["action"]
        self._errors["grace_days"] = self._errors["action"]
        self._widgets["action_arg"] = self.action_arg
        self._widgets["grace_days"] = self.grace

        self.general_error = QLabel(self)
        self.general_error.setObjectName("rule_form_error")
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.setVisible(False)
        lay.addWidget(self.general_error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.revert_button = QPushButton(self.tr("还原"), self)
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton(self.tr("保存"), self)
        self.save_button.setObjectName("rule_save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        lay.addLayout(buttons)
        lay.addStretch(1)

        for sig in (self.title.textChanged, self.body.textChanged, self.category.currentIndexChanged,
                    self.enabled.toggled, self.scope_all.toggled, self.groups.itemChanged,
                    self.condition.edit.textChanged, self.action.currentIndexChanged,
                    self.action_arg.textChanged, self.grace.valueChanged):
            sig.connect(self._touched)
        self.action.currentIndexChanged.connect(lambda _i: self._action_changed())
        self.start_new()

    def _row(self, key: str, label: str, widget: QWidget) -> None:
        box = QWidget(self)
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(1)
        v.addWidget(widget)
        error = QLabel(box)
        error.setObjectName(f"error_{key}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.setVisible(False)
        v.addWidget(error)
        self.form.addRow(label, box)
        self._errors[key] = error
        self._widgets[key] = widget

    # ---- loading ---------------------------------------------------------------------------------
    def set_groups(self, groups: list[tuple[int, str]]) -> None:
        chosen = set(self.chosen_group_ids())
        self._loading = True
        self.groups.clear()
        for gid, name in groups:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, gid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if gid in chosen else Qt.CheckState.Unchecked)
            self.groups.addItem(item)
        self._loading = False

    def chosen_group_ids(self) -> list[int]:
        out = []
        for i in range(self.groups.count()):
            item = self.groups.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def chosen_group_names(self) -> list[str]:
        return [self.groups.item(i).text() for i in range(self.groups.count())
                if self.groups.item(i).checkState() == Qt.CheckState.Checked]

    def start_new(self) -> None:
        self.rule = None
        self._fill(RuleInput(title=""))
        self.heading.setText(self.tr("新建群规"))
        self.title.setFocus()

    def show_rule(self, rule: RuleView) -> None:
        self.rule = rule
        self._fill(rule.to_input())
        self.heading.setText(self.tr("编辑群规：{title}").format(title=rule.title))

    def revert(self) -> None:
        if self.rule is None:
            self.start_new()
        else:
            self.show_rule(self.rule)

    def _fill(self, data: RuleInput) -> None:
        self._loading = True
        self.clear_errors()
        self.title.setText(data.title)
        self.body.setPlainText(data.body)
        self.category.setCurrentIndex(max(0, self.category.findData(data.category)))
        self.enabled.setChecked(data.enabled)
        self.scope_all.setChecked(data.all_groups)
        self.scope_some.setChecked(not data.all_groups)
        wanted = set(data.group_ids)
        for i in range(self.groups.count()):
            item = self.groups.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted
                               else Qt.CheckState.Unchecked)
        self.action.setCurrentIndex(max(0, self.action.findData(data.action)))
        self.action_arg.setText(data.action_arg)
        self.grace.setValue(data.grace_days)
        self.condition.set_text(data.condition)
        self._action_changed()
        self._loading = False
        self._set_dirty(False)

    def _action_changed(self) -> None:
        action = self.action.currentData()
        self.action_arg.setEnabled(action == "打标签")
        self.grace.setEnabled(bool(action) and action not in ("提醒", "仅标记"))

    def _touched(self, *_a: Any) -> None:
        if not self._loading:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)

    def is_dirty(self) -> bool:
        return self._dirty

    def data(self) -> RuleInput:
        return RuleInput(
            title=self.title.text(), body=self.body.toPlainText(), category=self.category.currentData(),
            all_groups=self.scope_all.isChecked(), group_ids=tuple(self.chosen_group_ids()),
            condition=self.condition.text(), action=self.action.currentData(),
            action_arg=self.action_arg.text() if self.action.currentData() == "打标签" else "",
            grace_days=self.grace.value(), enabled=self.enabled.isChecked(),
        )

    # ---- errors and saving -----------------------------------------------------------------------
    def field_error(self, key: str) -> str:
        label = self._errors[key]
        return label.text() if not label.isHidden() else ""

    def clear_errors(self) -> None:
        for label in self._errors.values():
            label.clear()
            label.setVisible(False)
        self.general_error.setVisible(False)

    def show_error(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not isinstance(exc, UserError):
            if self.ctx.tasks.error_handler is not None:
                self.ctx.tasks.error_handler(exc)
            return
        key = LABEL_TO_FIELD.get(exc.column or "")
        if key == "condition":
            self.condition.message.setStyleSheet(ERROR_STYLE)
            self.condition.message.setText(exc.message)
            self.condition.edit.setFocus()
        elif key is not None and key in self._errors:
            self._errors[key].setText(exc.message)
            self._errors[key].setVisible(True)
            self._widgets[key].setFocus()
        else:
            self.general_error.setText(str(exc))
            self.general_error.setVisible(True)

    def save(self) -> None:
        from sqdesk.ui.commands_rules import SaveRuleCommand

        self.clear_errors()
        if not self.condition.check(move_cursor=True):
            return
        data = self.data()
        if self.rule is not None and data == self.rule.to_input():
            self._set_dirty(False)
            return
        first = [True]

        def done(cmd: CoreCommand, forward: bool) -> None:
            self.save_button.setEnabled(True)
            if forward and first[0]:
                first[0] = False
                self._set_dirty(False)
                rid = getattr(cmd, "rule_id", None)
                if rid is not None:
                    self.saved.emit(rid)

        cmd = SaveRuleCommand(
            self.ctx, self.rule.id if self.rule else None, data,
            expected_version=self.rule.version if self.rule else None, on_done=done, on_error=self.show_error,
        )
        self.command = cmd
        self.save_button.setEnabled(False)
        self.ctx.undo_stack.push(cmd)
