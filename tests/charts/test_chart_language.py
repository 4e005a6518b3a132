"""Chart wording goes through the drawing functions' ``translate``: with one that drops
every Chinese character for an "x", no Chinese is left anywhere in a figure — titles, axis labels,
tick labels, legends, annotations, subtitles, empty-period notes, drill-down labels — on
a community whose member, group and event names are Latin (so any Chinese left would be
ours, not data). The English UI test (tests/ui/test_translations.py) renders the same
figures through the real English catalogue."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text
from sqlalchemy import update

from sqdesk.analytics import community as c
from sqdesk.charts import CHARTS, figures
from sqdesk.charts.base import drill_at, drillable_axes, png_bytes
from sqdesk.charts.i18n import CONTEXT, VOCAB, chinese

# Ideographs, CJK punctuation (、。「」 ideographic space) and full-width forms (（）：，～).
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
UNTIL = dt.date(2026, 11, 21)
SCOPE = c.Scope(dt.date(2026, 1, 1), UNTIL)
EMPTY = c.Scope(dt.date(2030, 1, 1), dt.date(2030, 3, 31))


def latin_demo(ws: Any, members: int = 300) -> c.Scope:
    """The demo community, with every member, group and event renamed M<id>, G<id>, E<id>;
    returns a scope holding its data (69 events, 80 inviters, a 打卡 campaign at 300)."""
    from sqdesk.core.demo import build_demo
    from sqdesk.models import Event, Group, Member

    build_demo(ws, members=members, until=UNTIL)
    with ws.write() as s:
        s.execute(update(Member).values(display_name="M" + Member.id.cast(Member.display_name.type)))
        s.execute(update(Group).values(name="G" + Group.id.cast(Group.name.type)))
        s.execute(update(Event).values(title="E" + Event.id.cast(Event.title.type)))
    return SCOPE


def figure_words(fig: Figure) -> list[str]:
    """Every text drawn in ``fig`` (after drawing it, so formatter ticks exist) and every
    drill-down label its clickable axes give on a grid of clicks."""
    png_bytes(fig, dpi=40)
    words = [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    for ax in drillable_axes(fig):
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        for x in np.linspace(x0, x1, 41):
            for y in np.linspace(y0, y1, 29):
                key = drill_at(ax, float(x), float(y))
                if key is not None:
                    words.append(key.label)
    return words


def chart_figures(ws: Any, scope: c.Scope, translate: Callable[[str, str], str]) -> Iterator[tuple[str, Figure]]:
    """Every chart of the registry over ``scope`` and over an empty period, the dashboard's
    variants, and the branches only a bigger community reaches (more than 15 groups,
    more than 12 quiet 骨干)."""
    with ws.read() as s:
        data = {name: spec.compute(s, scope) for name, spec in CHARTS.items()}
        empty = {name: spec.compute(s, EMPTY) for name, spec in CHARTS.items()}
    for name, spec in CHARTS.items():
        yield name, spec.draw(data[name], translate=translate)
        yield f"{name} (empty)", spec.draw(empty[name], translate=translate)
    dec: c.Decentralisation = data["decentralisation"]
    many = [dataclasses.replace(g, group_id=None if g.group_id is None else g.group_id + 1000 * k)
            for k in range(16) for g in dec.groups]
    yield "decentralisation (many groups)", figures.decentralisation(
        dataclasses.replace(dec, groups=many), translate=translate)
    bb: c.BackboneRisk = data["backbone"]
    yield "backbone (many quiet)", figures.backbone(dataclasses.replace(bb, quiet=bb.quiet * 13), translate=translate)
    camp: figures.Campaign = data["streaks"]
    yield "streaks (no event)", figures.streaks(figures.Campaign(None, camp.survival), translate=translate)
    yield "streaks (survival only)", figures.streaks(camp.survival, translate=translate)


def test_every_chart_word_goes_through_translate(sqlite_ws: Any) -> None:
    scope = latin_demo(sqlite_ws)
    asked: set[str] = set()

    def no_chinese(context: str, text: str) -> str:
        asked.add(context)
        return CHINESE.sub("x", text)

    seen = 0
    for name, fig in chart_figures(sqlite_ws, scope, no_chinese):
        words = figure_words(fig)
        assert words, name
        assert [w for w in words if CHINESE.search(w)] == [], name
        seen += 1
    assert seen == 2 * len(CHARTS) + 4
    assert asked == {CONTEXT, VOCAB}


def test_the_latin_demo_reaches_the_branches_and_shows_its_names(sqlite_ws: Any) -> None:
    """The community above does exercise what the test means to: the data's names are
    drawn (Latin), and the big-community branches are taken."""
    scope = latin_demo(sqlite_ws)
    words = {name: figure_words(fig) for name, fig in chart_figures(sqlite_ws, scope, chinese)}
    assert any(re.fullmatch(r"M\d+", w) for w in words["inviters"])
    assert any(re.fullmatch(r"G\d+", w) for w in words["decentralisation"])
    assert any(" E" in w for w in words["attendance"])
    assert any("E" in w for w in words["streaks"] if w.startswith("打卡坚持曲线："))
    assert any(w.startswith("显示最近 20 场") for w in words["attendance"])
    assert any("位邀请人）" in w for w in words["inviters"])
    assert any(w.startswith("成员发言占比最低的 15 个群") for w in words["decentralisation (many groups)"])
    assert any("天沉寂的骨干，共 " in w for w in words["backbone (many quiet)"])
    assert any("的签到（" in w for w in words["streaks (no event)"])
    assert any("没有" in w for w in words["growth (empty)"])


def test_chinese_is_the_default_and_weekdays_match_the_analytics() -> None:
    assert figures.WEEKDAYS == c.WEEKDAYS
    series = c.ActiveSeries("week", [c.ActivePoint(c.Period(UNTIL, UNTIL), 3, 10, 0.3)])
    default = figure_words(figures.weekly_active(series))
    assert "每周活跃成员与活跃率" in default and "活跃成员（人）" in default
    assert figure_words(figures.weekly_active(series, translate=chinese)) == default
    english = figure_words(figures.weekly_active(series, translate=lambda _c, t: {"活跃率": "Active rate"}.get(t, t)))
    assert "Active rate" in english and "活跃率" not in english
