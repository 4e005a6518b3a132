"""The community figures of ``sqdesk stats``, gathered from :mod:`sqdesk.analytics.community`
into one plain dict (JSON-ready) and printed as Chinese text.

Nothing is recomputed here: every number is a field of an analytics dataclass, or a sum
over them, so the CLI and the 分析 screen always agree with the charts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sqdesk.analytics import community as c
from sqdesk.core.errors import NotFoundError
from sqdesk.models import Group

DAILY_WINDOW = 7      # 日活 is averaged over the scope's last 7 days


def resolve_groups(session: Session, values: Sequence[str] | None) -> tuple[int, ...] | None:
    """Group ids from ids or names as typed on the command line (None: all groups)."""
    if not values:
        return None
    by_name = {name: int(gid) for gid, name in session.execute(select(Group.id, Group.name))}
    ids = set(by_name.values())
    out: list[int] = []
    for raw in values:
        for v in str(raw).replace("，", ",").split(","):
            v = v.strip()
            if not v:
                continue
            if v in by_name:
                out.append(by_name[v])
            elif v.lstrip("#").isdigit() and int(v.lstrip("#")) in ids:
                out.append(int(v.lstrip("#")))
            else:
                raise NotFoundError(f"没有名为「{v}」的群（可写群名或群编号）", column="--groups")
    return tuple(sorted(set(out)))


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _points(series: c.ActiveSeries) -> list[dict[str, Any]]:
    return [
        {"start": p.period.start.isoformat(), "end": p.period.end.isoformat(), "active": p.active,
         "roster": p.roster, "rate": _r(p.rate)}
        for p in series.points
    ]


def community_stats(session: Session, scope: c.Scope) -> dict[str, Any]:
    """Every community figure of the issue for one scope, as plain JSON-ready values."""
    daily_scope = c.Scope(max(scope.start, scope.end - dt.timedelta(days=DAILY_WINDOW - 1)), scope.end,
                          scope.group_ids, scope.include_staff)
    daily = c.active_series(session, daily_scope, "day")
    weekly = c.active_series(session, scope, "week")
    monthly = c.active_series(session, scope, "month")
    growth = c.growth(session, scope, "month")
    ret = c.retention(session, scope, 12)
    att = c.event_attendance(session, scope)
    lv = c.level_distribution(session, scope)
    ineq = c.participation_inequality(session, scope)
    dec = c.decentralisation(session, scope, "month")
    risk = c.backbone_risk(session, scope)

    def retention_at(k: int) -> dict[str, Any]:
        reached = [co for co in ret.cohorts if k < len(co.active) and co.active[k] is not None]
        size = sum(co.size for co in reached)
        active = sum(co.active[k] or 0 for co in reached)
        return {"cohorts": len(reached), "members": size, "active": active, "rate": _r(active / size if size else None)}

    names = {name: count for name, count in lv.counts.items()}
    return {
        "scope": {
            "from": scope.start.isoformat(), "to": scope.end.isoformat(),
            "groups": list(scope.group_ids) if scope.group_ids is not None else None,
            "include_staff": scope.include_staff,
        },
        "active": {
            "daily": _points(daily),
            "daily_average": _r(sum(p.active for p in daily.points) / len(daily.points), 2),
            "weekly": _points(weekly),
            "monthly": _points(monthly),
        },
        "growth": {
            "joins": sum(p.joins for p in growth.points),
            "leaves": sum(p.leaves for p in growth.points),
            "net": sum(p.net for p in growth.points),
            "undated_leaves": growth.undated_leaves,
            "monthly": [{"month": p.period.start.isoformat()[:7], "joins": p.joins, "leaves": p.leaves, "net": p.net}
                        for p in growth.points],
        },
        "retention": {
            "month1": retention_at(1),
            "month3": retention_at(3),
            "cohorts": [
                {"month": co.month.isoformat()[:7], "size": co.size,
                 "active": [a for a in co.active if a is not None],
                 "rates": [_r(v) for v in co.shares if v is not None]}
                for co in ret.cohorts
            ],
        },
        "attendance": {
            "events": len(att.events), "registered": att.registered, "attended": att.attended,
            "no_show": att.no_show, "attendance_rate": _r(att.attendance_rate), "no_show_rate": _r(att.no_show_rate),
        },
        "levels": {
            "as_of": lv.as_of.isoformat(), "total": lv.total, "counts": names,
            "reference": {k: {"actual": _r(a), "reference": r} for k, (a, r) in lv.reference.items()},
        },
        "inequality": {
            "talkers": ineq.talkers, "messages": ineq.total_messages, "top10_members": ineq.top10_count,
            "top10_share": _r(ineq.top10_share), "gini": _r(ineq.gini),
        },
        "decentralisation": {
            "index": _r(dec.overall.index),
            "member_messages": dec.overall.member_messages, "staff_messages": dec.overall.staff_messages,
            "groups": [
                {"id": g.group_id, "name": g.name, "index": _r(g.share.index),
                 "member_messages": g.share.member_messages, "staff_messages": g.share.staff_messages}
                for g in dec.groups
            ],
            "monthly": [{"month": p.start.isoformat()[:7], "index": _r(sh.index)} for p, sh in dec.series],
        },
        "backbone": {
            "top_n": risk.top_n, "top_share": _r(risk.top_share), "top_members": risk.top_member_ids,
            "members_for_half": risk.members_for_half, "quiet_days": risk.quiet_days,
            "quiet": [
                {"id": q.member_id, "name": q.name, "role": q.role, "level": q.level,
                 "last_active": q.last_active.isoformat(sep=" ") if q.last_active else None,
                 "rows_before": q.active_rows_before}
                for q in risk.quiet
            ],
        },
    }


def _pct(v: float | None, digits: int = 1) -> str:
    return "—" if v is None else f"{v * 100:.{digits}f}%"


def describe_stats(st: dict[str, Any]) -> str:
    """The figures as Chinese text, one topic per paragraph."""
    sc = st["scope"]
    groups = "全部群" if sc["groups"] is None else "群 " + "、".join(f"#{g}" for g in sc["groups"])
    staff = "含群主/管理员" if sc["include_staff"] else "不含群主/管理员"
    out = [f"社群数据 {sc['from']} 至 {sc['to']}（{groups}，{staff}）", ""]
    a = st["active"]
    out.append("【活跃】")
    out.append(f"  日活（最近 {len(a['daily'])} 天平均）：{a['daily_average']:g} 人")
    if a["weekly"]:
        w = a["weekly"][-1]
        avg = sum(p["active"] for p in a["weekly"]) / len(a["weekly"])
        out.append(f"  周活（最近一周 {w['start']}~{w['end']}）：{w['active']:,} / {w['roster']:,} 人，活跃率 {_pct(w['rate'])}；"
                   f"{len(a['weekly'])} 周平均 {avg:,.1f} 人")
    for m in a["monthly"]:
        out.append(f"  月活 {m['start'][:7]}：{m['active']:,} / {m['roster']:,} 人，活跃率 {_pct(m['rate'])}")
    g = st["growth"]
    out += ["", "【入群与退群】", f"  入群 {g['joins']:,} 人，退群 {g['leaves']:,} 人，净增长 {g['net']:+,} 人"]
    if g["undated_leaves"]:
        out.append(f"  另有 {g['undated_leaves']:,} 人已退出但没有退群日期")
    r = st["retention"]
    out += ["", "【留存（按入群月份）】"]
    for k, key in ((1, "month1"), (3, "month3")):
        v = r[key]
        out.append(f"  入群后第 {k} 个月仍活跃：{v['active']:,} / {v['members']:,} 人（{_pct(v['rate'])}，{v['cohorts']} 个批次）")
    for co in r["cohorts"]:
        rates = " ".join(_pct(x, 0) for x in co["rates"])
        out.append(f"  {co['month']}（{co['size']} 人）：{rates}")
    at = st["attendance"]
    out += ["", "【活动到场】",
            f"  {at['events']} 场活动，报名 {at['registered']:,} 人次，签到 {at['attended']:,}，缺席 {at['no_show']:,}；"
            f"到场率 {_pct(at['attendance_rate'])}，缺席率 {_pct(at['no_show_rate'])}"]
    lv = st["levels"]
    out += ["", f"【活跃等级】（截至 {lv['as_of']}，{lv['total']:,} 人）",
            "  " + "，".join(f"{k} {n:,}" for k, n in lv["counts"].items())]
    out.append("  与 20/50/30 参考：" + "，".join(
        f"{k} {_pct(v['actual'], 0)}（参考 {_pct(v['reference'], 0)}）" for k, v in lv["reference"].items()))
    iq = st["inequality"]
    gini = "—" if iq["gini"] is None else f"{iq['gini']:.3f}"
    out += ["", "【发言集中度】",
            f"  {iq['talkers']:,} 人发言 {iq['messages']:,.0f} 条；前 10%（{iq['top10_members']:,} 人）占 {_pct(iq['top10_share'])}；基尼系数 {gini}"]
    d = st["decentralisation"]
    out += ["", "【去中心化指数】（成员发言占比，1 = 全部来自成员）", f"  整体 {_pct(d['index'])}"]
    for grp in sorted(d["groups"], key=lambda x: (x["index"] is None, x["index"] or 0))[:10]:
        out.append(f"  {grp['name']}：{_pct(grp['index'])}（成员 {grp['member_messages']:,.0f} 条，群主/管理员 {grp['staff_messages']:,.0f} 条）")
    if len(d["groups"]) > 10:
        out.append(f"  ……共 {len(d['groups'])} 个群，以上为成员发言占比最低的 10 个")
    b = st["backbone"]
    out += ["", "【骨干风险】",
            f"  发言最多的 {b['top_n']} 人占 {_pct(b['top_share'])}；一半的发言来自 {b['members_for_half']:,} 人",
            f"  最近 {b['quiet_days']} 天沉寂的骨干：{len(b['quiet'])} 人"]
    for q in b["quiet"]:
        out.append(f"    {q['name']}（#{q['id']}，{q['role'] or q['level']}）最后参与 {q['last_active'] or '—'}，此前 {q['rows_before']} 条记录")
    return "\n".join(out)
