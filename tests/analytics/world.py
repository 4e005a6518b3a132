"""Test data for the analytics: a small builder with planted patterns, and an oracle that
recomputes every figure the plain way (a simple SELECT of each table, then Python)."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from sqdesk.models import Activity, Event, Group, Member, Membership, Registration, Tag, member_tags
from sqdesk.models.base import table_of
from sqdesk.models.event import event_groups

ACTIVE = {"发言", "签到", "分享", "邀请", "参加活动"}
STAFF = {"群主", "管理员"}
D = dt.date


@dataclass
class World:
    """Rows to insert, with ids chosen here so tests can name people."""

    groups: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    memberships: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    registrations: list[dict[str, Any]] = field(default_factory=list)
    event_groups: list[dict[str, Any]] = field(default_factory=list)
    tags: list[tuple[int, str]] = field(default_factory=list)

    def group(self, name: str) -> int:
        gid = len(self.groups) + 1
        self.groups.append({"id": gid, "name": name})
        return gid

    def member(
        self, name: str, joined: dt.date | None, *, role: str = "成员", status: str = "在群",
        groups: tuple[int, ...] = (), left: dt.date | None = None, inviter: int | None = None,
        intro: str = "", paid_until: dt.date | None = None, level: str = "",
    ) -> int:
        mid = len(self.members) + 1
        self.members.append({
            "id": mid, "display_name": name, "joined_on": joined, "role": role, "status": status,
            "inviter_id": inviter, "intro": intro, "paid_until": paid_until, "level": level,
        })
        for g in groups:
            self.memberships.append({"member_id": mid, "group_id": g, "joined_on": joined, "left_on": left})
        return mid

    def act(self, member: int, kind: str, day: dt.date, value: float = 1, *, group: int | None = None,
            hour: int = 20, minute: int = 0) -> None:
        self.activities.append({
            "member_id": member, "group_id": group, "kind": kind,
            "occurred_at": dt.datetime.combine(day, dt.time(hour, minute)), "value": float(value),
            "note": "", "source": "manual",
        })

    def event(self, title: str, start: dt.datetime, *, kind: str = "分享会", days: int = 0,
              groups: tuple[int, ...] = (), status: str = "已结束") -> int:
        eid = len(self.events) + 1
        self.events.append({"id": eid, "title": title, "kind": kind, "starts_at": start,
                            "ends_at": start + dt.timedelta(days=days, hours=2), "status": status})
        for g in groups:
            self.event_groups.append({"event_id": eid, "group_id": g})
        return eid

    def register(self, event: int, member: int, status: str) -> None:
        self.registrations.append({"event_id": event, "member_id": member, "status": status,
                                   "registered_at": dt.datetime(2000, 1, 1)})

    def tag(self, member: int, name: str) -> None:
        self.tags.append((member, name))

    def save(self, session: Session) -> None:
        clear(session)
        if self.groups:
            session.execute(insert(table_of(Group)), self.groups)
        if self.members:
            session.execute(insert(table_of(Member)), self.members)
        if self.memberships:
            session.execute(insert(table_of(Membership)), self.memberships)
        if self.activities:
            session.execute(insert(table_of(Activity)), self.activities)
        if self.events:
            session.execute(insert(table_of(Event)), self.events)
        if self.event_groups:
            session.execute(insert(event_groups), self.event_groups)
        if self.registrations:
            session.execute(insert(table_of(Registration)), self.registrations)
        names = sorted({t for _, t in self.tags})
        if names:
            session.execute(insert(table_of(Tag)), [{"id": i + 1, "name": n} for i, n in enumerate(names)])
            tag_id = {n: i + 1 for i, n in enumerate(names)}
            session.execute(insert(member_tags), [{"member_id": m, "tag_id": tag_id[t]} for m, t in self.tags])
        if session.get_bind().dialect.name == "postgresql":
            # Ids were given explicitly: move the sequences past them for later inserts.
            for table in ("groups", "members", "events", "tags"):
                session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
                ))


def spec_members(w: World, members: list[dict[str, Any]], base: dt.date) -> list[int]:
    """Add a generated spec's members to ``w``: two groups (甲群, 乙群), each member's join
    and leave as day offsets from ``base`` (a leave only for those who left), role, status,
    groups by index and, when given, an inviter among the earlier members. Returns the
    group ids."""
    gids = [w.group("甲群"), w.group("乙群")]
    for i, m in enumerate(members):
        joined = base + dt.timedelta(days=m["join"]) if m["join"] is not None else None
        left = base + dt.timedelta(days=m["left"]) if m["left"] is not None and m["status"] != "在群" else None
        w.member(f"成员{i}", joined, role=m["role"], status=m["status"],
                 groups=tuple(gids[g] for g in sorted(m["groups"])), left=left)
    for i, m in enumerate(members):
        if m.get("inviter") is not None and i > 0:   # an earlier member (rows go in in id order)
            w.members[i]["inviter_id"] = m["inviter"] % i + 1
    return gids


def clear(session: Session) -> None:
    from sqdesk.models import AuditEntry

    for table in (table_of(AuditEntry), table_of(Registration), event_groups, table_of(Event),
                  table_of(Activity), member_tags, table_of(Tag), table_of(Membership)):
        session.execute(delete(table))
    session.execute(table_of(Member).update().values(inviter_id=None))
    session.execute(delete(table_of(Member)))
    session.execute(delete(table_of(Group)))


# ---- the planted community ------------------------------------------------------------------

AS_OF = D(2025, 6, 30)
START = D(2025, 1, 1)


@dataclass
class Planted:
    world: World
    g_healthy: int
    g_owned: int
    owner: int
    admin: int
    backbone_busy: int
    backbone_silent: int
    jan_cohort: list[int]
    feb_cohort: list[int]
    bad_inviter: int
    bad_invitees: list[int]
    good_inviter: int
    good_invitees: list[int]
    talk_event: int
    campaign: tuple[dt.date, dt.date]
    campaign_streaks: dict[int, int]


def days(a: dt.date, b: dt.date) -> list[dt.date]:
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


def planted(seed: int = 1) -> Planted:
    rnd = random.Random(seed)
    w = World()
    g1 = w.group("一群")
    g2 = w.group("二群（群主独大）")
    owner = w.member("群主老王", D(2023, 1, 1), role="群主", groups=(g1, g2), intro="创始人")
    admin = w.member("管理员小李", D(2023, 2, 1), role="管理员", groups=(g1, g2))
    busy = w.member("骨干阿强", D(2023, 3, 1), role="骨干", groups=(g1,), intro="做设计")
    silent = w.member("骨干阿静", D(2023, 3, 1), role="骨干", groups=(g1,), intro="做开发")
    for day in days(D(2024, 10, 1), AS_OF):
        w.act(busy, "发言", day, 3 + day.day % 4, group=g1, hour=21)
        if day <= D(2025, 5, 31):
            w.act(silent, "发言", day, 5, group=g1, hour=9)
    # Group 2: the owner says 80% of it, three members 20% (in every month of the scope).
    g2_members = [w.member(f"二群成员{i}", D(2024, 6, 1), groups=(g2,)) for i in range(3)]
    for month in range(1, 7):
        w.act(owner, "发言", D(2025, month, 10), 48, group=g2, hour=10)
        for i, m in enumerate(g2_members):
            w.act(m, "发言", D(2025, month, 12 + i), 4, group=g2, hour=22)
    # Jan cohort: active in January and February only, then silent (and half of them leave).
    jan = []
    for i in range(10):
        joined = D(2025, 1, 3 + i)
        left = D(2025, 4, 1 + i) if i % 2 else None
        m = w.member(f"一月新人{i}", joined, groups=(g1,), status="已退出" if left else "在群", left=left,
                     intro="新人报到" if i < 7 else "")
        jan.append(m)
        w.act(m, "发言", joined, 2, group=g1)
        w.act(m, "发言", D(2025, 2, 1 + i), 1, group=g1)
    # Feb cohort: active every month since joining.
    feb = []
    for i in range(8):
        joined = D(2025, 2, 1 + i)
        m = w.member(f"二月新人{i}", joined, groups=(g1,))
        feb.append(m)
        for month in range(2, 7):
            w.act(m, "发言", D(2025, month, 1 + i), 1 + i, group=g1, hour=8 + i)
    # Inviters: one whose four invitees all left, one whose three stayed and took part.
    bad = w.member("邀请人甲", D(2024, 1, 1), groups=(g1,))
    good = w.member("邀请人乙", D(2024, 1, 1), groups=(g1,))
    bad_inv = [w.member(f"甲邀{i}", D(2025, 3, 1 + i), groups=(g1,), inviter=bad, status="已退出",
                        left=D(2025, 3, 20)) for i in range(4)]
    good_inv = [w.member(f"乙邀{i}", D(2025, 3, 5 + i), groups=(g1,), inviter=good) for i in range(3)]
    w.act(bad, "邀请", D(2025, 3, 1), 4, group=g1)
    w.act(good, "邀请", D(2025, 3, 5), 3, group=g1)
    for m in good_inv:
        w.act(m, "分享", D(2025, 4, 2), group=g1)
    # A talk with registrations: 6 registered, 4 attended, 2 no-shows, plus a waitlisted one.
    talk = w.event("五月讲座", dt.datetime(2025, 5, 20, 19, 30), groups=(g1,))
    regulars = feb[:6]
    for i, m in enumerate(regulars):
        w.register(talk, m, "已签到" if i < 4 else "缺席")
    w.register(talk, feb[6], "候补")
    w.act(admin, "发言", D(2025, 6, 2), 30, group=g1, hour=10)
    w.register(talk, admin, "已签到")    # staff: left out of health figures by default
    # A 10-day 打卡 campaign in June: planted streaks.
    c_start, c_end = D(2025, 6, 1), D(2025, 6, 10)
    streaks = {feb[0]: 10, feb[1]: 7, feb[2]: 3, feb[3]: 1, good_inv[0]: 5}
    for m, n in streaks.items():
        first = c_start if m != good_inv[0] else D(2025, 6, 4)
        for d in range(n):
            w.act(m, "签到", first + dt.timedelta(days=d), group=g1, hour=7)
    w.act(feb[3], "签到", D(2025, 6, 9), group=g1, hour=7)   # a gap: streak 1, but back on day 9
    # Noise: a few ordinary members with random talk, violations, a paid tier.
    for i in range(6):
        m = w.member(f"普通成员{i}", D(2024, 5, 1 + i), groups=(g1,), paid_until=D(2025, 9, 1) if i < 2 else None)
        for day in rnd.sample(days(D(2024, 12, 1), AS_OF), 12):
            w.act(m, "发言", day, rnd.randint(1, 9), group=g1, hour=rnd.randrange(24), minute=rnd.randrange(60))
        if i == 0:
            w.act(m, "违规", D(2025, 6, 20), group=g1)
            w.act(m, "提醒", D(2025, 6, 29), group=g1)   # operator line: not participation
        w.tag(m, "设计" if i % 2 else "开发")
    # Records that disagree with the log: a join date entered late (they talked before it),
    # and a departure nobody dated (membership still open, status 已退出).
    late = w.member("入群日期记晚了", D(2025, 4, 15), groups=(g1,))
    w.act(late, "发言", D(2025, 2, 10), 3, group=g1)
    w.act(late, "发言", D(2025, 5, 1), 3, group=g1)
    gone = w.member("不辞而别", D(2024, 1, 1), groups=(g1,), status="已退出")
    w.act(gone, "分享", D(2025, 3, 3), group=g1)
    return Planted(w, g1, g2, owner, admin, busy, silent, jan, feb, bad, bad_inv, good, good_inv, talk,
                   (c_start, c_end), streaks)


# ---- the oracle: plain Python over plain SELECTs --------------------------------------------------

@dataclass
class Rows:
    members: dict[int, dict[str, Any]]
    memberships: list[dict[str, Any]]
    activities: list[dict[str, Any]]
    events: dict[int, dict[str, Any]]
    registrations: list[dict[str, Any]]
    event_groups: list[tuple[int, int]]


def fetch(session: Session) -> Rows:
    def rows(table: Any) -> list[dict[str, Any]]:
        return [dict(r) for r in session.execute(select(table)).mappings()]

    def day(v: Any) -> Any:
        if isinstance(v, str):
            return dt.date.fromisoformat(v[:10])
        return v

    members = {r["id"]: r for r in rows(table_of(Member))}
    for r in members.values():
        r["joined_on"], r["paid_until"] = day(r["joined_on"]), day(r["paid_until"])
    ms = rows(table_of(Membership))
    for r in ms:
        r["joined_on"], r["left_on"] = day(r["joined_on"]), day(r["left_on"])
    return Rows(
        members, ms, rows(table_of(Activity)), {r["id"]: r for r in rows(table_of(Event))},
        rows(table_of(Registration)),
        [(r["event_id"], r["group_id"]) for r in rows(event_groups)],
    )


def in_window(moment: dt.datetime, as_of: dt.date, n: int) -> bool:
    return as_of - dt.timedelta(days=n - 1) <= moment.date() <= as_of


def oracle_member(rows: Rows, mid: int, as_of: dt.date) -> dict[str, Any]:
    acts = [a for a in rows.activities if a["member_id"] == mid and a["occurred_at"].date() <= as_of]

    def total(kind: str, n: int, summed: bool) -> float:
        return sum(a["value"] if summed else 1 for a in acts if a["kind"] == kind and in_window(a["occurred_at"], as_of, n))

    part = [a["occurred_at"] for a in acts if a["kind"] in ACTIVE]
    last = max(part) if part else None
    m = rows.members[mid]
    joined = m["joined_on"] or min((r["joined_on"] for r in rows.memberships if r["member_id"] == mid and r["joined_on"]), default=None)
    since = (as_of - joined).days if joined else None
    regs = [
        r for r in rows.registrations
        if r["member_id"] == mid and in_window(rows.events[r["event_id"]]["starts_at"], as_of, 90)
    ]
    return {
        "messages_7d": total("发言", 7, True),
        "messages_30d": total("发言", 30, True),
        "messages_90d": total("发言", 90, True),
        "checkins_30d": total("签到", 30, False),
        "shares_30d": total("分享", 30, False),
        "invites_30d": total("邀请", 30, True),
        "violations_30d": total("违规", 30, False),
        "registered_90d": sum(1 for r in regs if r["status"] in ("已报名", "已签到", "缺席")),
        "attended_90d": sum(1 for r in regs if r["status"] == "已签到"),
        "no_shows_90d": sum(1 for r in regs if r["status"] == "缺席"),
        "invites_stayed": sum(1 for o in rows.members.values() if o["inviter_id"] == mid and o["status"] == "在群"),
        "days_since_join": since,
        "inactive_days": (as_of - last.date()).days if last else since,
        "last_active": last,
        "has_intro": bool((m["intro"] or "").strip()),
        "paid_until_days": (m["paid_until"] - as_of).days if m["paid_until"] else None,
        "active_90d": bool(last and in_window(last, as_of, 90)),
    }


def gini_pairs(values: list[float]) -> float | None:
    """Gini by mean absolute difference (a different formula from the code's)."""
    n = len(values)
    mean = sum(values) / n if n else 0
    if not n or mean == 0:
        return None
    return sum(abs(a - b) for a in values for b in values) / (2 * n * n * mean)


def oracle_intervals(rows: Rows, groups: set[int] | None, include_staff: bool) -> dict[int, tuple[Any, Any, bool]]:
    out = {}
    for mid, m in rows.members.items():
        if not include_staff and m["role"] in STAFF:
            continue
        ms = [r for r in rows.memberships if r["member_id"] == mid and (groups is None or r["group_id"] in groups)]
        if groups is not None and not ms:
            continue
        joins = [r["joined_on"] for r in ms if r["joined_on"]]
        if groups is None:
            join = m["joined_on"] or (min(joins) if joins else None)
            still = m["status"] == "在群"
        else:
            join = min(joins) if joins else m["joined_on"]
            still = m["status"] == "在群" and any(r["left_on"] is None for r in ms)
        if still:
            out[mid] = (join, None, False)
        elif any(r["left_on"] is None for r in ms):
            out[mid] = (join, None, True)
        else:
            out[mid] = (join, max((r["left_on"] for r in ms), default=None), True)
    return out


def oracle_active_sets(rows: Rows, start: dt.date, end: dt.date, groups: set[int] | None,
                       include_staff: bool, kinds: set[str] = ACTIVE) -> list[dict[str, Any]]:
    return [
        a for a in rows.activities
        if a["kind"] in kinds and start <= a["occurred_at"].date() <= end
        and (groups is None or a["group_id"] in groups)
        and (include_staff or rows.members[a["member_id"]]["role"] not in STAFF)
    ]


def oracle_roster(rows: Rows, p_start: dt.date, p_end: dt.date, scope_start: dt.date, scope_end: dt.date,
                  groups: set[int] | None, include_staff: bool) -> set[int]:
    """Members present in [p_start, p_end]: the recorded membership interval (clipped to
    the scope) widened to span the member's own active days in the scope."""
    first: dict[int, dt.date] = {}
    last: dict[int, dt.date] = {}
    for a in oracle_active_sets(rows, scope_start, scope_end, groups, include_staff):
        d, m = a["occurred_at"].date(), a["member_id"]
        first[m] = min(first.get(m, d), d)
        last[m] = max(last.get(m, d), d)
    intervals = oracle_intervals(rows, groups, include_staff)
    out = set()
    for mid in set(intervals) | set(first):
        span: list[dt.date] = []
        if mid in intervals:
            join, leave, departed = intervals[mid]
            if not (departed and leave is None):
                lo = max(join or scope_start, scope_start)
                hi = min(leave or scope_end, scope_end) if departed else scope_end
                if lo <= hi:
                    span += [lo, hi]
        if mid in first:
            span += [first[mid], last[mid]]
        if span and min(span) <= p_end and max(span) >= p_start:
            out.add(mid)
    return out


def ceil_div(a: int, b: int) -> int:
    return math.ceil(a / b)
