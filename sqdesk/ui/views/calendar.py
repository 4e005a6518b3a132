"""活动 — the calendar screen: month and week views, the chosen day's events, the chosen
event's details and registrations (报名 / 候补 / 签到), the door check-in mode and the
.ics / 签到表 exports.

Occurrences of the visible period (recurring events expanded by core) are loaded on the
DB worker whenever the period, the group filter or the data ("events") changes; a
result that arrives after a newer request is dropped. The month and week grids are
painted widgets (one paint for 42 days, not hundreds of child widgets). Every edit goes
through the undo stack (:mod:`sqdesk.ui.commands_events`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    QByteArray,
    QDate,
    QLocale,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sqdesk.core import events as core_events
from sqdesk.ui.commands import CoreCommand
from sqdesk.ui.commands_events import (
    DeleteEventCommand,
    RegistrationCommand,
    cancel_command,
    no_show_command,
    register_command,
)
from sqdesk.ui.i18n import vocab
from sqdesk.ui.itemmodels.registrations_model import RegistrationsModel
from sqdesk.ui.widgets.actions import Shortcut, view_action

if TYPE_CHECKING:
    from sqdesk.ui.context import AppContext
    from sqdesk.ui.dialogs.checkin_dialog import CheckinDialog
    from sqdesk.ui.tasks import TaskHandle

SPLITTER_STATE_KEY = "calendar/splitter"
MODE_KEY = "calendar/mode"

# One colour per kind: a saturated edge and a light fill that dark text reads well on.
KIND_COLOURS: dict[str, tuple[str, str]] = {
    "线上讲座": ("#2563eb", "#dbeafe"),
    "直播": ("#db2777", "#fce7f3"),
    "线下见面会": ("#059669", "#d1fae5"),
    "打卡": ("#d97706", "#fef3c7"),
    "分享会": ("#7c3aed", "#ede9fe"),
    "其他": ("#475569", "#e2e8f0"),
}
CANCELLED_COLOURS = ("#94a3b8", "#f1f5f9")
TEXT = QColor("#0f172a")
MUTED = QColor("#64748b")
GRID = QColor("#e2e8f0")
TODAY = QColor("#2563eb")
SELECTED_DAY = QColor("#eff6ff")
OTHER_MONTH = QColor("#f8fafc")


def kind_colours(occ: core_events.Occurrence) -> tuple[QColor, QColor]:
    edge, fill = CANCELLED_COLOURS if occ.status == "已取消" else KIND_COLOURS.get(occ.kind, KIND_COLOURS["其他"])
    return QColor(edge), QColor(fill)


def draw_chip(p: QPainter, rect: QRect, occ: core_events.Occurrence, selected: bool, radius: int) -> None:
    """An event's block: light fill in its kind's colour, a solid edge on the left."""
    edge, fill = kind_colours(occ)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(edge.lighter(160) if selected else fill)
    p.drawRoundedRect(rect, radius, radius)
    p.setBrush(edge)
    p.drawRect(QRect(rect.left(), rect.top(), 3, rect.height()))
    p.setBrush(Qt.BrushStyle.NoBrush)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def month_grid_start(day: dt.date) -> dt.date:
    return monday_of(day.replace(day=1))


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def short_day_name(weekday: int) -> str:
    """周一 … 周日 / Mon … Sun in the UI language (QLocale default set by i18n)."""
    return QLocale().dayName(weekday + 1, QLocale.FormatType.ShortFormat)


def occurrence_days(occ: core_events.Occurrence) -> list[dt.date]:
    """The days an occurrence touches (an event ending at midnight doesn't touch the next)."""
    last = (occ.ends_at - dt.timedelta(microseconds=1)).date() if occ.ends_at > occ.starts_at else occ.starts_at.date()
    days: list[dt.date] = []
    d = occ.starts_at.date()
    while d <= last and len(days) < 62:
        days.append(d)
        d += dt.timedelta(days=1)
    return days


@dataclass
class _Hit:
    rect: QRect
    event_id: int | None
    day: dt.date


class _EventCanvas(QWidget):
    """A painted grid that remembers where it drew each day and event, for clicks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hits: list[_Hit] = []

    def hit(self, pos: QPoint) -> _Hit | None:
        """What is under ``pos``: drawn later = on top (an event chip over its day)."""
        for h in reversed(self._hits):
            if h.rect.contains(pos):
                return h
        return None

    def event_rect(self, event_id: int, day: dt.date) -> QRect | None:
        """Where the event is drawn on ``day`` (None: not drawn there)."""
        for h in self._hits:
            if h.event_id == event_id and h.day == day:
                return h.rect
        return None


# ---- month grid ----------------------------------------------------------------------

class MonthGrid(_EventCanvas):
    """Six weeks × seven days; each day lists its events as "20:00 标题" chips."""

    day_clicked = Signal(object)  # dt.date
    day_double_clicked = Signal(object)
    event_clicked = Signal(int, object)  # event id, day
    event_double_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("month_grid")
        self.month = dt.date.today().replace(day=1)
        self.today = dt.date.today()
        self.selected_day: dt.date | None = None
        self.selected_event: int | None = None
        self.by_day: dict[dt.date, list[core_events.Occurrence]] = {}
        self._hits: list[_Hit] = []
        self.setMouseTracking(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAutoFillBackground(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802
        """Arrows move the chosen day, Enter opens its first event (or a new one)."""
        day = self.selected_day or self.today
        moves = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}
        if e.key() in moves:
            self.day_clicked.emit(day + dt.timedelta(days=moves[Qt.Key(e.key())]))
        elif e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            occs = self.by_day.get(day, [])
            if occs:
                self.event_clicked.emit(occs[0].event_id, day)
            else:
                self.day_double_clicked.emit(day)
        else:
            super().keyPressEvent(e)

    def sizeHint(self) -> QSize:  # noqa: N802
        fm = self.fontMetrics()
        return QSize(fm.averageCharWidth() * 100, (fm.height() + 4) * 4 * 6 + fm.height() + 10)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        fm = self.fontMetrics()
        return QSize(fm.averageCharWidth() * 60, (fm.height() + 4) * 3 * 6)

    def set_data(self, month: dt.date, by_day: dict[dt.date, list[core_events.Occurrence]], today: dt.date) -> None:
        self.month, self.by_day, self.today = month.replace(day=1), by_day, today
        self.update()

    def first_day(self) -> dt.date:
        return month_grid_start(self.month)

    def _geometry(self) -> tuple[int, float, float]:
        header = self.fontMetrics().height() + 10
        return header, self.width() / 7, (self.height() - header) / 6

    def cell_rect(self, day: dt.date) -> QRect:
        header, cw, ch = self._geometry()
        i = (day - self.first_day()).days
        r, c = divmod(i, 7)
        return QRect(int(c * cw), int(header + r * ch), int((c + 1) * cw) - int(c * cw), int(header + (r + 1) * ch) - int(header + r * ch))

    def paintEvent(self, _e: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        header, cw, ch = self._geometry()
        p.fillRect(self.rect(), QColor("#ffffff"))
        p.setPen(MUTED)
        for c in range(7):
            rect = QRect(int(c * cw), 0, int(cw), header)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, short_day_name(c))
        self._hits = []
        first = self.first_day()
        line_h = fm.height() + 4
        bold = QFont(self.font())
        bold.setBold(True)
        for i in range(42):
            day = first + dt.timedelta(days=i)
            rect = self.cell_rect(day)
            in_month = day.month == self.month.month
            bg = SELECTED_DAY if day == self.selected_day else (QColor("#ffffff") if in_month else OTHER_MONTH)
            p.fillRect(rect, bg)
            p.setPen(QPen(GRID, 1))
            p.drawRect(rect.adjusted(0, 0, -1, -1))
            self._hits.append(_Hit(rect, None, day))
            num = str(day.day)
            num_rect = QRect(rect.left() + 4, rect.top() + 3, fm.height() + 8, fm.height() + 2)
            if day == self.today:
                p.setBrush(TODAY)
                p.setPen(Qt.PenStyle.NoPen)
                d = fm.height() + 2
                p.drawEllipse(QRectF(num_rect.left(), num_rect.top(), max(d, fm.horizontalAdvance(num) + 8), d))
                p.setPen(QColor("#ffffff"))
                p.setFont(bold)
                p.drawText(QRect(num_rect.left(), num_rect.top(), max(d, fm.horizontalAdvance(num) + 8), d),
                           Qt.AlignmentFlag.AlignCenter, num)
                p.setFont(self.font())
                p.setBrush(Qt.BrushStyle.NoBrush)
            else:
                p.setPen(TEXT if in_month else MUTED)
                p.drawText(num_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, num)
            occs = self.by_day.get(day, [])
            top = rect.top() + fm.height() + 8
            room = max((rect.bottom() - top - 2) // line_h, 0)
            shown = occs if len(occs) <= room else occs[: max(room - 1, 0)]
            for occ in shown:
                chip = QRect(rect.left() + 3, top, rect.width() - 6, line_h - 2)
                draw_chip(p, chip, occ, occ.event_id == self.selected_event, 3)
                time = f"{occ.starts_at:%H:%M}" if occ.starts_at.date() == day else "…"
                text = fm.elidedText(f"{time} {occ.title}", Qt.TextElideMode.ElideRight, chip.width() - 10)
                font = QFont(self.font())
                font.setStrikeOut(occ.status == "已取消")
                p.setFont(font)
                p.setPen(MUTED if occ.status == "已取消" else TEXT)
                p.drawText(chip.adjusted(7, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
                p.setFont(self.font())
                self._hits.append(_Hit(chip, occ.event_id, day))
                top += line_h
            if len(shown) < len(occs):
                more = QRect(rect.left() + 6, top, rect.width() - 8, line_h - 2)
                p.setPen(MUTED)
                p.drawText(more, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                           self.tr("还有 {n} 个…").format(n=len(occs) - len(shown)))
        p.end()

    def mousePressEvent(self, e: QMouseEvent) -> None:  # noqa: N802
        h = self.hit(e.position().toPoint())
        if h is None or e.button() != Qt.MouseButton.LeftButton:
            return
        if h.event_id is not None:
            self.event_clicked.emit(h.event_id, h.day)
        else:
            self.day_clicked.emit(h.day)

    def mouseDoubleClickEvent(self, e: QMouseEvent) -> None:  # noqa: N802
        h = self.hit(e.position().toPoint())
        if h is None:
            return
        if h.event_id is not None:
            self.event_double_clicked.emit(h.event_id)
        else:
            self.day_double_clicked.emit(h.day)


# ---- week grid -----------------------------------------------------------------------

class WeekGrid(_EventCanvas):
    """Seven day columns × 24 hours; events are blocks, overlapping ones side by side."""

    event_clicked = Signal(int, object)
    event_double_clicked = Signal(int)
    slot_double_clicked = Signal(object)  # dt.datetime
    day_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("week_grid")
        self.week_start = monday_of(dt.date.today())
        self.today = dt.date.today()
        self.selected_event: int | None = None
        self.selected_day: dt.date | None = None
        self.occurrences: list[core_events.Occurrence] = []
        self._hits: list[_Hit] = []
        self.hour_height = max(self.fontMetrics().height() * 2 + 14, 48)
        self.gutter = self.fontMetrics().horizontalAdvance("00:00") + 14
        self.setMinimumHeight(self.hour_height * 24)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.fontMetrics().averageCharWidth() * 100, self.hour_height * 24)

    def set_data(self, week_start: dt.date, occs: list[core_events.Occurrence], today: dt.date) -> None:
        self.week_start, self.occurrences, self.today = week_start, occs, today
        self.update()

    def column_width(self) -> float:
        return (self.width() - self.gutter) / 7

    def _y(self, moment: dt.datetime, day: dt.date) -> float:
        start = dt.datetime.combine(day, dt.time())
        minutes = min(max((moment - start).total_seconds() / 60, 0), 24 * 60)
        return minutes / 60 * self.hour_height

    def _layout(self) -> list[tuple[core_events.Occurrence, dt.date, int, int]]:
        """(occurrence, day, lane, lanes) per day segment; lanes split a cluster of overlaps."""
        out: list[tuple[core_events.Occurrence, dt.date, int, int]] = []
        for i in range(7):
            day = self.week_start + dt.timedelta(days=i)
            segs = sorted((o for o in self.occurrences if day in occurrence_days(o)),
                          key=lambda o: (o.starts_at, o.ends_at, o.event_id))
            clusters: list[list[tuple[core_events.Occurrence, int]]] = []
            cluster_end: dt.datetime | None = None
            lane_ends: list[dt.datetime] = []
            for o in segs:
                if cluster_end is None or o.starts_at >= cluster_end:
                    clusters.append([])
                    lane_ends, cluster_end = [], None
                lane = next((k for k, end in enumerate(lane_ends) if end <= o.starts_at), len(lane_ends))
                if lane == len(lane_ends):
                    lane_ends.append(o.ends_at)
                else:
                    lane_ends[lane] = o.ends_at
                clusters[-1].append((o, lane))
                cluster_end = o.ends_at if cluster_end is None else max(cluster_end, o.ends_at)
            for cluster in clusters:
                lanes = max(lane for _, lane in cluster) + 1
                out.extend((o, day, lane, lanes) for o, lane in cluster)
        return out

    def paintEvent(self, _e: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        cw = self.column_width()
        p.fillRect(self.rect(), QColor("#ffffff"))
        for i in range(7):
            day = self.week_start + dt.timedelta(days=i)
            x = int(self.gutter + i * cw)
            if day == self.today:
                p.fillRect(QRect(x, 0, int(cw), self.height()), QColor("#f5f9ff"))
            elif day == self.selected_day:
                p.fillRect(QRect(x, 0, int(cw), self.height()), SELECTED_DAY)
        for h in range(25):
            y = h * self.hour_height
            p.setPen(QPen(GRID, 1))
            p.drawLine(self.gutter, y, self.width(), y)
            if 0 < h < 24:
                p.setPen(MUTED)
                p.drawText(QRect(0, y - fm.height() // 2, self.gutter - 6, fm.height()),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{h:02d}:00")
        for i in range(8):
            x = int(self.gutter + i * cw)
            p.setPen(QPen(GRID, 1))
            p.drawLine(x, 0, x, self.height())
        now = dt.datetime.now()
        if self.week_start <= now.date() < self.week_start + dt.timedelta(days=7):
            x = int(self.gutter + now.weekday() * cw)
            y = int(self._y(now, now.date()))
            p.setPen(QPen(QColor("#dc2626"), 2))
            p.drawLine(x, y, int(x + cw), y)
        self._hits = []
        for occ, day, lane, lanes in self._layout():
            i = (day - self.week_start).days
            left = self.gutter + i * cw + 2 + lane * (cw - 4) / lanes
            width = (cw - 4) / lanes - 2
            y0 = self._y(occ.starts_at, day)
            y1 = max(self._y(occ.ends_at, day), y0 + fm.height() + 6)
            rect = QRect(int(left), int(y0) + 1, int(width), int(y1 - y0) - 2)
            draw_chip(p, rect, occ, occ.event_id == self.selected_event, 4)
            inner = rect.adjusted(7, 2, -3, -2)
            font = QFont(self.font())
            font.setStrikeOut(occ.status == "已取消")
            p.setFont(font)
            p.setPen(MUTED if occ.status == "已取消" else TEXT)
            time = f"{occ.starts_at:%H:%M}–{occ.ends_at:%H:%M}"
            lines = [occ.title, time] if inner.height() >= 2 * fm.height() else [f"{occ.starts_at:%H:%M} {occ.title}"]
            if occ.location and inner.height() >= 3 * fm.height():
                lines.append(occ.location)
            y = inner.top()
            for k, line in enumerate(lines):
                if y + fm.height() > inner.bottom() + 2:
                    break
                if k == 0:
                    bold = QFont(font)
                    bold.setBold(True)
                    p.setFont(bold)
                    text = p.fontMetrics().elidedText(line, Qt.TextElideMode.ElideRight, inner.width())
                    p.drawText(QRect(inner.left(), y, inner.width(), fm.height()), Qt.AlignmentFlag.AlignLeft, text)
                    p.setFont(font)
                else:
                    text = fm.elidedText(line, Qt.TextElideMode.ElideRight, inner.width())
                    p.drawText(QRect(inner.left(), y, inner.width(), fm.height()), Qt.AlignmentFlag.AlignLeft, text)
                y += fm.height()
            p.setFont(self.font())
            self._hits.append(_Hit(rect, occ.event_id, day))
        p.end()

    def _moment_at(self, pos: QPoint) -> dt.datetime | None:
        if pos.x() < self.gutter:
            return None
        i = min(int((pos.x() - self.gutter) / self.column_width()), 6)
        half_hours = int(pos.y() / (self.hour_height / 2))
        day = self.week_start + dt.timedelta(days=i)
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=30 * min(half_hours, 47))

    def mousePressEvent(self, e: QMouseEvent) -> None:  # noqa: N802
        if e.button() != Qt.MouseButton.LeftButton:
            return
        h = self.hit(e.position().toPoint())
        if h is not None and h.event_id is not None:
            self.event_clicked.emit(h.event_id, h.day)
            return
        moment = self._moment_at(e.position().toPoint())
        if moment is not None:
            self.day_clicked.emit(moment.date())

    def mouseDoubleClickEvent(self, e: QMouseEvent) -> None:  # noqa: N802
        h = self.hit(e.position().toPoint())
        if h is not None and h.event_id is not None:
            self.event_double_clicked.emit(h.event_id)
            return
        moment = self._moment_at(e.position().toPoint())
        if moment is not None:
            self.slot_double_clicked.emit(moment)


class WeekHeader(QWidget):
    """Day names and dates above the week grid, aligned with its columns."""

    day_clicked = Signal(object)

    def __init__(self, grid: WeekGrid, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self.setFixedHeight(self.fontMetrics().height() * 2 + 12)

    def paintEvent(self, _e: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        fm = self.fontMetrics()
        cw = self.grid.column_width()
        bold = QFont(self.font())
        bold.setBold(True)
        for i in range(7):
            day = self.grid.week_start + dt.timedelta(days=i)
            x = int(self.grid.gutter + i * cw)
            rect = QRect(x, 0, int(cw), self.height())
            p.setPen(MUTED)
            p.drawText(QRect(x, 4, int(cw), fm.height()), Qt.AlignmentFlag.AlignCenter, short_day_name(i))
            num_rect = QRect(x, 6 + fm.height(), int(cw), fm.height() + 2)
            label = f"{day.month}/{day.day}"
            if day == self.grid.today:
                w = fm.horizontalAdvance(label) + 14
                pill = QRect(num_rect.center().x() - w // 2, num_rect.top(), w, num_rect.height())
                p.setBrush(TODAY)
                p.setPen(Qt.PenStyle.NoPen)
                p.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.setPen(QColor("#ffffff"))
            else:
                p.setPen(TEXT)
            p.setFont(bold)
            p.drawText(num_rect, Qt.AlignmentFlag.AlignCenter, label)
            p.setFont(self.font())
            p.setPen(QPen(GRID, 1))
            p.drawLine(rect.left(), 0, rect.left(), self.height())
        p.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        p.end()

    def mousePressEvent(self, e: QMouseEvent) -> None:  # noqa: N802
        x = e.position().x() - self.grid.gutter
        if x >= 0:
            i = min(int(x / self.grid.column_width()), 6)
            self.day_clicked.emit(self.grid.week_start + dt.timedelta(days=i))


# ---- the screen ------------------------------------------------------------------------

class CalendarView(QWidget):
    """The 活动 screen."""

    occurrences_loaded = Signal(int)  # occurrences now shown
    event_loaded = Signal(int)  # the event now in the side panel (0: none)
    message_shown = Signal(str)
    export_finished = Signal(str, int)  # path, how many (events or people)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = self.tr("活动")
        saved_mode = ctx.settings.state(MODE_KEY)
        self.mode = "week" if saved_mode is not None and bytes(saved_mode.data()) == b"week" else "month"
        self.today = dt.date.today()
        self.anchor = self.today
        self.selected_day: dt.date = self.today
        self.selected_event_id: int | None = None
        self.current_event: core_events.EventView | None = None
        self.counts: core_events.RegistrationCounts | None = None
        self.occurrences: list[core_events.Occurrence] = []
        self.by_day: dict[dt.date, list[core_events.Occurrence]] = {}
        self.dialog: QWidget | None = None
        self.checkin_dialog: CheckinDialog | None = None
        self._gen = 0
        self._event_gen = 0
        self._scroll_pending = True
        self._sized = False
        self._auto_select = True  # the first load shows the next event in the panel
        self.registrations = RegistrationsModel(self)
        self._build()
        self._make_actions()
        self._update_buttons()
        self._restore_state()
        ctx.changed.connect(self._on_changed)
        self._set_mode(self.mode, reload=False)
        if ctx.has_workspace:
            self.reload()
            self.reload_groups()

    # ---- construction ----------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.setSpacing(6)
        top = QHBoxLayout()
        self.prev_button = QToolButton(self)
        self.prev_button.setText("‹")
        self.prev_button.setToolTip(self.tr("上一个月/周 (PgUp)"))
        self.today_button = QPushButton(self.tr("今天"), self)
        self.next_button = QToolButton(self)
        self.next_button.setText("›")
        self.next_button.setToolTip(self.tr("下一个月/周 (PgDown)"))
        for b in (self.prev_button, self.next_button):
            f = b.font()
            f.setPixelSize(max(f.pixelSize(), 18))
            f.setBold(True)
            b.setFont(f)
            b.setAutoRaise(True)
        self.period_label = QLabel(self)
        self.period_label.setObjectName("calendar_period")
        font = self.period_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35 if font.pointSizeF() > 0 else 14)
        font.setBold(True)
        self.period_label.setFont(font)
        self.period_label.setMinimumWidth(self.period_label.fontMetrics().horizontalAdvance("2026年12月28日 – 2027年1月3日") + 10)
        self.month_button = QToolButton(self)
        self.month_button.setText(self.tr("月"))
        self.week_button = QToolButton(self)
        self.week_button.setText(self.tr("周"))
        self.mode_group = QButtonGroup(self)
        for b in (self.month_button, self.week_button):
            b.setCheckable(True)
            b.setMinimumWidth(b.fontMetrics().horizontalAdvance("Month") + 18)
            self.mode_group.addButton(b)
        self.group_combo = QComboBox(self)
        self.group_combo.setObjectName("calendar_group")
        self.group_combo.addItem(self.tr("全部群"), None)
        self.group_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_combo.setMinimumContentsLength(6)
        self.new_button = QPushButton(self.tr("新建活动"), self)
        self.export_calendar_button = QPushButton(self.tr("导出日历 .ics"), self)
        self.export_calendar_button.setToolTip(self.tr("把当前月/周里的活动导出为 .ics，可导入手机或电脑日历"))
        for w in (self.prev_button, self.today_button, self.next_button, self.period_label):
            top.addWidget(w)
        top.addStretch(1)
        for tool in (self.group_combo, self.month_button, self.week_button, self.export_calendar_button,
                     self.new_button):
            top.addWidget(tool)
        lay.addLayout(top)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.stack = QStackedWidget(self.splitter)
        self.month_grid = MonthGrid(self.stack)
        self.stack.addWidget(self.month_grid)
        week_page = QWidget(self.stack)
        wl = QVBoxLayout(week_page)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.setSpacing(0)
        self.week_grid = WeekGrid()
        self.week_header = WeekHeader(self.week_grid, week_page)
        self.week_scroll = QScrollArea(week_page)
        self.week_scroll.setWidget(self.week_grid)
        self.week_scroll.setWidgetResizable(True)
        self.week_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.week_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.week_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        header_row = QHBoxLayout()
        header_row.setContentsMargins(0, 0, self.week_scroll.verticalScrollBar().sizeHint().width(), 0)
        header_row.addWidget(self.week_header)
        wl.addLayout(header_row)
        wl.addWidget(self.week_scroll, 1)
        self.stack.addWidget(week_page)

        self.panel = QWidget(self.splitter)
        self.panel.setObjectName("calendar_panel")
        pl = QVBoxLayout(self.panel)
        pl.setContentsMargins(8, 0, 0, 0)
        pl.setSpacing(6)
        self.day_label = QLabel(self.panel)
        self.day_label.setObjectName("calendar_day")
        bold = QFont(self.day_label.font())
        bold.setBold(True)
        self.day_label.setFont(bold)
        pl.addWidget(self.day_label)
        self.day_list = QListWidget(self.panel)
        self.day_list.setObjectName("calendar_day_list")
        self.day_list.setMaximumHeight(self.fontMetrics().height() * 5 + 16)
        pl.addWidget(self.day_list)
        self.details = QLabel(self.panel)
        self.details.setObjectName("event_details")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setStyleSheet("QLabel#event_details { background: #ffffff; border: 1px solid #e2e8f0;"
                                   " border-radius: 4px; padding: 8px; color: #0f172a; }")
        pl.addWidget(self.details)
        rows = [QHBoxLayout(), QHBoxLayout(), QHBoxLayout()]
        self.edit_button = QPushButton(self.tr("编辑…"), self.panel)
        self.delete_button = QPushButton(self.tr("删除"), self.panel)
        self.checkin_button = QPushButton(self.tr("门口签到模式"), self.panel)
        self.checkin_button.setObjectName("checkin_button")
        self.register_button = QPushButton(self.tr("报名…"), self.panel)
        self.cancel_button = QPushButton(self.tr("取消报名"), self.panel)
        self.no_show_button = QPushButton(self.tr("标记缺席"), self.panel)
        self.export_ics_button = QPushButton(self.tr("导出 .ics"), self.panel)
        self.export_sheet_button = QPushButton(self.tr("导出签到表"), self.panel)
        for i, row_buttons in enumerate((
            (self.edit_button, self.delete_button, self.checkin_button),
            (self.register_button, self.cancel_button, self.no_show_button),
            (self.export_ics_button, self.export_sheet_button),
        )):
            for button in row_buttons:
                rows[i].addWidget(button)
        rows[2].addStretch(1)
        for r in rows:
            pl.addLayout(r)
        self.notice = QLabel(self.panel)
        self.notice.setObjectName("calendar_notice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        pl.addWidget(self.notice)
        self.reg_title = QLabel(self.tr("报名名单"), self.panel)
        self.reg_title.setFont(bold)
        pl.addWidget(self.reg_title)
        self.reg_table = QTableView(self.panel)
        self.reg_table.setObjectName("registrations_table")
        self.reg_table.setModel(self.registrations)
        self.reg_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.reg_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.reg_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.reg_table.setAlternatingRowColors(True)
        self.reg_table.setWordWrap(False)
        self.reg_table.verticalHeader().setVisible(False)
        self.reg_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        hh = self.reg_table.horizontalHeader()
        hh.setStretchLastSection(True)
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setStretchLastSection(True)
        char = self.fontMetrics().averageCharWidth()
        pl.addWidget(self.reg_table, 1)

        self.panel.setMinimumWidth(char * 54)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        lay.addWidget(self.splitter, 1)

        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(self.go_today)
        self.month_button.clicked.connect(lambda: self._set_mode("month"))
        self.week_button.clicked.connect(lambda: self._set_mode("week"))
        self.group_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.new_button.clicked.connect(lambda: self.new_event())
        self.export_calendar_button.clicked.connect(lambda: self.export_calendar())
        self.month_grid.day_clicked.connect(self.select_day)
        self.month_grid.event_clicked.connect(lambda eid, day: self.select_event(eid, day))
        self.month_grid.event_double_clicked.connect(lambda eid: self.edit_event(eid))
        self.month_grid.day_double_clicked.connect(
            lambda day: self.new_event(dt.datetime.combine(day, dt.time(20, 0))))
        self.week_grid.event_clicked.connect(lambda eid, day: self.select_event(eid, day))
        self.week_grid.event_double_clicked.connect(lambda eid: self.edit_event(eid))
        self.week_grid.slot_double_clicked.connect(lambda moment: self.new_event(moment))
        self.week_grid.day_clicked.connect(self.select_day)
        self.week_header.day_clicked.connect(self.select_day)
        self.day_list.currentItemChanged.connect(self._day_item_changed)
        self.day_list.itemActivated.connect(lambda item: self.edit_event(item.data(Qt.ItemDataRole.UserRole)))
        self.edit_button.clicked.connect(lambda: self.edit_event())
        self.delete_button.clicked.connect(self.delete_event)
        self.register_button.clicked.connect(self.register_member)
        self.cancel_button.clicked.connect(self.cancel_selected_registration)
        self.no_show_button.clicked.connect(self.mark_no_shows)
        self.checkin_button.clicked.connect(self.open_checkin)
        self.export_ics_button.clicked.connect(lambda: self.export_event_ics())
        self.export_sheet_button.clicked.connect(lambda: self.export_signin_sheet())
        self.reg_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.splitter.splitterMoved.connect(lambda *_a: self.ctx.settings.set_state(
            SPLITTER_STATE_KEY, QByteArray(self.splitter.saveState())))

    def _make_actions(self) -> None:
        def action(text: str, slot: Any, shortcut: Shortcut, tip: str = "", on: QWidget | None = None) -> QAction:
            return view_action(on or self, text, slot, shortcut, tip)

        self.act_new = action(self.tr("新建活动"), self.new_event, QKeySequence.StandardKey.New,
                              self.tr("新建活动 (Ctrl+N)"))
        self.act_today = action(self.tr("今天"), self.go_today, "Ctrl+T", self.tr("回到今天 (Ctrl+T)"))
        # Page keys turn the calendar only while it has the focus (the lists keep theirs).
        self.act_prev = action(self.tr("上一页"), lambda: self.step(-1), QKeySequence.StandardKey.MoveToPreviousPage,
                               on=self.stack)
        self.act_next = action(self.tr("下一页"), lambda: self.step(1), QKeySequence.StandardKey.MoveToNextPage,
                               on=self.stack)
        self.act_checkin = action(self.tr("门口签到模式"), self.open_checkin, "Ctrl+K",
                                  self.tr("打开所选活动的门口签到模式 (Ctrl+K)"))

    def toolbar_actions(self) -> list[QAction]:
        return [self.act_new, self.act_today]

    def _restore_state(self) -> None:
        state = self.ctx.settings.state(SPLITTER_STATE_KEY)
        self._sized = state is not None and self.splitter.restoreState(state)

    def showEvent(self, e: Any) -> None:  # noqa: N802
        super().showEvent(e)
        if not self._sized and self.splitter.width() > 0:
            # First time: the calendar gets about 60 %, the panel the rest.
            self._sized = True
            total = self.splitter.width()
            grid = max(int(total * 0.6), total - self.panel.minimumWidth() - self.splitter.handleWidth())
            self.splitter.setSizes([grid, total - grid])

    # ---- period ----------------------------------------------------------------------
    def period(self) -> tuple[dt.date, dt.date]:
        """[first, last) day shown."""
        if self.mode == "month":
            first = month_grid_start(self.anchor)
            return first, first + dt.timedelta(days=42)
        first = monday_of(self.anchor)
        return first, first + dt.timedelta(days=7)

    def _set_mode(self, mode: str, reload: bool = True) -> None:
        self.mode = mode
        self.ctx.settings.set_state(MODE_KEY, QByteArray(mode.encode()))
        self.month_button.setChecked(mode == "month")
        self.week_button.setChecked(mode == "week")
        self.stack.setCurrentIndex(0 if mode == "month" else 1)
        if mode == "week":
            self.anchor = self.selected_day
            self._scroll_pending = True
        self._update_period_label()
        if reload:
            self.reload()

    def _scroll_week_to_morning(self) -> None:
        """Show the working day from 08:00, or earlier when an event starts earlier."""
        if not shiboken6.isValid(self):
            return
        week = monday_of(self.anchor)
        first = min((o.starts_at.hour for o in self.occurrences if o.starts_at.date() >= week), default=8)
        self.week_scroll.verticalScrollBar().setValue(min(first, 8) * self.week_grid.hour_height)

    def step(self, n: int) -> None:
        if self.mode == "month":
            m = self.anchor.month - 1 + n
            self.anchor = dt.date(self.anchor.year + m // 12, m % 12 + 1, 1)
            self.selected_day = self.anchor
        else:
            self.anchor = self.anchor + dt.timedelta(days=7 * n)
            self.selected_day = monday_of(self.anchor)
            self._scroll_pending = True
        self._update_period_label()
        self.reload()

    def go_today(self) -> None:
        self.today = dt.date.today()
        self.go_to(self.today)

    def go_to(self, day: dt.date) -> None:
        self.anchor = day
        self.selected_day = day
        self._update_period_label()
        self.reload()

    def _update_period_label(self) -> None:
        if self.mode == "month":
            text = self.tr("{year}年{month}月").format(year=self.anchor.year, month=self.anchor.month)
        else:
            first = monday_of(self.anchor)
            last = first + dt.timedelta(days=6)
            loc = QLocale()
            fmt = self.tr("yyyy年M月d日")
            text = f"{loc.toString(_qdate(first), fmt)} – {loc.toString(_qdate(last), fmt)}"
        self.period_label.setText(text)

    # ---- loading ---------------------------------------------------------------------
    def reload(self) -> None:
        if not self.ctx.has_workspace:
            return
        self._gen += 1
        gen = self._gen
        first, last = self.period()
        start = dt.datetime.combine(first, dt.time())
        end = dt.datetime.combine(last, dt.time())
        gid = self.group_combo.currentData()
        groups = [gid] if gid is not None else None

        def work(h: TaskHandle) -> tuple[int, list[core_events.Occurrence]] | None:
            if gen != self._gen:
                return None
            with h.ws.read() as s:
                return gen, core_events.list_events(s, start, end, groups)

        self.ctx.tasks.submit(work, on_done=self._occurrences_arrived, label=self.tr("正在读取活动…"), owner=self)
        self.reload_event()

    def _occurrences_arrived(self, result: tuple[int, list[core_events.Occurrence]] | None) -> None:
        if result is None or result[0] != self._gen:
            return
        self.occurrences = result[1]
        by_day: dict[dt.date, list[core_events.Occurrence]] = defaultdict(list)
        for occ in self.occurrences:
            for day in occurrence_days(occ):
                by_day[day].append(occ)
        self.by_day = dict(by_day)
        first, _last = self.period()
        self.today = dt.date.today()
        self.month_grid.selected_day = self.selected_day
        self.month_grid.selected_event = self.selected_event_id
        self.month_grid.set_data(self.anchor, self.by_day, self.today)
        self.week_grid.selected_event = self.selected_event_id
        self.week_grid.selected_day = self.selected_day
        self.week_grid.set_data(monday_of(self.anchor) if self.mode == "week" else first, self.occurrences, self.today)
        self.week_header.update()
        if self.mode == "week" and self._scroll_pending:
            self._scroll_pending = False
            QTimer.singleShot(0, self._scroll_week_to_morning)
        if self._auto_select and self.selected_event_id is None:
            self._auto_select = False
            now = dt.datetime.now()
            upcoming = next((o for o in self.occurrences if o.ends_at >= now and o.status != "已取消"), None)
            if upcoming is not None:
                self.select_event(upcoming.event_id, upcoming.starts_at.date())
        self._fill_day_list()
        self.occurrences_loaded.emit(len(self.occurrences))

    def reload_groups(self) -> None:
        def work(h: TaskHandle) -> list[tuple[int, str]]:
            from sqdesk.core.groups import group_ids_by_name

            with h.ws.read() as s:
                return sorted((gid, name) for name, gid in group_ids_by_name(s).items())

        def done(groups: list[tuple[int, str]]) -> None:
            keep = self.group_combo.currentData()
            self.group_combo.blockSignals(True)
            while self.group_combo.count() > 1:
                self.group_combo.removeItem(1)
            for gid, name in groups:
                self.group_combo.addItem(name, gid)
            i = self.group_combo.findData(keep) if keep is not None else 0
            self.group_combo.setCurrentIndex(max(i, 0))
            self.group_combo.blockSignals(False)
            if keep is not None and i < 0:
                self.reload()

        self.ctx.tasks.submit(work, on_done=done, owner=self)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if "workspace" in kinds:
            self.selected_event_id = None
            self.current_event = None
            self._auto_select = True
            self.reload()
            self.reload_groups()
            return
        if "groups" in kinds:
            self.reload_groups()
        if kinds & {"events", "members", "groups"}:
            self.reload()

    # ---- selection ---------------------------------------------------------------------
    def select_day(self, day: dt.date) -> None:
        self.selected_day = day
        self.month_grid.selected_day = day
        self.week_grid.selected_day = day
        if self.mode == "month" and (day.year, day.month) != (self.anchor.year, self.anchor.month):
            self.anchor = day
            self._update_period_label()
            self.reload()
        self.month_grid.update()
        self.week_grid.update()
        self._fill_day_list()

    def _fill_day_list(self) -> None:
        day = self.selected_day
        occs = self.by_day.get(day, [])
        loc = QLocale()
        date_text = loc.toString(_qdate(day), self.tr("M月d日 dddd"))
        self.day_label.setText(self.tr("{date} · {n} 个活动").format(date=date_text, n=len(occs)) if occs
                               else self.tr("{date} · 没有活动（双击日历新建）").format(date=date_text))
        self.day_list.blockSignals(True)
        self.day_list.clear()
        for occ in occs:
            status = "" if occ.status in ("报名中", "筹备") else f"  [{vocab(occ.status)}]"
            item = QListWidgetItem(f"{occ.starts_at:%H:%M}–{occ.ends_at:%H:%M}  {occ.title}{status}")
            item.setData(Qt.ItemDataRole.UserRole, occ.event_id)
            item.setForeground(kind_colours(occ)[0])
            self.day_list.addItem(item)
            if occ.event_id == self.selected_event_id:
                self.day_list.setCurrentItem(item)
        self.day_list.blockSignals(False)

    def _day_item_changed(self, current: QListWidgetItem | None, _prev: QListWidgetItem | None) -> None:
        if current is not None:
            self.select_event(current.data(Qt.ItemDataRole.UserRole))

    def select_event(self, event_id: int | None, day: dt.date | None = None) -> None:
        if day is not None and day != self.selected_day:
            self.select_day(day)
        self.selected_event_id = event_id
        self.month_grid.selected_event = event_id
        self.week_grid.selected_event = event_id
        self.month_grid.update()
        self.week_grid.update()
        for i in range(self.day_list.count()):
            if self.day_list.item(i).data(Qt.ItemDataRole.UserRole) == event_id:
                self.day_list.blockSignals(True)
                self.day_list.setCurrentRow(i)
                self.day_list.blockSignals(False)
        self.reload_event()

    def reload_event(self) -> None:
        self._event_gen += 1
        gen = self._event_gen
        event_id = self.selected_event_id
        if event_id is None or not self.ctx.has_workspace:
            self._show_event(None, [], None)
            return

        def work(h: TaskHandle) -> Any:
            if gen != self._event_gen:
                return None
            from sqdesk.core.errors import NotFoundError

            with h.ws.read() as s:
                try:
                    ev = core_events.get_event(s, event_id)
                except NotFoundError:
                    return gen, None, [], None
                return (gen, ev, core_events.list_registrations(s, event_id),
                        core_events.registration_counts(s, event_id))

        def done(result: Any) -> None:
            if result is None or result[0] != self._event_gen:
                return
            _g, ev, regs, counts = result
            if ev is None:
                self.selected_event_id = None
            self._show_event(ev, regs, counts)

        self.ctx.tasks.submit(work, on_done=done, owner=self)

    def _show_event(self, ev: core_events.EventView | None, regs: Sequence[core_events.RegistrationView],
                    counts: core_events.RegistrationCounts | None) -> None:
        self.current_event, self.counts = ev, counts
        selected = self.selected_registration()
        self.registrations.set_registrations(regs)
        if selected is not None:
            row = self.registrations.row_of_member(selected.member_id)
            if row is not None:
                self.reg_table.selectRow(row)
        if ev is None:
            self.details.setText(self.tr("<p style='color:#64748b'>在日历上点选一个活动，查看详情和报名名单；"
                                         "双击空白处新建活动。</p>"))
            self.reg_title.setText(self.tr("报名名单"))
        else:
            self.details.setText(self._details_html(ev, counts))
            self.reg_title.setText(self.tr("报名名单（{n}）").format(n=len(regs)))
        self._update_buttons()
        self.event_loaded.emit(ev.id if ev is not None else 0)

    def _details_html(self, ev: core_events.EventView, counts: core_events.RegistrationCounts | None) -> str:
        from html import escape

        edge = KIND_COLOURS.get(ev.kind, KIND_COLOURS["其他"])[0]
        loc = QLocale()
        when_fmt = self.tr("yyyy年M月d日 dddd HH:mm")
        # A series shows the occurrence on the chosen day (the one the operator clicked).
        occ = next((o for o in self.by_day.get(self.selected_day, []) if o.event_id == ev.id), None)
        begins, ends = (occ.starts_at, occ.ends_at) if occ is not None else (ev.starts_at, ev.ends_at)
        start = loc.toString(_qdatetime(begins), when_fmt)
        end = f"{ends:%H:%M}" if ends.date() == begins.date() else loc.toString(_qdatetime(ends), when_fmt)
        rows: list[tuple[str, str]] = [
            (self.tr("时间"), f"{start} – {end}"),
        ]
        if ev.rrule:
            first = loc.toString(_qdate(ev.starts_at.date()), self.tr("yyyy年M月d日"))
            rows.append((self.tr("重复"), self.tr("{rule}（{first} 起）").format(
                rule=escape(core_events.describe_rrule(ev.rrule)), first=first)))
        if ev.location:
            rows.append((self.tr("地点/链接"), escape(ev.location)))
        rows.append((self.tr("面向"), escape("、".join(ev.group_names)) if ev.group_names else self.tr("全部群")))
        if ev.host_names:
            rows.append((self.tr("主讲/主持"), escape("、".join(ev.host_names))))
        if counts is not None:
            cap = str(counts.capacity) if counts.capacity is not None else self.tr("不限")
            rows.append((self.tr("名额"), self.tr("已报名 {taken} / {cap}，已签到 {checked}，候补 {wait}").format(
                taken=counts.seats_taken, cap=cap, checked=counts.checked_in, wait=counts.waitlisted)))
        if ev.cost:
            rows.append((self.tr("费用"), self.tr("{cost} 元").format(cost=f"{ev.cost:g}")))
        table = "".join(
            f"<tr><td style='color:#64748b; padding-right:10px; white-space:nowrap'>{k}</td><td>{v}</td></tr>"
            for k, v in rows)
        desc = (f"<p style='margin-top:6px'>{escape(ev.description).replace(chr(10), '<br>')}</p>"
                if ev.description else "")
        return (
            f"<p style='margin:0'><span style='color:{edge}; font-weight:600'>{escape(vocab(ev.kind))}</span>"
            f" · <span>{escape(vocab(ev.status))}</span></p>"
            f"<h3 style='margin:2px 0 6px 0'>{escape(ev.title)}</h3><table>{table}</table>{desc}"
        )

    def selected_registration(self) -> core_events.RegistrationView | None:
        rows = self.reg_table.selectionModel().selectedRows() if self.reg_table.selectionModel() else []
        if not rows:
            return None
        return self.registrations.registration(rows[0].row())

    def _update_buttons(self) -> None:
        ev = self.current_event
        has = ev is not None
        open_ = has and ev is not None and ev.status not in ("已取消", "已结束")
        for b in (self.edit_button, self.delete_button, self.export_ics_button, self.export_sheet_button):
            b.setEnabled(has)
        self.register_button.setEnabled(open_)
        self.checkin_button.setEnabled(has and ev is not None and ev.status != "已取消")
        self.act_checkin.setEnabled(self.checkin_button.isEnabled())
        reg = self.selected_registration()
        self.cancel_button.setEnabled(open_ and reg is not None and reg.status in ("已报名", "候补"))
        self.no_show_button.setEnabled(
            has and ev is not None and not ev.rrule and ev.ends_at <= dt.datetime.now()
            and ev.status != "已取消" and self.counts is not None and self.counts.registered > 0)

    # ---- notices ---------------------------------------------------------------------
    def show_notice(self, text: str, kind: str = "info") -> None:
        colours = {"info": ("#eff6ff", "#1e3a8a", "#bfdbfe"), "warn": ("#fff7ed", "#7c2d12", "#fdba74"),
                   "error": ("#fef2f2", "#7f1d1d", "#fecaca")}
        bg, fg, border = colours[kind]
        self.notice.setStyleSheet(f"QLabel#calendar_notice {{ background: {bg}; color: {fg}; "
                                  f"border: 1px solid {border}; border-radius: 4px; padding: 6px; }}")
        self.notice.setText(text)
        self.notice.setVisible(True)
        self.message_shown.emit(text)

    def _command_error(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.show_notice(str(exc), "error")

    # ---- actions -----------------------------------------------------------------------
    def _open_dialog(self, dialog: QWidget, on_accept: Any = None) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if on_accept is not None:
            dialog.accepted.connect(on_accept)  # type: ignore[attr-defined]
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))  # type: ignore[attr-defined]
        dialog.open()  # type: ignore[attr-defined]

    def new_event(self, start: dt.datetime | None = None) -> None:
        from sqdesk.ui.dialogs.event_dialog import EventDialog

        if start is None:
            base = self.selected_day if self.selected_day >= dt.date.today() else dt.date.today()
            start = dt.datetime.combine(base, dt.time(20, 0))
        dlg = EventDialog(self.ctx, self, start=start)
        dlg.saved.connect(self._event_saved)
        self._open_dialog(dlg)

    def edit_event(self, event_id: int | None = None) -> None:
        from sqdesk.ui.dialogs.event_dialog import EventDialog

        event_id = event_id if event_id is not None else self.selected_event_id
        if event_id is None:
            return

        def work(h: TaskHandle) -> core_events.EventView:
            with h.ws.read() as s:
                return core_events.get_event(s, event_id)

        def done(ev: core_events.EventView) -> None:
            dlg = EventDialog(self.ctx, self, event=ev)
            dlg.saved.connect(self._event_saved)
            self._open_dialog(dlg)

        self.ctx.tasks.submit(work, on_done=done, on_error=self._command_error, owner=self)

    def _event_saved(self, event_id: int) -> None:
        self.selected_event_id = event_id

        def work(h: TaskHandle) -> dt.date:
            with h.ws.read() as s:
                return core_events.get_event(s, event_id).starts_at.date()

        def done(day: dt.date) -> None:
            first, last = self.period()
            if not first <= day < last:
                self.go_to(day)
            else:
                self.select_event(event_id, day)

        self.ctx.tasks.submit(work, on_done=done, owner=self)

    def delete_event(self) -> None:
        ev = self.current_event
        if ev is None:
            return
        n = self.registrations.rowCount()
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("删除活动"))
        box.setText(self.tr("删除活动「{title}」？").format(title=ev.title))
        box.setInformativeText(self.tr("它的 {n} 条报名记录也会一并删除。可以用「撤销」(Ctrl+Z) 恢复。").format(n=n))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("删除"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self._open_dialog(box, lambda: self.ctx.undo_stack.push(DeleteEventCommand(
            self.ctx, ev.id, ev.title, expected_version=ev.version, on_error=self._command_error)))

    def register_member(self) -> None:
        from sqdesk.ui.dialogs.event_dialog import MemberPickDialog

        ev = self.current_event
        if ev is None:
            return
        dlg = MemberPickDialog(self.ctx, self.tr("为「{title}」报名").format(title=ev.title), self)

        def accepted() -> None:
            if dlg.member is None:
                return
            member_id, name = dlg.member
            self.ctx.undo_stack.push(register_command(
                self.ctx, ev.id, member_id, name, on_done=self._registration_done, on_error=self._command_error))

        self._open_dialog(dlg, accepted)

    def cancel_selected_registration(self) -> None:
        ev, reg = self.current_event, self.selected_registration()
        if ev is None or reg is None:
            return
        self.ctx.undo_stack.push(cancel_command(
            self.ctx, ev.id, reg.member_id, reg.member_name,
            on_done=self._registration_done, on_error=self._command_error))

    def mark_no_shows(self) -> None:
        ev = self.current_event
        if ev is None or self.counts is None:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("标记缺席"))
        box.setText(self.tr("把 {n} 名报名后没有签到的成员标记为「缺席」，并把活动设为已结束？").format(
            n=self.counts.registered))
        box.setInformativeText(self.tr("候补名单不受影响；可以撤销。"))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("标记缺席"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("取消"))
        self._open_dialog(box, lambda: self.ctx.undo_stack.push(no_show_command(
            self.ctx, ev.id, ev.title, on_done=self._registration_done, on_error=self._command_error)))

    def _registration_done(self, cmd: CoreCommand, forward: bool) -> None:
        if not shiboken6.isValid(self) or not isinstance(cmd, RegistrationCommand):
            return
        if not forward:
            self.show_notice(self.tr("已撤销：{what}").format(what=cmd.label), "info")
            return
        result = cmd.result
        if isinstance(result, core_events.CancelResult):
            self.show_notice(result.message, "warn" if result.promoted else "info")
        elif isinstance(result, core_events.RegisterResult):
            self.show_notice(result.message, "warn" if result.waitlisted else "info")
        elif isinstance(result, int):
            self.show_notice(self.tr("已把 {n} 名成员标记为缺席，活动已结束").format(n=result), "info")

    def open_checkin(self) -> CheckinDialog | None:
        from sqdesk.ui.dialogs.checkin_dialog import CheckinDialog

        ev = self.current_event
        if ev is None or ev.status == "已取消":
            return None
        loc = QLocale()
        when = loc.toString(_qdatetime(ev.starts_at), self.tr("yyyy年M月d日 dddd HH:mm"))
        if ev.location:
            when += f"  ·  {ev.location}"
        dlg = CheckinDialog(self.ctx, ev.id, ev.title, self, when=when)
        self.checkin_dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.destroyed.connect(lambda *_a: setattr(self, "checkin_dialog", None))
        dlg.open()
        return dlg

    # ---- exports ----------------------------------------------------------------------
    def _ask_path(self, title: str, name: str, pattern: str) -> str | None:
        folder = self.ctx.settings.state("calendar/export_dir")
        start = str(Path(bytes(folder.data()).decode() if folder is not None else str(Path.home())) / name)
        path, _f = QFileDialog.getSaveFileName(self, title, start, pattern)
        if not path:
            return None
        self.ctx.settings.set_state("calendar/export_dir", QByteArray(str(Path(path).parent).encode()))
        return path

    @staticmethod
    def _safe_name(text: str) -> str:
        return "".join("_" if c in '\\/:*?"<>|' else c for c in text).strip() or "活动"

    def export_event_ics(self, path: str | None = None) -> None:
        ev = self.current_event
        if ev is None:
            return
        path = path or self._ask_path(self.tr("导出 .ics"), f"{self._safe_name(ev.title)}.ics",
                                      self.tr("日历文件 (*.ics)"))
        if path:
            self._export(lambda s, p: _export_ics(s, p, event_ids=[ev.id]), path)

    def export_calendar(self, path: str | None = None) -> None:
        first, last = self.period()
        path = path or self._ask_path(self.tr("导出日历 .ics"), f"活动日历_{first:%Y%m%d}-{last:%Y%m%d}.ics",
                                      self.tr("日历文件 (*.ics)"))
        if path:
            start, end = dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time())
            self._export(lambda s, p: _export_ics(s, p, start=start, end=end), path)

    def export_signin_sheet(self, path: str | None = None) -> None:
        ev = self.current_event
        if ev is None:
            return
        path = path or self._ask_path(self.tr("导出签到表"), f"签到表_{self._safe_name(ev.title)}.xlsx",
                                      self.tr("Excel 工作簿 (*.xlsx)"))
        if path:
            from sqdesk.io.signin_sheet import export_signin_sheet

            event_id = ev.id
            self._export(lambda s, p: export_signin_sheet(s, event_id, p), path, sheet=True)

    def _export(self, fn: Any, path: str, sheet: bool = False) -> None:
        def work(h: TaskHandle) -> int:
            with h.ws.read() as s:
                return int(fn(s, path))

        def done(n: int) -> None:
            text = (self.tr("已导出签到表（{n} 人）：{path}") if sheet
                    else self.tr("已导出 {n} 个活动到日历文件：{path}")).format(n=n, path=path)
            self.show_notice(text, "info")
            self.export_finished.emit(path, n)

        self.ctx.tasks.submit(work, on_done=done, on_error=self._command_error,
                              label=self.tr("正在导出…"), progress_parent=self)

    # test and screenshot helpers -------------------------------------------------------
    def current_grid(self) -> MonthGrid | WeekGrid:
        return self.month_grid if self.mode == "month" else self.week_grid


def _qdatetime(moment: dt.datetime) -> Any:
    from sqdesk.ui.dialogs.event_dialog import to_qdatetime

    return to_qdatetime(moment)


def _export_ics(session: Any, path: str, **kw: Any) -> int:
    from sqdesk.io.ics import export_ics

    return export_ics(session, path, **kw)

