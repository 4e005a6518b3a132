"""UI language: Chinese is the source language of every string; English is a translation.

Strings are written in Chinese inside ``self.tr()`` / ``QCoreApplication.translate()``
/ ``QT_TRANSLATE_NOOP()``. Their English lives in Qt Linguist catalogues under
``sqdesk/resources/translations``: ``sqdesk_en.ts`` for the shell (main window,
dashboard, dialogs of the app itself, vocabulary) and one ``<area>_en.ts`` per screen
owner if they like (e.g. ``roster_en.ts``); every ``*_en.qm`` there is loaded.
``charts_en.ts`` holds the Qt-free chart wording of :mod:`sqdesk.charts` (context
``charts``; see :mod:`sqdesk.charts.i18n`): the UI draws charts with
``translate=QCoreApplication.translate``. After adding strings::

    python -m sqdesk.ui.i18n                                   # the shell catalogue
    python -m sqdesk.ui.i18n charts_en.ts                      # one listed in CATALOGUE_SOURCES
    python -m sqdesk.ui.i18n roster_en.ts sqdesk/ui/views/roster.py sqdesk/ui/dialogs/…

(lupdate keeps existing translations), fill the new ``<translation>`` entries (Qt
Linguist or any editor), and run it again to compile the ``.qm``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANGUAGES = ("zh", "en")
TRANSLATIONS = Path(__file__).resolve().parents[1] / "resources" / "translations"
PACKAGE = Path(__file__).resolve().parents[1]

_installed: list[QTranslator] = []


def normalize_language(lang: str | None) -> str:
    if lang and lang.lower().startswith("en"):
        return "en"
    return "zh"


def install_translators(app: QCoreApplication, lang: str) -> str:
    """Install the translators for ``lang`` (replacing earlier ones); returns the language.

    zh: our strings are already Chinese; Qt's own (OK/Cancel, file dialogs) come from
    Qt's zh_CN catalogue. en: our English catalogue; Qt's own strings are English.
    """
    lang = normalize_language(lang)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        catalogues = sorted(TRANSLATIONS.glob("*_en.qm"))
        if TRANSLATIONS / "sqdesk_en.qm" not in catalogues:
            raise FileNotFoundError(TRANSLATIONS / "sqdesk_en.qm")
        for qm in catalogues:
            translator = QTranslator(app)
            if not translator.load(str(qm)):
                raise ValueError(f"not a Qt translation catalogue: {qm}")
            app.installTranslator(translator)
            _installed.append(translator)
    else:
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        qt_zh = QTranslator(app)
        if qt_zh.load("qt_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt_zh)
            _installed.append(qt_zh)
    return lang


# The domain's closed vocabularies (sqdesk.models.vocab) are stored in Chinese; the UI
# shows them through vocab() so the English UI says "Member" rather than 成员.
VOCAB_CONTEXT = "Vocab"
_VOCAB = (
    QT_TRANSLATE_NOOP("Vocab", "微信"), QT_TRANSLATE_NOOP("Vocab", "QQ"),
    QT_TRANSLATE_NOOP("Vocab", "企业微信"), QT_TRANSLATE_NOOP("Vocab", "飞书"),
    QT_TRANSLATE_NOOP("Vocab", "钉钉"), QT_TRANSLATE_NOOP("Vocab", "线下"),
    QT_TRANSLATE_NOOP("Vocab", "其他"),
    QT_TRANSLATE_NOOP("Vocab", "男"), QT_TRANSLATE_NOOP("Vocab", "女"),
    QT_TRANSLATE_NOOP("Vocab", "未知"),
    QT_TRANSLATE_NOOP("Vocab", "群主"), QT_TRANSLATE_NOOP("Vocab", "管理员"),
    QT_TRANSLATE_NOOP("Vocab", "骨干"), QT_TRANSLATE_NOOP("Vocab", "成员"),
    QT_TRANSLATE_NOOP("Vocab", "在群"), QT_TRANSLATE_NOOP("Vocab", "已退出"),
    QT_TRANSLATE_NOOP("Vocab", "已清退"),
    QT_TRANSLATE_NOOP("Vocab", "核心"), QT_TRANSLATE_NOOP("Vocab", "活跃"),
    QT_TRANSLATE_NOOP("Vocab", "一般"), QT_TRANSLATE_NOOP("Vocab", "潜水"),
    QT_TRANSLATE_NOOP("Vocab", "沉默"),
    QT_TRANSLATE_NOOP("Vocab", "供给"), QT_TRANSLATE_NOOP("Vocab", "需求"),
    QT_TRANSLATE_NOOP("Vocab", "资源"), QT_TRANSLATE_NOOP("Vocab", "技能"),
    QT_TRANSLATE_NOOP("Vocab", "产品"), QT_TRANSLATE_NOOP("Vocab", "服务"),
    QT_TRANSLATE_NOOP("Vocab", "合作"), QT_TRANSLATE_NOOP("Vocab", "招聘"),
    QT_TRANSLATE_NOOP("Vocab", "求职"), QT_TRANSLATE_NOOP("Vocab", "投资"),
    QT_TRANSLATE_NOOP("Vocab", "open"), QT_TRANSLATE_NOOP("Vocab", "matched"),
    QT_TRANSLATE_NOOP("Vocab", "closed"),
    QT_TRANSLATE_NOOP("Vocab", "proposed"), QT_TRANSLATE_NOOP("Vocab", "accepted"),
    QT_TRANSLATE_NOOP("Vocab", "rejected"), QT_TRANSLATE_NOOP("Vocab", "met"),
    QT_TRANSLATE_NOOP("Vocab", "no_result"),
    QT_TRANSLATE_NOOP("Vocab", "线上讲座"), QT_TRANSLATE_NOOP("Vocab", "直播"),
    QT_TRANSLATE_NOOP("Vocab", "线下见面会"), QT_TRANSLATE_NOOP("Vocab", "打卡"),
    QT_TRANSLATE_NOOP("Vocab", "分享会"),
    QT_TRANSLATE_NOOP("Vocab", "筹备"), QT_TRANSLATE_NOOP("Vocab", "报名中"),
    QT_TRANSLATE_NOOP("Vocab", "已满"), QT_TRANSLATE_NOOP("Vocab", "已结束"),
    QT_TRANSLATE_NOOP("Vocab", "已取消"),
    QT_TRANSLATE_NOOP("Vocab", "已报名"), QT_TRANSLATE_NOOP("Vocab", "候补"),
    QT_TRANSLATE_NOOP("Vocab", "已签到"), QT_TRANSLATE_NOOP("Vocab", "缺席"),
    QT_TRANSLATE_NOOP("Vocab", "准入"), QT_TRANSLATE_NOOP("Vocab", "言行"),
    QT_TRANSLATE_NOOP("Vocab", "清退"), QT_TRANSLATE_NOOP("Vocab", "激励"),
    QT_TRANSLATE_NOOP("Vocab", "提醒"), QT_TRANSLATE_NOOP("Vocab", "警告"),
    QT_TRANSLATE_NOOP("Vocab", "升为骨干"), QT_TRANSLATE_NOOP("Vocab", "打标签"),
    QT_TRANSLATE_NOOP("Vocab", "仅标记"),
    QT_TRANSLATE_NOOP("Vocab", "发言"), QT_TRANSLATE_NOOP("Vocab", "签到"),
    QT_TRANSLATE_NOOP("Vocab", "分享"), QT_TRANSLATE_NOOP("Vocab", "邀请"),
    QT_TRANSLATE_NOOP("Vocab", "参加活动"), QT_TRANSLATE_NOOP("Vocab", "违规"),
    QT_TRANSLATE_NOOP("Vocab", "付费"), QT_TRANSLATE_NOOP("Vocab", "入群"),
    QT_TRANSLATE_NOOP("Vocab", "退群"), QT_TRANSLATE_NOOP("Vocab", "备注"),
    QT_TRANSLATE_NOOP("Vocab", "manual"), QT_TRANSLATE_NOOP("Vocab", "import"),
    QT_TRANSLATE_NOOP("Vocab", "system"),
)


def vocab(value: str) -> str:
    """A stored vocabulary value (角色, 状态, 活动类型…) as the current UI language says it."""
    return QCoreApplication.translate(VOCAB_CONTEXT, value) if value else value


SHELL_SOURCES = (
    "app.py", "ui/main_window.py", "ui/context.py", "ui/tasks.py", "ui/crash.py",
    "ui/i18n.py", "ui/views/__init__.py", "ui/views/placeholder.py", "ui/views/dashboard.py",
    "ui/widgets/icons.py",
)


# The sources of the catalogues built without naming them (paths under sqdesk/); a test
# checks that each catalogue holds exactly what lupdate finds in them.
CATALOGUE_SOURCES: dict[str, tuple[str, ...]] = {
    "sqdesk_en.ts": SHELL_SOURCES,
    "charts_en.ts": ("charts/figures.py", "charts/cli.py"),
    "analytics_en.ts": ("ui/views/analytics.py", "ui/widgets/chart_canvas.py"),
    "brief_en.ts": ("ui/views/brief.py",),
}


def lupdate_command(ts: Path, files: list[str]) -> list[str]:
    return ["pyside6-lupdate", *files, "-source-language", "zh_CN", "-target-language", "en",
            "-no-obsolete", "-locations", "none", "-ts", str(ts)]


def update_catalogue(ts_name: str = "sqdesk_en.ts", sources: list[str] | None = None) -> Path:
    """Developer tool (not used at run time): lupdate ``sources`` into the catalogue, then
    lrelease it. Paths in ``sources`` are relative to the repository or absolute; without
    them, the catalogue's :data:`CATALOGUE_SOURCES`."""
    import subprocess

    ts = TRANSLATIONS / ts_name
    if not sources and ts_name not in CATALOGUE_SOURCES:
        raise SystemExit(f"name the sources of {ts_name} (it is not in CATALOGUE_SOURCES)")
    files = [str(PACKAGE / f) for f in CATALOGUE_SOURCES[ts_name]] if not sources else sources
    subprocess.run(lupdate_command(ts, files), check=True)
    qm = ts.with_suffix(".qm")
    subprocess.run(["pyside6-lrelease", str(ts), "-qm", str(qm)], check=True)
    return qm


if __name__ == "__main__":
    update_catalogue(sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else update_catalogue()
