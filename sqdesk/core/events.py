"""Events (活动) and registrations (报名): the calendar, conflicts, waitlist, door check-in.

Times are naive local wall-clock (an offline meetup happens at 20:00 where it is held).
A recurring event is one row with an RFC 5545 RRULE (``FREQ=WEEKLY;BYDAY=WE`` =
every Wednesday, at the start time's hour); ``list_events`` expands it into
occurrences within a window. Registrations belong to the event as a whole (for a
recurring event: the series).

Seats: 已报名 and 已签到 hold a seat. A sign-up beyond ``capacity`` goes on the
waitlist (候补), ordered by ``registered_at``; when a seat frees (a cancellation, a
larger capacity) the first waitlisted is promoted automatically and the promotion is
audited. Every function that counts seats first locks the event row
(``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the write transaction's
``BEGIN IMMEDIATE`` already lets one writer in at a time), so two operators can never
both hand out the last seat.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dateutil.rrule import rrule as RRule
from dateutil.rrule import rrulestr
from sqlalchemy import and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from sqdesk.core import audit
from sqdesk.core.errors import ConflictError, NotFoundError, ValidationError
from sqdesk.core.text import DateError, clean_text, parse_datetime
from sqdesk.models import Event, Group, Member, Registration
from sqdesk.models.event import event_groups, event_hosts
from sqdesk.models.vocab import EVENT_KINDS, EVENT_STATUSES

EVENT_FIELDS: dict[str, str] = {
    "title": "标题",
    "kind": "类型",
    "starts_at": "开始时间",
    "ends_at": "结束时间",
    "location": "地点/链接",
    "capacity": "人数上限",
    "host_ids": "主讲/主持",
    "group_ids": "面向的群",
    "description": "简介",
    "status": "状态",
    "rrule": "重复规则",
    "cost": "费用",
}
SEATED = ("已报名", "已签到")
ACTIVE = ("已报名", "候补", "已签到")
WEEKDAYS = "一二三四五六日"


@dataclass
class EventInput:
    """What the event editor submits (the whole event, not a diff)."""

    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    kind: str = "其他"
    location: str = ""
    capacity: int | None = None
    host_ids: Sequence[int] = field(default_factory=tuple)
    group_ids: Sequence[int] = field(default_factory=tuple)  # empty: all groups
    description: str = ""
    status: str = "筹备"
    rrule: str = ""
    cost: float | None = None


@dataclass(frozen=True)
class EventView:
    id: int
    version: int
    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    capacity: int | None
    host_ids: tuple[int, ...]
    host_names: tuple[str, ...]
    group_ids: tuple[int, ...]
    group_names: tuple[str, ...]
    description: str
    status: str
    rrule: str
    cost: float | None

    @property
    def all_groups(self) -> bool:
        return not self.group_ids

    def to_input(self) -> EventInput:
        return EventInput(
            title=self.title, starts_at=self.starts_at, ends_at=self.ends_at, kind=self.kind,
            location=self.location, capacity=self.capacity, host_ids=self.host_ids,
            group_ids=self.group_ids, description=self.description, status=self.status,
            rrule=self.rrule, cost=self.cost,
        )


@dataclass(frozen=True)
class Occurrence:
    """One time an event happens (a one-off event has exactly one)."""

    event_id: int
    title: str
    kind: str
    status: str
    location: str
    capacity: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    recurring: bool
    group_ids: tuple[int, ...]


@dataclass(frozen=True)
class Conflict:
    """Another event that overlaps in time and speaks to the same people."""

    event_id: int
    title: str
    starts_at: dt.datetime  # its first overlapping occurrence
    ends_at: dt.datetime
    overlaps: int  # how many of its occurrences overlap (within the horizon)
    shared_group_names: tuple[str, ...]  # empty when one side targets all groups
    description: str


@dataclass(frozen=True)
class RegistrationView:
    id: int
    version: int
    event_id: int
    member_id: int
    member_name: str
    phone: str | None
    status: str
    registered_at: dt.datetime
    checked_in_at: dt.datetime | None
    waitlist_position: int | None = None  # 1-based, for 候补 only


@dataclass(frozen=True)
class RegisterResult:
    registration: RegistrationView
    waitlisted: bool
    message: str


@dataclass(frozen=True)
class CancelResult:
    cancelled: RegistrationView
    promoted: tuple[RegistrationView, ...]
    message: str


@dataclass(frozen=True)
class CheckInResult:
    registration: RegistrationView
    walk_in: bool  # was not on the list: registered on the spot
    from_waitlist: bool
    already: bool  # had checked in before; nothing changed
    message: str


@dataclass(frozen=True)
class RegistrationCounts:
    """For the live door display."""

    capacity: int | None
    registered: int  # 已报名: seat held, not arrived yet
    waitlisted: int
    checked_in: int
    no_show: int
    cancelled: int

    @property
    def seats_taken(self) -> int:
        return self.registered + self.checked_in

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)


# ---- recurrence -----------------------------------------------------------------

_RRULE_PARTS = {
    "FREQ": "频率", "INTERVAL": "间隔", "COUNT": "次数", "UNTIL": "截止日期", "BYDAY": "星期",
    "BYMONTHDAY": "每月几号", "BYMONTH": "月份", "BYSETPOS": "第几个", "WKST": "每周起始日",
    "BYYEARDAY": "每年第几天", "BYWEEKNO": "第几周",
}
_FREQS = {"DAILY": "每天", "WEEKLY": "每周", "MONTHLY": "每月", "YEARLY": "每年"}
_UNTIL_UTC = re.compile(r"^(\d{8}T\d{6})Z$")
_EXAMPLE = "如 FREQ=WEEKLY;BYDAY=WE 表示每周三"


def normalize_rrule(text: str, starts_at: dt.datetime) -> str:
    """Check an RRULE against the event's start and return it in canonical form
    ("" for none). Raises ValidationError (column 重复规则) in plain Chinese."""
    label = EVENT_FIELDS["rrule"]
    raw = clean_text(text)
    if not raw:
        return ""
    body = re.sub(r"\s+", "", raw).upper()
    if body.startswith("RRULE:"):
        body = body[len("RRULE:"):]
    parts: dict[str, str] = {}
    for piece in filter(None, body.split(";")):
        key, sep, value = piece.partition("=")
        if not sep or not value:
            raise ValidationError(f"重复规则「{raw}」中的「{piece}」应写成 名称=值（{_EXAMPLE}）", column=label)
        if key not in _RRULE_PARTS:
            raise ValidationError(f"重复规则不支持「{key}」（可用：{'、'.join(_RRULE_PARTS)}）", column=label)
        parts[key] = value
    freq = parts.get("FREQ")
    if freq is None:
        raise ValidationError(f"重复规则「{raw}」缺少 FREQ（重复频率），{_EXAMPLE}", column=label)
    if freq not in _FREQS:
        allowed = "、".join(f"{k}（{v}）" for k, v in _FREQS.items())
        raise ValidationError(f"重复频率「{freq}」不可用，应为 {allowed}", column=label)
    for key in ("INTERVAL", "COUNT"):
        if key in parts and (not parts[key].isdigit() or int(parts[key]) < 1):
            raise ValidationError(f"「{key}」（{_RRULE_PARTS[key]}）应为正整数，而不是「{parts[key]}」", column=label)
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValidationError("重复规则不能同时写 COUNT（次数）和 UNTIL（截止日期）", column=label)
    if "UNTIL" in parts:
        # Calendars export UNTIL in UTC; our times are local wall-clock.
        m = _UNTIL_UTC.match(parts["UNTIL"])
        if m:
            utc = dt.datetime.strptime(m.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)
            parts["UNTIL"] = utc.astimezone().replace(tzinfo=None).strftime("%Y%m%dT%H%M%S")
    canonical = ";".join(f"{k}={v}" for k, v in parts.items())
    try:
        rule = rrulestr(canonical, dtstart=starts_at)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        detail = str(exc)
        m = re.match(r"invalid '(\w+)': (.*)", detail)
        if m and m.group(1) in _RRULE_PARTS:
            detail = f"「{m.group(1)}」（{_RRULE_PARTS[m.group(1)]}）的值「{m.group(2)}」无法识别"
        else:
            detail = "格式无法识别"
        raise ValidationError(f"重复规则「{raw}」{detail}（{_EXAMPLE}）", column=label) from exc
    assert isinstance(rule, RRule)
    first = rule.after(starts_at, inc=True)
    if first is None:
        raise ValidationError("按这条重复规则一次活动也没有（截止日期早于开始时间？）", column=label)
    if first != starts_at:
        raise ValidationError(
            f"开始时间 {_fmt(starts_at)} 不符合重复规则「{raw}」，按规则第一次应在 {_fmt(first)}；"
            "请把开始时间改为第一次活动的时间",
            column=label,
        )
    return canonical


def describe_rrule(rule: str) -> str:
    """A short Chinese reading of a canonical RRULE: 每周三, 每 2 周一、五, 每月 15 号…"""
    if not rule:
        return "不重复"
    parts = dict(p.split("=", 1) for p in rule.split(";"))
    every = _FREQS.get(parts.get("FREQ", ""), "")
    interval = int(parts.get("INTERVAL", "1"))
    if interval > 1:
        every = f"每 {interval} " + {"每天": "天", "每周": "周", "每月": "个月", "每年": "年"}.get(every, "")
    days = {"MO": "一", "TU": "二", "WE": "三", "TH": "四", "FR": "五", "SA": "六", "SU": "日"}
    text = every
    if "BYDAY" in parts:
        names = [days.get(d[-2:], d) for d in parts["BYDAY"].split(",")]
        text += ("周" if every in ("每天", "每月", "每年") else "") + "、".join(names)
    if "BYMONTHDAY" in parts:
        text += f" {parts['BYMONTHDAY']} 号"
    if "COUNT" in parts:
        text += f"，共 {parts['COUNT']} 次"
    if "UNTIL" in parts:
        until = dt.datetime.strptime(parts["UNTIL"][:8], "%Y%m%d")
        text += f"，至 {until:%Y-%m-%d}"
    return text


def _occurrences(
    starts_at: dt.datetime, ends_at: dt.datetime, rule_text: str, window_start: dt.datetime, window_end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Occurrences that overlap [window_start, window_end)."""
    duration = ends_at - starts_at
    if not rule_text:
        return [(starts_at, ends_at)] if starts_at < window_end and ends_at > window_start else []
    rule = rrulestr(rule_text, dtstart=starts_at)
    return [(o, o + duration) for o in rule.between(window_start - duration, window_end, inc=False)]


def _fmt(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%d}（周{WEEKDAYS[moment.weekday()]}）{moment:%H:%M}"


def format_span(start: dt.datetime, end: dt.datetime) -> str:
    return f"{_fmt(start)}–{end:%H:%M}" if start.date() == end.date() else f"{_fmt(start)}–{_fmt(end)}"


# ---- validation ---------------------------------------------------------------

def _moment(raw: object, label: str) -> dt.datetime:
    try:
        moment = parse_datetime(raw)
    except DateError as exc:
        raise ValidationError(str(exc), column=label) from exc
    if moment is None:
        raise ValidationError(f"{label}不能为空", column=label)
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment


def _ids(raw: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(int(i) for i in raw))


def _validate(session: Session, data: EventInput) -> dict[str, Any]:
    f = EVENT_FIELDS
    title = clean_text(data.title)
    if not title:
        raise ValidationError("标题不能为空", column=f["title"])
    if len(title) > 200:
        raise ValidationError("标题超过 200 个字符", column=f["title"])
    kind = clean_text(data.kind) or "其他"
    if kind not in EVENT_KINDS:
        raise ValidationError(f"类型「{kind}」应为 {'/'.join(EVENT_KINDS)}", column=f["kind"])
    starts_at = _moment(data.starts_at, f["starts_at"])
    ends_at = _moment(data.ends_at, f["ends_at"])
    if ends_at <= starts_at:
        raise ValidationError(
            f"结束时间 {_fmt(ends_at)} 应晚于开始时间 {_fmt(starts_at)}", column=f["ends_at"]
        )
    location = clean_text(data.location)
    if len(location) > 300:
        raise ValidationError("地点/链接超过 300 个字符", column=f["location"])
    capacity = data.capacity
    if capacity is not None:
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity <= 0:
            raise ValidationError(f"人数上限应为正整数（不限人数请留空），而不是「{capacity}」", column=f["capacity"])
    status = clean_text(data.status) or "筹备"
    if status not in EVENT_STATUSES:
        raise ValidationError(f"状态「{status}」应为 {'/'.join(EVENT_STATUSES)}", column=f["status"])
    cost = data.cost
    if cost is not None:
        try:
            cost = float(cost)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"费用「{cost}」不是数字", column=f["cost"]) from exc
        if not math.isfinite(cost) or cost < 0:
            raise ValidationError("费用应为不小于 0 的数字", column=f["cost"])
    host_ids = _ids(data.host_ids)
    if host_ids:
        found = set(session.scalars(select(Member.id).where(Member.id.in_(host_ids))))
        missing = [str(i) for i in host_ids if i not in found]
        if missing:
            raise ValidationError(f"成员 #{'、#'.join(missing)} 不存在", column=f["host_ids"])
    group_ids = _ids(data.group_ids)
    if group_ids:
        found = set(session.scalars(select(Group.id).where(Group.id.in_(group_ids))))
        missing = [str(i) for i in group_ids if i not in found]
        if missing:
            raise ValidationError(f"群 #{'、#'.join(missing)} 不存在", column=f["group_ids"])
    return {
        "title": title, "kind": kind, "starts_at": starts_at, "ends_at": ends_at, "location": location,
        "capacity": capacity, "description": clean_text(data.description), "status": status,
        "rrule": normalize_rrule(data.rrule, starts_at), "cost": cost,
        "host_ids": host_ids, "group_ids": group_ids,
    }


def _set_links(session: Session, event_id: int, host_ids: list[int], group_ids: list[int]) -> None:
    session.execute(delete(event_hosts).where(event_hosts.c.event_id == event_id))
    session.execute(delete(event_groups).where(event_groups.c.event_id == event_id))
    if host_ids:
        session.execute(insert(event_hosts), [{"event_id": event_id, "member_id": m} for m in host_ids])
    if group_ids:
        session.execute(insert(event_groups), [{"event_id": event_id, "group_id": g} for g in group_ids])


# ---- events: CRUD and search ------------------------------------------------------

def create_event(session: Session, data: EventInput, operator: str = "") -> EventView:
    values = _validate(session, data)
    host_ids, group_ids = values.pop("host_ids"), values.pop("group_ids")
    event = Event(**values)
    session.add(event)
    session.flush()
    _set_links(session, event.id, host_ids, group_ids)
    _sync_full_status(session, event, operator)
    audit.record(session, operator, "create", "event", event.id,
                 after={**values, "host_ids": host_ids, "group_ids": group_ids})
    return get_event(session, event.id)


def get_event(session: Session, event_id: int) -> EventView:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFoundError(f"活动 #{event_id} 不存在")
    return _views(session, [event])[0]


def _views(session: Session, events: Sequence[Event]) -> list[EventView]:
    ids = [e.id for e in events]
    hosts: dict[int, list[tuple[int, str]]] = defaultdict(list)
    groups: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for eid, mid, name in session.execute(
            select(event_hosts.c.event_id, Member.id, Member.display_name)
            .join(Member, Member.id == event_hosts.c.member_id)
            .where(event_hosts.c.event_id.in_(chunk)).order_by(Member.id)
        ):
            hosts[eid].append((mid, name))
        for eid, gid, name in session.execute(
            select(event_groups.c.event_id, Group.id, Group.name)
            .join(Group, Group.id == event_groups.c.group_id)
            .where(event_groups.c.event_id.in_(chunk)).order_by(Group.id)
        ):
            groups[eid].append((gid, name))
    return [
        EventView(
            id=e.id, version=e.version, title=e.title, kind=e.kind, starts_at=e.starts_at,
            ends_at=e.ends_at, location=e.location, capacity=e.capacity,
            host_ids=tuple(i for i, _ in hosts[e.id]), host_names=tuple(n for _, n in hosts[e.id]),
            group_ids=tuple(i for i, _ in groups[e.id]), group_names=tuple(n for _, n in groups[e.id]),
            description=e.description, status=e.status, rrule=e.rrule, cost=e.cost,
        )
        for e in events
    ]


def update_event(
    session: Session,
    event_id: int,
    data: EventInput,
    *,
    expected_version: int | None = None,
    operator: str = "",
) -> EventView:
    """Save the editor's event. A larger (or removed) capacity promotes from the waitlist."""
    event = lock_event(session, event_id)
    if expected_version is not None and event.version != expected_version:
        raise ConflictError(f"活动「{event.title}」已被其他人修改，请刷新后再编辑")
    old = get_event(session, event_id)
    values = _validate(session, data)
    host_ids, group_ids = values.pop("host_ids"), values.pop("group_ids")
    before = {k: getattr(event, k) for k in values if getattr(event, k) != values[k]}
    after = {k: values[k] for k in before}
    if list(old.host_ids) != sorted(host_ids):
        before["host_ids"], after["host_ids"] = list(old.host_ids), host_ids
    if list(old.group_ids) != sorted(group_ids):
        before["group_ids"], after["group_ids"] = list(old.group_ids), group_ids
    if not after:
        return old
    for key, value in values.items():
        setattr(event, key, value)
    session.flush()
    _set_links(session, event_id, host_ids, group_ids)
    audit.record(session, operator, "update", "event", event_id, before=before, after=after)
    if event.status not in ("已取消", "已结束"):
        _fill_free_seats(session, event, operator, "人数上限调整")
    _sync_full_status(session, event, operator)
    return get_event(session, event_id)


def delete_event(
    session: Session, event_id: int, *, expected_version: int | None = None, operator: str = ""
) -> dict[str, Any]:
    """Delete an event with its registrations; returns what ``restore_event`` takes."""
    event = session.get(Event, event_id)
    if event is None:
        raise NotFoundError(f"活动 #{event_id} 不存在")
    if expected_version is not None and event.version != expected_version:
        raise ConflictError(f"活动「{event.title}」已被其他人修改，请刷新后再删除")
    cols = Event.__table__.columns
    snap: dict[str, Any] = {
        "event": dict(session.execute(select(*cols).where(cols.id == event_id)).mappings().one()),
        "hosts": list(session.scalars(select(event_hosts.c.member_id).where(event_hosts.c.event_id == event_id))),
        "groups": list(session.scalars(select(event_groups.c.group_id).where(event_groups.c.event_id == event_id))),
        "registrations": [
            dict(r) for r in session.execute(
                select(Registration.__table__).where(Registration.__table__.c.event_id == event_id)
            ).mappings()
        ],
    }
    session.expunge(event)
    session.execute(delete(Event).where(Event.id == event_id))
    audit.record(
        session, operator, "delete", "event", event_id,
        before={"title": snap["event"]["title"], "starts_at": snap["event"]["starts_at"],
                "registrations": len(snap["registrations"])},
    )
    return snap


def restore_event(session: Session, snap: dict[str, Any], operator: str = "") -> None:
    eid = snap["event"]["id"]
    if session.get(Event, eid) is not None:
        raise ConflictError(f"活动 #{eid} 已存在，无法恢复")
    session.execute(insert(Event), [snap["event"]])
    _set_links(session, eid, snap["hosts"], snap["groups"])
    if snap["registrations"]:
        session.execute(insert(Registration), snap["registrations"])
    audit.record(session, operator, "restore", "event", eid)


def search_events(
    session: Session,
    query: str = "",
    *,
    status: str | None = None,
    kind: str | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    limit: int = 500,
) -> list[EventView]:
    """Events (not expanded) whose title, place or description contains every word of
    ``query``; ``start``/``end`` bound the (first) start time. Newest first."""
    conds: list[Any] = []
    for term in clean_text(query).split():
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conds.append(or_(Event.title.like(pattern, escape="\\"), Event.location.like(pattern, escape="\\"),
                         Event.description.like(pattern, escape="\\")))
    if status:
        conds.append(Event.status == status)
    if kind:
        conds.append(Event.kind == kind)
    if start is not None:
        conds.append(Event.starts_at >= start)
    if end is not None:
        conds.append(Event.starts_at < end)
    events = session.scalars(
        select(Event).where(and_(True, *conds)).order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit)
    ).all()
    return _views(session, events)


# ---- the calendar -----------------------------------------------------------------

def list_events(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    group_ids: Sequence[int] | None = None,
    *,
    include_cancelled: bool = True,
) -> list[Occurrence]:
    """Every occurrence overlapping [start, end), recurring events expanded, in time
    order. With ``group_ids``: events for any of those groups, plus events for all
    groups (they reach every group)."""
    conds: list[Any] = [Event.starts_at < end, or_(Event.rrule != "", Event.ends_at > start)]
    if group_ids is not None:
        linked = exists().where(event_groups.c.event_id == Event.id)
        chosen = exists().where(event_groups.c.event_id == Event.id, event_groups.c.group_id.in_(list(group_ids)))
        conds.append(or_(~linked, chosen))
    if not include_cancelled:
        conds.append(Event.status != "已取消")
    events = session.scalars(select(Event).where(*conds)).all()
    targets = _targets(session, [e.id for e in events])
    out: list[Occurrence] = []
    for e in events:
        for s, t in _occurrences(e.starts_at, e.ends_at, e.rrule, start, end):
            out.append(Occurrence(
                event_id=e.id, title=e.title, kind=e.kind, status=e.status, location=e.location,
                capacity=e.capacity, starts_at=s, ends_at=t, recurring=bool(e.rrule),
                group_ids=targets.get(e.id, ()),
            ))
    out.sort(key=lambda o: (o.starts_at, o.event_id))
    return out


def _targets(session: Session, event_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(event_ids), 900):
        chunk = list(event_ids[start : start + 900])
        for eid, gid in session.execute(
            select(event_groups.c.event_id, event_groups.c.group_id)
            .where(event_groups.c.event_id.in_(chunk)).order_by(event_groups.c.group_id)
        ):
            found[eid].append(gid)
    return {k: tuple(v) for k, v in found.items()}


def find_conflicts(
    session: Session,
    event: EventInput | int,
    *,
    exclude_event_id: int | None = None,
    since: dt.datetime | None = None,
    horizon_days: int = 365,
) -> list[Conflict]:
    """Other (not cancelled) events that overlap this one in time and share an
    audience: a common target group, or either side targeting all groups (an
    all-groups event reaches every group). Pass an EventInput while editing (with
    ``exclude_event_id`` = the event being edited) or a saved event's id.

    A recurring event is checked from ``since`` (default: its start) over
    ``horizon_days``; one Conflict per other event, with its first overlap and the
    number of overlapping occurrences."""
    if isinstance(event, int):
        row = session.get(Event, event)
        if row is None:
            raise NotFoundError(f"活动 #{event} 不存在")
        if row.status == "已取消":
            return []
        starts_at, ends_at, rule = row.starts_at, row.ends_at, row.rrule
        own_groups = set(_targets(session, [row.id]).get(row.id, ()))
        exclude_event_id = row.id
    else:
        values = _validate(session, event)
        if values["status"] == "已取消":
            return []
        starts_at, ends_at, rule = values["starts_at"], values["ends_at"], values["rrule"]
        own_groups = set(values["group_ids"])
    if rule:
        window_start = since or starts_at
        own = _occurrences(starts_at, ends_at, rule, window_start, window_start + dt.timedelta(days=horizon_days))
    else:
        own = [(starts_at, ends_at)]
    if not own:
        return []
    own_starts = [s for s, _ in own]
    duration = ends_at - starts_at
    others = list_events(session, own[0][0], own[-1][1], include_cancelled=False)
    group_names = dict(session.execute(select(Group.id, Group.name)).all())
    hits: dict[int, list[Occurrence]] = defaultdict(list)
    for occ in others:
        if occ.event_id == exclude_event_id:
            continue
        other_groups = set(occ.group_ids)
        if own_groups and other_groups and not own_groups & other_groups:
            continue
        # Own occurrences all last ``duration``: those overlapping occ start after
        # occ.starts_at - duration and before occ.ends_at.
        lo = bisect.bisect_right(own_starts, occ.starts_at - duration)
        hi = bisect.bisect_left(own_starts, occ.ends_at)
        if lo < hi:
            hits[occ.event_id].append(occ)
    conflicts: list[Conflict] = []
    for occs in hits.values():
        first = occs[0]
        shared = tuple(group_names[g] for g in sorted(own_groups & set(first.group_ids)))
        if shared:
            audience = f"都面向「{'、'.join(shared)}」"
        elif not own_groups and not first.group_ids:
            audience = "都面向全部群"
        else:
            audience = "其中一个面向全部群"
        times = f"（共 {len(occs)} 次）" if len(occs) > 1 else ""
        conflicts.append(Conflict(
            event_id=first.event_id, title=first.title, starts_at=first.starts_at, ends_at=first.ends_at,
            overlaps=len(occs), shared_group_names=shared,
            description=f"与「{first.title}」时间重叠：{format_span(first.starts_at, first.ends_at)}{times}，{audience}",
        ))
    conflicts.sort(key=lambda c: (c.starts_at, c.event_id))
    return conflicts


# ---- registrations --------------------------------------------------------------------

def lock_event(session: Session, event_id: int) -> Event:
    event = session.scalars(
        select(Event).where(Event.id == event_id).with_for_update().execution_options(populate_existing=True)
    ).first()
    if event is None:
        raise NotFoundError(f"活动 #{event_id} 不存在")
    return event


def _seats_taken(session: Session, event_id: int) -> int:
    return int(session.scalar(
        select(func.count()).select_from(Registration)
        .where(Registration.event_id == event_id, Registration.status.in_(SEATED))
    ) or 0)


def _member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFoundError(f"成员 #{member_id} 不存在")
    return member


def _registration(session: Session, event_id: int, member_id: int) -> Registration | None:
    return session.scalars(
        select(Registration).where(Registration.event_id == event_id, Registration.member_id == member_id)
    ).first()


def _reg_view(session: Session, reg: Registration, position: int | None = None) -> RegistrationView:
    name, phone = session.execute(
        select(Member.display_name, Member.phone).where(Member.id == reg.member_id)
    ).one()
    if position is None and reg.status == "候补":
        position = 1 + int(session.scalar(
            select(func.count()).select_from(Registration).where(
                Registration.event_id == reg.event_id, Registration.status == "候补",
                or_(Registration.registered_at < reg.registered_at,
                    and_(Registration.registered_at == reg.registered_at, Registration.id < reg.id)),
            )
        ) or 0)
    return RegistrationView(
        id=reg.id, version=reg.version, event_id=reg.event_id, member_id=reg.member_id,
        member_name=name, phone=phone, status=reg.status, registered_at=reg.registered_at,
        checked_in_at=reg.checked_in_at, waitlist_position=position,
    )


def settle_seats(session: Session, event_id: int, operator: str = "", reason: str = "撤销") -> list[RegistrationView]:
    """After the list was put back by an undo: free seats go to the waitlist, first come
    first served, and 报名中/已满 follow the seats — as after any other change."""
    event = lock_event(session, event_id)
    promoted: list[RegistrationView] = []
    if event.status not in ("已取消", "已结束"):
        promoted = _fill_free_seats(session, event, operator, reason)
    _sync_full_status(session, event, operator)
    return promoted


def _sync_full_status(session: Session, event: Event, operator: str) -> None:
    """报名中 ↔ 已满 follows the seats; other statuses are the operator's to set."""
    if event.status not in ("筹备", "报名中", "已满"):
        return
    full = event.capacity is not None and _seats_taken(session, event.id) >= event.capacity
    new = event.status
    if full and event.status in ("筹备", "报名中"):
        new = "已满"
    elif not full and event.status == "已满":
        new = "报名中"
    if new != event.status:
        audit.record(session, operator, "update", "event", event.id, before={"status": event.status},
                     after={"status": new}, note="名额已满" if new == "已满" else "有空位了")
        event.status = new
        session.flush()


def _fill_free_seats(session: Session, event: Event, operator: str, reason: str) -> list[RegistrationView]:
    """Promote waitlisted people, first come first served, while seats are free."""
    promoted: list[RegistrationView] = []
    while event.capacity is None or _seats_taken(session, event.id) < event.capacity:
        nxt = session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.status == "候补")
            .order_by(Registration.registered_at, Registration.id).limit(1)
        ).first()
        if nxt is None:
            break
        nxt.status = "已报名"
        session.flush()
        view = _reg_view(session, nxt)
        audit.record(
            session, operator, "promote", "registration", nxt.id,
            before={"status": "候补"}, after={"status": "已报名", "event_id": event.id, "member_id": nxt.member_id},
            note=f"{reason}，候补「{view.member_name}」自动转为已报名（活动「{event.title}」）",
        )
        promoted.append(view)
    return promoted


def register(
    session: Session, event_id: int, member_id: int, operator: str = "", *, now: dt.datetime | None = None
) -> RegisterResult:
    """Sign a member up: a seat if one is free, else the end of the waitlist. Someone
    who cancelled (or missed it) may sign up again, at the back of the queue."""
    now = now or dt.datetime.now()
    event = lock_event(session, event_id)
    if event.status in ("已取消", "已结束"):
        raise ValidationError(f"活动「{event.title}」{event.status}，不能再报名")
    member = _member(session, member_id)
    reg = _registration(session, event_id, member_id)
    if reg is not None and reg.status in ACTIVE:
        raise ConflictError(f"「{member.display_name}」已在活动「{event.title}」的名单上（{reg.status}）")
    free = event.capacity is None or _seats_taken(session, event_id) < event.capacity
    status = "已报名" if free else "候补"
    if reg is None:
        reg = Registration(event_id=event_id, member_id=member_id, status=status, registered_at=now)
        session.add(reg)
    else:
        reg.status, reg.registered_at, reg.checked_in_at = status, now, None
    session.flush()
    audit.record(session, operator, "register", "registration", reg.id,
                 after={"event_id": event_id, "member_id": member_id, "status": status})
    _sync_full_status(session, event, operator)
    view = _reg_view(session, reg)
    if free:
        message = f"「{member.display_name}」报名成功"
    else:
        message = f"名额已满，「{member.display_name}」已进入候补（第 {view.waitlist_position} 位）"
    return RegisterResult(view, not free, message)


def cancel_registration(
    session: Session, event_id: int, member_id: int, operator: str = ""
) -> CancelResult:
    """Cancel a sign-up; a freed seat goes to the first on the waitlist (returned)."""
    event = lock_event(session, event_id)
    member = _member(session, member_id)
    reg = _registration(session, event_id, member_id)
    if reg is None or reg.status not in ACTIVE:
        raise NotFoundError(f"「{member.display_name}」没有报名活动「{event.title}」")
    if reg.status == "已签到":
        raise ValidationError(f"「{member.display_name}」已签到，不能取消报名")
    before = reg.status
    reg.status = "已取消"
    session.flush()
    audit.record(session, operator, "cancel", "registration", reg.id, before={"status": before},
                 after={"status": "已取消", "event_id": event_id, "member_id": member_id})
    promoted: list[RegistrationView] = []
    if event.status not in ("已取消", "已结束"):
        promoted = _fill_free_seats(session, event, operator, f"「{member.display_name}」取消报名")
    _sync_full_status(session, event, operator)
    message = f"已取消「{member.display_name}」的报名"
    if promoted:
        message += "；候补的" + "、".join(f"「{p.member_name}」" for p in promoted) + "已自动转为已报名"
    return CancelResult(_reg_view(session, reg), tuple(promoted), message)


def check_in(
    session: Session, event_id: int, member_id: int, operator: str = "", *, now: dt.datetime | None = None
) -> CheckInResult:
    """Door check-in. Someone not on the list is registered on the spot; someone on the
    waitlist is let in and counted (they are there). Checking in twice changes nothing."""
    now = now or dt.datetime.now()
    event = lock_event(session, event_id)
    if event.status == "已取消":
        raise ValidationError(f"活动「{event.title}」已取消，不能签到")
    member = _member(session, member_id)
    name = member.display_name
    reg = _registration(session, event_id, member_id)
    if reg is not None and reg.status == "已签到":
        at = reg.checked_in_at or now
        return CheckInResult(_reg_view(session, reg), False, False, True, f"「{name}」已于 {at:%H:%M} 签到过")
    walk_in = reg is None or reg.status not in ACTIVE
    from_waitlist = reg is not None and reg.status == "候补"
    before = None if reg is None else reg.status
    if reg is None:
        reg = Registration(event_id=event_id, member_id=member_id, status="已签到", registered_at=now, checked_in_at=now)
        session.add(reg)
    else:
        if walk_in:
            reg.registered_at = now
        reg.status, reg.checked_in_at = "已签到", now
    session.flush()
    if walk_in:
        message = f"「{name}」未报名，已现场报名并签到"
    elif from_waitlist:
        message = f"「{name}」在候补名单上，已现场签到"
    else:
        message = f"「{name}」签到成功"
    seats = _seats_taken(session, event_id)
    if event.capacity is not None and seats > event.capacity:
        message += f"（已超出人数上限 {seats - event.capacity} 人）"
    audit.record(session, operator, "check_in", "registration", reg.id, before={"status": before},
                 after={"status": "已签到", "event_id": event_id, "member_id": member_id}, note=message)
    _sync_full_status(session, event, operator)
    return CheckInResult(_reg_view(session, reg), walk_in, from_waitlist, False, message)


def mark_no_shows(
    session: Session, event_id: int, operator: str = "", *, now: dt.datetime | None = None
) -> int:
    """After the event: everyone still 已报名 (never checked in) becomes 缺席, and the
    event 已结束. Returns how many. The waitlist is left as it was (they had no seat)."""
    now = now or dt.datetime.now()
    event = lock_event(session, event_id)
    if event.rrule:
        raise ValidationError(f"「{event.title}」是重复活动，报名按整个系列记录，不能按某一次标记缺席")
    if now < event.ends_at:
        raise ValidationError(f"活动「{event.title}」尚未结束（{_fmt(event.ends_at)}），还不能标记缺席")
    absent = list(session.scalars(
        select(Registration.member_id).where(Registration.event_id == event_id, Registration.status == "已报名")
    ))
    if absent:
        session.execute(
            update(Registration)
            .where(Registration.event_id == event_id, Registration.status == "已报名")
            .values(status="缺席", version=Registration.version + 1)
            .execution_options(synchronize_session=False)
        )
    audit.record(session, operator, "no_show", "event", event_id,
                 after={"count": len(absent), "member_ids": absent})
    if event.status != "已取消" and event.status != "已结束":
        audit.record(session, operator, "update", "event", event_id, before={"status": event.status},
                     after={"status": "已结束"})
        event.status = "已结束"
        session.flush()
    return len(absent)


def registration_counts(session: Session, event_id: int) -> RegistrationCounts:
    row = session.execute(select(Event.capacity).where(Event.id == event_id)).first()
    if row is None:
        raise NotFoundError(f"活动 #{event_id} 不存在")
    capacity = row[0]
    counts = dict(session.execute(
        select(Registration.status, func.count()).where(Registration.event_id == event_id)
        .group_by(Registration.status)
    ).all())
    return RegistrationCounts(
        capacity=capacity, registered=counts.get("已报名", 0), waitlisted=counts.get("候补", 0),
        checked_in=counts.get("已签到", 0), no_show=counts.get("缺席", 0), cancelled=counts.get("已取消", 0),
    )


def list_registrations(
    session: Session, event_id: int, status: str | Sequence[str] | None = None
) -> list[RegistrationView]:
    """The event's list with names and phones, in sign-up order; waitlisted people
    carry their place in the queue."""
    stmt = (
        select(Registration, Member.display_name, Member.phone)
        .join(Member, Member.id == Registration.member_id)
        .where(Registration.event_id == event_id)
        .order_by(Registration.registered_at, Registration.id)
    )
    if status is not None:
        stmt = stmt.where(Registration.status.in_([status] if isinstance(status, str) else list(status)))
    if session.get(Event, event_id) is None:
        raise NotFoundError(f"活动 #{event_id} 不存在")
    queue = [
        r.id for r in session.scalars(
            select(Registration).where(Registration.event_id == event_id, Registration.status == "候补")
            .order_by(Registration.registered_at, Registration.id)
        )
    ]
    place = {rid: i + 1 for i, rid in enumerate(queue)}
    return [
        RegistrationView(
            id=reg.id, version=reg.version, event_id=reg.event_id, member_id=reg.member_id,
            member_name=name, phone=phone, status=reg.status, registered_at=reg.registered_at,
            checked_in_at=reg.checked_in_at, waitlist_position=place.get(reg.id),
        )
        for reg, name, phone in session.execute(stmt)
    ]
