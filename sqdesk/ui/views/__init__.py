"""The screens of the main window, one module per screen, imported only when first shown.

A view is a ``QWidget`` subclass constructed as ``View(ctx, parent)`` with a ``title``
attribute (already translated) and optionally ``toolbar_actions() -> list[QAction]``
(shown in the main toolbar while the view is current; give them shortcuts there).
It listens to ``ctx.changed`` and reloads through ``ctx.tasks`` what it shows.

A key whose module does not exist yet shows :mod:`sqdesk.ui.views.placeholder`, an
honest page saying what the screen will do.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

CONTEXT = "Views"


def _marked(text: object) -> str:
    """QT_TRANSLATE_NOOP returns its text untyped; lupdate needs to see that call."""
    assert isinstance(text, str)
    return text


@dataclass(frozen=True)
class ViewSpec:
    key: str
    target: str  # "module:Class"
    title: str  # untranslated source text; see ViewSpec.label
    icon: str  # file stem in sqdesk/resources/icons
    purpose: str  # what the screen does (untranslated), shown until the module exists

    @property
    def label(self) -> str:
        return QCoreApplication.translate(CONTEXT, self.title)

    @property
    def description(self) -> str:
        return QCoreApplication.translate(CONTEXT, self.purpose)


VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec(
        "dashboard", "sqdesk.ui.views.dashboard:DashboardView",
        _marked(QT_TRANSLATE_NOOP("Views", "总览")), "dashboard",
        _marked(QT_TRANSLATE_NOOP("Views", "本周一览：活跃成员、入群与退群、即将开始的活动、待处理的供求和群规待办。")),
    ),
    ViewSpec(
        "roster", "sqdesk.ui.views.roster:RosterView",
        _marked(QT_TRANSLATE_NOOP("Views", "成员")), "roster",
        _marked(QT_TRANSLATE_NOOP(
            "Views",
            "全部成员的表格：按姓名、拼音首字母、手机号、微信号、标签即时搜索，按群、角色、"
            "等级、状态筛选，批量打标签或移群；成员详情页，以及从 Excel/CSV 导入名单。")),
    ),
    ViewSpec(
        "calendar", "sqdesk.ui.views.calendar:CalendarView",
        _marked(QT_TRANSLATE_NOOP("Views", "活动")), "calendar",
        _marked(QT_TRANSLATE_NOOP(
            "Views",
            "月视图与周视图的活动日历：编辑活动、报名与候补自动递补、线下活动的门口签到模式、"
            "冲突提醒，导出 .ics 日历和可打印的签到表。")),
    ),
    ViewSpec(
        "rules", "sqdesk.ui.views.rules:RulesView",
        _marked(QT_TRANSLATE_NOOP("Views", "群规")), "rules",
        _marked(QT_TRANSLATE_NOOP(
            "Views",
            "群规清单：编辑发布给成员的条文、分类和适用的群，为条目设置可检查的条件与处理动作，"
            "查看每条群规的历史版本。")),
    ),
    ViewSpec(
        "activity", "sqdesk.ui.views.activity:ActivityView",
        _marked(QT_TRANSLATE_NOOP("Views", "动态")), "activity",
        _marked(QT_TRANSLATE_NOOP(
            "Views",
            "动态记录：按成员、群、类型和日期筛选发言、签到、分享、邀请等记录，手动补录，"
            "导入聊天统计，整批撤销一次导入。")),
    ),
    ViewSpec(
        "supply", "sqdesk.ui.views.supply:SupplyView",
        _marked(QT_TRANSLATE_NOOP("Views", "供求")), "supply",
        _marked(QT_TRANSLATE_NOOP(
            "Views",
            "成员发布的供给与需求：按类别、状态和日期筛选、编辑，记录撮合的结果。")),
    ),
    ViewSpec(
        "analytics", "sqdesk.ui.views.analytics:AnalyticsView",
        _marked(QT_TRANSLATE_NOOP("Views", "分析")), "analytics",
        _marked(QT_TRANSLATE_NOOP(
            "Views",
            "活跃度分析：每位成员的活跃分与等级（核心/活跃/一般/潜水/沉默），日活/周活/月活、"
            "入群与退群、留存、活动到场率、去中心化指数、骨干流失风险和发言时段热力图。")),
    ),
    ViewSpec(
        "brief", "sqdesk.ui.views.brief:BriefView",
        _marked(QT_TRANSLATE_NOOP("Views", "简报")), "brief",
        _marked(QT_TRANSLATE_NOOP(
            "Views",
            "供求简报：选择时间段和群，预览本期的供给、需求与撮合建议，导出给群主和骨干的 "
            "Excel 简报，或复制一段可以直接发到群里的文字版。")),
    ),
)

VIEW_KEYS: tuple[str, ...] = tuple(v.key for v in VIEWS)
BY_KEY: dict[str, ViewSpec] = {v.key: v for v in VIEWS}


def load_view_class(spec: ViewSpec) -> type[QWidget] | None:
    """The view's class, or None when its module has not been written yet.

    Only a missing *module of this view* means "not yet": any other import error is
    a real bug and propagates to the crash handler.
    """
    module_name, class_name = spec.target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    cls = getattr(module, class_name)
    if not (isinstance(cls, type) and issubclass(cls, QWidget)):
        raise TypeError(f"{spec.target} is not a QWidget subclass")
    return cls
