"""总览: this week at a glance. Figures come from :mod:`sqdesk.core.overview`, loaded on the
worker thread whenever data it shows changes. Below them, the main four charts
(:class:`sqdesk.ui.widgets.chart_canvas.DashboardCharts`), computed after the figures
are shown and refreshed when members, groups, activity or events change."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sqdesk.ui.context import AppContext
from sqdesk.ui.i18n import vocab
from sqdesk.ui.tasks import TaskHandle
from sqdesk.ui.widgets.chart_canvas import DashboardCharts
from sqdesk.ui.widgets.icons import icon

SHOWN_KINDS = frozenset(
    {"members", "groups", "events", "activity", "supply", "rules", "imports", "workspace"}
)


class Card(QFrame):
    """One figure: a big value, what it is, and a line of context."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.value = QLabel("…", self)
        self.value.setObjectName("cardValue")
        self.caption = QLabel(caption, self)
        self.caption.setObjectName("cardCaption")
        self.note = QLabel("", self)
        self.note.setObjectName("cardNote")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.note)
        layout.addStretch()
        self.setMinimumWidth(180)

    def set(self, value: str, note: str = "") -> None:
        self.value.setText(value)
        self.note.setText(note)


class DashboardView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._rules_counting = False  # a rule to-do count is queued on the worker
        self._rules_stale = False  # data changed while it was
        self.title = self.tr("总览")
        self.overview: object | None = None
        self._loading = False
        self._dirty = False

        self.refresh_action = QAction(icon("refresh"), self.tr("刷新"), self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.setToolTip(self.tr("重新统计总览数字（F5）"))
        self.refresh_action.triggered.connect(self.reload)

        body = QWidget(self)
        body.setObjectName("dashboardBody")
        self.period = QLabel(self.tr("正在统计…"), body)
        self.period.setObjectName("dashboardPeriod")

        self.card_members = Card(self.tr("在群成员"), body)
        self.card_active = Card(self.tr("近 7 天活跃"), body)
        self.card_joins = Card(self.tr("本周入群"), body)
        self.card_leaves = Card(self.tr("本周离开"), body)
        self.card_supply = Card(self.tr("待撮合的供给"), body)
        self.card_demand = Card(self.tr("待满足的需求"), body)
        self.card_events = Card(self.tr("未来 14 天的活动"), body)
        self.card_rules = Card(self.tr("群规待办"), body)
        cards = QGridLayout()
        cards.setSpacing(12)
        for i, card in enumerate((
            self.card_members, self.card_active, self.card_joins, self.card_leaves,
            self.card_events, self.card_supply, self.card_demand, self.card_rules,
        )):
            cards.addWidget(card, i // 4, i % 4)

        events_title = QLabel(self.tr("即将开始的活动"), body)
        events_title.setObjectName("sectionTitle")
        self.events = QTableWidget(0, 5, body)
        self.events.setObjectName("upcomingTable")
        self.events.setHorizontalHeaderLabels(
            [self.tr("时间"), self.tr("活动"), self.tr("类型"), self.tr("地点 / 链接"), self.tr("报名")]
        )
        self.events.verticalHeader().setVisible(False)
        self.events.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.events.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.events.setAlternatingRowColors(False)
        self.events.setShowGrid(False)
        self.events.setWordWrap(False)
        header = self.events.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.events.setMinimumHeight(150)
        self.no_events = QLabel(self.tr("未来 14 天还没有安排活动。"), body)
        self.no_events.setObjectName("cardNote")
        self.no_events.hide()

        charts = QFrame(body)
        charts.setObjectName("chartsArea")
        charts.setMinimumHeight(150)
        charts_title = QLabel(self.tr("图表"), charts)
        charts_title.setObjectName("sectionTitle")
        charts_note = QLabel(
            self.tr("点击图表，到「分析」里查看每根柱子背后的成员；更多图表也在「分析」。"),
            charts,
        )
        charts_note.setObjectName("chartsNote")
        charts_note.setWordWrap(True)
        # The main four charts; computed (and matplotlib loaded) only after the figures above.
        self.charts = DashboardCharts(ctx, charts)
        self.charts.open_chart.connect(self.open_chart)
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(16, 12, 16, 12)
        charts_layout.addWidget(charts_title)
        charts_layout.addWidget(charts_note)
        charts_layout.addWidget(self.charts)
        self.charts_area = charts

        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addStretch()

        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 4, 20, 20)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addLayout(cards)
        layout.addWidget(events_title)
        layout.addWidget(self.events)
        layout.addWidget(self.no_events)
        layout.addWidget(charts)
        layout.addStretch()

        scroll = QScrollArea(self)
        scroll.setObjectName("dashboardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.viewport().setStyleSheet("background: transparent;")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        ctx.changed.connect(self._on_changed)
        self.reload()

    def toolbar_actions(self) -> list[QAction]:
        return [self.refresh_action]

    def is_busy(self) -> bool:
        """Figures, the rule to-do count or the charts are still on their way (a chart load
        is scheduled a second after the figures arrive, so the task queue alone can look idle)."""
        return self._loading or self._rules_counting or self.charts.is_busy()

    def open_chart(self, name: str) -> None:
        """The 分析 screen with chart ``name`` (a click on a dashboard chart)."""
        show = getattr(self.window(), "show_view", None)
        view = show("analytics") if show is not None else None
        select = getattr(view, "select_chart", None)
        if select is not None:
            select(name)

    # loading -----------------------------------------------------------------------
    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & SHOWN_KINDS:
            self.reload()

    def reload(self) -> None:
        if self._loading:
            self._dirty = True
            return
        self._loading = True

        def run(h: TaskHandle) -> object:
            from sqdesk.core.overview import this_week_overview

            with h.ws.read() as s:
                return this_week_overview(s)

        self.ctx.tasks.submit(run, on_done=self._show, on_error=self._failed, owner=self,
                              label=self.tr("正在统计总览…"))

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self.period.setText(self.tr("统计失败：{error}").format(error=exc))
        if self.ctx.tasks.error_handler is not None:
            self.ctx.tasks.error_handler(exc)

    def _show(self, ov: object) -> None:
        from sqdesk.core.overview import Overview

        assert isinstance(ov, Overview)
        self._loading = False
        self.overview = ov
        locale = QLocale()
        self.period.setText(
            self.tr("本周：{start} — {end}　·　统计于 {time}").format(
                start=locale.toString(_qdate(ov.week_start), self.tr("M月d日 ddd")),
                end=locale.toString(_qdate(ov.week_end), self.tr("M月d日 ddd")),
                time=locale.toString(QTime.currentTime(), "HH:mm"),
            )
        )
        n = _n
        self.card_members.set(
            n(ov.in_group),
            self.tr("群主 {owner} · 管理员 {admin} · 骨干 {core}；全部 {total} 人").format(
                owner=n(ov.by_role.get("群主", 0)), admin=n(ov.by_role.get("管理员", 0)),
                core=n(ov.by_role.get("骨干", 0)), total=n(ov.members_total),
            ),
        )
        self.card_active.set(
            n(ov.active_7d),
            self.tr("占在群成员 {rate}（有发言、签到或分享）").format(rate=f"{ov.active_rate:.0%}"),
        )
        self.card_joins.set(n(ov.joins_week), self.tr("入群日期在本周的成员"))
        self.card_leaves.set(
            n(ov.leaves_week),
            self.tr("本周退群或被清退、已不在任何群的成员"),
        )
        self.card_supply.set(n(ov.open_supply.get("供给", 0)), self.tr("状态为待处理且未过期"))
        self.card_demand.set(n(ov.open_supply.get("需求", 0)), self.tr("状态为待处理且未过期"))
        seats = sum(e.registered for e in ov.upcoming)
        self.card_events.set(n(len(ov.upcoming)), self.tr("共 {n} 人已报名").format(n=n(seats)))
        self._count_rule_todos()
        self._fill_events(ov)
        if not self.charts.data:
            self.charts.schedule()
        if self._dirty:
            self._dirty = False
            self.reload()

    def _count_rule_todos(self) -> None:
        # It evaluates every rule over the member metrics (seconds at 100k members):
        # at most one count queued on the worker; changes meanwhile ask for one more.
        if self._rules_counting:
            self._rules_stale = True
            return
        self._rules_counting, self._rules_stale = True, False
        self.card_rules.set("…", self.tr("正在按群规检查成员…"))
        self.ctx.tasks.submit(_count_rule_todos, on_done=self._show_rule_todos, on_error=self._rule_count_failed,
                              owner=self, label=self.tr("检查群规"))

    def _rule_count_failed(self, exc: BaseException) -> None:
        self._rules_counting = False
        self._failed(exc)

    def _show_rule_todos(self, counts: tuple[int, int]) -> None:
        self._rules_counting = False
        if self._rules_stale:
            self._count_rule_todos()
            return
        todos, members = counts
        self.card_rules.set(_n(todos), self.tr("涉及 {n} 名成员，到「群规」处理").format(n=_n(members)))

    def _fill_events(self, ov: object) -> None:
        from sqdesk.core.overview import Overview

        assert isinstance(ov, Overview)
        locale = QLocale()
        self.events.setRowCount(len(ov.upcoming))
        for row, e in enumerate(ov.upcoming):
            when = locale.toString(_qdatetime(e.starts_at), self.tr("M月d日 ddd HH:mm"))
            if e.capacity:
                seats = self.tr("{n} / {cap}").format(n=e.registered, cap=e.capacity)
            else:
                seats = self.tr("{n} 人").format(n=e.registered)
            if e.waitlisted:
                seats += self.tr("（候补 {n}）").format(n=e.waitlisted)
            for col, text in enumerate((when, e.title, vocab(e.kind), e.location, seats)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.UserRole, e.id)
                self.events.setItem(row, col, item)
        empty = not ov.upcoming
        self.events.setVisible(not empty)
        self.no_events.setVisible(empty)
        if not empty:
            height = self.events.horizontalHeader().height() + 4
            height += sum(self.events.rowHeight(r) for r in range(len(ov.upcoming)))
            self.events.setFixedHeight(min(height, 420))


def _count_rule_todos(h: TaskHandle) -> tuple[int, int]:
    from sqdesk.core.overview import rule_todo_count

    assert h.ws is not None
    with h.ws.read() as s:
        return rule_todo_count(s)


def _n(value: int) -> str:
    return QLocale().toString(value)


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _qdatetime(t: dt.datetime) -> QDateTime:
    return QDateTime(_qdate(t.date()), QTime(t.hour, t.minute, t.second))
