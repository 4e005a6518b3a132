"""End to end on a small community with planted rule-breakers: the starter rules must
catch exactly the planted members; confirming acts and undo takes it back."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import func, insert, select, update

from sqdesk.core.errors import ConflictError, ValidationError
from sqdesk.core.rules_store import RuleInput, create_rule, published_text, rule_history
from sqdesk.core.workspace import Workspace
from sqdesk.models import (
    Activity,
    AuditEntry,
    Event,
    Group,
    Member,
    Membership,
    Registration,
    Rule,
    Tag,
    member_tags,
    rule_groups,
)
from sqdesk.models.base import table_of
from sqdesk.rules.engine import (
    GRACE_STAGE,
    REPEAT_AFTER_DAYS,
    confirm_actions,
    dry_run,
    todo_list,
    undo_confirm,
)
from sqdesk.rules.lang import validate_condition
from sqdesk.rules.templates import STARTER_RULES, install_starter_rules

AS_OF = dt.date(2025, 6, 30)
TALK = [("发言", 2, 1.0)]  # a message two days ago: active, not a rule-breaker

# name: (member fields, activity rows (kind, days before AS_OF, value))
PEOPLE: dict[str, tuple[dict[str, Any], list[tuple[str, int, float]]]] = {
    "群主甲": ({"role": "群主"}, TALK),
    "新人乙": ({"joined": 5, "intro": ""}, TALK),             # intro rule
    "新人丙": ({"joined": 2, "intro": ""}, TALK),             # too new to be reminded
    "新人丁": ({"joined": 3, "intro": ""}, TALK),             # intro rule (boundary)
    "沉默戊": ({}, [("发言", 35, 1.0)]),                      # 30-day reminder
    "安静己": ({}, [("发言", 29, 1.0)]),                      # not yet 30 days
    "管理庚": ({"role": "管理员"}, [("发言", 45, 1.0)]),       # admins are not reminded
    "沉默辛": ({}, [("发言", 59, 1.0)]),                      # 30-day reminder (boundary)
    "沉默壬": ({}, [("发言", 60, 1.0)]),                      # 60-day candidate
    "潜水癸": ({"joined": 100}, []),                          # never spoke: 60-day candidate
    "违规子": ({}, [*TALK, ("违规", 1, 1), ("违规", 5, 1), ("违规", 29, 1)]),  # 清退
    "违规丑": ({}, [*TALK, ("违规", 1, 1), ("违规", 5, 1), ("违规", 30, 1)]),  # one is too old
    "积极寅": ({}, [*TALK, ("发言", 10, 49.0)]),               # 3 events + 50 messages → 骨干
    "积极卯": ({}, [*TALK, ("发言", 10, 48.0)]),               # 49 messages
    "骨干辰": ({"role": "骨干"}, [*TALK, ("发言", 10, 60.0)]),  # already 骨干
    "付费巳": ({"paid": 7}, TALK),                             # renewal reminder
    "付费午": ({"paid": 8}, TALK),
    "付费未": ({"paid": 0}, TALK),                             # renewal reminder (expires today)
    "付费申": ({"paid": -1}, TALK),                            # already expired
    "退出酉": ({"status": "已退出", "joined": 100, "intro": ""}, []),  # gone: no rule applies
}
ATTENDEES = ("积极寅", "积极卯", "骨干辰")

EXPECTED = {
    "新成员 3 天内自我介绍": {"新人乙", "新人丁"},
    "30 天未发言提醒": {"沉默戊", "沉默辛"},
    "60 天未发言列入清退候选": {"沉默壬", "潜水癸"},
    "30 天内违规 3 次清退": {"违规子"},
    "活跃成员升为骨干": {"积极寅"},
    "付费到期前 7 天提醒续费": {"付费巳", "付费未"},
}


def at(days_before: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(AS_OF - dt.timedelta(days=days_before), dt.time(hour))


def build_world(ws: Workspace) -> dict[str, int]:
    ids: dict[str, int] = {}
    with ws.write() as s:
        s.execute(insert(table_of(Group)), [{"name": "杭州一群"}, {"name": "上海群"}])
        hz, sh = s.scalars(select(Group.id).order_by(Group.id)).all()
        for name, (fields, _acts) in PEOPLE.items():
            joined = AS_OF - dt.timedelta(days=fields.get("joined", 200))
            paid = fields.get("paid")
            mid = s.execute(
                insert(table_of(Member)).values(
                    display_name=name, role=fields.get("role", "成员"), status=fields.get("status", "在群"),
                    intro=fields.get("intro", "大家好，我做产品设计"), joined_on=joined,
                    paid_until=AS_OF + dt.timedelta(days=paid) if paid is not None else None,
                ).returning(Member.id)
            ).scalar_one()
            ids[name] = mid
            group = hz if fields.get("joined", 200) <= 10 else sh
            s.execute(insert(table_of(Membership)).values(member_id=mid, group_id=group, joined_on=joined))
        rows = [
            {"member_id": ids[name], "kind": kind, "occurred_at": at(days), "value": value, "source": "import"}
            for name, (_f, acts) in PEOPLE.items()
            for kind, days, value in acts
        ]
        s.execute(insert(table_of(Activity)), rows)
        for k, days in enumerate((10, 20, 30)):
            eid = s.execute(insert(table_of(Event)).values(
                title=f"分享会{k}", starts_at=at(days, 19), ends_at=at(days, 21), status="已结束",
            ).returning(Event.id)).scalar_one()
            s.execute(insert(table_of(Registration)), [
                {"event_id": eid, "member_id": ids[n], "status": "已签到", "registered_at": at(days + 3)}
                for n in ATTENDEES
            ])
    return ids


def caught_by_title(results: list[Any]) -> dict[str, set[str]]:
    return {r.title: {m.display_name for m in r.members} for r in results}


def counts(ws: Workspace) -> tuple[int, ...]:
    with ws.read() as s:
        return tuple(
            int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in (Activity, Member, AuditEntry, member_tags, Rule)
        ) + (int(s.scalar(select(func.sum(Member.version))) or 0),)


def test_starter_rules_catch_exactly_the_planted_members(ws: Workspace) -> None:
    ids = build_world(ws)
    with ws.write() as s:
        new = install_starter_rules(s, "测试员")
        assert len(new) == len(STARTER_RULES)
        assert install_starter_rules(s, "测试员") == []  # idempotent by title
        assert [len(rule_history(s, rid)) for rid in new] == [1] * len(new)
        assert "禁止在群内发广告" in published_text(s)
    before = counts(ws)
    with ws.read() as s:
        results = dry_run(s, AS_OF)
    assert counts(ws) == before  # a dry run writes nothing
    assert caught_by_title(results) == EXPECTED  # 禁止广告 has no condition: not evaluated
    by_title = {r.title: r for r in results}
    silent = {m.display_name: m for m in by_title["30 天未发言提醒"].members}
    assert silent["沉默戊"].values == {"inactive_days": 35, "role": "成员"}
    assert silent["沉默辛"].member_id == ids["沉默辛"]
    assert "未发言天数 = 59" in silent["沉默辛"].reason()
    promoted = by_title["活跃成员升为骨干"].members[0]
    assert promoted.values == {"attended_90d": 3, "messages_90d": 50, "role": "成员"}
    # evidence on request: the rows behind each figure
    with ws.read() as s:
        detailed = dry_run(s, AS_OF, rule_ids=[by_title["30 天内违规 3 次清退"].rule_id], with_evidence=True)
    rows = detailed[0].members[0].evidence["violations_30d"]
    assert [r.kind for r in rows] == ["违规"] * 3
    assert sorted(r.at for r in rows if r.at) == [at(29), at(5), at(1)]


def test_confirm_then_undo_a_removal(ws: Workspace) -> None:
    ids = build_world(ws)
    with ws.write() as s:
        install_starter_rules(s, "测试员")
    with ws.read() as s:
        todo = todo_list(s, AS_OF)
    removal = [t for t in todo if t.action == "清退"]
    assert [(t.member_name, t.stage, t.due_on) for t in removal] == [("违规子", "执行", AS_OF)]
    assert len(todo) == sum(len(v) for v in EXPECTED.values())
    before = counts(ws)
    moment = dt.datetime.combine(AS_OF, dt.time(12))
    with ws.write() as s:
        result = confirm_actions(s, removal, "测试员", at=moment)
    assert len(result.activity_ids) == 1 and not result.skipped
    with ws.read() as s:
        assert s.scalar(select(Member.status).where(Member.id == ids["违规子"])) == "已清退"
        line = s.execute(select(Activity.kind, Activity.note, Activity.source, Activity.occurred_at)
                         .where(Activity.id == result.activity_ids[0])).one()
        assert line.kind == "清退" and line.source == "system" and line.occurred_at == moment
        assert "30 天内违规 3 次清退" in line.note and "近30天违规 = 3" in line.note
        after = todo_list(s, AS_OF)
        # the removed member has left every rule's list (rules look at 在群 members)
        assert "违规子" not in {t.member_name for t in after}
        assert len(after) == len(todo) - 1
    with ws.write() as s:  # someone re-admits the member meanwhile: undo must not clobber it
        s.execute(update(Member).where(Member.id == ids["违规子"]).values(status="在群"))
    with pytest.raises(ConflictError, match="违规子"), ws.write() as s:
        undo_confirm(s, result, "测试员")
    with ws.write() as s:
        s.execute(update(Member).where(Member.id == ids["违规子"]).values(status="已清退"))
    with ws.write() as s:
        undo_confirm(s, result, "测试员")
    restored = counts(ws)
    assert restored[:2] == before[:2] and restored[3:5] == before[3:5]
    with ws.read() as s:
        assert s.scalar(select(Member.status).where(Member.id == ids["违规子"])) == "在群"
        assert [t.member_name for t in todo_list(s, AS_OF) if t.action == "清退"] == ["违规子"]
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "rule")))
        assert "rule_confirm" in actions and "rule_undo" in actions


def test_promotion_and_reminders_leave_the_list_and_reminders_come_back(ws: Workspace) -> None:
    ids = build_world(ws)
    with ws.write() as s:
        install_starter_rules(s, "测试员")
    with ws.read() as s:
        todo = todo_list(s, AS_OF)
    pick = [t for t in todo if t.action == "升为骨干" or t.rule_title == "新成员 3 天内自我介绍"]
    assert {t.member_name for t in pick} == {"积极寅", "新人乙", "新人丁"}
    with ws.write() as s:
        result = confirm_actions(s, pick + pick[:1], "测试员", at=dt.datetime.combine(AS_OF, dt.time(12)))
    assert [reason for _, reason in result.skipped] == ["重复的待办"]
    assert result.member_before == {ids["积极寅"]: {"role": "成员"}}
    with ws.read() as s:
        assert s.scalar(select(Member.role).where(Member.id == ids["积极寅"])) == "骨干"
        kinds = dict(s.execute(select(Activity.member_id, Activity.kind).where(Activity.id.in_(result.activity_ids))).all())
        assert kinds == {ids["积极寅"]: "备注", ids["新人乙"]: "提醒", ids["新人丁"]: "提醒"}
        names = {t.member_name for t in todo_list(s, AS_OF)}
        assert names.isdisjoint({"积极寅", "新人乙", "新人丁"})
        # a reminder is not repeated for REPEAT_AFTER_DAYS days, then comes back
        later = AS_OF + dt.timedelta(days=REPEAT_AFTER_DAYS + 1)
        again = {t.member_name for t in todo_list(s, later) if t.rule_title == "新成员 3 天内自我介绍"}
        assert again == {"新人乙", "新人丁", "新人丙"}
    with ws.write() as s:  # confirming the same items again is refused, not doubled
        twice = confirm_actions(s, pick, "测试员", at=dt.datetime.combine(AS_OF, dt.time(13)))
    assert twice.activity_ids == [] and {r for _, r in twice.skipped} == {"最近已处理过"}


def _add_rule(ws: Workspace, **values: Any) -> int:
    with ws.write() as s:
        return int(s.execute(insert(table_of(Rule)).values(
            title=values.pop("title"), body="", category="言行", **values
        ).returning(Rule.id)).scalar_one())


def test_grace_period_reminds_first_then_acts_when_due(ws: Workspace) -> None:
    ids = build_world(ws)
    rid = _add_rule(ws, title="违规即警告", condition="violations_30d >= 1", action="警告", grace_days=7)
    with ws.read() as s:
        first = todo_list(s, AS_OF)
    assert {(t.member_name, t.action, t.stage) for t in first} == {
        ("违规子", "提醒", GRACE_STAGE), ("违规丑", "提醒", GRACE_STAGE)
    }
    with ws.write() as s:
        confirm_actions(s, first, "测试员", at=dt.datetime.combine(AS_OF, dt.time(9)))
        note = s.scalar(select(Activity.note).where(Activity.member_id == ids["违规子"], Activity.kind == "提醒"))
    assert note is not None and note.startswith(f"[群规#{rid}]") and "7 天后仍符合将警告" in note
    with ws.read() as s:
        assert todo_list(s, AS_OF + dt.timedelta(days=6)) == []  # 宽限中
        caught = {m.display_name for m in dry_run(s, AS_OF + dt.timedelta(days=6))[0].members}
        assert caught == {"违规子", "违规丑"}  # the dry run still shows who the rule catches
        due = todo_list(s, AS_OF + dt.timedelta(days=7))
    assert {(t.member_name, t.action, t.stage, t.due_on) for t in due} == {
        (n, "警告", "执行", AS_OF + dt.timedelta(days=7)) for n in ("违规子", "违规丑")
    }
    # a fresh violation keeps one of them caught; the other's violations age out
    with ws.write() as s:
        s.execute(insert(table_of(Activity)), [
            {"member_id": ids["违规子"], "kind": "违规", "occurred_at": at(-5), "source": "manual"}
        ])
    with ws.read() as s:
        late = todo_list(s, AS_OF + dt.timedelta(days=30))
    assert [(t.member_name, t.action, t.due_on) for t in late] == [("违规子", "警告", AS_OF + dt.timedelta(days=7))]


def test_group_scope_tagging_and_undo(ws: Workspace) -> None:
    ids = build_world(ws)
    rid = _add_rule(ws, title="杭州新人打标签", condition="days_since_join <= 10", action="打标签",
                    action_arg="杭州新人", all_groups=False)
    with ws.write() as s:
        hz = s.scalar(select(Group.id).where(Group.name == "杭州一群"))
        s.execute(insert(rule_groups).values(rule_id=rid, group_id=hz))
        # one newcomer already carries the tag: tagging them again would change nothing
        tid = s.execute(insert(table_of(Tag)).values(name="杭州新人").returning(Tag.id)).scalar_one()
        s.execute(insert(member_tags).values(member_id=ids["新人丙"], tag_id=tid))
    with ws.read() as s:
        results = dry_run(s, AS_OF)
        todo = todo_list(s, AS_OF, results=results)
    assert caught_by_title(results) == {"杭州新人打标签": {"新人乙", "新人丙", "新人丁"}}
    assert {t.member_name for t in todo} == {"新人乙", "新人丁"}
    with ws.write() as s:
        result = confirm_actions(s, todo, "测试员", at=dt.datetime.combine(AS_OF, dt.time(12)))
    assert sorted(result.tag_pairs) == sorted([(ids["新人乙"], tid), (ids["新人丁"], tid)])
    with ws.write() as s:
        undo_confirm(s, result, "测试员")
    with ws.read() as s:
        tagged = set(s.scalars(select(member_tags.c.member_id).where(member_tags.c.tag_id == tid)))
        assert tagged == {ids["新人丙"]}
        assert s.scalar(select(func.count()).select_from(Activity).where(Activity.source == "system")) == 0


def test_a_broken_stored_condition_is_reported_and_the_others_still_run(ws: Workspace) -> None:
    build_world(ws)
    _add_rule(ws, title="坏规则", condition="inactiv_days >= 3", action="提醒")
    _add_rule(ws, title="停用的", condition="has_intro", action="提醒", enabled=False)
    _add_rule(ws, title="违规", condition="近30天违规 >= 3", action="清退")
    with ws.read() as s:
        results = dry_run(s, AS_OF)
        assert [r.title for r in results] == ["坏规则", "违规"]
        assert results[0].error == "第 1 行第 1 列：未知的变量「inactiv_days」，是不是「inactive_days」？"
        assert {m.display_name for m in results[1].members} == {"违规子"}
        assert [t.member_name for t in todo_list(s, AS_OF, results=results)] == ["违规子"]
    with ws.write() as s:
        s.execute(update(Rule).values(enabled=False))
    with ws.read() as s:
        assert dry_run(s, AS_OF) == [] and todo_list(s, AS_OF) == []


def test_cli_rules_check_prints_the_dry_run(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from sqdesk.rules.cli import add_rules_parser

    build_world(ws)
    with ws.write() as s:
        install_starter_rules(s, "测试员")
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    add_rules_parser(sub)
    target = ["--workspace", str(ws.path)] if ws.path else ["--db", ws.engine.url.render_as_string(hide_password=False)]
    args = parser.parse_args(["rules", "check", *target, "--as-of", AS_OF.isoformat(), "--json"])
    assert args.handler(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert {r["title"]: {m["name"] for m in r["members"]} for r in data["rules"]} == EXPECTED
    args = parser.parse_args(["rules", "check", *target, "--as-of", AS_OF.isoformat()])
    assert args.handler(args) == 0
    text = capsys.readouterr().out
    assert "30 天内违规 3 次清退" in text and "违规子" in text and "近30天违规 = 3" in text


def test_the_rule_store_refuses_a_condition_with_the_place_of_the_mistake(ws: Workspace) -> None:
    with ws.write() as s, pytest.raises(ValidationError) as info:
        create_rule(s, RuleInput(title="不活跃", condition="inactive_days >= ", action="提醒"),
                    operator="测试员", validate_condition=validate_condition)
    assert str(info.value) == "「条件」列：第 1 行第 17 列：这里缺少一个数值"  # trailing blank trimmed by the store
