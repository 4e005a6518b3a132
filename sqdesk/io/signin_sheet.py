"""The printable 签到表 of an event: an xlsx for the door of an offline meetup.

A title block (event, time, place, seats), then one line per person with a seat
(已报名 / 已签到, by pinyin so a name is quick to find on paper) and the waitlist in
queue order, and a few numbered blank lines for walk-ins. The last column is left
blank for signatures. Phones are masked (138****8000) unless asked otherwise. Set up
to print: A4 portrait, fitted to the page width, header row repeated on every page,
thin borders, page numbers in the footer. Every text cell is a string, never a
formula; the file appears whole or not at all (:func:`atomic_output`).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sqdesk.core import events as core_events
from sqdesk.core.text import mask_phone
from sqdesk.io.xlsx_safe import atomic_output, display_width, set_text_cell
from sqdesk.models import Member, Membership
from sqdesk.models.event import event_groups

HEADERS = ("序号", "姓名", "群昵称", "手机", "状态", "签到")
LISTED = ("已报名", "已签到", "候补")
SHEET_TITLE = "签到表"
_MIN_WIDTH = {"序号": 6, "姓名": 12, "群昵称": 14, "手机": 14, "状态": 10, "签到": 22}
_MAX_WIDTH = 30
_ROW_HEIGHT = 24  # points: room to sign by hand


def _nicknames(session: Session, event_id: int, member_ids: list[int]) -> dict[int, str]:
    """Each member's 群昵称, preferring a group the event is for and a current membership."""
    targets = set(session.scalars(select(event_groups.c.group_id).where(event_groups.c.event_id == event_id)))
    best: dict[int, tuple[tuple[int, int, int], str]] = {}
    for start in range(0, len(member_ids), 900):
        chunk = member_ids[start : start + 900]
        for mid, gid, nick, left in session.execute(
            select(Membership.member_id, Membership.group_id, Membership.nickname, Membership.left_on)
            .where(Membership.member_id.in_(chunk), Membership.nickname != "")
        ):
            rank = (0 if gid in targets else 1, 0 if left is None else 1, gid)
            if mid not in best or rank < best[mid][0]:
                best[mid] = (rank, nick)
    return {mid: nick for mid, (_rank, nick) in best.items()}


def _status_text(reg: core_events.RegistrationView) -> str:
    if reg.status == "候补":
        return f"候补 第 {reg.waitlist_position} 位"
    if reg.status == "已签到" and reg.checked_in_at is not None:
        return f"已签到 {reg.checked_in_at:%H:%M}"
    return reg.status


def signin_rows(
    session: Session, event_id: int, *, mask: bool = True
) -> list[tuple[str, str, str, str]]:
    """(姓名, 群昵称, 手机, 状态) per listed person, in the sheet's order."""
    regs = core_events.list_registrations(session, event_id, status=LISTED)
    ids = [r.member_id for r in regs]
    pinyin: dict[int, str] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for mid, py in session.execute(select(Member.id, Member.name_pinyin).where(Member.id.in_(chunk))):
            pinyin[mid] = py
    nick = _nicknames(session, event_id, ids)
    seated = sorted((r for r in regs if r.status != "候补"),
                    key=lambda r: (pinyin.get(r.member_id, ""), r.member_name, r.member_id))
    waiting = sorted((r for r in regs if r.status == "候补"), key=lambda r: r.waitlist_position or 0)
    rows = []
    for r in [*seated, *waiting]:
        phone = r.phone or ""
        rows.append((r.member_name, nick.get(r.member_id, ""), mask_phone(phone) if mask else phone, _status_text(r)))
    return rows


def export_signin_sheet(
    session: Session,
    event_id: int,
    out_path: str | Path,
    *,
    mask: bool = True,
    blank_rows: int = 8,
) -> int:
    """Write the event's 签到表 to ``out_path`` (.xlsx); returns the number of people listed."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    ev = core_events.get_event(session, event_id)
    counts = core_events.registration_counts(session, event_id)
    rows = signin_rows(session, event_id, mask=mask)

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_TITLE
    ncol = len(HEADERS)
    last_col = get_column_letter(ncol)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center")
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)

    title = ws.cell(row=1, column=1)
    set_text_cell(title, f"{SHEET_TITLE}：{ev.title}", where="标题")
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(f"A1:{last_col}1")
    ws.row_dimensions[1].height = 30
    if ev.rrule:  # the list is the series': say when it repeats, not only its first date
        when = (f"{core_events.describe_rrule(ev.rrule)} {ev.starts_at:%H:%M}–{ev.ends_at:%H:%M}"
                f"（{ev.starts_at:%Y-%m-%d} 起）")
    else:
        when = core_events.format_span(ev.starts_at, ev.ends_at)
    seats = f"人数上限 {ev.capacity} 人" if ev.capacity is not None else "不限人数"
    place = f"　　地点：{ev.location}" if ev.location else ""
    taken = f"已报名 {counts.registered + counts.checked_in} 人（{seats}）" + (
        f"，候补 {counts.waitlisted} 人" if counts.waitlisted else "")
    info = ws.cell(row=2, column=1)
    set_text_cell(info, f"时间：{when}{place}\n{taken}", where="活动信息")
    info.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.merge_cells(f"A2:{last_col}2")
    lines = sum(max(1, -(-display_width(part) // 90)) for part in str(info.value).split("\n"))
    ws.row_dimensions[2].height = 16 * lines + 4

    header_row = 3
    fill = PatternFill("solid", fgColor="E7E6E6")
    for c, h in enumerate(HEADERS, start=1):
        cell = ws.cell(row=header_row, column=c)
        set_text_cell(cell, h)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.border = border
        cell.alignment = center
    ws.row_dimensions[header_row].height = _ROW_HEIGHT

    widths = defaultdict(int, {i: _MIN_WIDTH[h] for i, h in enumerate(HEADERS)})
    r = header_row
    for n, values in enumerate([*rows, *[("", "", "", "")] * blank_rows], start=1):
        r = header_row + n
        line = (n, *values, "")
        for c, value in enumerate(line, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, int):
                cell.value = value
                cell.alignment = center
            else:
                set_text_cell(cell, value, where=f"第 {r} 行「{HEADERS[c - 1]}」列")
                cell.alignment = center if HEADERS[c - 1] in ("手机", "状态") else left
                widths[c - 1] = max(widths[c - 1], display_width(str(value)) + 2)
            cell.border = border
        ws.row_dimensions[r].height = _ROW_HEIGHT
    for i in range(ncol):
        ws.column_dimensions[get_column_letter(i + 1)].width = min(widths[i], _MAX_WIDTH)

    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{last_col}{r}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    wb.properties.title = f"{SHEET_TITLE}：{ev.title}"
    wb.properties.creator = "sqdesk"

    with atomic_output(out_path, allowed=(".xlsx",)) as tmp:
        wb.save(str(tmp))
    return len(rows)
