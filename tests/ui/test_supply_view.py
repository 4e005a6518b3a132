"""The 供求 screen through its real widgets: the list models, filters, creating and
editing an offer with undo, validation shown on the field, deleting with its matches,
and recording a match outcome with undo."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from sqdesk.core import roster
from sqdesk.core import supply_demand as sd
from sqdesk.core.workspace import Workspace
from sqdesk.ui.itemmodels.supply_model import MatchesTableModel, SupplyColumn, SupplyTableModel
from sqdesk.ui.views.supply import SupplyView

TIMEOUT = 15_000


def _member(ws: Workspace, name: str) -> int:
    with ws.write() as s:
        return roster.create_member(s, roster.MemberInput(name, {})).id


def _item(ws: Workspace, member_id: int, kind: str, text: str, category: str = "技能",
          created: dt.date | None = None, keywords: str = "") -> int:
    with ws.write() as s:
        return sd.create_supply_demand(s, sd.SupplyDemandInput(
            member_id=member_id, kind=kind, text=text, category=category, keywords=keywords,
            created_on=created)).id


def _items(ws: Workspace) -> list[sd.SupplyDemandView]:
    with ws.read() as s:
        return sd.list_supply_demand(s)


@pytest.fixture
def planted(ctx_any_db):
    ws = ctx_any_db.ws
    a = _member(ws, "王设计")
    b = _member(ws, "赵老板")
    offer = _item(ws, a, "供给", "提供品牌视觉设计", "技能", dt.date.today() - dt.timedelta(days=3), "设计,品牌")
    need = _item(ws, b, "需求", "需要一位品牌设计师", "服务", dt.date.today() - dt.timedelta(days=40), "设计")
    _item(ws, b, "供给", "有上海的办公场地可以共享", "资源", dt.date.today() - dt.timedelta(days=1))
    with ws.write() as s:
        match = sd.record_match(s, offer, need, score=0.8, reason="关键词「设计」", operator="测试")
    return ctx_any_db, {"a": a, "b": b, "offer": offer, "need": need, "match": match.id}


@pytest.fixture
def view(qtbot, planted):
    ctx = planted[0]
    v = SupplyView(ctx)
    qtbot.addWidget(v)
    v.resize(1400, 800)
    v.show()
    qtbot.waitUntil(lambda: v.model.rowCount() == 3 and ctx.tasks.is_idle(), timeout=TIMEOUT)
    return v


def _idle(qtbot, view: SupplyView) -> None:
    qtbot.waitUntil(view.ctx.tasks.is_idle, timeout=TIMEOUT)


def test_supply_model_passes_modeltester(qtmodeltester, planted) -> None:
    ctx, ids = planted
    model = SupplyTableModel()
    model.set_items(_items(ctx.ws))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 3
    texts = {model.data(model.index(r, SupplyColumn.TEXT)) for r in range(3)}
    assert "提供品牌视觉设计" in texts
    row = model.row_of(ids["offer"])
    assert row is not None
    assert model.data(model.index(row, SupplyColumn.KEYWORDS)) == "#设计 #品牌"


def test_matches_model_passes_modeltester(qtmodeltester, planted) -> None:
    ctx, ids = planted
    matches = MatchesTableModel()
    with ctx.ws.read() as s:
        matches.set_matches(ids["offer"], sd.list_matches(s, offer_id=ids["offer"]))
    qtmodeltester.check(matches, force_py=True)
    assert matches.data(matches.index(0, 0)) == "赵老板"  # the other side


def test_filters_narrow_the_list(qtbot, view: SupplyView) -> None:
    def shows(*texts: str) -> None:
        qtbot.waitUntil(lambda: sorted(i.text for i in view.model.items()) == sorted(texts), timeout=TIMEOUT)

    view.kind_combo.setCurrentIndex(view.kind_combo.findData("需求"))
    shows("需要一位品牌设计师")
    view.kind_combo.setCurrentIndex(0)
    view.category_combo.setCurrentIndex(view.category_combo.findData("资源"))
    shows("有上海的办公场地可以共享")
    view.category_combo.setCurrentIndex(0)
    view.dates.preset.setCurrentIndex(view.dates.preset.findData("30"))
    shows("提供品牌视觉设计", "有上海的办公场地可以共享")
    view.dates.preset.setCurrentIndex(0)
    view.search.setText("设计")
    shows("提供品牌视觉设计", "需要一位品牌设计师")
    view.search.setText("zlb")  # 赵老板 by pinyin initials
    shows("需要一位品牌设计师", "有上海的办公场地可以共享")
    view.status_combo.setCurrentIndex(view.status_combo.findData("closed"))
    shows()
    assert "共 0 条" in view.count_label.text()


def _pick(qtbot, dialog, query: str) -> None:
    picker = dialog.member
    qtbot.keyClicks(picker.search, query)
    qtbot.waitUntil(lambda: picker.results.isVisible() and picker.results.count() > 0, timeout=TIMEOUT)
    rect = picker.results.visualItemRect(picker.results.item(0))
    qtbot.mouseClick(picker.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_create_an_offer_then_undo_and_redo(qtbot, view: SupplyView, planted) -> None:
    ctx, ids = planted
    stack = ctx.undo_stack
    dialog = view.new_item("供给")
    _pick(qtbot, dialog, "wsj")
    assert dialog.member.member_id() == ids["a"]
    assert dialog.kind.currentData() == "供给"
    dialog.category.setCurrentIndex(dialog.category.findData("服务"))
    dialog.text.setPlainText("可以帮忙做短视频剪辑")
    dialog.keywords.setText("短视频，剪辑 抖音")
    dialog.has_expiry.setChecked(True)
    dialog.expires.setDate(dt.date.today() + dt.timedelta(days=60))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: view.dialog is None and view.model.rowCount() == 4, timeout=TIMEOUT)
    _idle(qtbot, view)
    new = [i for i in _items(ctx.ws) if i.text == "可以帮忙做短视频剪辑"]
    assert len(new) == 1
    item = new[0]
    assert (item.member_id, item.category, item.keywords) == (ids["a"], "服务", ("短视频", "剪辑", "抖音"))
    assert item.expires_on == dt.date.today() + dt.timedelta(days=60)
    qtbot.waitUntil(lambda: view.current_item() is not None and view.current_item().id == item.id, timeout=TIMEOUT)

    stack.undo()
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=TIMEOUT)
    assert all(i.id != item.id for i in _items(ctx.ws))
    stack.redo()
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=TIMEOUT)
    assert any(i.id == item.id for i in _items(ctx.ws))  # the same row back

    # edit it, then undo the edit
    _idle(qtbot, view)
    assert view.select_item(item.id)
    dialog = view.edit_current()
    assert dialog is not None
    dialog.text.setPlainText("短视频剪辑和包装")
    dialog.status.setCurrentIndex(dialog.status.findData("closed"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: any(i.text == "短视频剪辑和包装" and i.status == "closed" for i in _items(ctx.ws)),
                    timeout=TIMEOUT)
    stack.undo()
    qtbot.waitUntil(lambda: any(i.text == "可以帮忙做短视频剪辑" and i.status == "open" for i in _items(ctx.ws)),
                    timeout=TIMEOUT)


def test_bad_form_shows_the_error_on_the_field(qtbot, view: SupplyView, planted) -> None:
    ctx, ids = planted
    dialog = view.new_item("需求")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert "请先选择成员" in dialog.field_error("member_id")
    _pick(qtbot, dialog, "zlb")
    ok.click()  # no text
    qtbot.waitUntil(lambda: dialog.field_error("text") != "", timeout=TIMEOUT)
    assert "需求的内容不能为空" in dialog.field_error("text")
    assert dialog.isVisible() and ctx.undo_stack.count() == 0
    dialog.text.setPlainText("找一位法务顾问")
    dialog.has_expiry.setChecked(True)
    dialog.expires.setDate(dialog.created.date().addDays(-1))
    ok.click()
    qtbot.waitUntil(lambda: dialog.field_error("expires_on") != "", timeout=TIMEOUT)
    assert "早于发布日期" in dialog.field_error("expires_on")
    assert dialog.field_error("text") == ""
    assert len(_items(ctx.ws)) == 3
    dialog.has_expiry.setChecked(False)
    ok.click()
    qtbot.waitUntil(lambda: view.dialog is None, timeout=TIMEOUT)
    assert len(_items(ctx.ws)) == 4


def test_match_outcome_and_delete_with_undo(qtbot, view: SupplyView, planted) -> None:
    ctx, ids = planted
    stack = ctx.undo_stack
    assert view.select_item(ids["offer"])
    qtbot.waitUntil(lambda: view.matches_model.rowCount() == 1, timeout=TIMEOUT)
    assert "王设计 的供给" in view.detail_title.text()
    view.matches_table.selectRow(0)
    view.outcome_combo.setCurrentIndex(view.outcome_combo.findData("accepted"))
    view.outcome_note.setText("已加微信")
    qtbot.mouseClick(view.outcome_button, Qt.MouseButton.LeftButton)

    def statuses() -> dict[int, str]:
        return {i.id: i.status for i in _items(ctx.ws)}

    qtbot.waitUntil(lambda: statuses()[ids["offer"]] == "matched" and statuses()[ids["need"]] == "matched",
                    timeout=TIMEOUT)
    qtbot.waitUntil(lambda: view.matches_model.rowCount() == 1
                    and view.matches_model.match_at(0).outcome == "accepted", timeout=TIMEOUT)
    stack.undo()
    qtbot.waitUntil(lambda: statuses()[ids["offer"]] == "open", timeout=TIMEOUT)
    with ctx.ws.read() as s:
        assert sd.get_match(s, ids["match"]).outcome == "proposed"

    # deleting the offer takes its match along; undo brings both back
    _idle(qtbot, view)
    assert view.select_item(ids["offer"])
    view.act_delete.trigger()
    qtbot.waitUntil(lambda: ids["offer"] not in statuses(), timeout=TIMEOUT)
    with ctx.ws.read() as s:
        assert sd.list_matches(s) == []
    stack.undo()
    qtbot.waitUntil(lambda: ids["offer"] in statuses(), timeout=TIMEOUT)
    with ctx.ws.read() as s:
        assert [m.id for m in sd.list_matches(s)] == [ids["match"]]
    assert view.findChild(type(view.suggest_note.parent()), "suggested_matches") is not None


def test_suggested_matches_accept_and_undo(qtbot, view: SupplyView) -> None:
    ws = view.ctx.ws
    dev = _member(ws, "钱开发")
    boss = _member(ws, "孙店长")
    offer = _item(ws, dev, "供给", "承接微信小程序开发，做过电商和预约类", "技能", dt.date.today(), "小程序开发,外包")
    _item(ws, dev, "供给", "周末可以带大家徒步", "其他", dt.date.today(), "徒步")
    need = _item(ws, boss, "需求", "门店想做一个预约小程序，找靠谱的开发外包", "服务", dt.date.today(), "小程序,外包")
    view.ctx.notify("supply")
    _idle(qtbot, view)
    assert view.select_item(need)
    with qtbot.waitSignal(view.suggestions_loaded, timeout=TIMEOUT) as sig:
        pass
    assert sig.args[0] >= 1
    top = view._suggestions[0]
    assert top.offer_id == offer and "小程序" in top.reason
    assert all(s.offer_member_name != "孙店长" for s in view._suggestions)
    view.suggest_list.setCurrentRow(0)
    assert view.accept_button.isEnabled()
    view.accept_button.click()
    _idle(qtbot, view)
    with ws.read() as s:
        accepted = [m for m in sd.list_matches(s, need_id=need) if m.offer_id == offer]
        assert [m.outcome for m in accepted] == ["accepted"]
        assert sd.get_supply_demand(s, need).status == "matched"
    view.ctx.undo_stack.undo()
    _idle(qtbot, view)
    with ws.read() as s:
        assert [m for m in sd.list_matches(s, need_id=need) if m.offer_id == offer] == []
        assert sd.get_supply_demand(s, need).status == "open"
