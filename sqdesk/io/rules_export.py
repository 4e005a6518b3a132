"""The published 群规 as files: text ready to paste into a group announcement, and an
xlsx for leaders (one rule a row, grouped and numbered like the text)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from sqdesk.core.rules_store import RuleVersionView, published_text, rules_as_of
from sqdesk.io.xlsx_safe import atomic_output, cell_text, display_width
from sqdesk.models.vocab import RULE_CATEGORIES


def export_published_rules(session: Session, out_path: str | Path, when: dt.datetime | None = None) -> int:
    """Write the 群规 in force at ``when`` (default now) to ``.txt`` (UTF-8 with BOM and
    CRLF, which Windows Notepad and a WeChat paste both read right) or ``.xlsx``.
    Returns the number of rules written."""
    when = when or dt.datetime.now()
    rules = rules_as_of(session, when)
    order = {c: i for i, c in enumerate(RULE_CATEGORIES)}
    rules = sorted(rules, key=lambda r: order.get(r.category, len(order)))  # the text's numbering
    with atomic_output(out_path, allowed=(".txt", ".xlsx")) as tmp:
        if Path(out_path).suffix.lower() == ".txt":
            text = published_text(session, when)
            tmp.write_text(text.replace("\n", "\r\n"), encoding="utf-8-sig", newline="")
        else:
            _write_xlsx(tmp, rules, when)
    return len(rules)


def _write_xlsx(path: Path, rules: list[RuleVersionView], when: dt.datetime) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties({"title": "群规", "subject": f"截至 {when:%Y-%m-%d} 生效的群规"})
    sheet = book.add_worksheet("群规")
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#DDE7F3", "border": 1, "valign": "vcenter"})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top", "border": 1})
    headers = ["序号", "类别", "标题", "正文", "生效自", "修订"]
    sheet.write_string(0, 0, f"群规（截至 {when:%Y-%m-%d}）", title)
    for c, h in enumerate(headers):
        sheet.write_string(2, c, h, head)
    widths = [6, 8, 24, 60, 12, 6]
    for i, r in enumerate(rules, start=1):
        row = i + 2
        body = cell_text(r.body, where=f"第 {row + 1} 行「正文」列")
        sheet.write_number(row, 0, i, wrap)
        sheet.write_string(row, 1, r.category, wrap)
        sheet.write_string(row, 2, cell_text(r.title, where=f"第 {row + 1} 行「标题」列"), wrap)
        sheet.write_string(row, 3, body, wrap)
        sheet.write_datetime(row, 4, r.valid_from, date_fmt)
        sheet.write_number(row, 5, r.revision, wrap)
        widths[2] = min(40, max(widths[2], display_width(r.title) + 2))
        lines = sum(max(1, -(-display_width(part) // 58)) for part in (body.split("\n") or [""]))
        sheet.set_row(row, 18 * max(1, lines))
    for c, w in enumerate(widths):
        sheet.set_column(c, c, w)
    sheet.freeze_panes(3, 0)
    sheet.autofilter(2, 0, 2 + len(rules), len(headers) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)
    sheet.set_footer(f"&C群规（截至 {when:%Y-%m-%d}） 第 &P 页，共 &N 页")
    book.close()
