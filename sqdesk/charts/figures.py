"""One function per analytics figure: takes the analytics dataclass, returns a matplotlib
``Figure`` (no pyplot) with labels and drill-down resolvers on its axes.

The functions never touch a database, so the CLI, the 分析 screen and the 总览 dashboard
all draw from the same computed data. Each takes ``translate`` (see
:mod:`sqdesk.charts.i18n`): Chinese by default, the UI language from the UI.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from sqdesk.analytics.community import (
    ActiveSeries,
    AttendanceSummary,
    BackboneRisk,
    Decentralisation,
    GroupTalk,
    Growth,
    Heatmap,
    Inequality,
    InviterQuality,
    LevelDistribution,
    Retention,
    StreakSurvival,
)
from sqdesk.charts.base import (
    BLUE,
    GREEN,
    GREY,
    INK,
    LEVEL_COLOURS,
    ORANGE,
    PURPLE,
    RED,
    TEAL,
    DrillKey,
    bars,
    chart_context,
    empty_note,
    finish,
    index_at,
    new_figure,
    number,
    pct,
    period_label,
    set_drill,
    subtitle,
    thin_ticks,
    wrap_when_crowded,
)
from sqdesk.charts.fonts import displayable
from sqdesk.charts.i18n import QT_TRANSLATE_NOOP, VOCAB, Translate, chinese

ACTIVE_TITLES = {"day": QT_TRANSLATE_NOOP("charts", "每日活跃成员与活跃率"),
                 "week": QT_TRANSLATE_NOOP("charts", "每周活跃成员与活跃率"),
                 "month": QT_TRANSLATE_NOOP("charts", "每月活跃成员与活跃率")}
GROWTH_TITLES = {"day": QT_TRANSLATE_NOOP("charts", "每日入群与退群"),
                 "week": QT_TRANSLATE_NOOP("charts", "每周入群与退群"),
                 "month": QT_TRANSLATE_NOOP("charts", "每月入群与退群")}
UNIT_SHORT = {"day": QT_TRANSLATE_NOOP("charts", "日"), "week": QT_TRANSLATE_NOOP("charts", "周"),
              "month": QT_TRANSLATE_NOOP("charts", "月")}
# Monday first, as sqdesk.analytics.community.WEEKDAYS (a test checks).
WEEKDAYS = (QT_TRANSLATE_NOOP("charts", "周一"), QT_TRANSLATE_NOOP("charts", "周二"),
            QT_TRANSLATE_NOOP("charts", "周三"), QT_TRANSLATE_NOOP("charts", "周四"),
            QT_TRANSLATE_NOOP("charts", "周五"), QT_TRANSLATE_NOOP("charts", "周六"),
            QT_TRANSLATE_NOOP("charts", "周日"))
MAX_INVITERS = 15
MAX_EVENTS = 20
MAX_GROUP_LINES = 6
MAX_GROUPS = 15
MIN_GROUP_MESSAGES = 20


def _int_axis(ax: Axes) -> None:
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))


def _short(text: str, n: int = 8, fallback: str = "—") -> str:
    """A label from data (a nickname, a group or event title): drawable characters only,
    at most ``n`` of them."""
    text = displayable(text, fallback)
    return text if len(text) <= n else text[: n - 1] + "…"


# ---- active members ---------------------------------------------------------------------------

def weekly_active(data: ActiveSeries, *, title: str | None = None, translate: Translate = chinese) -> Figure:
    """Active members per period (bars) and the active rate (line, right axis)."""
    unit = data.unit
    with chart_context():
        fig = new_figure()
        ax = fig.add_subplot()
        ax.set_title(title or translate("charts", ACTIVE_TITLES[unit]))
        pts = data.points
        if not pts or not any(p.active or p.roster for p in pts):
            empty_note(ax, translate("charts", "所选时段和群里没有可统计的数据"))
            return finish(fig)
        xs = np.arange(len(pts))
        active_word, rate_word = translate("charts", "活跃成员"), translate("charts", "活跃率")
        active_bars = bars(ax, xs, [p.active for p in pts], color=BLUE, label=active_word)
        _int_axis(ax)
        ax.set_ylim(0, max(1, max(p.active for p in pts)) * 1.2)     # room for the legend
        ax.set_ylabel(translate("charts", "活跃成员（人）"))
        ax2 = ax.twinx()
        rates = [np.nan if p.rate is None else p.rate for p in pts]
        (line,) = ax2.plot(xs, rates, color=ORANGE, marker="o" if len(pts) <= 30 else None,
                           markersize=3, linewidth=2, label=rate_word)
        ax2.set_ylim(0, max(0.05, np.nanmax(rates) if not np.all(np.isnan(rates)) else 0.05) * 1.2)
        ax2.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax2.set_ylabel(translate("charts", "活跃率（占当期在群成员）"))
        ax2.spines["right"].set_visible(True)
        thin_ticks(ax, [period_label(p.period, unit) for p in pts])
        ax.legend([active_bars, line], [active_word, rate_word], loc="upper left", ncols=2)
        last = pts[-1]
        subtitle(fig, translate("charts", "最近一{unit}（{period}）：活跃 {active} 人 / 在群 {roster} 人，"
                                          "活跃率 {rate}。活跃 = 有发言、签到、分享、邀请或参加活动。").format(
            unit=translate("charts", UNIT_SHORT[unit]), period=last.period.label, active=f"{last.active:,}",
            roster=f"{last.roster:,}", rate=pct(last.rate, 1)))

        def resolve(x: float, _y: float) -> DrillKey | None:
            i = index_at(x, len(pts))
            if i is None:
                return None
            p = pts[i].period
            return DrillKey("weekly_active", "active", (p.start, p.end),
                            translate("charts", "{period} 活跃的成员（{n} 人）").format(period=p.label, n=f"{pts[i].active:,}"),
                            mark=(i - 0.45, i + 0.45, 0, pts[i].active))

        set_drill(ax, resolve)
        set_drill(ax2, resolve, mark_on=ax)
        return finish(fig)


# ---- growth --------------------------------------------------------------------------------------

def growth(data: Growth, *, title: str | None = None, translate: Translate = chinese) -> Figure:
    """Joins (up) and leaves (down) per period, net growth as a line."""
    unit = data.unit
    with chart_context():
        fig = new_figure()
        ax = fig.add_subplot()
        ax.set_title(title or translate("charts", GROWTH_TITLES[unit]))
        pts = data.points
        if not pts or not any(p.joins or p.leaves for p in pts):
            empty_note(ax, translate("charts", "所选时段没有入群或退群记录"))
            return finish(fig)
        xs = np.arange(len(pts))
        bars(ax, xs, [p.joins for p in pts], color=GREEN, label=translate("charts", "入群"))
        bars(ax, xs, [-p.leaves for p in pts], color=RED, label=translate("charts", "退群"))
        ax.plot(xs, [p.net for p in pts], color=INK, marker="o" if len(pts) <= 30 else None,
                markersize=3, linewidth=1.5, label=translate("charts", "净增长"))
        ax.axhline(0, color=GREY, linewidth=0.8)
        high = max(1, max(max(p.joins, p.net) for p in pts))
        low = max(p.leaves for p in pts)
        ax.set_ylim(-max(low, 0.5) * 1.1, high * 1.25)                # room for the legend
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{abs(v):,.0f}"))
        ax.set_ylabel(translate("charts", "人数（向上入群，向下退群）"))
        thin_ticks(ax, [period_label(p.period, unit) for p in pts])
        ax.legend(loc="upper left", ncols=3)
        joins = sum(p.joins for p in pts)
        leaves = sum(p.leaves for p in pts)
        note = translate("charts", "合计入群 {joins} 人，退群 {leaves} 人，净增长 {net} 人。").format(
            joins=f"{joins:,}", leaves=f"{leaves:,}", net=f"{joins - leaves:+,}")
        if data.undated_leaves:
            note += translate("charts", "另有 {n} 人已退出但没有退群日期，未计入。").format(n=f"{data.undated_leaves:,}")
        subtitle(fig, note)

        def resolve(x: float, y: float) -> DrillKey | None:
            i = index_at(x, len(pts))
            if i is None:
                return None
            p = pts[i]
            if y >= 0:
                return DrillKey("growth", "joined", (p.period.start, p.period.end),
                                translate("charts", "{period} 入群的成员（{n} 人）").format(period=p.period.label, n=f"{p.joins:,}"),
                                mark=(i - 0.45, i + 0.45, 0, p.joins))
            return DrillKey("growth", "left", (p.period.start, p.period.end),
                            translate("charts", "{period} 退群的成员（{n} 人）").format(period=p.period.label, n=f"{p.leaves:,}"),
                            mark=(i - 0.45, i + 0.45, -p.leaves, 0))

        set_drill(ax, resolve)
        return finish(fig)


# ---- retention ------------------------------------------------------------------------------------

def retention(data: Retention, *, title: str | None = None, translate: Translate = chinese) -> Figure:
    """Cohort heatmap: row = join month, column = months since joining, cell = share active."""
    cohorts = data.cohorts
    rows = max(1, len(cohorts))
    with chart_context():
        fig = new_figure((8.0, max(3.2, 1.4 + 0.32 * rows)))
        ax = fig.add_subplot()
        ax.set_title(title or translate("charts", "按入群月份的留存（当月仍活跃的比例）"))
        if not cohorts:
            empty_note(ax, translate("charts", "所选时段没有新入群的成员"))
            return finish(fig)
        # Only the columns some cohort has reached.
        reached = max((k + 1 for c in cohorts for k, v in enumerate(c.shares) if v is not None), default=1)
        matrix = np.full((len(cohorts), reached), np.nan)
        for r, c in enumerate(cohorts):
            for k in range(reached):
                v = c.shares[k]
                if v is not None:
                    matrix[r, k] = v
        ax.imshow(np.ma.masked_invalid(matrix), cmap="Blues", vmin=0, vmax=1, aspect="auto",
                  interpolation="nearest")
        ax.set_facecolor("#F4F4F4")
        size = 8 if reached <= 12 and len(cohorts) <= 18 else 6.5
        for r, c in enumerate(cohorts):
            for k in range(reached):
                v = c.shares[k]
                if v is None:
                    continue
                ax.text(k, r, f"{v * 100:.0f}%", ha="center", va="center", fontsize=size,
                        color="white" if v >= 0.55 else INK, in_layout=False)
        later = translate("charts", "+{k}月")
        ax.set_xticks(range(reached), [translate("charts", "当月") if k == 0 else later.format(k=k)
                                       for k in range(reached)])
        cohort = translate("charts", "{month}（{n}人）")
        ax.set_yticks(range(len(cohorts)), [cohort.format(month=f"{c.month.year}-{c.month.month:02d}", n=c.size)
                                            for c in cohorts])
        ax.set_xlabel(translate("charts", "入群后第几个月"))
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        subtitle(fig, translate("charts", "每格 = 该月入群的成员中，在入群后第 k 个月仍有参与（发言/签到/分享/邀请/参加活动）的比例。"))

        def resolve(x: float, y: float) -> DrillKey | None:
            r, k = int(round(y)), int(round(x))
            if not (0 <= r < len(cohorts) and 0 <= k < reached):
                return None
            c = cohorts[r]
            if c.shares[k] is None:
                return None
            month = f"{c.month.year}-{c.month.month:02d}"
            when = (translate("charts", "入群当月") if k == 0
                    else translate("charts", "入群后第 {k} 个月").format(k=k))
            return DrillKey("retention", "cohort", (c.month, k),
                            translate("charts", "{month} 入群、{when}仍活跃的成员（{active} / {size} 人）").format(
                                month=month, when=when, active=f"{c.active[k] or 0:,}", size=f"{c.size:,}"),
                            mark=(k - 0.5, k + 0.5, r - 0.5, r + 0.5))

        set_drill(ax, resolve)
        return finish(fig)


# ---- levels ---------------------------------------------------------------------------------------------

def levels(data: LevelDistribution, *, title: str | None = None, translate: Translate = chinese) -> Figure:
    """The five levels (left) and the 核心/活跃/潜水 split against the 20/50/30 reference (right)."""
    from sqdesk.analytics.community import REFERENCE

    with chart_context():
        fig = new_figure()
        ax, ax_ref = fig.subplots(1, 2, width_ratios=[3, 2])
        fig.suptitle(title or translate("charts", "活跃等级分布（截至 {date}，共 {n} 人）").format(
            date=data.as_of.isoformat(), n=f"{data.total:,}"), fontweight="bold", fontsize=12)
        if data.total == 0:
            empty_note(ax, translate("charts", "没有在群成员"))
            empty_note(ax_ref, "")
            return finish(fig)
        names = list(data.counts)
        counts = [data.counts[n] for n in names]
        xs = np.arange(len(names))
        ax.bar(xs, counts, color=[LEVEL_COLOURS.get(n, BLUE) for n in names], width=0.7)
        top = max(counts) or 1
        for x, n in zip(xs, counts, strict=True):
            ax.text(x, n + top * 0.02, f"{n:,}\n{n / data.total:.0%}", ha="center", va="bottom", fontsize=8.5)
        ax.set_ylim(0, top * 1.25)
        ax.set_xticks(xs, [translate(VOCAB, n) for n in names])
        _int_axis(ax)
        ax.set_ylabel(translate("charts", "人数"))
        ax.set_title(translate("charts", "五级分布"), fontsize=10)

        buckets = list(data.reference)
        actual = [data.reference[b][0] for b in buckets]
        ref = [data.reference[b][1] for b in buckets]
        xb = np.arange(len(buckets))
        ax_ref.bar(xb - 0.2, actual, width=0.4, color=BLUE, label=translate("charts", "本社群"))
        ax_ref.bar(xb + 0.2, ref, width=0.4, color=GREY, alpha=0.6, label=translate("charts", "参考 20/50/30"))
        for x, a in zip(xb, actual, strict=True):
            ax_ref.text(x - 0.2, a + 0.01, f"{a:.0%}", ha="center", va="bottom", fontsize=8.5)
        # 核心 / 活跃+一般 / 潜水+沉默: the levels each reference bucket holds (over two lines when small)
        words = [[translate(VOCAB, lv) for lv in REFERENCE[b][1]] for b in buckets]
        wrap_when_crowded(ax_ref, [float(x) for x in xb], ["+".join(w) for w in words], ["\n+".join(w) for w in words])
        ax_ref.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax_ref.set_ylim(0, max(max(actual), max(ref)) * 1.3)
        ax_ref.legend(loc="upper left")
        ax_ref.set_title(translate("charts", "与 20/50/30 参考比较"), fontsize=10)
        members_of = translate("charts", "等级为「{level}」的成员（{n} 人）")

        def resolve_levels(x: float, _y: float) -> DrillKey | None:
            i = index_at(x, len(names))
            if i is None:
                return None
            return DrillKey("levels", "level", (names[i],),
                            members_of.format(level=translate(VOCAB, names[i]), n=f"{counts[i]:,}"),
                            mark=(i - 0.35, i + 0.35, 0, counts[i]))

        def resolve_ref(x: float, _y: float) -> DrillKey | None:
            i = index_at(x, len(buckets))
            if i is None:
                return None
            lvls = REFERENCE[buckets[i]][1]
            n = sum(data.counts[lv] for lv in lvls)
            level = translate("charts", "、").join(translate(VOCAB, lv) for lv in lvls)
            return DrillKey("levels", "level", tuple(lvls), members_of.format(level=level, n=f"{n:,}"))

        set_drill(ax, resolve_levels)
        set_drill(ax_ref, resolve_ref)
        return finish(fig)


# ---- decentralisation ---------------------------------------------------------------------------------

def decentralisation(data: Decentralisation, *, title: str | None = None, translate: Translate = chinese) -> Figure:
    """Per group: share of 发言 from members vs 群主/管理员 (left); the index over time (right)."""
    groups = _attention_groups(data)
    with chart_context():
        fig = new_figure((9.0, max(4.0, 1.6 + 0.38 * len(groups))))
        ax, ax_t = fig.subplots(1, 2, width_ratios=[1, 1])
        fig.suptitle(title or translate("charts", "去中心化指数（成员发言占比，整体 {share}）").format(
            share=pct(data.overall.index)), fontweight="bold", fontsize=12)
        if not groups:
            empty_note(ax, translate("charts", "所选时段没有发言记录"))
            empty_note(ax_t, "")
            return finish(fig)
        ys = np.arange(len(groups))
        member_share = [g.share.index or 0.0 for g in groups]
        staff_share = [1 - s if g.share.index is not None else 0.0 for g, s in zip(groups, member_share, strict=True)]
        bars(ax, ys, member_share, width=0.6, color=BLUE, label=translate("charts", "成员"), horizontal=True)
        bars(ax, ys, staff_share, base=member_share, width=0.6, color=ORANGE, label=translate("charts", "群主/管理员"),
             horizontal=True)
        for y, s in zip(ys, member_share, strict=True):
            ax.text(min(s, 0.97) if s > 0.12 else s + 0.01, y, f"{s:.0%}", ha="right" if s > 0.12 else "left",
                    va="center", fontsize=8.5, color="white" if s > 0.12 else INK)
        unnamed = translate("charts", "群 #{id}")
        ax.set_yticks(ys, [_short(g.name, 10, unnamed.format(id=g.group_id)) for g in groups])
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
        ax.set_xlabel(translate("charts", "发言量占比"))
        if len(groups) < len(data.groups):
            ax.set_title(translate("charts", "成员发言占比最低的 {n} 个群（共 {total} 个）").format(
                n=len(groups), total=len(data.groups)), fontsize=9, pad=22)

        series = data.series
        xs = np.arange(len(series))
        overall = [np.nan if s.index is None else s.index for _p, s in series]
        unit = "month" if len(series) < 2 or (series[1][0].start - series[0][0].start).days > 7 else "week"
        if len(series) > 1 and all((s[0].end - s[0].start).days == 0 for s in series):
            unit = "day"
        ax_t.plot(xs, overall, color=INK, linewidth=2.2, marker="o" if len(xs) <= 30 else None,
                  markersize=3, label=translate("charts", "整体"))
        colours = [BLUE, GREEN, PURPLE, TEAL, RED, ORANGE]
        if 1 < len(data.groups) <= MAX_GROUP_LINES:
            for g, colour in zip(groups, colours, strict=False):
                vals = [np.nan if s.index is None else s.index for _p, s in data.group_series[g.group_id]]
                ax_t.plot(xs, vals, color=colour, linewidth=1, alpha=0.85, label=_short(g.name, 8))
        ax_t.set_ylim(0, 1.05)
        ax_t.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        thin_ticks(ax_t, [period_label(p, unit) for p, _s in series], max_labels=8)
        ax_t.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), fontsize=8, ncols=3)
        ax_t.set_title(translate("charts", "随时间变化"), fontsize=10)

        def resolve_group(x: float, y: float) -> DrillKey | None:
            i = index_at(y, len(groups))
            if i is None or not 0 <= x <= 1:
                return None
            g = groups[i]
            staff = bool(x > member_share[i])
            label = (translate("charts", "{group}：群主/管理员的发言") if staff
                     else translate("charts", "{group}：成员的发言")).format(group=g.name)
            lo, hi = (member_share[i], 1.0) if staff else (0.0, member_share[i])
            return DrillKey("decentralisation", "group", (g.group_id, staff), label,
                            mark=(lo, hi, i - 0.3, i + 0.3))

        def resolve_time(x: float, _y: float) -> DrillKey | None:
            i = index_at(x, len(series))
            if i is None:
                return None
            p = series[i][0]
            return DrillKey("decentralisation", "period", (p.start, p.end),
                            translate("charts", "{period} 的全部发言").format(period=p.label))

        set_drill(ax, resolve_group)
        set_drill(ax_t, resolve_time)
        return finish(fig)


def _attention_groups(data: Decentralisation, limit: int = MAX_GROUPS) -> list[GroupTalk]:
    """The groups to show: all when few; else the ``limit`` with the lowest member share
    among those with enough talk to judge (at least ``MIN_GROUP_MESSAGES`` 发言)."""
    groups = data.groups
    if len(groups) <= limit:
        return groups
    def volume(g: GroupTalk) -> float:
        return g.share.member_messages + g.share.staff_messages

    judged = [g for g in groups if volume(g) >= MIN_GROUP_MESSAGES] or groups
    ranked = sorted(judged, key=lambda g: (g.share.index if g.share.index is not None else 2.0, -volume(g)))
    return ranked[:limit]


# ---- weekday × hour -------------------------------------------------------------------------------------

def heatmap(data: Heatmap, *, title: str | None = None, translate: Translate = chinese) -> Figure:
    """Message volume by weekday (rows, 周一 first) × hour of day (columns)."""
    with chart_context():
        fig = new_figure((9.0, 3.8))
        ax = fig.add_subplot()
        ax.set_title(title or translate("charts", "发言时段热力图（星期 × 小时）"))
        if data.total <= 0:
            empty_note(ax, translate("charts", "所选时段没有发言记录"))
            return finish(fig)
        days = [translate("charts", d) for d in WEEKDAYS]
        m = np.array(data.matrix, dtype=float)
        img = ax.imshow(m, cmap="YlOrRd", aspect="auto", interpolation="nearest", vmin=0)
        ax.set_yticks(range(7), days)
        hour = translate("charts", "{h}时")
        ax.set_xticks(range(0, 24, 2), [hour.format(h=h) for h in range(0, 24, 2)])
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        bar = fig.colorbar(img, ax=ax, fraction=0.04, pad=0.02)
        bar.set_label(translate("charts", "发言条数"))
        bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v)))
        w, h = np.unravel_index(int(np.argmax(m)), m.shape)
        subtitle(fig, translate("charts", "最热的时段：{day} {start}:00–{end}:00，{n} 条；共 {total} 条发言。").format(
            day=days[w], start=h, end=h + 1, n=number(m[w, h]), total=number(data.total)))
        cell = translate("charts", "{day} {start}:00–{end}:00 发言的成员（{n} 条）")

        def resolve(x: float, y: float) -> DrillKey | None:
            wd, hr = int(round(y)), int(round(x))
            if not (0 <= wd < 7 and 0 <= hr < 24):
                return None
            return DrillKey("heatmap", "cell", (wd, hr),
                            cell.format(day=days[wd], start=hr, end=hr + 1, n=number(m[wd, hr])),
                            mark=(hr - 0.5, hr + 0.5, wd - 0.5, wd + 0.5))

        set_drill(ax, resolve)
        return finish(fig)


# ---- inviters -----------------------------------------------------------------------------------------------

INVITER_BARS = (("invited", QT_TRANSLATE_NOOP("charts", "邀请入群"), GREY),
                ("stayed", QT_TRANSLATE_NOOP("charts", "仍在群"), BLUE),
                ("active", QT_TRANSLATE_NOOP("charts", "入群后参与过"), GREEN))


def inviters(data: list[InviterQuality], *, title: str | None = None, limit: int = MAX_INVITERS,
             translate: Translate = chinese) -> Figure:
    """For the inviters with most invitees: invited, still in the group, took part."""
    shown = _inviters_shown(data, limit)
    with chart_context():
        fig = new_figure((8.0, max(3.2, 1.5 + 0.42 * len(shown))))
        ax = fig.add_subplot()
        more = (translate("charts", "（前 {limit} 位，共 {n} 位邀请人）").format(limit=limit, n=len(data))
                if len(data) > limit else "")
        ax.set_title(title or translate("charts", "邀请人质量：邀请的人留下了吗、参与了吗{more}").format(more=more))
        if not shown:
            empty_note(ax, translate("charts", "所选时段没有记录了邀请人的新成员"))
            return finish(fig)
        ys = np.arange(len(shown))
        h = 0.26
        values = {
            "invited": [q.invitees for q in shown],
            "stayed": [len(q.stayed_ids) for q in shown],
            "active": [len(q.active_ids) for q in shown],
        }
        offsets = {"invited": -h, "stayed": 0.0, "active": h}
        top = max(values["invited"]) or 1
        labels = {key: translate("charts", label) for key, label, _c in INVITER_BARS}
        for key, _label, colour in INVITER_BARS:
            bars(ax, ys + offsets[key], values[key], width=h, color=colour, label=labels[key], horizontal=True)
        rates = translate("charts", "留存 {stayed} · 参与 {active}")
        for y, q in zip(ys, shown, strict=True):
            ax.text(q.invitees + top * 0.01, y - h, rates.format(stayed=f"{q.stay_rate:.0%}", active=f"{q.active_rate:.0%}"),
                    va="center", fontsize=7.5, color=INK, in_layout=False)
        ax.set_yticks(ys, [_short(q.name, 10, f"#{q.inviter_id}") for q in shown])
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.45)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.05), ncols=3)

        def resolve(x: float, y: float) -> DrillKey | None:
            i = index_at(y, len(shown))
            if i is None or x < 0:
                return None
            off = y - i
            key = min(offsets, key=lambda k: abs(offsets[k] - off))
            q = shown[i]
            n = len(values[key]) and values[key][i]
            y = i + offsets[key]
            return DrillKey("inviters", key, (q.inviter_id,),
                            translate("charts", "{name} 邀请的成员：{what}（{n} 人）").format(
                                name=q.name, what=labels[key], n=f"{n:,}"),
                            mark=(0, n, y - h / 2, y + h / 2))

        set_drill(ax, resolve)
        return finish(fig)


def _inviters_shown(data: list[InviterQuality], limit: int) -> list[InviterQuality]:
    """The inviters with most invitees, plus (taking the last places) up to three whose
    invitees mostly left (at least 3 invitees) — the ones an operator should ask about."""
    if len(data) <= limit:
        return list(data)
    worst = sorted((q for q in data[limit - 3:] if q.invitees >= 3 and q.stay_rate < 0.5),
                   key=lambda q: (q.stay_rate, -q.invitees, q.inviter_id))[:3]
    head = data[: limit - len(worst)]
    return head + worst


# ---- event attendance ------------------------------------------------------------------------------------------

def attendance(data: AttendanceSummary, *, title: str | None = None, limit: int = MAX_EVENTS,
               translate: Translate = chinese) -> Figure:
    """Per event (the latest ``limit`` with registrations): 已签到 / 缺席 / 尚未签到."""
    events = [e for e in data.events if e.registered][-limit:]
    with chart_context():
        fig = new_figure((9.0, 4.8))
        ax = fig.add_subplot()
        ax.set_title(title or translate("charts", "活动到场与缺席（到场率 {attended}，缺席率 {no_show}）").format(
            attended=pct(data.attendance_rate), no_show=pct(data.no_show_rate)))
        if not events:
            empty_note(ax, translate("charts", "所选时段没有有人报名的活动"))
            return finish(fig)
        xs = np.arange(len(events))
        came = [e.attended for e in events]
        missed = [e.no_show for e in events]
        pending = [e.registered - e.attended - e.no_show for e in events]
        bars(ax, xs, came, color=GREEN, width=0.7, label=translate("charts", "已签到"))
        bars(ax, xs, missed, base=came, color=RED, width=0.7, label=translate("charts", "缺席"))
        bars(ax, xs, pending, base=[a + b for a, b in zip(came, missed, strict=True)], color=GREY,
             alpha=0.55, width=0.7, label=translate("charts", "已报名（未签到）"))
        top = max(e.registered for e in events)
        for x, e in zip(xs, events, strict=True):
            if e.attendance_rate is not None and e.attended + e.no_show:
                ax.text(float(x), e.registered + top * 0.015, f"{e.attendance_rate:.0%}", ha="center",
                        va="bottom", fontsize=7.5, in_layout=False)
        ax.set_ylim(0, top * 1.25)
        labels = [f"{e.starts_at.month}/{e.starts_at.day} {_short(e.title, 7)}" for e in events]
        ax.set_xticks(xs, labels, rotation=35, ha="right", rotation_mode="anchor", fontsize=8)
        _int_axis(ax)
        ax.set_ylabel(translate("charts", "报名人数"))
        ax.legend(loc="upper left", ncols=3)
        if len(data.events) > len(events):
            subtitle(fig, translate("charts", "显示最近 {shown} 场有报名的活动；合计 {events} 场，"
                                              "报名 {registered} 人次，签到 {attended}，缺席 {no_show}。").format(
                shown=len(events), events=len(data.events), registered=f"{data.registered:,}",
                attended=f"{data.attended:,}", no_show=f"{data.no_show:,}"))

        def resolve(x: float, y: float) -> DrillKey | None:
            i = index_at(x, len(events))
            if i is None or y < 0:
                return None
            e = events[i]
            if y > e.registered:
                return None
            if y <= e.attended:
                status, label, lo, hi = "已签到", translate("charts", "{event}（{date}）已签到的成员"), 0, e.attended
            elif y <= e.attended + e.no_show:
                status, label, lo, hi = ("缺席", translate("charts", "{event}（{date}）缺席的成员"),
                                         e.attended, e.attended + e.no_show)
            else:
                status, label, lo, hi = ("已报名", translate("charts", "{event}（{date}）已报名未签到的成员"),
                                         e.attended + e.no_show, e.registered)
            return DrillKey("attendance", "event", (e.event_id, status),
                            label.format(event=e.title, date=f"{e.starts_at:%Y-%m-%d}"),
                            mark=(i - 0.35, i + 0.35, lo, hi))

        set_drill(ax, resolve)
        return finish(fig)


# ---- participation inequality ---------------------------------------------------------------------------------

def inequality(data: Inequality, *, title: str | None = None, translate: Translate = chinese) -> Figure:
    """Lorenz curve of 发言 over the talkers with the Gini coefficient; top 10% vs the rest."""
    with chart_context():
        fig = new_figure()
        ax, ax_s = fig.subplots(1, 2, width_ratios=[3, 2])
        g = "—" if data.gini is None else f"{data.gini:.2f}"
        fig.suptitle(title or translate("charts", "发言集中度（基尼系数 {gini}）").format(gini=g),
                     fontweight="bold", fontsize=12)
        if not data.counts:
            empty_note(ax, translate("charts", "所选时段没有发言记录"))
            empty_note(ax_s, "")
            return finish(fig)
        vals = np.sort(np.fromiter(data.counts.values(), dtype=float))
        cum = np.concatenate([[0.0], np.cumsum(vals) / vals.sum()])
        xs = np.linspace(0, 1, len(cum))
        if len(cum) > 2000:  # the curve is smooth: 2,000 points draw it exactly enough
            idx = np.unique(np.linspace(0, len(cum) - 1, 2000).astype(int))
            xs, cum = xs[idx], cum[idx]
        ax.plot([0, 1], [0, 1], color=GREY, linestyle="--", linewidth=1, label=translate("charts", "完全平均"))
        ax.plot(xs, cum, color=BLUE, linewidth=2, label=translate("charts", "洛伦兹曲线"))
        ax.fill_between(xs, cum, xs, color=BLUE, alpha=0.12)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal", adjustable="box")
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel(translate("charts", "发言成员（按发言量从少到多，共 {n} 人）").format(n=f"{data.talkers:,}"))
        ax.set_ylabel(translate("charts", "累计发言占比"))
        ax.legend(loc="upper left")

        top = data.top10_share or 0.0
        ax_s.bar([0, 1], [top, 1 - top], color=[ORANGE, BLUE], width=0.6)
        for x, v in ((0, top), (1, 1 - top)):
            ax_s.text(x, v + 0.015, f"{v:.0%}", ha="center", va="bottom")
        top_n, rest_n = f"{data.top10_count:,}", f"{data.talkers - data.top10_count:,}"
        ax_s.set_xticks([0, 1], [translate("charts", "前 10%\n（{n} 人）").format(n=top_n),
                                 translate("charts", "其余 90%\n（{n} 人）").format(n=rest_n)])
        ax_s.set_ylim(0, 1.12)
        ax_s.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax_s.set_title(translate("charts", "发言量占比"), fontsize=10)

        def resolve(x: float, _y: float) -> DrillKey | None:
            i = index_at(x, 2)
            if i is None:
                return None
            if i == 0:
                return DrillKey("inequality", "top", (), translate("charts", "发言量前 10% 的成员（{n} 人）").format(n=top_n))
            return DrillKey("inequality", "rest", (), translate("charts", "其余 90% 发言的成员（{n} 人）").format(n=rest_n))

        set_drill(ax_s, resolve)
        return finish(fig)


# ---- 骨干 absence risk -----------------------------------------------------------------------------------------------

def backbone(data: BackboneRisk, *, title: str | None = None, translate: Translate = chinese) -> Figure:
    """How much talk rests on the top few (left) and the 骨干 who went quiet (right)."""
    quiet = data.quiet[:12]
    with chart_context():
        fig = new_figure((9.0, max(4.0, 1.6 + 0.36 * len(quiet))))
        ax, ax_q = fig.subplots(1, 2, width_ratios=[2, 3])
        fig.suptitle(title or translate("charts", "骨干依赖与流失风险"), fontweight="bold", fontsize=12)
        share = data.top_share or 0.0
        ax.bar([0, 1], [share, 1 - share] if data.top_share is not None else [0, 0], color=[RED, BLUE], width=0.6)
        for x, v in ((0, share), (1, 1 - share)):
            if data.top_share is not None:
                ax.text(x, v + 0.015, f"{v:.0%}", ha="center", va="bottom")
        ax.set_xticks([0, 1], [translate("charts", "发言最多的\n{n} 人").format(n=len(data.top_member_ids)),
                               translate("charts", "其他成员")])
        ax.set_ylim(0, 1.12)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_title(translate("charts", "一半的发言来自 {n} 人").format(n=f"{data.members_for_half:,}"), fontsize=10)

        if quiet:
            ys = np.arange(len(quiet))
            ax_q.barh(ys, [q.active_rows_before for q in quiet], color=ORANGE, height=0.6)
            top = max(q.active_rows_before for q in quiet) or 1
            for y, q in zip(ys, quiet, strict=True):
                last = (translate("charts", "最后参与 {date}").format(date=f"{q.last_active:%m-%d}") if q.last_active
                        else translate("charts", "从未参与"))
                ax_q.text(q.active_rows_before + top * 0.02, y, last, va="center", fontsize=8)
            who = translate("charts", "{name}（{role}）")
            ax_q.set_yticks(ys, [who.format(name=_short(q.name, 8, f"#{q.member_id}"), role=translate(VOCAB, q.role or q.level))
                                 for q in quiet])
            # at least four rows' room (inverted: the first at the top), so one or two quiet
            # 骨干 draw as bars, not as a block filling the panel
            ax_q.set_ylim(max(len(quiet), 4) - 0.5, -0.5)
            ax_q.set_xlim(0, top * 1.5)
            ax_q.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
            ax_q.set_xlabel(translate("charts", "此前的参与记录数"))
            more = (translate("charts", "，共 {n} 人").format(n=len(data.quiet)) if len(data.quiet) > len(quiet)
                    else "")
            ax_q.set_title(translate("charts", "最近 {days} 天沉寂的骨干{more}").format(days=data.quiet_days, more=more),
                           fontsize=10)
        else:
            empty_note(ax_q, translate("charts", "最近 {days} 天没有沉寂的骨干").format(days=data.quiet_days))

        def resolve_top(x: float, _y: float) -> DrillKey | None:
            i = index_at(x, 2)
            if i is None or data.top_share is None:
                return None
            if i == 0:
                return DrillKey("backbone", "top", (),
                                translate("charts", "发言最多的 {n} 人").format(n=len(data.top_member_ids)))
            return None

        def resolve_quiet(x: float, y: float) -> DrillKey | None:
            i = index_at(y, len(quiet))
            if i is None or x < 0:
                return None
            q = quiet[i]
            return DrillKey("backbone", "quiet", (q.member_id,),
                            translate("charts", "沉寂的骨干 {name} 的发言记录").format(name=q.name))

        set_drill(ax, resolve_top)
        if quiet:
            set_drill(ax_q, resolve_quiet)
        return finish(fig)


# ---- 打卡 streak survival ---------------------------------------------------------------------------------------------

@dataclass
class Campaign:
    """A 打卡 campaign's survival with what to call it: an event's title, or None for the
    签到 of a period with no 打卡 event (named by its dates when drawn)."""

    title: str | None
    survival: StreakSurvival
    event_id: int | None = None


def streaks(data: StreakSurvival | Campaign, *, title: str | None = None, translate: Translate = chinese) -> Figure:
    """Share of participants whose streak reached day k, and who still checked in on day k or later."""
    s = data.survival if isinstance(data, Campaign) else data
    if not isinstance(data, Campaign):
        name = translate("charts", "{start}～{end} 打卡")
    elif data.title is None:
        name = translate("charts", "{start}～{end} 的签到")
    else:
        name = data.title
    if not isinstance(data, Campaign) or data.title is None:
        name = name.format(start=f"{s.start:%m-%d}", end=f"{s.end:%m-%d}")
    with chart_context():
        fig = new_figure()
        ax = fig.add_subplot()
        ax.set_title(title or translate("charts", "打卡坚持曲线：{campaign}（{n} 人参加）").format(
            campaign=_short(name, 24), n=f"{len(s.participants):,}"))
        if not s.participants:
            empty_note(ax, translate("charts", "这段时间没有签到（打卡）记录"))
            return finish(fig)
        days = np.arange(1, s.days + 1)
        ax.step(days, s.streak_survival, where="mid", color=BLUE, linewidth=2,
                label=translate("charts", "连续打卡到第 k 天"))
        ax.step(days, s.still_checking, where="mid", color=ORANGE, linewidth=1.5, linestyle="--",
                label=translate("charts", "第 k 天及以后仍在打卡"))
        ax.set_ylim(0, 1.05)
        ax.set_xlim(0.5, s.days + 0.5)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12))
        ax.set_xlabel(translate("charts", "第几天（{start} 起）").format(start=s.start.isoformat()))
        ax.set_ylabel(translate("charts", "占参加者比例"))
        ax.legend(loc="upper right")
        full = s.streak_survival[-1] if s.streak_survival else 0.0
        subtitle(fig, translate("charts", "坚持全部 {days} 天的：{share}。连续 = 从第一次打卡起一天不断。").format(
            days=s.days, share=f"{full:.0%}"))

        def resolve(x: float, y: float) -> DrillKey | None:
            k = int(round(x))
            if not 1 <= k <= s.days:
                return None
            streak = bool(abs(y - s.streak_survival[k - 1]) <= abs(y - s.still_checking[k - 1]))
            what = (translate("charts", "连续打卡到第 {k} 天的成员") if streak
                    else translate("charts", "第 {k} 天及以后仍在打卡的成员")).format(k=k)
            return DrillKey("streaks", "streak" if streak else "still", (k,), what)

        set_drill(ax, resolve)
        return finish(fig)
