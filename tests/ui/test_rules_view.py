"""The 群规 screen through its real widgets: the condition editor's errors and cursor,
the dry run of an edited condition, confirming a 清退 from the to-do list and undoing
it, undoable rule edits, reordering, starter rules, history and the published text."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt

from sqdesk.core import activity, roster, rules_store
from sqdesk.core.rules_store import RuleInput
from sqdesk.core.workspace import Workspace
from sqdesk.ui.dialogs.rule_dialog import qt_offset
from sqdesk.ui.itemmodels.rules_model import MIME_TYPE, RuleColumn, RulesTableModel
from sqdesk.ui.views.rules import RulesView

TIMEOUT = 15_000


def _member(ws: Workspace, name: str, **values: object) -> int:
    with ws.write() as s:
        return roster.create_member(s, roster.MemberInput(name, dict(values))).id


def _violations(ws: Workspace, member_id: int, n: int) -> None:
    now = dt.datetime.now().replace(microsecond=0)
    with ws.write() as s:
        for i in range(n):
            activity.add_activity(s, member_id, "违规", now - dt.timedelta(days=2 + i), note=f"广告 {i}")


def _status(ws: Workspace, member_id: int) -> str:
    with ws.read() as s:
        return roster.get_member(s, member_id).status


def _titles(view: RulesView) -> list[str]:
    return [r.title for r in view.model.rules()]


@pytest.fixture
def view(qtbot, ctx_any_db):
    v = RulesView(ctx_any_db)
    qtbot.addWidget(v)
    v.resize(1400, 860)
    v.show()
    qtbot.waitUntil(lambda: ctx_any_db.tasks.is_idle(), timeout=TIMEOUT)
    return v


def _idle(qtbot, view: RulesView) -> None:
    qtbot.waitUntil(lambda: view.ctx.tasks.is_idle(), timeout=TIMEOUT)


def _fill_new_rule(qtbot, view: RulesView, title: str, condition: str, action: str) -> None:
    view.new_rule()
    ed = view.editor
    ed.title.setText(title)
    ed.body.setPlainText(f"{title}的条文")
    ed.condition.edit.setPlainText(condition)
    ed.action.setCurrentIndex(ed.action.findData(action))


def _save(qtbot, view: RulesView, expect_rows: int) -> None:
    with qtbot.waitSignal(view.rules_loaded, timeout=TIMEOUT,
                          check_params_cb=lambda n: n == expect_rows):
        qtbot.mouseClick(view.editor.save_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, view)


# ---- the model ------------------------------------------------------------------------------

def test_rules_model_passes_modeltester_and_drops_ask_for_a_move(qtmodeltester, qtbot, ctx) -> None:
    from sqdesk.rules.templates import install_starter_rules

    with ctx.ws.write() as s:
        install_starter_rules(s, "测试")
    with ctx.ws.read() as s:
        rules = rules_store.list_rules(s)
    model = RulesTableModel()
    model.set_rules(rules)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == len(rules) >= 5
    assert model.data(model.index(0, RuleColumn.ENABLED), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked

    # dragging the first rule below the third asks for position 2; the model itself does not move
    mime = model.mimeData([model.index(0, RuleColumn.TITLE)])
    assert mime.hasFormat(MIME_TYPE)
    with qtbot.waitSignal(model.moveRequested) as blocker:
        model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert blocker.args == [rules[0].id, 2]
    assert model.rule(0).id == rules[0].id
    # unchecking 启用 asks for it instead of changing the row
    with qtbot.waitSignal(model.enabledToggled) as blocker:
        assert model.setData(model.index(1, RuleColumn.ENABLED), Qt.CheckState.Unchecked.value,
                             Qt.ItemDataRole.CheckStateRole)
    assert blocker.args == [rules[1].id, False]
    assert not model.canDropMimeData(QMimeData(), Qt.DropAction.MoveAction, 0, 0, QModelIndex())


# ---- the condition editor ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "column"),
    [
        ('inactive_days >= and role == "成员"', 18),
        # an emoji before the error: Qt counts it as two UTF-16 units
        ('标签 contains "🎉" and 未发言天数 >=', 29),
    ],
)
def test_parse_error_shows_line_column_and_puts_the_cursor_there(qtbot, view: RulesView, text: str,
                                                                 column: int) -> None:
    from sqdesk.rules.lang import ConditionError, parse

    with pytest.raises(ConditionError) as info:
        parse(text)
    err = info.value
    cond = view.editor.condition
    view.new_rule()
    cond.edit.setPlainText(text)
    cond.edit.moveCursor(cond.edit.textCursor().MoveOperation.Start)
    # live validation (after the typing pause) shows the message without moving the cursor
    qtbot.waitUntil(lambda: not cond.valid, timeout=TIMEOUT)
    assert f"第 1 行第 {column} 列" in cond.message.text()
    assert cond.edit.textCursor().position() == 0
    qtbot.mouseClick(cond.check_button, Qt.MouseButton.LeftButton)
    assert cond.edit.textCursor().position() == qt_offset(text, err.offset)
    assert cond.message.text() == str(err)
    assert cond.message.isVisible()

    # saving refuses too and writes nothing
    view.editor.title.setText("有错的群规")
    cond.edit.moveCursor(cond.edit.textCursor().MoveOperation.Start)
    qtbot.mouseClick(view.editor.save_button, Qt.MouseButton.LeftButton)
    assert cond.edit.textCursor().position() == qt_offset(text, err.offset)
    _idle(qtbot, view)
    with view.ctx.ws.read() as s:
        assert rules_store.list_rules(s) == []
    assert view.ctx.undo_stack.count() == 0

    # fixed: the message says so
    cond.edit.setPlainText("未发言天数 >= 30")
    assert cond.check(move_cursor=False)
    assert "条件有效" in cond.message.text()


def test_store_validation_error_appears_under_its_field(qtbot, view: RulesView) -> None:
    _fill_new_rule(qtbot, view, "", "violations_30d >= 3", "清退")
    qtbot.mouseClick(view.editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.editor.field_error("title") != "", timeout=TIMEOUT)
    assert "标题不能为空" in view.editor.field_error("title")
    assert view.ctx.undo_stack.count() == 0  # the failed command left the stack


# ---- dry run ---------------------------------------------------------------------------------

def test_dry_run_of_the_edited_condition_lists_the_planted_member(qtbot, view: RulesView) -> None:
    ws = view.ctx.ws
    breaker = _member(ws, "违规王")
    once = _member(ws, "偶尔犯错")
    gone = _member(ws, "已走的人", status="已退出")
    _violations(ws, breaker, 3)
    _violations(ws, once, 1)
    _violations(ws, gone, 4)
    view.new_rule()
    with qtbot.waitSignal(view.preview_shown, timeout=TIMEOUT) as blocker:
        view.editor.condition.edit.setPlainText("近30天违规 >= 3")
    assert blocker.args == [1]
    m = view.preview_model
    assert m.rowCount() == 1
    assert [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())] == ["成员", "近30天违规"]
    assert m.data(m.index(0, 0)) == "违规王"
    assert m.data(m.index(0, 1)) == "3"
    assert "1 人" in view.preview_label.text()
    assert view.metrics_computed == 1

    # the evidence behind the figure: the three 违规 lines
    view.preview_table.setCurrentIndex(m.index(0, 0))
    qtbot.waitUntil(lambda: view.evidence_model.rowCount() == 3, timeout=TIMEOUT)

    # a second condition reuses the cached metrics
    with qtbot.waitSignal(view.preview_shown, timeout=TIMEOUT) as blocker:
        view.editor.condition.edit.setPlainText("violations_30d >= 1")
    assert blocker.args == [2]
    assert view.metrics_computed == 1

    # new activity: the cache is dropped and the figures recomputed
    _violations(ws, once, 2)
    view.ctx.notify("activity")
    with qtbot.waitSignal(view.preview_shown, timeout=TIMEOUT) as blocker:
        view.run_preview()
    assert blocker.args == [2]
    qtbot.waitUntil(lambda: view.metrics_computed == 2, timeout=TIMEOUT)
    with qtbot.waitSignal(view.preview_shown, timeout=TIMEOUT) as blocker:
        view.editor.condition.edit.setPlainText("violations_30d >= 3")
    assert blocker.args == [2]
    names = {view.preview_model.data(view.preview_model.index(r, 0)) for r in range(2)}
    assert names == {"违规王", "偶尔犯错"}


# ---- to-do list --------------------------------------------------------------------------------

def test_confirm_a_clearout_from_the_todo_list_then_undo(qtbot, view: RulesView) -> None:
    ws = view.ctx.ws
    breaker = _member(ws, "刷屏者")
    _member(ws, "守规矩")
    _violations(ws, breaker, 3)
    _fill_new_rule(qtbot, view, "30 天内违规 3 次清退", "violations_30d >= 3", "清退")
    _save(qtbot, view, 1)

    with qtbot.waitSignal(view.todo_loaded, timeout=TIMEOUT) as blocker:
        view.tabs.setCurrentIndex(1)
    assert blocker.args == [1]
    tm = view.todo_model
    assert tm.data(tm.index(0, 1)) == "刷屏者"
    assert tm.data(tm.index(0, 2)) == "清退"
    view.todo_table.selectRow(0)
    assert view.confirm_button.isEnabled()
    with qtbot.waitSignal(view.todo_loaded, timeout=TIMEOUT) as blocker:
        qtbot.mouseClick(view.confirm_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [0]  # done: off the list
    assert _status(ws, breaker) == "已清退"
    with ws.read() as s:
        lines = activity.activity_page(s, activity.ActivityFilter(member_id=breaker, kinds=("清退",)))
    assert len(lines) == 1 and lines[0].source == "system"
    assert "已处理" in view.todo_message.text()

    with qtbot.waitSignal(view.todo_loaded, timeout=TIMEOUT) as blocker:
        view.ctx.undo_stack.undo()
    assert blocker.args == [1]  # back on the list
    assert _status(ws, breaker) == "在群"
    with ws.read() as s:
        assert activity.activity_page(s, activity.ActivityFilter(member_id=breaker, kinds=("清退",))) == []

    view.ctx.undo_stack.redo()
    qtbot.waitUntil(lambda: _status(ws, breaker) == "已清退", timeout=TIMEOUT)


# ---- edits, order, starter rules, history, published text --------------------------------------

def test_rule_edits_are_undoable_and_history_grows(qtbot, view: RulesView) -> None:
    stack = view.ctx.undo_stack
    _fill_new_rule(qtbot, view, "禁止刷屏", "messages_7d >= 500", "警告")
    _save(qtbot, view, 1)
    assert _titles(view) == ["禁止刷屏"]
    assert view.current_rule() is not None and view.current_rule().title == "禁止刷屏"

    view.editor.title.setText("禁止刷屏和广告")
    view.editor.grace.setValue(3)
    with qtbot.waitSignal(view.history_loaded, timeout=TIMEOUT, check_params_cb=lambda n: n == 2):
        qtbot.mouseClick(view.editor.save_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, view)
    assert _titles(view) == ["禁止刷屏和广告"]
    assert "-标题：禁止刷屏\n" in view.diff_view.toPlainText()
    assert "+标题：禁止刷屏和广告" in view.diff_view.toPlainText()

    stack.undo()
    qtbot.waitUntil(lambda: _titles(view) == ["禁止刷屏"], timeout=TIMEOUT)
    assert view.editor.title.text() == "禁止刷屏"
    with view.ctx.ws.read() as s:
        rule = rules_store.list_rules(s)[0]
        assert rule.grace_days == 0
        assert len(rules_store.rule_history(s, rule.id)) == 3  # undo is a revision too

    stack.undo()  # the create
    qtbot.waitUntil(lambda: _titles(view) == [], timeout=TIMEOUT)
    assert view.empty_box.isVisible()
    stack.redo()
    qtbot.waitUntil(lambda: _titles(view) == ["禁止刷屏"], timeout=TIMEOUT)

    # untick 启用 in the list, then undo
    row = view.model.row_of(view.model.rules()[0].id)
    view.model.setData(view.model.index(row, RuleColumn.ENABLED), Qt.CheckState.Unchecked.value,
                       Qt.ItemDataRole.CheckStateRole)
    qtbot.waitUntil(lambda: not view.model.rules()[0].enabled, timeout=TIMEOUT)
    stack.undo()
    qtbot.waitUntil(lambda: view.model.rules()[0].enabled, timeout=TIMEOUT)

    # delete, then undo
    view.table.selectRow(0)
    view.act_delete.trigger()
    qtbot.waitUntil(lambda: _titles(view) == [], timeout=TIMEOUT)
    stack.undo()
    qtbot.waitUntil(lambda: _titles(view) == ["禁止刷屏"], timeout=TIMEOUT)


def test_starter_rules_reorder_and_published_text(qtbot, view: RulesView, tmp_path) -> None:
    stack = view.ctx.undo_stack
    assert view.empty_box.isVisible()
    with qtbot.waitSignal(view.rules_loaded, timeout=TIMEOUT, check_params_cb=lambda n: n > 0):
        qtbot.mouseClick(view.install_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, view)
    titles = _titles(view)
    assert len(titles) == 7 and not view.empty_box.isVisible()

    view.table.selectRow(0)
    assert not view.up_button.isEnabled()
    qtbot.mouseClick(view.down_button, Qt.MouseButton.LeftButton)
    expected = [titles[1], titles[0], *titles[2:]]
    qtbot.waitUntil(lambda: _titles(view) == expected, timeout=TIMEOUT)
    assert view.current_rule().title == titles[0]  # the moved rule stays selected
    stack.undo()
    qtbot.waitUntil(lambda: _titles(view) == titles, timeout=TIMEOUT)

    with qtbot.waitSignal(view.published_loaded, timeout=TIMEOUT):
        view.tabs.setCurrentIndex(3)
    text = view.published.toPlainText()
    assert text.startswith("群规（截至")
    for t in titles:
        assert t in text
    with qtbot.waitSignal(view.published_exported, timeout=TIMEOUT):
        out = view.export_published(tmp_path / "群规.txt")
    assert out is not None
    assert out.read_text(encoding="utf-8-sig").replace("\r\n", "\n") == text
    view.copy_published()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == text

    # the day before anything existed: none in force
    with qtbot.waitSignal(view.published_loaded, timeout=TIMEOUT):
        view.published_date.setDate(dt.date.today() - dt.timedelta(days=1))
    assert "暂无生效的群规" in view.published.toPlainText()

    stack.undo()  # the install
    qtbot.waitUntil(lambda: _titles(view) == [], timeout=TIMEOUT)


def test_rule_scope_limits_the_dry_run(qtbot, view: RulesView) -> None:
    from sqdesk.core import groups

    ws = view.ctx.ws
    with ws.write() as s:
        g1 = groups.create_group(s, "杭州一群").id
        groups.create_group(s, "上海群")
    a = _member(ws, "杭州违规")
    b = _member(ws, "上海违规")
    with ws.write() as s:
        roster.move_to_group(s, [a], g1)
        roster.move_to_group(s, [b], groups.group_ids_by_name(s)["上海群"])
    _violations(ws, a, 3)
    _violations(ws, b, 3)
    view.ctx.notify("groups")
    qtbot.waitUntil(lambda: view.editor.groups.count() == 2, timeout=TIMEOUT)
    view.new_rule()
    with qtbot.waitSignal(view.preview_shown, timeout=TIMEOUT) as blocker:
        view.editor.condition.edit.setPlainText("violations_30d >= 3")
    assert blocker.args == [2]
    view.editor.scope_some.setChecked(True)
    item = view.editor.groups.item(0)
    assert item.text() == "杭州一群"
    with qtbot.waitSignal(view.preview_shown, timeout=TIMEOUT) as blocker:
        item.setCheckState(Qt.CheckState.Checked)
    assert blocker.args == [1]
    assert view.preview_model.data(view.preview_model.index(0, 0)) == "杭州违规"
    view.editor.title.setText("杭州群违规清退")
    view.editor.action.setCurrentIndex(view.editor.action.findData("清退"))
    _save(qtbot, view, 1)
    rule = view.model.rules()[0]
    assert rule.all_groups is False and rule.group_names == ("杭州一群",)
    assert view.model.data(view.model.index(0, RuleColumn.SCOPE)) == "杭州一群"


def test_todo_model_passes_modeltester(qtmodeltester, ctx) -> None:
    from sqdesk.rules.engine import todo_list
    from sqdesk.ui.itemmodels.rules_model import TodoTableModel

    ws = ctx.ws
    a, b = _member(ws, "甲"), _member(ws, "乙")
    _violations(ws, a, 3)
    _violations(ws, b, 4)
    with ws.write() as s:
        rules_store.create_rule(s, RuleInput(title="违规清退", condition="violations_30d >= 3", action="清退"))
    with ws.read() as s:
        items = todo_list(s)
    model = TodoTableModel()
    model.set_rows([(i.rule_title, i.member_name, i.action, i.stage, i.due_on.isoformat(), i.reason)
                    for i in items], items)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 2
    assert {model.data(model.index(r, 1)) for r in range(2)} == {"甲", "乙"}
    assert model.item(0) is items[0]
    with pytest.raises(ValueError):
        model.set_rows([], items)


def test_switching_rules_asks_before_dropping_unsaved_edits(qtbot, view: RulesView) -> None:
    from PySide6.QtWidgets import QMessageBox

    with qtbot.waitSignal(view.rules_loaded, timeout=TIMEOUT, check_params_cb=lambda n: n > 0):
        view.install_starter_rules()
    _idle(qtbot, view)
    titles = _titles(view)
    view.table.selectRow(0)
    assert view.editor.title.text() == titles[0]
    view.editor.title.setText("改了一半的标题")
    assert view.editor.is_dirty()

    view.table.selectRow(1)  # ask; meanwhile the edited rule stays selected and the text stays
    qtbot.waitUntil(lambda: view.message_box is not None and view.message_box.isVisible(), timeout=TIMEOUT)
    assert view.current_rule().title == titles[0]
    assert view.editor.title.text() == "改了一半的标题"
    view.message_box.button(QMessageBox.StandardButton.Cancel).click()  # 继续编辑
    qtbot.waitUntil(lambda: view.message_box is None, timeout=TIMEOUT)
    assert view.editor.title.text() == "改了一半的标题"

    view.table.selectRow(2)
    qtbot.waitUntil(lambda: view.message_box is not None and view.message_box.isVisible(), timeout=TIMEOUT)
    view.message_box.button(QMessageBox.StandardButton.Discard).click()  # 放弃修改
    qtbot.waitUntil(lambda: view.editor.title.text() == titles[2], timeout=TIMEOUT)
    assert view.current_rule().title == titles[2]
    assert not view.editor.is_dirty()
    with view.ctx.ws.read() as s:
        assert [r.title for r in rules_store.list_rules(s)] == titles  # nothing was saved
