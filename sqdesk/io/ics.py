"""Export events to an iCalendar file (RFC 5545) that phones and calendar apps import.

One VEVENT per event (a recurring event stays one VEVENT with its RRULE, so the
calendar app expands it), local wall-clock times with ``TZID=Asia/Shanghai`` and the
matching VTIMEZONE, a UID that stays the same across exports
(``sqdesk-event-<id>@<workspace>.sqdesk``, so re-importing updates rather than
duplicates) and ``SEQUENCE`` = the event's version. Content lines are folded and
escaped by the icalendar library. The file is written to a temporary name and moved
into place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from collections.abc import Sequence
from pathlib import Path

from icalendar import Calendar, Timezone, vRecur
from icalendar import Event as VEvent
from sqlalchemy import select
from sqlalchemy.orm import Session

from sqdesk.core import events as core_events
from sqdesk.core.errors import NotFoundError
from sqdesk.io.xlsx_safe import atomic_output
from sqdesk.models import AuditEntry, Event

TZID = "Asia/Shanghai"
PRODID = "-//sqdesk//社群运营工作台//ZH"
_STATUS = {"已取消": "CANCELLED", "筹备": "TENTATIVE"}


def workspace_tag(session: Session) -> str:
    """A short stable name for this workspace: a hash of its first audit entry (written
    when the workspace got its first data), so it survives moving or copying the file."""
    first = session.execute(
        select(AuditEntry.id, AuditEntry.at).order_by(AuditEntry.id).limit(1)
    ).first()
    seed = f"{first[0]}|{first[1]:%Y%m%dT%H%M%S.%f}" if first is not None else "empty"
    return hashlib.sha256(seed.encode()).hexdigest()[:12]


def event_uid(event_id: int, tag: str) -> str:
    return f"sqdesk-event-{event_id}@{tag}.sqdesk"


def _select_ids(
    session: Session,
    event_ids: Sequence[int] | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
) -> list[int]:
    if event_ids is not None:
        ids = list(dict.fromkeys(int(i) for i in event_ids))
        found = set(session.scalars(select(Event.id).where(Event.id.in_(ids))))
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise NotFoundError(f"活动 #{'、#'.join(missing)} 不存在")
        return ids
    if start is None and end is None:
        return list(session.scalars(select(Event.id).order_by(Event.starts_at, Event.id)))
    lo = start or dt.datetime(1970, 1, 1)
    hi = end or dt.datetime(9999, 1, 1)
    return list(dict.fromkeys(o.event_id for o in core_events.list_events(session, lo, hi)))


def _rrule(rule: str, tz: dt.tzinfo) -> vRecur:
    """Our canonical RRULE with UNTIL turned into UTC, as RFC 5545 requires when DTSTART
    carries a TZID."""
    recur: vRecur = vRecur.from_ical(rule)
    until = recur.get("UNTIL")
    if until:
        value = until[0]
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            recur["UNTIL"] = [value.replace(tzinfo=tz).astimezone(dt.UTC)]
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            end_of_day = dt.datetime.combine(value, dt.time(23, 59, 59), tz)
            recur["UNTIL"] = [end_of_day.astimezone(dt.UTC)]
    return recur


def _description(ev: core_events.EventView) -> str:
    lines = [ev.description] if ev.description else []
    facts = [f"类型：{ev.kind}", f"状态：{ev.status}"]
    if ev.host_names:
        facts.append(f"主讲/主持：{'、'.join(ev.host_names)}")
    facts.append(f"面向：{'、'.join(ev.group_names) if ev.group_names else '全部群'}")
    facts.append(f"人数上限：{ev.capacity if ev.capacity is not None else '不限'}")
    if ev.cost:
        facts.append(f"费用：{ev.cost:g} 元")
    if ev.rrule:
        facts.append(f"重复：{core_events.describe_rrule(ev.rrule)}")
    return "\n".join([*lines, *(["", *facts] if lines else facts)])


def build_calendar(
    session: Session,
    *,
    event_ids: Sequence[int] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    now: dt.datetime | None = None,
    tzid: str = TZID,
) -> tuple[Calendar, int]:
    """The VCALENDAR for the chosen events (all events when nothing is chosen)."""
    tz = zoneinfo.ZoneInfo(tzid)
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    ids = _select_ids(session, event_ids, start, end)
    tag = workspace_tag(session)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-timezone", tzid)
    views = [core_events.get_event(session, i) for i in ids]
    if views:
        first = min(v.starts_at for v in views).date() - dt.timedelta(days=366)
        last = max(v.ends_at for v in views).date() + dt.timedelta(days=366 * 3)
        cal.add_component(Timezone.from_tzid(tzid, first_date=first, last_date=last))
    for ev in views:
        item = VEvent()
        item.add("uid", event_uid(ev.id, tag))
        item.add("dtstamp", stamp)
        item.add("sequence", max(ev.version - 1, 0))
        item.add("summary", ev.title)
        item.add("dtstart", ev.starts_at.replace(tzinfo=tz))
        item.add("dtend", ev.ends_at.replace(tzinfo=tz))
        if ev.rrule:
            item.add("rrule", _rrule(ev.rrule, tz))
        if ev.location:
            item.add("location", ev.location)
            if ev.location.startswith(("http://", "https://")):
                item.add("url", ev.location)
        item.add("description", _description(ev))
        item.add("categories", [ev.kind])
        item.add("status", _STATUS.get(ev.status, "CONFIRMED"))
        item.add("transp", "OPAQUE")
        cal.add_component(item)
    return cal, len(views)


def export_ics(
    session: Session,
    out_path: str | Path,
    *,
    event_ids: Sequence[int] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> int:
    """Write the events (chosen by id, or those happening in [start, end), or all) to
    ``out_path`` (.ics); returns how many events were written."""
    cal, n = build_calendar(session, event_ids=event_ids, start=start, end=end)
    data = cal.to_ical()
    with atomic_output(out_path, allowed=(".ics",)) as tmp:
        tmp.write_bytes(data)
    return n
