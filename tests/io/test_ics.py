"""The .ics export: valid RFC 5545 read back by two independent parsers (icalendar and
vobject, plus a strict line-level check), recurrence preserved as RRULE and expanding
to the same dates the calendar shows, UIDs stable across exports, atomic writes."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from sqdesk.core import events as E
from sqdesk.core.errors import NotFoundError, UserError
from sqdesk.core.groups import create_group
from sqdesk.core.roster import MemberInput, create_member
from sqdesk.io.ics import export_ics

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
WED = dt.datetime(2026, 11, 4, 20, 0)  # a Wednesday


def _world(ws: Any) -> dict[str, int]:
    with ws.write() as s:
        g = create_group(s, "读书会一群").id
        host = create_member(s, MemberInput("张三")).id
        weekly = E.create_event(s, E.EventInput(
            "周三夜聊", WED, WED + dt.timedelta(minutes=90), kind="线上讲座",
            location="https://meeting.tencent.com/dm/abc", host_ids=[host], group_ids=[g],
            rrule="FREQ=WEEKLY;BYDAY=WE;UNTIL=20261230T200000",
            description="话题：产品; 增长, 以及\n第二行；" + "很长的介绍" * 40,
        )).id
        meetup = E.create_event(s, E.EventInput(
            "=杭州线下见面会", dt.datetime(2026, 11, 7, 14), dt.datetime(2026, 11, 7, 17),
            kind="线下见面会", location="杭州市西湖区文三路 1 号", capacity=30, status="报名中", cost=50,
        )).id
        counted = E.create_event(s, E.EventInput(
            "21天打卡", dt.datetime(2026, 11, 2, 8), dt.datetime(2026, 11, 2, 9), kind="打卡",
            rrule="FREQ=DAILY;COUNT=21",
        )).id
        cancelled = E.create_event(s, E.EventInput(
            "取消的分享会", dt.datetime(2027, 1, 9, 19), dt.datetime(2027, 1, 9, 21), status="已取消",
        )).id
    return {"weekly": weekly, "meetup": meetup, "counted": counted, "cancelled": cancelled}


def _strict_check(raw: bytes) -> list[str]:
    """RFC 5545 §3.1 at the byte level: CRLF line ends, ≤ 75 octets per physical line,
    continuation lines start with one space, no bare CR/LF, every unfolded line is
    NAME[;PARAM=VALUE…]:VALUE, BEGIN/END nest, UTF-8 never split inside a character."""
    assert raw.endswith(b"\r\n")
    physical = raw[:-2].split(b"\r\n")
    problems = []
    for i, line in enumerate(physical, start=1):
        if b"\r" in line or b"\n" in line:
            problems.append(f"line {i}: bare CR/LF")
        if len(line) > 75:
            problems.append(f"line {i}: {len(line)} octets")
        line.decode("utf-8")  # a fold inside a multi-byte character would fail here
    unfolded: list[str] = []
    for line in physical:
        text = line.decode("utf-8")
        if text.startswith(" "):
            unfolded[-1] += text[1:]
        else:
            unfolded.append(text)
    name = r"[A-Za-z0-9-]+"
    param = rf'{name}=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*'
    content = re.compile(rf"^{name}(?:;{param})*:.*$")
    stack: list[str] = []
    for i, text in enumerate(unfolded, start=1):
        if not content.match(text):
            problems.append(f"content line {i} malformed: {text[:40]}")
        if text.startswith("BEGIN:"):
            stack.append(text[6:])
        elif text.startswith("END:"):
            if not stack or stack.pop() != text[4:]:
                problems.append(f"content line {i}: END without BEGIN")
    if stack:
        problems.append(f"unclosed {stack}")
    return problems


def test_ics_is_valid_and_preserves_events(ws: Any, tmp_path: Path) -> None:
    ids = _world(ws)
    out = tmp_path / "活动.ics"
    with ws.read() as s:
        assert export_ics(s, out) == 4
    raw = out.read_bytes()
    assert _strict_check(raw) == []

    cal = Calendar.from_ical(raw)
    tzids = [tz["TZID"] for tz in cal.walk("VTIMEZONE")]
    assert tzids == ["Asia/Shanghai"]
    by_uid = {str(v["UID"]): v for v in cal.walk("VEVENT")}
    assert len(by_uid) == 4
    uids = {k: next(u for u in by_uid if u.startswith(f"sqdesk-event-{v}@")) for k, v in ids.items()}
    weekly = by_uid[uids["weekly"]]
    assert weekly["SUMMARY"] == "周三夜聊"
    start = weekly.decoded("DTSTART")
    assert start == WED.replace(tzinfo=SH) and str(start.tzinfo) == "Asia/Shanghai"
    assert weekly["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert weekly.decoded("DTEND") - start == dt.timedelta(minutes=90)
    rule = weekly["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["WE"]
    # With a TZID start, UNTIL must be UTC: 20:00 Shanghai = 12:00Z.
    assert rule["UNTIL"] == [dt.datetime(2026, 12, 30, 12, 0, tzinfo=dt.UTC)]
    assert str(weekly["DESCRIPTION"]).startswith("话题：产品; 增长, 以及\n第二行；很长的介绍")
    assert "主讲/主持：张三" in str(weekly["DESCRIPTION"])
    assert str(weekly["URL"]) == "https://meeting.tencent.com/dm/abc"
    assert weekly.decoded("DTSTAMP").tzinfo is not None
    meetup = by_uid[uids["meetup"]]
    assert meetup["SUMMARY"] == "=杭州线下见面会"  # text, whatever it starts with
    assert meetup["LOCATION"] == "杭州市西湖区文三路 1 号"
    assert meetup["STATUS"] == "CONFIRMED" and "RRULE" not in meetup
    assert by_uid[uids["cancelled"]]["STATUS"] == "CANCELLED"
    assert by_uid[uids["counted"]]["RRULE"]["COUNT"] == [21]

    # The recurrence expands, in another library, to exactly what the calendar shows.
    from dateutil.rrule import rrulestr

    lo, hi = dt.datetime(2026, 11, 1), dt.datetime(2027, 2, 1)
    with ws.read() as s:
        shown = [o.starts_at for o in E.list_events(s, lo, hi) if o.event_id == ids["weekly"]]
    expanded = rrulestr(weekly["RRULE"].to_ical().decode(), dtstart=start)
    assert [d.replace(tzinfo=None) for d in expanded] == shown
    assert len(shown) == 9 and all(d.weekday() == 2 and d.hour == 20 for d in shown)

    # Exporting again gives the same UIDs (calendar apps update instead of duplicating).
    with ws.write() as s:
        E.update_event(s, ids["meetup"], E.EventInput(
            "杭州线下见面会（改期）", dt.datetime(2026, 11, 8, 14), dt.datetime(2026, 11, 8, 17),
            kind="线下见面会", capacity=30, status="报名中"))
    with ws.read() as s:
        export_ics(s, out)
    again = {str(v["UID"]): v for v in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert set(again) == set(by_uid)
    moved = again[uids["meetup"]]
    assert moved["SUMMARY"] == "杭州线下见面会（改期）" and int(moved["SEQUENCE"]) > int(meetup["SEQUENCE"])


def test_ics_read_by_vobject(ws: Any, tmp_path: Path) -> None:
    vobject = pytest.importorskip("vobject")
    ids = _world(ws)
    out = tmp_path / "cal.ics"
    with ws.read() as s:
        export_ics(s, out, event_ids=[ids["weekly"], ids["counted"]])
    parsed = vobject.readOne(out.read_text(encoding="utf-8"), validate=True)
    events = {e.summary.value: e for e in parsed.vevent_list}
    assert set(events) == {"周三夜聊", "21天打卡"}
    weekly = events["周三夜聊"].getrruleset()
    dates = list(weekly)
    assert len(dates) == 9 and dates[0] == WED.replace(tzinfo=SH)
    assert dates[0].utcoffset() == dt.timedelta(hours=8)
    daily = list(events["21天打卡"].getrruleset())
    assert len(daily) == 21 and daily[-1].date() == dt.date(2026, 11, 22)


def test_ics_selection_and_failures(ws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _world(ws)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "w.ics"
    with ws.read() as s:
        # Thu–Sat: the meetup and the daily 打卡 happen then; the Wednesday series does not.
        n = export_ics(s, out, start=dt.datetime(2026, 11, 5), end=dt.datetime(2026, 11, 8))
        assert export_ics(s, folder / "wed.ics", start=dt.datetime(2026, 11, 11),
                          end=dt.datetime(2026, 11, 12)) == 2
    got = {str(v["SUMMARY"]) for v in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert n == 2 and got == {"=杭州线下见面会", "21天打卡"}
    (folder / "wed.ics").unlink()
    before = out.read_bytes()
    with ws.read() as s, pytest.raises(NotFoundError, match="#999"):
        export_ics(s, out, event_ids=[ids["meetup"], 999])
    assert out.read_bytes() == before

    # The target is locked (open in another program): a clear error, the old file intact.
    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("sqdesk.io.xlsx_safe.os.replace", locked)
    with ws.read() as s, pytest.raises(UserError, match="w.ics.*Excel/WPS"):
        export_ics(s, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["w.ics"]  # no temp file left
