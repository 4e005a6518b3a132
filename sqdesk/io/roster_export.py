"""Export the roster to .xlsx or .csv so that importing it into an empty workspace gives
back the same members (every field, groups with nicknames and dates, tags, inviters,
custom fields).

Headers are the labels the importer recognises (``MEMBER_FIELDS`` plus 群昵称 / 所在群 /
标签 / 邀请人, the custom fields, and 各群入群时间 / 各群退群时间 only when a member's
groups carry dates of their own). A member in several groups gets one line per group
inside the 所在群 / 群昵称 cells, aligned. Phones are text, dates are real dates, and any
value that a spreadsheet would take for a formula (starting with = + - @ TAB CR) is
written as text, never evaluated.

The file is written to a temporary name in the target folder and moved into place with
``os.replace``, so a failed export never leaves half a file under the operator's name.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sqdesk.core.roster import MEMBER_FIELDS
from sqdesk.io.xlsx_safe import atomic_output, char_width, needs_formula_guard
from sqdesk.models import Group, Member, Membership, Tag
from sqdesk.models.base import table_of
from sqdesk.models.member import member_tags

CUSTOM_PREFIX = "自定义:"
_CHUNK = 2000
_EXTRA = ("群昵称", "所在群", "标签")
_PER_GROUP = ("各群入群时间", "各群退群时间")


def guard_csv(text: str) -> str:
    """A CSV cell that Excel/WPS would evaluate as a formula gets a leading apostrophe
    (the OWASP CSV-injection guard); the importer drops it again, so it round-trips."""
    return "'" + text if needs_formula_guard(text) else text


def export_roster(
    session: Session,
    out_path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write every member to ``out_path`` (.xlsx or .csv); returns the number written."""
    out = Path(out_path)
    suffix = out.suffix.lower()
    headers, rows, total = _collect(session)
    with atomic_output(out, allowed=(".xlsx", ".csv")) as tmp:
        if suffix == ".xlsx":
            n = _write_xlsx(tmp, headers, rows, total, progress)
        else:
            n = _write_csv(tmp, headers, rows, total, progress)
    return n


# ---- collecting -------------------------------------------------------------------

Cell = str | int | float | bool | dt.date | None
_DATE_COLS = frozenset({"入群时间", "付费到期"})


def _collect(session: Session) -> tuple[list[str], Iterator[list[Cell]], int]:
    mt = table_of(Member)
    ids_names: dict[int, str] = {}
    name_count: dict[str, int] = defaultdict(int)
    keys: dict[int, tuple[str | None, str | None]] = {}
    custom_keys: dict[str, None] = {}
    for mid, name, phone, wx, custom in session.execute(
        select(mt.c.id, mt.c.display_name, mt.c.phone, mt.c.wechat_id, mt.c.custom).order_by(mt.c.id)
    ):
        ids_names[mid] = name
        name_count[name] += 1
        keys[mid] = (phone, wx)
        for k in custom or {}:
            custom_keys.setdefault(str(k), None)
    count = len(ids_names)
    groups = {gid: gname for gid, gname in session.execute(select(Group.id, Group.name))}
    memberships: dict[int, list[tuple[str, str, dt.date | None, dt.date | None]]] = defaultdict(list)
    for mid, gid, nick, joined, left in session.execute(
        select(Membership.member_id, Membership.group_id, Membership.nickname, Membership.joined_on,
               Membership.left_on).order_by(Membership.member_id, Membership.id)
    ):
        memberships[mid].append((groups[gid], nick or "", joined, left))
    tags: dict[int, list[str]] = defaultdict(list)
    for mid, tname in session.execute(
        select(member_tags.c.member_id, Tag.name).join(Tag, Tag.id == member_tags.c.tag_id)
        .order_by(member_tags.c.member_id, Tag.name)
    ):
        tags[mid].append(tname)
    per_group = False
    joined_of: dict[int, dt.date | None] = dict(
        (mid, j) for mid, j in session.execute(select(mt.c.id, mt.c.joined_on))
    )
    for mid, items in memberships.items():
        if any(j != joined_of.get(mid) or left is not None for _g, _n, j, left in items):
            per_group = True
            break

    fields = [f for f in MEMBER_FIELDS]
    headers = [MEMBER_FIELDS[f] for f in fields] + list(_EXTRA)
    if per_group:
        headers += list(_PER_GROUP)
    reserved = {h for h in headers}
    custom_headers = []
    for k in custom_keys:
        from sqdesk.io.roster_import import ROSTER_SYNONYMS  # the importer's vocabulary
        from sqdesk.io.tables import normalize_header

        clashes = k in reserved or any(
            normalize_header(k) == normalize_header(w) for ws in ROSTER_SYNONYMS.values() for w in ws
        ) or normalize_header(k) in {normalize_header(f) for f in ROSTER_SYNONYMS}
        custom_headers.append(CUSTOM_PREFIX + k if clashes else k)
    headers += custom_headers
    custom_list = list(custom_keys)

    def inviter_text(mid: int | None) -> str:
        if mid is None or mid not in ids_names:
            return ""
        name = ids_names[mid]
        if name_count[name] == 1:
            return name
        phone, wx = keys[mid]
        key = phone or wx
        return f"{name}（{key}）" if key else name

    cols = [mt.c[f] for f in fields] + [mt.c.custom, mt.c.id]

    def rows() -> Iterator[list[Cell]]:
        last = 0
        while True:
            chunk = session.execute(
                select(*cols).where(mt.c.id > last).order_by(mt.c.id).limit(_CHUNK)
            ).all()
            if not chunk:
                return
            for r in chunk:
                *vals, custom, mid = r
                last = mid
                line: list[Cell] = []
                for f, v in zip(fields, vals, strict=True):
                    if f == "inviter_id":
                        line.append(inviter_text(v))
                    elif f == "consent":
                        line.append("是" if v else "否")
                    else:
                        line.append(v)
                items = memberships.get(mid, [])
                sep = "\n" if len(items) > 1 else ""
                nicks = [n for _g, n, _j, _l in items]
                if len(set(nicks)) <= 1:
                    nick_cell = nicks[0] if nicks else ""
                else:  # one line per group, aligned with 所在群; "-" for none
                    nick_cell = "\n".join(n or "-" for n in nicks)
                line.append(nick_cell)
                line.append(sep.join(g for g, _n, _j, _l in items) if sep else (items[0][0] if items else ""))
                line.append("、".join(tags.get(mid, [])))
                if per_group:
                    line.append("\n".join(_iso(j) or "-" for _g, _n, j, _l in items))
                    line.append("\n".join(_iso(left) or "-" for _g, _n, _j, left in items)
                                if any(left for *_x, left in items) else "")
                custom = custom or {}
                for k in custom_list:
                    v = custom.get(k)
                    line.append(None if v is None else str(v))
                yield line

    return headers, rows(), count


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


# ---- writers ---------------------------------------------------------------------

def _write_xlsx(
    path: Path, headers: list[str], rows: Iterator[list[Cell]], total: int,
    progress: Callable[[int, int], None] | None,
) -> int:
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        return _write_xlsx_openpyxl(path, headers, rows, total, progress)
    return _write_xlsx_xlsxwriter(path, headers, rows, total, progress)


def _write_xlsx_openpyxl(
    path: Path, headers: list[str], rows: Iterator[list[Cell]], total: int,
    progress: Callable[[int, int], None] | None,
) -> int:
    """openpyxl write-only (streams rows); widths come from the first 500 rows."""
    from itertools import chain, islice

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("成员名单")
    head = list(islice(rows, 500))
    widths = [char_width(h) + 2 for h in headers]
    for line in head:
        for c, v in enumerate(line):
            if v not in (None, ""):
                w = 10 if isinstance(v, dt.date) else max(char_width(p) for p in str(v).split("\n"))
                widths[c] = max(widths[c], w + 2)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(w, 6), 50)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F2F2F2")
    wrap = Alignment(wrap_text=True, vertical="top")
    date_cols = {i for i, h in enumerate(headers) if h in _DATE_COLS}
    text_cols = {headers.index(MEMBER_FIELDS["phone"]), headers.index(MEMBER_FIELDS["wechat_id"])}
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.data_type = "s"
        cell.font = bold
        cell.fill = fill
        header_cells.append(cell)
    ws.append(header_cells)
    n = 0
    step = max(total // 100, 1)
    for n, line in enumerate(chain(head, rows), start=1):
        out: list[Any] = []
        for c, v in enumerate(line):
            if v is None or v == "":
                out.append(None)
            elif c in date_cols and isinstance(v, dt.date):
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = "yyyy-mm-dd"
                out.append(cell)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append(v)
            else:
                cell = WriteOnlyCell(ws, value=str(v))
                cell.data_type = "s"  # never a formula, whatever it starts with
                if c in text_cols:
                    cell.number_format = "@"
                if "\n" in str(v):
                    cell.alignment = wrap
                out.append(cell)
        ws.append(out)
        if progress is not None and (n % step == 0 or n == total):
            progress(n, total)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(n, 1) + 1}"
    wb.save(str(path))
    return n


def _write_xlsx_xlsxwriter(
    path: Path, headers: list[str], rows: Iterator[list[Cell]], total: int,
    progress: Callable[[int, int], None] | None,
) -> int:
    """xlsxwriter in constant-memory mode: ~3x faster than openpyxl write-only."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_numbers": False, "strings_to_urls": False})
    try:
        ws = wb.add_worksheet("成员名单")
        bold = wb.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        text_fmt = wb.add_format({"num_format": "@"})
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        wrap_fmt = wb.add_format({"text_wrap": True, "valign": "top"})
        widths = [char_width(h) + 2 for h in headers]
        date_cols = {i for i, h in enumerate(headers) if h in _DATE_COLS}
        phone_col = headers.index(MEMBER_FIELDS["phone"])
        wx_col = headers.index(MEMBER_FIELDS["wechat_id"])
        for i, h in enumerate(headers):
            ws.write_string(0, i, h, bold)
        ws.freeze_panes(1, 0)
        n = 0
        step = max(total // 100, 1)
        for n, line in enumerate(rows, start=1):
            for c, v in enumerate(line):
                if v is None or v == "":
                    continue
                if c in date_cols and isinstance(v, dt.date):
                    ws.write_datetime(n, c, dt.datetime(v.year, v.month, v.day), date_fmt)
                    w = 10
                elif isinstance(v, bool) or isinstance(v, (int, float)):
                    ws.write_number(n, c, v)
                    w = len(str(v))
                else:
                    s = str(v)
                    fmt = text_fmt if c in (phone_col, wx_col) else (wrap_fmt if "\n" in s else None)
                    ws.write_string(n, c, s, fmt)  # strings are never formulas
                    w = max(char_width(part) for part in s.split("\n")) if s else 0
                if w + 2 > widths[c]:
                    widths[c] = w + 2
            if progress is not None and (n % step == 0 or n == total):
                progress(n, total)
        for i, w in enumerate(widths):
            ws.set_column(i, i, min(max(w, 6), 50))
        ws.autofilter(0, 0, max(n, 1), len(headers) - 1)
    finally:
        wb.close()
    return n


def _write_csv(
    path: Path, headers: list[str], rows: Iterator[list[Cell]], total: int,
    progress: Callable[[int, int], None] | None,
) -> int:
    n = 0
    step = max(total // 100, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(headers)
        for n, line in enumerate(rows, start=1):
            writer.writerow([_csv_cell(v) for v in line])
            if progress is not None and (n % step == 0 or n == total):
                progress(n, total)
    return n


def _csv_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return "是" if v else "否"
    return guard_csv(str(v))

