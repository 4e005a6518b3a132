"""The 供求简报 workbook: what the community offers and needs this period, who should
meet whom, the events, the engagement ranking and the rule to-dos — for leaders to read
on screen and on paper.

Two steps, so the 简报 screen can preview exactly what the file will hold:
:func:`collect_brief` gathers plain rows (already masked) into :class:`BriefData`;
:func:`write_brief` streams them into an .xlsx with xlsxwriter in ``constant_memory``
mode (rows in order, one row in memory at a time — the fastest writer measured here,
and a 100k-row sheet never becomes an in-memory workbook). :func:`build_brief_workbook`
does both.

Sheets: 概览 (key figures of the period beside the previous period of equal length,
with the change; offers/needs per category, levels and active members as small tables
with *native* Excel charts over them — crisper than pictures when zoomed or printed,
editable by the leader, and they cost no matplotlib at export time), 供给, 需求,
匹配建议, 活动, 活跃度, 待办.

Privacy (:mod:`sqdesk.io.privacy`): contacts masked by default, free text scrubbed of
phone numbers and known WeChat ids, names shortened on request; members without
consent (``members.consent`` false) are left out of the shared lists (供给/需求/匹配建议/
活跃度) and counted in a note. Nothing else carries personal data: no hidden columns,
no comments, document properties set here without names.

Safety (:mod:`sqdesk.io.xlsx_safe`): every text goes in with ``write_string`` (never a
formula, whatever it starts with); control characters are stripped and reported; text
over Excel's 32,767-character cell limit is cut with a visible mark and reported — both
land in :attr:`BriefSummary.warnings`; the file appears whole or not at all
(:func:`atomic_output`).

Scope: items and matches count when their member belongs (or belonged) to one of the
chosen groups; the engagement figures come from one :func:`member_metrics`
pass over everyone (as of the period's end, or today when that is earlier) that also
feeds the 待办 sheet.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from sqdesk.core.errors import ValidationError
from sqdesk.io.privacy import Privacy
from sqdesk.io.xlsx_safe import EXCEL_CELL_LIMIT, EXPORT_CONTROL_CHARS, atomic_output, display_width
from sqdesk.models import Group, Match, Member, Membership, Registration, SupplyDemand
from sqdesk.models.vocab import LEVELS, SD_CATEGORIES

Progress = Callable[[int, int], None]

SHEETS = ("概览", "供给", "需求", "匹配建议", "活动", "活跃度", "待办")
SHARED = ("供给", "需求", "匹配建议", "活跃度")  # lists without unconsented members
STATUS_LABELS = {"open": "待对接", "matched": "已对接", "closed": "已关闭"}
OUTCOME_LABELS = {"proposed": "待确认", "accepted": "已接受", "rejected": "已拒绝", "met": "已见面", "no_result": "无结果"}
CUT_MARK = "…（超出 Excel 单元格上限，已截断）"
UPCOMING_DAYS = 30
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
_CHUNK = 900


# ---- plain data --------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text / wrap / int / float / pct / date / datetime
    min_width: int = 8
    max_width: int = 40


@dataclass
class SheetData:
    name: str
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]
    note: str = ""


@dataclass(frozen=True)
class KeyFigure:
    label: str
    current: float | None
    previous: float | None
    kind: str = "int"  # int / pct

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def change_rate(self) -> float | None:
        if self.kind == "pct" or self.change is None or not self.previous:
            return None
        return self.change / self.previous


@dataclass
class OverviewData:
    figures: list[KeyFigure]
    categories: list[tuple[str, int, int]]  # 类别, 供给, 需求 (this period)
    levels: list[tuple[str, int]]
    active_unit: str  # 日 / 周 / 月
    active: list[tuple[str, int]]  # period label, active members


@dataclass
class BriefData:
    start: dt.date
    end: dt.date
    prev_start: dt.date
    prev_end: dt.date
    group_names: tuple[str, ...]
    masked: bool
    short_names: bool
    overview: OverviewData
    sheets: list[SheetData]
    unconsented: int  # distinct members left out of the shared lists
    matches_source: str  # "suggested" (the matcher) / "recorded" (list of recorded matches)

    @property
    def period_label(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    def sheet(self, name: str) -> SheetData:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)


@dataclass
class BriefSummary:
    out_path: Path
    start: dt.date
    end: dt.date
    rows: dict[str, int]
    unconsented: int
    masked: bool
    warnings: list[str] = field(default_factory=list)
    collect_seconds: float = 0.0
    write_seconds: float = 0.0

    def describe(self) -> str:
        parts = "、".join(f"{k} {v:,} 行" for k, v in self.rows.items() if k != "概览")
        lines = [f"已导出供求简报（{self.start.isoformat()} 至 {self.end.isoformat()}）到 {self.out_path}：{parts}"]
        if self.unconsented:
            lines.append(f"{self.unconsented} 人未授权，未列出")
        lines.append("手机、微信已打码" if self.masked else "注意：本文件含未打码的手机和微信号")
        lines += [f"提示：{w}" for w in self.warnings]
        return "\n".join(lines)


def sheet_name(text: str) -> str:
    """A name Excel accepts: no []:*?/\\, not blank, at most 31 characters."""
    name = text.translate(_BAD_SHEET_CHARS).strip().strip("'") or "Sheet"
    return name[:31]


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    days = (end - start).days + 1
    prev_end = start - dt.timedelta(days=1)
    return prev_end - dt.timedelta(days=days - 1), prev_end


# ---- scope helpers ---------------------------------------------------------------------------

def _in_groups(member_col: Any, group_ids: Sequence[int] | None) -> list[Any]:
    if group_ids is None:
        return []
    return [member_col.in_(select(Membership.member_id).where(Membership.group_id.in_(list(group_ids))))]


def _day(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time())


def _privacy(session: Session, mask: bool, shorten_names: bool) -> Privacy:
    known: frozenset[str] = frozenset()
    if mask:
        known = frozenset(
            w.lower() for w in session.scalars(select(Member.wechat_id).where(Member.wechat_id.is_not(None))) if w
        )
    return Privacy(mask=mask, short_names=shorten_names, known_wechat=known)


# ---- the sheets ------------------------------------------------------------------------------------

ITEM_COLUMNS = (
    Column("编号", "int", 6, 8), Column("成员", "text", 8, 16), Column("城市", "text", 6, 10),
    Column("类别", "text", 6, 8), Column("内容", "wrap", 30, 50), Column("关键词", "wrap", 12, 24),
    Column("发布日期", "date", 11, 11), Column("有效期至", "date", 11, 11), Column("状态", "text", 7, 8),
    Column("手机", "text", 13, 15), Column("微信", "text", 10, 16),
)


def _items(
    session: Session, kind: str, start: dt.date, end: dt.date, group_ids: Sequence[int] | None, p: Privacy
) -> tuple[SheetData, set[int]]:
    """Offers or needs published in the period, by category then newest first."""
    stmt = (
        select(
            SupplyDemand.id, Member.display_name, Member.city, SupplyDemand.category, SupplyDemand.text,
            SupplyDemand.keywords, SupplyDemand.created_on, SupplyDemand.expires_on, SupplyDemand.status,
            Member.phone, Member.wechat_id, Member.consent, Member.id,
        )
        .join(Member, Member.id == SupplyDemand.member_id)
        .where(SupplyDemand.kind == kind, SupplyDemand.created_on >= start, SupplyDemand.created_on <= end,
               *_in_groups(SupplyDemand.member_id, group_ids))
        .order_by(SupplyDemand.created_on.desc(), SupplyDemand.id.desc())
    )
    order = {c: i for i, c in enumerate(SD_CATEGORIES)}
    rows: list[tuple[Any, ...]] = []
    left_out: set[int] = set()
    for r in session.execute(stmt):
        if not r[11]:
            left_out.add(int(r[12]))
            continue
        rows.append((
            int(r[0]), p.name(r[1]), r[2] or "", r[3], p.text(r[4]), r[5].replace(",", "、") if r[5] else "",
            r[6], r[7], STATUS_LABELS.get(r[8], r[8]), p.phone(r[9]), p.wechat(r[10]),
        ))
    rows.sort(key=lambda row: order.get(row[3], len(order)))  # stable: newest first within a category
    title = f"本期{kind}（{start.isoformat()} 至 {end.isoformat()} 发布，{len(rows)} 条）"
    return SheetData(kind, title, ITEM_COLUMNS, rows, _note(p, len(left_out))), left_out


MATCH_COLUMNS = (
    Column("需求编号", "int", 8, 8), Column("需求方", "text", 8, 16), Column("需求内容", "wrap", 24, 40),
    Column("供给编号", "int", 8, 8), Column("供给方", "text", 8, 16), Column("供给内容", "wrap", 24, 40),
    Column("匹配度", "float", 7, 8), Column("理由", "wrap", 20, 36), Column("状态", "text", 7, 8),
)


def _matches(
    session: Session, start: dt.date, end: dt.date, group_ids: Sequence[int] | None, p: Privacy,
    *, today: dt.date, limit: int | None = None,
) -> tuple[SheetData, set[int], str]:
    """Suggested introductions (the matcher, when present) else the matches recorded in
    the period (not rejected), best score first."""
    offer, need = aliased(SupplyDemand), aliased(SupplyDemand)
    om, nm = aliased(Member), aliased(Member)
    cols = (
        need.id, nm.display_name, need.text, offer.id, om.display_name, offer.text, Match.score, Match.reason,
        Match.outcome, nm.consent, om.consent, nm.id, om.id,
    )
    suggestions = _suggested(session, today=today)
    rows: list[tuple[Any, ...]] = []
    left_out: set[int] = set()
    scoped_ids: set[int] | None = None
    if group_ids is not None:
        scoped_ids = set(session.scalars(
            select(Membership.member_id).where(Membership.group_id.in_(list(group_ids)))))
    if suggestions is not None:
        source = "suggested"
        texts: dict[int, tuple[str, str, bool, int]] = {}
        ids = sorted({i for s in suggestions for i in (s[0], s[1])})
        for chunk_start in range(0, len(ids), _CHUNK):
            chunk = ids[chunk_start : chunk_start + _CHUNK]
            for iid, text, name, consent, mid in session.execute(
                select(SupplyDemand.id, SupplyDemand.text, Member.display_name, Member.consent, Member.id)
                .join(Member, Member.id == SupplyDemand.member_id).where(SupplyDemand.id.in_(chunk))
            ):
                texts[int(iid)] = (text, name, bool(consent), int(mid))
        for need_id, offer_id, score, reason in suggestions:
            n, o = texts.get(need_id), texts.get(offer_id)
            if n is None or o is None:
                continue
            if scoped_ids is not None and n[3] not in scoped_ids:
                continue
            if not (n[2] and o[2]):
                left_out.update(m for m, ok in ((n[3], n[2]), (o[3], o[2])) if not ok)
                continue
            rows.append((need_id, p.name(n[1]), p.text(n[0]), offer_id, p.name(o[1]), p.text(o[0]),
                         round(float(score), 3), p.text(reason), "建议"))
        rows.sort(key=lambda r: (-r[0], -r[6]))  # newest need first, its best offers first
    else:
        source = "recorded"
        stmt = (
            select(*cols)
            .select_from(Match)
            .join(offer, offer.id == Match.offer_id).join(need, need.id == Match.need_id)
            .join(om, om.id == offer.member_id).join(nm, nm.id == need.member_id)
            .where(Match.created_at >= _day(start), Match.created_at < _day(end + dt.timedelta(days=1)),
                   Match.outcome != "rejected", *_in_groups(need.member_id, group_ids))
            .order_by(Match.score.desc(), Match.created_at.desc(), Match.id.desc())
        )
        for r in session.execute(stmt):
            if not (r[9] and r[10]):
                left_out.update(int(m) for m, ok in ((r[11], r[9]), (r[12], r[10])) if not ok)
                continue
            rows.append((int(r[0]), p.name(r[1]), p.text(r[2]), int(r[3]), p.name(r[4]), p.text(r[5]),
                         round(float(r[6] or 0.0), 3), p.text(r[7]), OUTCOME_LABELS.get(r[8], r[8])))
    if limit is not None:
        rows = rows[:limit]
    what = "系统建议的对接" if source == "suggested" else "本期记录的撮合（不含已拒绝）"
    title = f"匹配建议：{what}，{len(rows)} 对"
    return SheetData("匹配建议", title, MATCH_COLUMNS, rows, _note(p, len(left_out))), left_out, source


def _suggested(session: Session, *, today: dt.date) -> list[tuple[int, int, float, str]] | None:
    """(need id, offer id, score, reason) from :mod:`sqdesk.core.matching` when it exists."""
    try:
        from sqdesk.core import matching
    except ImportError:  # the matcher is optional: recorded matches are listed instead
        return None
    found = matching.suggest_matches(session, today=today, per_need=3)
    return [(int(s.need_id), int(s.offer_id), float(s.score), str(s.reason)) for s in found]


EVENT_COLUMNS = (
    Column("阶段", "text", 8, 8), Column("开始", "datetime", 16, 16), Column("活动", "wrap", 20, 36),
    Column("类型", "text", 8, 10), Column("地点", "wrap", 12, 28), Column("状态", "text", 7, 8),
    Column("人数上限", "int", 8, 8), Column("已报名", "int", 7, 7), Column("已签到", "int", 7, 7),
    Column("缺席", "int", 6, 6), Column("候补", "int", 6, 6), Column("到场率", "pct", 7, 7),
)


def _events(
    session: Session, start: dt.date, end: dt.date, group_ids: Sequence[int] | None, *, today: dt.date
) -> SheetData:
    """Occurrences in the period, then those starting within 30 days after it (or after
    today, when the period is in the past), with registration counts of their event."""
    from sqdesk.core.events import list_events

    horizon = max(end, today) + dt.timedelta(days=UPCOMING_DAYS)
    occ = list_events(session, _day(start), _day(horizon + dt.timedelta(days=1)), group_ids,
                      include_cancelled=False)
    ids = sorted({o.event_id for o in occ})
    counts: dict[int, tuple[int, int, int, int]] = {}
    for chunk_start in range(0, len(ids), _CHUNK):
        chunk = ids[chunk_start : chunk_start + _CHUNK]
        for eid, reg, att, ns, wait in session.execute(
            select(
                Registration.event_id,
                func.sum(case((Registration.status.in_(("已报名", "已签到", "缺席")), 1), else_=0)),
                func.sum(case((Registration.status == "已签到", 1), else_=0)),
                func.sum(case((Registration.status == "缺席", 1), else_=0)),
                func.sum(case((Registration.status == "候补", 1), else_=0)),
            ).where(Registration.event_id.in_(chunk)).group_by(Registration.event_id)
        ):
            counts[int(eid)] = (int(reg or 0), int(att or 0), int(ns or 0), int(wait or 0))
    end_ts = _day(end + dt.timedelta(days=1))
    rows: list[tuple[Any, ...]] = []
    for o in occ:
        if o.starts_at >= end_ts and o.starts_at < _day(today):
            continue  # between a past period and today: neither this period nor upcoming
        stage = "本期" if o.starts_at < end_ts else "即将开始"
        reg, att, ns, wait = counts.get(o.event_id, (0, 0, 0, 0))
        past = o.ends_at <= _day(today) or o.status == "已结束"
        rate = att / reg if past and reg else None
        rows.append((stage, o.starts_at, o.title, o.kind, o.location or "", o.status, o.capacity,
                     reg, att if past else None, ns if past else None, wait, rate))
    title = f"活动：本期与之后 {UPCOMING_DAYS} 天（{len(rows)} 场）"
    note = "重复活动的报名人数按整个系列统计；到场率 = 已签到 ÷ 已报名（含缺席）"
    return SheetData("活动", title, EVENT_COLUMNS, rows, note)


RANK_COLUMNS = (
    Column("排名", "int", 6, 7), Column("成员", "text", 8, 16), Column("角色", "text", 6, 7),
    Column("等级", "text", 6, 6), Column("活跃分", "float", 7, 8), Column("近7天发言", "int", 9, 9),
    Column("近30天发言", "int", 10, 10), Column("近90天发言", "int", 10, 10), Column("近30天分享", "int", 10, 10),
    Column("近90天参加活动", "int", 14, 14), Column("近90天缺席", "int", 10, 10), Column("邀请留存", "int", 8, 8),
    Column("最近参与", "date", 11, 11), Column("入群天数", "int", 8, 8),
)

TODO_COLUMNS = (
    Column("群规", "wrap", 14, 28), Column("成员", "text", 8, 16), Column("处理", "text", 8, 16),
    Column("阶段", "text", 8, 10), Column("截止日期", "date", 11, 11), Column("依据", "wrap", 24, 50),
)


def _note(p: Privacy, left_out: int) -> str:
    parts = ["手机、微信已打码" if p.mask else "注意：本表含未打码的手机和微信号"]
    if p.short_names:
        parts.append("姓名已缩写")
    if left_out:
        parts.append(f"{left_out} 人未授权，未列出")
    return "；".join(parts)


# ---- overview figures ------------------------------------------------------------------------------

def _count(session: Session, stmt: Any) -> int:
    return int(session.scalar(stmt) or 0)


def _period_figures(
    session: Session, start: dt.date, end: dt.date, group_ids: Sequence[int] | None
) -> dict[str, float | None]:
    from sqdesk.analytics._sql import ACTIVE_KINDS, STAFF_ROLES
    from sqdesk.analytics.community import Scope, event_attendance, growth
    from sqdesk.models import Activity

    gids = tuple(group_ids) if group_ids is not None else None
    scope = Scope(start, end, gids)
    out: dict[str, float | None] = {}
    for kind in ("供给", "需求"):
        out[f"新发布{kind}"] = _count(session, select(func.count()).select_from(SupplyDemand).where(
            SupplyDemand.kind == kind, SupplyDemand.created_on >= start, SupplyDemand.created_on <= end,
            *_in_groups(SupplyDemand.member_id, gids)))
    need = aliased(SupplyDemand)
    in_period = and_(Match.created_at >= _day(start), Match.created_at < _day(end + dt.timedelta(days=1)))
    out["新记录撮合"] = _count(session, select(func.count()).select_from(Match).join(need, need.id == Match.need_id)
                           .where(in_period, *_in_groups(need.member_id, gids)))
    out["其中已对接"] = _count(session, select(func.count()).select_from(Match).join(need, need.id == Match.need_id)
                           .where(in_period, Match.outcome.in_(("accepted", "met")), *_in_groups(need.member_id, gids)))
    conds: list[Any] = [
        Activity.occurred_at >= _day(start), Activity.occurred_at < _day(end + dt.timedelta(days=1)),
        Activity.kind.in_(list(ACTIVE_KINDS)),
        Activity.member_id.not_in(select(Member.id).where(Member.role.in_(list(STAFF_ROLES)))),
    ]
    if gids is not None:
        conds.append(Activity.group_id.in_(list(gids)))
    out["活跃成员"] = _count(session, select(func.count(func.distinct(Activity.member_id))).where(*conds))
    g = growth(session, scope, "month")
    out["入群"] = sum(pt.joins for pt in g.points)
    out["退群"] = sum(pt.leaves for pt in g.points)
    att = event_attendance(session, scope)
    out["活动场次"] = len(att.events)
    out["报名人次"] = att.registered
    out["签到人次"] = att.attended
    out["缺席率"] = att.no_show_rate
    return out


FIGURE_ORDER = ("新发布供给", "新发布需求", "新记录撮合", "其中已对接", "活跃成员", "入群", "退群",
                "活动场次", "报名人次", "签到人次", "缺席率")


def _overview(
    session: Session, start: dt.date, end: dt.date, prev: tuple[dt.date, dt.date],
    group_ids: Sequence[int] | None, levels: Counter[str],
) -> OverviewData:
    from sqdesk.analytics.community import Scope, active_series

    cur = _period_figures(session, start, end, group_ids)
    old = _period_figures(session, prev[0], prev[1], group_ids)
    figures = [KeyFigure(k, cur[k], old[k], "pct" if k == "缺席率" else "int") for k in FIGURE_ORDER]
    per_cat: dict[tuple[str, str], int] = defaultdict(int)
    for kind, cat, n in session.execute(
        select(SupplyDemand.kind, SupplyDemand.category, func.count())
        .where(SupplyDemand.created_on >= start, SupplyDemand.created_on <= end,
               *_in_groups(SupplyDemand.member_id, group_ids))
        .group_by(SupplyDemand.kind, SupplyDemand.category)
    ):
        per_cat[(kind, cat)] += int(n)
    cats = [(c, per_cat[("供给", c)], per_cat[("需求", c)]) for c in SD_CATEGORIES
            if per_cat[("供给", c)] or per_cat[("需求", c)]]
    days = (end - start).days + 1
    unit, label = ("day", "日") if days <= 31 else (("week", "周") if days <= 26 * 7 else ("month", "月"))
    series = active_series(session, Scope(start, end, tuple(group_ids) if group_ids is not None else None), unit)  # type: ignore[arg-type]
    active = [
        (pt.period.start.strftime("%m-%d") if unit != "month" else pt.period.start.strftime("%Y-%m"), pt.active)
        for pt in series.points
    ]
    return OverviewData(figures, cats, [(lv, levels.get(lv, 0)) for lv in LEVELS], label, active)


# ---- collect -----------------------------------------------------------------------------------------------

def collect_brief(
    session: Session,
    start: dt.date,
    end: dt.date,
    *,
    group_ids: Sequence[int] | None = None,
    mask: bool = True,
    shorten_names: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> BriefData:
    """Every sheet's rows (masked as asked) and the overview figures of the period."""
    from sqdesk.analytics.metrics import member_metrics

    if start > end:
        raise ValidationError(f"开始日期 {start.isoformat()} 晚于结束日期 {end.isoformat()}", column="日期")
    today = today or dt.date.today()
    report = progress or (lambda done, total: None)
    steps = 8
    gids = tuple(sorted(set(group_ids))) if group_ids is not None else None
    names: tuple[str, ...] = ()
    if gids is not None:
        found = dict(session.execute(select(Group.id, Group.name).where(Group.id.in_(list(gids)))).all())
        missing = [g for g in gids if g not in found]
        if missing:
            raise ValidationError(f"群 #{missing[0]} 不存在", column="群")
        names = tuple(found[g] for g in gids)
    p = _privacy(session, mask, shorten_names)
    report(0, steps)

    offers, out_o = _items(session, "供给", start, end, gids, p)
    report(1, steps)
    needs, out_n = _items(session, "需求", start, end, gids, p)
    report(2, steps)
    # The metrics first: the suggested matches below weigh engagement with the same
    # shared table instead of computing their members' again.
    as_of = min(end, today)
    table = member_metrics(session, as_of)
    report(3, steps)
    matches, out_m, source = _matches(session, start, end, gids, p, today=today)
    report(4, steps)
    events = _events(session, start, end, gids, today=today)
    report(5, steps)
    ranking, out_r, levels = _ranking(session, table, gids, p)
    report(6, steps)
    todos = _todos(session, table, as_of, gids, p)
    report(7, steps)
    prev = previous_period(start, end)
    overview = _overview(session, start, end, prev, gids, levels)
    report(8, steps)
    left_out = out_o | out_n | out_m | out_r
    return BriefData(
        start=start, end=end, prev_start=prev[0], prev_end=prev[1], group_names=names, masked=mask,
        short_names=shorten_names, overview=overview, sheets=[offers, needs, matches, events, ranking, todos],
        unconsented=len(left_out), matches_source=source,
    )


def _ranking(
    session: Session, table: Any, group_ids: Sequence[int] | None, p: Privacy
) -> tuple[SheetData, set[int], Counter[str]]:
    """Members 在群 (in the chosen groups) by engagement score, best first."""
    wanted = select(Member.id, Member.display_name, Member.consent).where(Member.status == "在群",
                                                                          *_in_groups(Member.id, group_ids))
    people = {int(mid): (name, bool(consent)) for mid, name, consent in session.execute(wanted)}
    c = table.columns
    idx = [i for i, mid in enumerate(table.member_ids) if mid in people]
    levels: Counter[str] = Counter(str(c["level"][i]) for i in idx)
    left_out = {table.member_ids[i] for i in idx if not people[table.member_ids[i]][1]}
    idx = [i for i in idx if people[table.member_ids[i]][1]]
    idx.sort(key=lambda i: (-float(c["score"][i] or 0.0), table.member_ids[i]))
    rows: list[tuple[Any, ...]] = []
    for rank, i in enumerate(idx, start=1):
        last = c["last_active"][i]
        rows.append((
            rank, p.name(people[table.member_ids[i]][0]), c["role"][i], c["level"][i],
            round(float(c["score"][i] or 0.0), 1), c["messages_7d"][i], c["messages_30d"][i],
            c["messages_90d"][i], c["shares_30d"][i], c["attended_90d"][i], c["no_shows_90d"][i],
            c["invites_stayed"][i], last.date() if isinstance(last, dt.datetime) else last, c["days_since_join"][i],
        ))
    title = f"活跃度排名（截至 {table.as_of.isoformat()}，在群成员 {len(rows):,} 人）"
    return SheetData("活跃度", title, RANK_COLUMNS, rows, _note(p, len(left_out))), left_out, levels


def _todos(
    session: Session, table: Any, as_of: dt.date, group_ids: Sequence[int] | None, p: Privacy
) -> SheetData:
    from sqdesk.rules.engine import todo_list

    items = todo_list(session, as_of, metrics=table)
    if group_ids is not None and items:
        ids = set(session.scalars(select(Membership.member_id).where(Membership.group_id.in_(list(group_ids)))))
        items = [t for t in items if t.member_id in ids]
    rows = [
        (t.rule_title, p.name(t.member_name), t.action + (f"「{t.action_arg}」" if t.action_arg else ""),
         t.stage, t.due_on, t.reason)
        for t in items
    ]
    return SheetData("待办", f"群规待办（截至 {as_of.isoformat()}，{len(rows)} 项）", TODO_COLUMNS, rows,
                     "依据为触发群规时的数值；确认处理请在 sqdesk 的群规页面进行")


# ---- write ---------------------------------------------------------------------------------------------------

class _Cells:
    """Text cleaning with the findings kept for the summary (never a silent change)."""

    def __init__(self) -> None:
        self.control: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.cut: list[str] = []

    def text(self, value: Any, sheet: str, header: str, row: int) -> str:
        text = value if isinstance(value, str) else str(value)
        if EXPORT_CONTROL_CHARS.search(text):
            self.control[(sheet, header)].append(row)
            text = EXPORT_CONTROL_CHARS.sub("", text)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if len(text) > EXCEL_CELL_LIMIT:
            self.cut.append(f"「{sheet}」第 {row} 行「{header}」列有 {len(text):,} 个字符，超过 Excel 单元格上限 "
                            f"{EXCEL_CELL_LIMIT:,}，已截断并在末尾标注")
            text = text[: EXCEL_CELL_LIMIT - len(CUT_MARK)] + CUT_MARK
        return text

    def warnings(self) -> list[str]:
        out = list(self.cut)
        for (sheet, header), rows in self.control.items():
            shown = "、".join(str(r) for r in rows[:5]) + ("…" if len(rows) > 5 else "")
            out.append(f"「{sheet}」「{header}」列有 {len(rows)} 个单元格含控制字符（第 {shown} 行），已去掉")
        return out


def _widths(sheet: SheetData) -> list[int]:
    """Column widths that fit Chinese text: the widest value (a sample of big sheets)
    between each column's minimum and maximum."""
    rows = sheet.rows
    step = max(1, len(rows) // 3000)
    out = []
    for j, col in enumerate(sheet.columns):
        w = max(col.min_width, display_width(col.header) + 3)  # room for the filter button
        if col.kind in ("text", "wrap"):
            for r in rows[::step]:
                v = r[j]
                if v:
                    w = max(w, display_width(v if isinstance(v, str) else str(v)) + 2)
                    if w >= col.max_width:
                        break
        out.append(min(w, col.max_width))
    return out


def _text_units(text: str) -> float:
    """Width of one line of text in column-width units at the sheet's 10 pt font: a CJK
    character is ~1.7 units, a Latin letter or digit ~0.95 (measured on the LibreOffice
    rendering; UTF-8 length tells the three-byte CJK characters apart cheaply)."""
    n = len(text)
    wide = (len(text.encode("utf-8")) - n) / 2
    return wide * 1.7 + (n - wide) * 0.95


def _row_lines(row: tuple[Any, ...], wrap_cols: list[int], widths: list[int]) -> int:
    """Lines the tallest wrapped cell of a row needs (Excel and LibreOffice keep a row
    at its stored height, so a wrapped row gets one)."""
    lines = 1
    for j in wrap_cols:
        v = row[j]
        if v:
            room = max(widths[j] - 1.2, 1.0)
            text = v if isinstance(v, str) else str(v)
            n = sum(max(1, math.ceil(_text_units(part) * 1.04 / room)) for part in text.split("\n"))
            lines = max(lines, n)
    return min(lines, 15)


class _Writer:
    def __init__(self, wb: Any, data: BriefData, cells: _Cells) -> None:
        self.wb = wb
        self.data = data
        self.cells = cells
        base = {"font_name": "微软雅黑", "font_size": 10, "valign": "top"}
        self.f: dict[str, Any] = {
            "title": wb.add_format({**base, "bold": True, "font_size": 14}),
            "sub": wb.add_format({**base, "font_color": "#595959"}),
            "head": wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "border_color": "#9BC2E6",
                                   "valign": "vcenter", "text_wrap": True}),
            "text": wb.add_format({**base, "border": 1, "border_color": "#D9D9D9"}),
            "wrap": wb.add_format({**base, "border": 1, "border_color": "#D9D9D9", "text_wrap": True}),
            "int": wb.add_format({**base, "border": 1, "border_color": "#D9D9D9", "num_format": "#,##0"}),
            "float": wb.add_format({**base, "border": 1, "border_color": "#D9D9D9", "num_format": "0.0##"}),
            "pct": wb.add_format({**base, "border": 1, "border_color": "#D9D9D9", "num_format": "0.0%"}),
            "date": wb.add_format({**base, "border": 1, "border_color": "#D9D9D9", "num_format": "yyyy-mm-dd",
                                   "align": "center"}),
            "datetime": wb.add_format({**base, "border": 1, "border_color": "#D9D9D9",
                                       "num_format": "yyyy-mm-dd hh:mm", "align": "center"}),
            "signed": wb.add_format({**base, "border": 1, "border_color": "#D9D9D9", "num_format": "+#,##0;-#,##0;0"}),
            "signed_pct": wb.add_format({**base, "border": 1, "border_color": "#D9D9D9",
                                         "num_format": "+0.0%;-0.0%;0.0%"}),
            "signed_pp": wb.add_format({**base, "border": 1, "border_color": "#D9D9D9",
                                        "num_format": '+0.0"个百分点";-0.0"个百分点";0'}),
        }

    def page_setup(self, ws: Any, header_row: int | None, name: str) -> None:
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        if header_row is not None:
            ws.repeat_rows(header_row)
        period = self.data.period_label.replace("&", "&&")
        ws.set_footer(f"&L&8供求简报 {period}&C&8第 &P 页，共 &N 页&R&8{name.replace('&', '&&')}")

    def put(self, ws: Any, r: int, c: int, value: Any, kind: str, sheet: str, header: str) -> None:
        f = self.f
        if value is None or value == "":
            ws.write_blank(r, c, None, f["wrap" if kind == "wrap" else "text"])
        elif kind in ("int", "float", "pct"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                ws.write_string(r, c, self.cells.text(value, sheet, header, r + 1), f["text"])
            else:
                ws.write_number(r, c, value, f[kind])
        elif kind in ("date", "datetime"):
            if isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value, f[kind])
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, _day(value), f["date"])
            else:
                ws.write_string(r, c, self.cells.text(value, sheet, header, r + 1), f["text"])
        else:
            ws.write_string(r, c, self.cells.text(value, sheet, header, r + 1), f[kind])

    def table_sheet(self, sheet: SheetData, done: list[int], total: int, report: Progress) -> None:
        name = sheet_name(sheet.name)
        ws = self.wb.add_worksheet(name)
        widths = _widths(sheet)
        for j, w in enumerate(widths):
            ws.set_column(j, j, w)
        ws.write_string(0, 0, self.cells.text(sheet.title, name, "标题", 1), self.f["title"])
        ws.set_row(0, 22)
        sub = f"{self.data.period_label}" + (f"　群：{'、'.join(self.data.group_names)}" if self.data.group_names else "")
        if sheet.note:
            sub += f"　{sheet.note}"
        ws.write_string(1, 0, self.cells.text(sub, name, "说明", 2), self.f["sub"])
        hr = 2
        ws.set_row(hr, 20)
        for j, col in enumerate(sheet.columns):
            ws.write_string(hr, j, col.header, self.f["head"])
        wrap_cols = [j for j, col in enumerate(sheet.columns) if col.kind == "wrap"]
        kinds = [col.kind for col in sheet.columns]
        heads = [col.header for col in sheet.columns]
        r = hr
        for r, row in enumerate(sheet.rows, start=hr + 1):
            if wrap_cols:
                lines = _row_lines(row, wrap_cols, widths)
                if lines > 1:
                    ws.set_row(r, 13.2 * lines + 3)
            for j, value in enumerate(row):
                self.put(ws, r, j, value, kinds[j], name, heads[j])
            done[0] += 1
            if done[0] % 2000 == 0:
                report(done[0], total)
        last_col = len(sheet.columns) - 1
        ws.freeze_panes(hr + 1, 0)
        ws.autofilter(hr, 0, max(r, hr), last_col)
        if not sheet.rows:
            ws.write_string(hr + 1, 0, "本期没有记录", self.f["sub"])
        self.page_setup(ws, hr, name)

    def overview_sheet(self) -> None:
        """Key figures at the left, categories and levels at the right, active members
        below; charts over those ranges. Cells are laid out in a grid first and then
        emitted row by row (``constant_memory`` drops writes to rows already passed)."""
        d, o, f = self.data, self.data.overview, self.f
        ws = self.wb.add_worksheet("概览")
        for j, w in enumerate((16, 11, 11, 13, 10, 3, 10, 9, 9)):
            ws.set_column(j, j, w)
        grid: dict[tuple[int, int], tuple[Any, str]] = {}
        scope = "全部群" if not d.group_names else "、".join(d.group_names)
        grid[0, 0] = (f"供求简报　{d.period_label}", "title")
        grid[1, 0] = (f"范围：{scope}　上期：{d.prev_start.isoformat()} 至 {d.prev_end.isoformat()}（等长）", "sub")
        grid[2, 0] = (_note(Privacy(d.masked, d.short_names), d.unconsented), "sub")
        r = 4
        for j, h in enumerate(("指标", "本期", "上期", "变化", "变化率")):
            grid[r, j] = (h, "head")
        for k in o.figures:
            r += 1
            num = "pct" if k.kind == "pct" else "int"
            grid[r, 0] = (k.label, "text")
            grid[r, 1] = (k.current, num)
            grid[r, 2] = (k.previous, num)
            ch = k.change
            grid[r, 3] = (None if ch is None else (ch * 100 if k.kind == "pct" else ch),
                          "signed_pp" if k.kind == "pct" else "signed")
            grid[r, 4] = (k.change_rate, "signed_pct")
        fig_end = r
        r = 4
        for j, h in enumerate(("类别", "供给", "需求")):
            grid[r, 6 + j] = (h, "head")
        cat_first = r + 1
        for cat, n_o, n_n in o.categories:
            r += 1
            grid[r, 6], grid[r, 7], grid[r, 8] = (cat, "text"), (n_o, "int"), (n_n, "int")
        cat_last = r
        if not o.categories:
            r += 1
            grid[r, 6] = ("本期无新发布", "sub")
        r += 2
        for j, h in enumerate(("等级", "人数", "占比")):
            grid[r, 6 + j] = (h, "head")
        lv_first = r + 1
        total = sum(n for _lv, n in o.levels)
        for lv, n in o.levels:
            r += 1
            grid[r, 6], grid[r, 7] = (lv, "text"), (n, "int")
            grid[r, 8] = (n / total if total else None, "pct")
        lv_last = r
        r = max(fig_end, lv_last) + 2
        top_end = r
        grid[r, 0] = (f"活跃成员（每{o.active_unit}）", "head")
        grid[r, 1] = ("人数", "head")
        act_first = r + 1
        for label, n in o.active:
            r += 1
            grid[r, 0], grid[r, 1] = (label, "text"), (n, "int")
        act_last = r
        for (row, col) in sorted(grid):
            value, kind = grid[row, col]
            if kind in ("title", "sub", "head"):
                ws.write_string(row, col, self.cells.text(value, "概览", "说明", row + 1), f[kind])
            elif kind in ("signed", "signed_pp", "signed_pct"):
                if value is None:
                    ws.write_blank(row, col, None, f["text"])
                else:
                    ws.write_number(row, col, value, f[kind])
            else:
                self.put(ws, row, col, value, kind, "概览", "数值")
        ws.set_row(0, 24)
        if o.categories:
            chart = self.wb.add_chart({"type": "column"})
            for j, (nm, color) in enumerate((("供给", "#5B9BD5"), ("需求", "#ED7D31"))):
                chart.add_series({
                    "name": nm, "categories": ["概览", cat_first, 6, cat_last, 6],
                    "values": ["概览", cat_first, 7 + j, cat_last, 7 + j], "fill": {"color": color},
                    "data_labels": {"value": True, "font": {"name": "微软雅黑", "size": 8}},
                })
            self._style_chart(chart, "本期供求（按类别）")
            top = max(max(n_o, n_n) for _c, n_o, n_n in o.categories)
            chart.set_y_axis({"num_format": "0", "min": 0, "major_unit": max(1, math.ceil(top / 5)),
                              "num_font": {"name": "微软雅黑", "size": 9},
                              "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
            ws.insert_chart(top_end, 3, chart, {"x_scale": 0.95, "y_scale": 0.8})
        if total:
            chart = self.wb.add_chart({"type": "bar"})
            chart.add_series({
                "name": "人数", "categories": ["概览", lv_first, 6, lv_last, 6],
                "values": ["概览", lv_first, 7, lv_last, 7], "fill": {"color": "#70AD47"},
                "data_labels": {"value": True, "font": {"name": "微软雅黑", "size": 8}},
            })
            self._style_chart(chart, "在群成员等级分布", legend=False)
            chart.set_y_axis({"reverse": True, "num_font": {"name": "微软雅黑", "size": 9}})
            ws.insert_chart(top_end, 10, chart, {"x_scale": 0.8, "y_scale": 0.8})
        if o.active:
            chart = self.wb.add_chart({"type": "line"})
            chart.add_series({
                "name": "活跃成员", "categories": ["概览", act_first, 0, act_last, 0],
                "values": ["概览", act_first, 1, act_last, 1], "line": {"color": "#5B9BD5", "width": 2},
                "marker": {"type": "circle", "size": 4, "fill": {"color": "#5B9BD5"}, "border": {"color": "#5B9BD5"}},
            })
            self._style_chart(chart, f"每{o.active_unit}活跃成员", legend=False)
            chart.set_x_axis({"num_font": {"name": "微软雅黑", "size": 8, "rotation": -45}})
            ws.insert_chart(top_end + 15, 3, chart, {"x_scale": 1.75, "y_scale": 0.8})
        self.page_setup(ws, None, "概览")
        ws.fit_to_pages(1, 1)
        ws.print_area(0, 0, max(act_last, top_end + 30), 16)

    @staticmethod
    def _style_chart(chart: Any, title: str, *, legend: bool = True) -> None:
        font = {"name": "微软雅黑", "size": 9}
        chart.set_title({"name": title, "name_font": {"name": "微软雅黑", "size": 11, "bold": True}})
        chart.set_x_axis({"num_font": font})
        chart.set_y_axis({"num_font": font, "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}})
        if legend:
            chart.set_legend({"position": "bottom", "font": font})
        else:
            chart.set_legend({"none": True})


def write_brief(data: BriefData, out_path: str | Path, *, progress: Progress | None = None) -> list[str]:
    """Stream ``data`` into ``out_path`` (.xlsx, atomically); returns the warnings."""
    import xlsxwriter

    report = progress or (lambda done, total: None)
    cells = _Cells()
    total = sum(len(s.rows) for s in data.sheets)
    done = [0]
    with atomic_output(out_path, allowed=(".xlsx",)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "use_future_functions": False,
        })
        wb.set_properties({
            "title": f"供求简报 {data.period_label}", "subject": "社群供求简报", "author": "sqdesk",
            "manager": "", "company": "", "category": "", "keywords": "", "comments": "",
            "created": dt.datetime.combine(data.end, dt.time()),
        })
        try:
            writer = _Writer(wb, data, cells)
            writer.overview_sheet()
            for sheet in data.sheets:
                writer.table_sheet(sheet, done, total, report)
            wb.close()
        except BaseException:
            _discard(wb)
            raise
    report(total, total)
    return cells.warnings()


def _discard(wb: Any) -> None:
    """After a failure: close and delete the row files ``constant_memory`` keeps per
    sheet (in the system temp folder), so nothing is left open or behind."""
    for sheet in wb.worksheets():
        fh = getattr(sheet, "row_data_fh", None)
        if fh is not None and not fh.closed:
            fh.close()
        name = getattr(sheet, "row_data_filename", None)
        if name:
            Path(name).unlink(missing_ok=True)
    wb.fileclosed = True


def build_brief_workbook(
    session: Session,
    out_path: str | Path,
    *,
    start: dt.date,
    end: dt.date,
    group_ids: Sequence[int] | None = None,
    mask: bool = True,
    shorten_names: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
    operator: str = "",
) -> BriefSummary:
    """Collect and write the 供求简报 of ``[start, end]``. ``mask=False`` is recorded in
    the audit log (``export_unmasked``) — in the caller's transaction, so open a write
    session when not masking."""
    from sqdesk.core import audit

    report = progress or (lambda done, total: None)
    t0 = time.perf_counter()
    data = collect_brief(session, start, end, group_ids=group_ids, mask=mask, shorten_names=shorten_names,
                         today=today, progress=lambda d, t: report(d, t * 10))
    t1 = time.perf_counter()
    rows_total = sum(len(s.rows) for s in data.sheets)
    # progress: collecting is ~1/10 of the bar, writing the rest
    steps = 8

    def write_progress(done: int, total: int) -> None:
        report(steps + int(done * steps * 9 / max(total, 1)), steps * 10)

    warnings = write_brief(data, out_path, progress=write_progress)
    t2 = time.perf_counter()
    if not mask:
        audit.record(session, operator, "export_unmasked", "brief", None,
                     after={"file": Path(out_path).name, "start": start, "end": end,
                            "groups": list(data.group_names), "rows": rows_total})
    return BriefSummary(
        out_path=Path(out_path), start=start, end=end,
        rows={"概览": len(data.overview.figures), **{s.name: len(s.rows) for s in data.sheets}},
        unconsented=data.unconsented, masked=mask, warnings=warnings,
        collect_seconds=t1 - t0, write_seconds=t2 - t1,
    )


def iter_cells(data: BriefData) -> Iterable[tuple[str, int, int, Any]]:
    """(sheet, row, column, value) of every data cell, as written (0-based; for tests)."""
    for s in data.sheets:
        for i, row in enumerate(s.rows):
            for j, v in enumerate(row):
                yield s.name, 3 + i, j, v


__all__ = [
    "BriefData", "BriefSummary", "Column", "KeyFigure", "OverviewData", "SHEETS", "SheetData",
    "build_brief_workbook", "collect_brief", "iter_cells", "previous_period", "sheet_name", "write_brief",
]
