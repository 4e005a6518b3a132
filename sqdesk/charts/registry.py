"""The one list of charts the CLI, the 分析 screen, the 总览 dashboard and exports share.

``CHARTS[name]`` is a :class:`ChartSpec`: a Chinese title, ``compute(session, scope)``
returning the analytics dataclass (run it on a worker thread / in the CLI),
``draw(data, translate=…)`` building the Figure (no database; Chinese unless given the
UI's ``translate``, see :mod:`sqdesk.charts.i18n`), and ``evidence(session, scope, data,
key)`` turning a clicked :class:`~sqdesk.charts.base.DrillKey` into the rows behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from matplotlib.figure import Figure
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sqdesk.analytics import community as c
from sqdesk.analytics._sql import chunks
from sqdesk.charts import figures
from sqdesk.charts.base import DrillKey
from sqdesk.charts.i18n import Translate
from sqdesk.core.errors import ValidationError
from sqdesk.models import Activity, Event, Member

# Scopes longer than this are shown by month rather than by week in growth/decentralisation.
WEEKLY_UP_TO_DAYS = 26 * 7
# The default 打卡 window when the scope holds no 打卡 event: its last 30 days.
CHECKIN_WINDOW_DAYS = 30


class Draw(Protocol):
    def __call__(self, data: Any, *, title: str | None = ..., translate: Translate = ...) -> Figure: ...


@dataclass(frozen=True)
class ChartSpec:
    name: str
    title: str
    description: str
    compute: Callable[[Session, c.Scope], Any]
    draw: Draw
    evidence: Callable[[Session, c.Scope, Any, DrillKey], c.Evidence]


def _unit(scope: c.Scope) -> c.Unit:
    return "week" if (scope.end - scope.start).days < WEEKLY_UP_TO_DAYS else "month"


# ---- compute -----------------------------------------------------------------------------------

def compute_weekly_active(session: Session, scope: c.Scope) -> c.ActiveSeries:
    return c.active_series(session, scope, "week")


def compute_growth(session: Session, scope: c.Scope) -> c.Growth:
    return c.growth(session, scope, _unit(scope))


def compute_retention(session: Session, scope: c.Scope) -> c.Retention:
    return c.retention(session, scope, 12)


def compute_decentralisation(session: Session, scope: c.Scope) -> c.Decentralisation:
    return c.decentralisation(session, scope, _unit(scope))


def compute_streaks(session: Session, scope: c.Scope) -> figures.Campaign:
    """The latest 打卡 event starting in the scope (not cancelled); without one, the
    scope's last 30 days of 签到 (a campaign without a title)."""
    conds: list[Any] = [Event.kind == "打卡", Event.status != "已取消",
                        Event.starts_at >= scope.start_dt, Event.starts_at < scope.end_dt]
    row = session.execute(
        select(Event.id, Event.title).where(*conds).order_by(Event.starts_at.desc(), Event.id.desc()).limit(1)
    ).first()
    if row is not None:
        surv = c.checkin_survival_for_event(session, int(row[0]), include_staff=scope.include_staff)
        if scope.group_ids is not None:
            # The campaign's own groups, narrowed to the chosen ones.
            surv = c.checkin_survival(session, surv.start, surv.end, group_ids=scope.group_ids,
                                      include_staff=scope.include_staff)
        return figures.Campaign(str(row[1]), surv, int(row[0]))
    start = max(scope.start, scope.end - dt.timedelta(days=CHECKIN_WINDOW_DAYS - 1))
    surv = c.checkin_survival(session, start, scope.end, group_ids=scope.group_ids,
                              include_staff=scope.include_staff)
    return figures.Campaign(None, surv)


# ---- evidence ----------------------------------------------------------------------------------

def _members_evidence(ids: Sequence[int]) -> c.Evidence:
    return c.Evidence(sorted(ids))


def _ev_weekly_active(s: Session, scope: c.Scope, _d: Any, key: DrillKey) -> c.Evidence:
    start, end = key.args
    return c.active_evidence(s, scope, start, end)


def _ev_growth(s: Session, scope: c.Scope, _d: Any, key: DrillKey) -> c.Evidence:
    start, end = key.args
    ev = c.growth_evidence(s, scope, start, end)
    return _members_evidence(ev.joined if key.kind == "joined" else ev.left)


def _ev_retention(s: Session, scope: c.Scope, _d: Any, key: DrillKey) -> c.Evidence:
    month, k = key.args
    return c.retention_evidence(s, scope, month, k)


def _ev_levels(_s: Session, _scope: c.Scope, data: c.LevelDistribution, key: DrillKey) -> c.Evidence:
    return _members_evidence([m for lv in key.args for m in data.member_ids[lv]])


def _ev_decentralisation(s: Session, scope: c.Scope, _d: Any, key: DrillKey) -> c.Evidence:
    if key.kind == "group":
        gid, staff = key.args
        if gid is None:
            # Talk recorded without a group: only the staff/member split can narrow it.
            ev = c.decentralisation_evidence(s, scope, staff=staff)
            rows = [
                r for part in chunks(ev.activity_ids)
                for r in s.execute(select(Activity.id, Activity.member_id).where(
                    Activity.id.in_(list(part)), Activity.group_id.is_(None)))
            ]
            return c.Evidence(sorted({int(r[1]) for r in rows}), sorted(int(r[0]) for r in rows))
        return c.decentralisation_evidence(s, scope, group_id=gid, staff=staff)
    start, end = key.args
    return c.decentralisation_evidence(s, scope, start=start, end=end)


def _ev_heatmap(s: Session, scope: c.Scope, _d: Any, key: DrillKey) -> c.Evidence:
    wd, hr = key.args
    return c.heatmap_evidence(s, scope, wd, hr)


def _ev_inviters(_s: Session, _scope: c.Scope, data: list[c.InviterQuality], key: DrillKey) -> c.Evidence:
    (inviter,) = key.args
    q = next(q for q in data if q.inviter_id == inviter)
    ids = {"invited": q.invitee_ids, "stayed": q.stayed_ids, "active": q.active_ids}[key.kind]
    return _members_evidence(ids)


def _ev_attendance(s: Session, scope: c.Scope, _d: Any, key: DrillKey) -> c.Evidence:
    event_id, status = key.args
    return c.attendance_evidence(s, scope, event_id, (status,))


def _ev_inequality(s: Session, scope: c.Scope, data: c.Inequality, key: DrillKey) -> c.Evidence:
    top = set(data.top_member_ids)
    ids = data.top_member_ids if key.kind == "top" else [m for m in data.counts if m not in top]
    return c.message_evidence(s, scope, ids)


def _ev_backbone(s: Session, scope: c.Scope, data: c.BackboneRisk, key: DrillKey) -> c.Evidence:
    ids = data.top_member_ids if key.kind == "top" else list(key.args)
    return c.message_evidence(s, scope, ids)


def _ev_streaks(s: Session, _scope: c.Scope, data: figures.Campaign, key: DrillKey) -> c.Evidence:
    (k,) = key.args
    return c.survival_evidence(s, data.survival, k, streak=key.kind == "streak")


CHARTS: dict[str, ChartSpec] = {
    spec.name: spec
    for spec in (
        ChartSpec("weekly_active", "每周活跃", "每周活跃成员数与活跃率（活跃成员 / 当周在群成员）",
                  compute_weekly_active, figures.weekly_active, _ev_weekly_active),
        ChartSpec("growth", "入群与退群", "每周（长时段按月）入群、退群人数与净增长",
                  compute_growth, figures.growth, _ev_growth),
        ChartSpec("retention", "留存", "按入群月份分组，入群后每个月仍活跃的比例",
                  compute_retention, figures.retention, _ev_retention),
        ChartSpec("levels", "等级分布", "核心/活跃/一般/潜水/沉默的人数，与 20/50/30 参考比较",
                  c.level_distribution, figures.levels, _ev_levels),
        ChartSpec("decentralisation", "去中心化", "发言中来自普通成员（而非群主/管理员）的比例，分群、随时间",
                  compute_decentralisation, figures.decentralisation, _ev_decentralisation),
        ChartSpec("heatmap", "发言时段", "按星期与小时统计的发言量热力图",
                  c.activity_heatmap, figures.heatmap, _ev_heatmap),
        ChartSpec("inviters", "邀请人质量", "每位邀请人拉来的新成员：留下多少、参与多少",
                  c.inviter_quality, figures.inviters, _ev_inviters),
        ChartSpec("attendance", "活动到场", "每场活动的签到、缺席与未签到人数",
                  c.event_attendance, figures.attendance, _ev_attendance),
        ChartSpec("inequality", "发言集中度", "洛伦兹曲线与基尼系数，前 10% 成员的发言占比",
                  c.participation_inequality, figures.inequality, _ev_inequality),
        ChartSpec("backbone", "骨干风险", "发言依赖少数人的程度，以及最近沉寂的骨干",
                  c.backbone_risk, figures.backbone, _ev_backbone),
        ChartSpec("streaks", "打卡坚持", "打卡活动中连续打卡与仍在打卡的比例（生存曲线）",
                  compute_streaks, figures.streaks, _ev_streaks),
    )
}

# The four on the 总览 dashboard.
DASHBOARD_CHARTS: tuple[str, ...] = ("weekly_active", "growth", "retention", "levels")


def chart_spec(name: str) -> ChartSpec:
    spec = CHARTS.get(name)
    if spec is None:
        raise ValidationError(f"没有名为「{name}」的图表；可用：{'、'.join(CHARTS)}", column="图表")
    return spec


def default_scope(today: dt.date | None = None, *, group_ids: Sequence[int] | None = None) -> c.Scope:
    """Six calendar months ending today: the default period of the CLI and the 分析 screen."""
    end = today or dt.date.today()
    m = end.year * 12 + end.month - 1 - 5
    return c.Scope(dt.date(m // 12, m % 12 + 1, 1), end, tuple(group_ids) if group_ids is not None else None)


# ---- the people behind a drill-down -------------------------------------------------------------

@dataclass(frozen=True)
class MemberRow:
    member_id: int
    name: str
    role: str
    level: str
    status: str
    joined_on: dt.date | None
    rows: int           # evidence activity/registration rows of this member


def evidence_members(session: Session, evidence: c.Evidence, limit: int | None = None) -> list[MemberRow]:
    """The members behind an evidence (in id order), with how many of its rows are theirs."""
    per_member: dict[int, int] = {}
    if evidence.activity_ids:
        for part in chunks(evidence.activity_ids):
            for mid, n in session.execute(
                select(Activity.member_id, func.count()).where(Activity.id.in_(list(part))).group_by(Activity.member_id)
            ):
                per_member[int(mid)] = per_member.get(int(mid), 0) + int(n)
    if evidence.registration_ids:
        from sqdesk.models import Registration

        for part in chunks(evidence.registration_ids):
            for mid, n in session.execute(
                select(Registration.member_id, func.count())
                .where(Registration.id.in_(list(part))).group_by(Registration.member_id)
            ):
                per_member[int(mid)] = per_member.get(int(mid), 0) + int(n)
    ids = evidence.member_ids[:limit] if limit is not None else evidence.member_ids
    out: list[MemberRow] = []
    for part in chunks(ids):
        for r in session.execute(
            select(Member.id, Member.display_name, Member.role, Member.level, Member.status, Member.joined_on)
            .where(Member.id.in_(list(part)))
        ):
            out.append(MemberRow(int(r[0]), r[1], r[2] or "", r[3] or "", r[4] or "", r[5], per_member.get(int(r[0]), 0)))
    out.sort(key=lambda m: m.member_id)
    return out
