from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from sqdesk.core import groups
from sqdesk.core import rules_store as rs
from sqdesk.core.errors import ConflictError, NotFoundError, UserError, ValidationError
from sqdesk.core.rules_store import RuleInput
from sqdesk.models import AuditEntry, RuleVersion

T1 = dt.datetime(2024, 1, 1, 9, 0)
T2 = dt.datetime(2024, 2, 1, 9, 0)
T3 = dt.datetime(2024, 3, 1, 9, 0)
T4 = dt.datetime(2024, 4, 1, 9, 0)
T5 = dt.datetime(2024, 5, 1, 9, 0)
SEC = dt.timedelta(seconds=1)


def _texts(s, when: dt.datetime) -> list[tuple[str, str]]:
    return [(r.title, r.body) for r in rs.rules_as_of(s, when)]


def test_history_as_of_each_moment_and_delete(ws) -> None:
    with ws.write() as s:
        intro = rs.create_rule(s, RuleInput("入群自我介绍", "入群 3 天内发自我介绍。", "准入"), operator="群主", now=T1)
        ads = rs.create_rule(s, RuleInput("禁止广告", "不发广告和二维码。", "言行"), operator="群主", now=T1)
    with ws.write() as s:
        edit = intro.to_input()
        edit.body = "入群 3 天内按模板发自我介绍。"
        v2 = rs.update_rule(s, intro.id, edit, expected_version=intro.version, operator="管理员甲", now=T2)
    with ws.write() as s:
        edit.title, edit.body = "自我介绍", "入群 2 天内按模板发自我介绍，否则请出。"
        rs.update_rule(s, intro.id, edit, expected_version=v2.version, operator="管理员乙", now=T3)
    with pytest.raises(ConflictError), ws.write() as s:
        rs.update_rule(s, intro.id, edit, expected_version=v2.version, now=T3)
    with ws.write() as s:
        rs.delete_rule(s, ads.id, operator="群主", now=T4)

    with ws.read() as s:
        assert _texts(s, T1 - SEC) == []
        assert _texts(s, T1) == [("入群自我介绍", "入群 3 天内发自我介绍。"), ("禁止广告", "不发广告和二维码。")]
        assert _texts(s, T2 - SEC)[0] == ("入群自我介绍", "入群 3 天内发自我介绍。")
        assert _texts(s, T2)[0] == ("入群自我介绍", "入群 3 天内按模板发自我介绍。")
        assert _texts(s, T3 + SEC)[0] == ("自我介绍", "入群 2 天内按模板发自我介绍，否则请出。")
        # The deleted rule is in force until the moment of deletion, gone after.
        assert ("禁止广告", "不发广告和二维码。") in _texts(s, T4 - SEC)
        assert [t for t, _ in _texts(s, T4)] == ["自我介绍"]
        history = rs.rule_history(s, intro.id)
        assert [(h.revision, h.author, h.valid_from) for h in history] == [
            (1, "群主", T1), (2, "管理员甲", T2), (3, "管理员乙", T3)]
        assert [r.id for r in rs.list_rules(s)] == [intro.id]
        gone = rs.get_rule(s, ads.id)
        assert gone.deleted and not gone.enabled and gone.revision == 2 and gone.changed_at == T4
        assert "禁止广告" in rs.published_text(s, T3) and "禁止广告" not in rs.published_text(s, T5)
    with pytest.raises(NotFoundError), ws.write() as s:
        rs.update_rule(s, ads.id, ads.to_input())

    with ws.write() as s:
        back = rs.restore_rule(s, ads.id, operator="群主", now=T5)
    assert not back.deleted and back.enabled and back.revision == 3
    with ws.read() as s:
        assert [t for t, _ in _texts(s, T5)] == ["自我介绍", "禁止广告"]
        assert [t for t, _ in _texts(s, T4 + SEC)] == ["自我介绍"]
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "rule").order_by(AuditEntry.id)))
    assert actions == ["create", "create", "update", "update", "delete", "restore"]


def test_published_text_numbered_by_category(ws) -> None:
    with ws.write() as s:
        rs.create_rule(s, RuleInput("连续 30 天不发言", "系统提醒后 7 天内仍未发言的，移出本群。", "清退"), now=T1)
        rs.create_rule(s, RuleInput("禁止广告", "", "言行"), now=T1)
        rs.create_rule(s, RuleInput("实名", "群昵称改为 姓名-城市-行业。\n例如：张三-杭州-设计", "准入"), now=T1)
        rs.create_rule(s, RuleInput("分享之星", "每月分享最多的三位获赠书。", "激励"), now=T1)
        off = rs.create_rule(s, RuleInput("禁止语音", "", "言行", enabled=False), now=T1)
        rs.create_rule(s, RuleInput("友善交流", "对事不对人。", "言行", position=0), now=T1)
    with ws.read() as s:
        text = rs.published_text(s, T2)
        assert [r.title for r in rs.list_rules(s)] == ["友善交流", "连续 30 天不发言", "禁止广告", "实名", "分享之星", "禁止语音"]
        assert [r.title for r in rs.list_rules(s, include_disabled=False, category="言行")] == ["友善交流", "禁止广告"]
    assert text == "\n".join([
        "群规（截至 2024-02-01）",
        "",
        "一、准入",
        "1. 实名",
        "   群昵称改为 姓名-城市-行业。",
        "   例如：张三-杭州-设计",
        "",
        "二、言行",
        "2. 友善交流",
        "   对事不对人。",
        "3. 禁止广告",
        "",
        "三、清退",
        "4. 连续 30 天不发言",
        "   系统提醒后 7 天内仍未发言的，移出本群。",
        "",
        "四、激励",
        "5. 分享之星",
        "   每月分享最多的三位获赠书。",
    ])
    with ws.write() as s:
        order = rs.move_rule(s, off.id, 0)
        ads = next(r for r in order if r.title == "禁止广告")
        before = rs.get_rule(s, ads.id).version
        rs.move_rule(s, ads.id, 99)
    assert [r.title for r in order][:2] == ["禁止语音", "友善交流"]
    with ws.read() as s:
        titles = [r.title for r in rs.list_rules(s)]
        assert titles[-1] == "禁止广告" and [r.position for r in rs.list_rules(s)] == list(range(6))
        # Moving is layout: no new revision, no version bump, text unchanged apart from order.
        assert rs.get_rule(s, ads.id).version == before
        assert s.scalar(select(func.count()).select_from(RuleVersion)) == 6
        assert rs.published_text(s, T2).index("友善交流") < rs.published_text(s, T2).index("禁止广告")
        assert "暂无生效的群规" in rs.published_text(s, T1 - SEC)


class _Bad(UserError):
    pass


def _checker(condition: str) -> None:
    if "==" in condition and '"' not in condition:
        raise _Bad("第 1 行第 9 字：比较文字时请加引号")
    if condition.startswith("?"):
        raise ValueError("意外的符号「?」")


def test_validation_and_condition_hook(ws) -> None:
    with ws.write() as s:
        g = groups.create_group(s, "杭州一群").id
    cases = [
        (RuleInput(" "), "标题", "不能为空"),
        (RuleInput("x", category="其他"), "类别", "应为"),
        (RuleInput("x", condition="role == 成员", action="提醒"), "条件", "请加引号"),
        (RuleInput("x", condition="? 1"), "条件", "意外的符号"),
        (RuleInput("x", action="清退"), "条件", "没有写条件"),
        (RuleInput("x", condition='role == "成员"', action="打标签"), "动作参数", "标签名"),
        (RuleInput("x", condition='role == "成员"', action="拉黑"), "处理动作", "应为"),
        (RuleInput("x", grace_days=-1), "宽限天数", "不小于 0"),
        (RuleInput("x", all_groups=False), "适用的群", "请选择"),
        (RuleInput("x", all_groups=False, group_ids=[g + 100]), "适用的群", "不存在"),
    ]
    for data, column, needle in cases:
        with pytest.raises(ValidationError) as err, ws.write() as s:
            rs.save_rule(s, None, data, validate_condition=_checker)
        assert err.value.column == column and needle in str(err.value), (data, str(err.value))

    with ws.write() as s:
        rule = rs.save_rule(s, None, RuleInput(
            "潜水提醒", "30 天未发言会收到提醒。", "清退", all_groups=False, group_ids=[g],
            condition='inactive_days >= 30 and role == "成员"', action="提醒", grace_days=7,
        ), validate_condition=_checker, now=T1)
    assert (rule.group_names, rule.revision, rule.grace_days) == (("杭州一群",), 1, 7)
    with ws.write() as s:
        same = rs.save_rule(s, rule.id, rule.to_input(), expected_version=rule.version, now=T2)
        assert same.revision == 1 and same.version == rule.version  # nothing changed, no revision
        wider = rule.to_input()
        wider.all_groups = True
        changed = rs.save_rule(s, rule.id, wider, expected_version=rule.version, now=T2, operator="群主")
    assert changed.revision == 2 and changed.group_ids == () and changed.all_groups and changed.changed_by == "群主"


def test_history_records_scope_action_details_and_deleted_mark(ws) -> None:
    t0 = dt.datetime(2025, 1, 1, 9)
    with ws.write() as s:
        g = groups.create_group(s, "杭州一群")
        rule = rs.create_rule(s, RuleInput("潜水提醒", "30 天未发言会收到提醒", "清退",
                                           condition="inactive_days >= 30", action="提醒"), now=t0)
        rs.update_rule(s, rule.id, RuleInput("潜水提醒", "30 天未发言会收到提醒", "清退", all_groups=False,
                                             group_ids=[g.id], condition="inactive_days >= 30",
                                             action="打标签", action_arg="潜水", grace_days=5),
                       now=t0 + dt.timedelta(days=1))
        rs.delete_rule(s, rule.id, now=t0 + dt.timedelta(days=2))
    with ws.read() as s:
        hist = rs.rule_history(s, rule.id)
        assert [(h.all_groups, h.group_ids, h.action_arg, h.grace_days) for h in hist] == [
            (True, (), "", 0), (False, (g.id,), "潜水", 5), (False, (g.id,), "潜水", 5)]
        assert rs.get_rule(s, rule.id).deleted and rs.list_rules(s) == []
        assert [v.title for v in rs.rules_as_of(s, t0 + dt.timedelta(days=1, hours=1))] == ["潜水提醒"]
        assert rs.rules_as_of(s, t0 + dt.timedelta(days=3)) == []
    with ws.write() as s:
        back = rs.restore_rule(s, rule.id, now=t0 + dt.timedelta(days=4))
    assert not back.deleted and back.enabled and back.position == 0
