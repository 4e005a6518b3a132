"""The plain-text 供求简报 for pasting into a chat group.

Short and plain: a title line, then 本期供给 / 本期需求 (grouped by category, a few
items per category with "另有 N 条" for the rest), 推荐对接 (the best suggested
introductions with their reasons) and 近期活动. Section markers are 【】 and ▍ —
no emoji wall. Contacts never appear (the group replies to the operator); free text
is scrubbed of phone numbers and WeChat ids unless ``mask=False``; members without
consent are left out, as in the workbook.

WeChat cuts long messages, so the text is kept to ``max_chars`` (2,000) characters per
message: a longer brief is split at line boundaries into parts numbered （1/2）,
（2/2）…, returned one after the other separated by :data:`DIVIDER`
(:func:`brief_messages` gives the list).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sqdesk.io.brief import _events, _items, _matches, _privacy
from sqdesk.models import Group

MAX_CHARS = 2000
DIVIDER = "\n\n==========（以上为一条消息，下面是下一条）==========\n\n"
PER_CATEGORY = 5
TOP_MATCHES = 8
MAX_EVENTS = 8
SNIPPET = 60
WEEKDAYS = "一二三四五六日"


def _snip(text: str, n: int = SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _item_lines(rows: list[tuple[Any, ...]]) -> list[str]:
    by_cat: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for r in rows:
        by_cat[r[3]].append(r)
    out: list[str] = []
    for cat, items in by_cat.items():  # rows come in category order
        out.append(f"〔{cat}〕{len(items)} 条")
        for r in items[:PER_CATEGORY]:
            city = f"（{r[2]}）" if r[2] else ""
            kw = f"  #{r[5].replace('、', ' #')}" if r[5] else ""
            out.append(f"· {r[1]}{city}：{_snip(r[4])}{kw}")
        if len(items) > PER_CATEGORY:
            out.append(f"  …另有 {len(items) - PER_CATEGORY} 条，见完整简报")
    return out


def brief_messages(
    session: Session,
    start: dt.date,
    end: dt.date,
    group_ids: Sequence[int] | None = None,
    mask: bool = True,
    *,
    shorten_names: bool = False,
    today: dt.date | None = None,
    max_chars: int = MAX_CHARS,
) -> list[str]:
    """The brief as one or more chat messages, each at most ``max_chars`` characters."""
    today = today or dt.date.today()
    gids = tuple(sorted(set(group_ids))) if group_ids is not None else None
    p = _privacy(session, mask, shorten_names)
    offers, _ = _items(session, "供给", start, end, gids, p)
    needs, _ = _items(session, "需求", start, end, gids, p)
    matches, _, _source = _matches(session, start, end, gids, p, today=today)
    events = _events(session, start, end, gids, today=today)

    title = f"【供求简报】{start.month}月{start.day}日—{end.month}月{end.day}日"
    if gids is not None:
        names = [n for (n,) in session.execute(select(Group.name).where(Group.id.in_(list(gids))).order_by(Group.id))]
        title += f"（{'、'.join(names)}）"
    lines: list[str] = [title, "也许你今天的需求，恰好是别人能解决的问题。"]

    lines += ["", f"▍本期供给 {len(offers.rows)} 条"]
    lines += _item_lines(offers.rows) or ["本期暂无新的供给"]
    lines += ["", f"▍本期需求 {len(needs.rows)} 条"]
    lines += _item_lines(needs.rows) or ["本期暂无新的需求"]

    lines += ["", "▍推荐对接"]
    best = sorted(matches.rows, key=lambda r: -float(r[6] or 0.0))[:TOP_MATCHES]
    if best:
        for r in best:
            reason = f"（{_snip(r[7], 40)}）" if r[7] else ""
            lines.append(f"· {r[1]}「{_snip(r[2], 24)}」↔ {r[4]}「{_snip(r[5], 24)}」{reason}")
    else:
        lines.append("本期暂无推荐")

    lines += ["", "▍近期活动"]
    shown = [r for r in events.rows if r[1] >= dt.datetime.combine(min(today, end), dt.time())][:MAX_EVENTS]
    if shown:
        for r in shown:
            at: dt.datetime = r[1]
            seats = f"，已报名 {r[7]}" + (f"/{r[6]}" if r[6] else "") if r[7] or r[6] else ""
            where = f" @{_snip(r[4], 20)}" if r[4] else ""
            lines.append(f"· {at.month}/{at.day} 周{WEEKDAYS[at.weekday()]} {at:%H:%M} {r[3]}「{_snip(r[2], 30)}」{where}{seats}")
    else:
        lines.append("近期暂无活动")
    lines += ["", "想对接的朋友请私信群主，我们帮你牵线。"]
    return _split(lines, max_chars)


def _split(lines: list[str], max_chars: int) -> list[str]:
    """Pack lines into messages of at most ``max_chars`` characters, numbered when more
    than one (the number is counted in)."""
    whole = "\n".join(lines)
    if len(whole) <= max_chars:
        return [whole]
    room = max_chars - len("（99/99）\n")
    parts: list[list[str]] = [[]]
    size = 0
    for line in lines:
        if len(line) > room:
            line = line[: room - 1] + "…"
        extra = len(line) + (1 if parts[-1] else 0)
        if parts[-1] and size + extra > room:
            parts.append([])
            size = 0
            extra = len(line)
            if not line:
                continue  # no blank line at the top of a part
        parts[-1].append(line)
        size += extra
    n = len(parts)
    return [f"（{i}/{n}）\n" + "\n".join(part) for i, part in enumerate(parts, start=1)]


def brief_text(
    session: Session,
    start: dt.date,
    end: dt.date,
    group_ids: Sequence[int] | None = None,
    mask: bool = True,
    *,
    shorten_names: bool = False,
    today: dt.date | None = None,
    max_chars: int = MAX_CHARS,
) -> str:
    """The text to paste; several messages are separated by :data:`DIVIDER`."""
    return DIVIDER.join(brief_messages(session, start, end, group_ids, mask, shorten_names=shorten_names,
                                       today=today, max_chars=max_chars))


def record_unmasked_text(
    session: Session, operator: str, start: dt.date, end: dt.date, group_ids: Sequence[int] | None = None
) -> None:
    """Audit entry for a text brief handed out without masking (CLI ``--no-mask --text``
    and the screen's 复制文本 with 打码 off)."""
    from sqdesk.core import audit

    audit.record(session, operator, "export_unmasked", "brief_text", None,
                 after={"start": start, "end": end, "groups": list(group_ids) if group_ids is not None else []})
