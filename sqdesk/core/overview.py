"""This week at a glance (the 总览 dashboard): a handful of aggregate queries, no ORM rows.

Definitions, so every figure can be traced to rows:
- *week*: Monday 00:00 to Sunday 24:00 of the week containing ``today``.
- *joins*: members whose ``joined_on`` falls in the week.
- *leaves*: members now 已退出/已清退 who, during the week, left a group
  (``memberships.left_on``) or got a 退群/清退 activity — leaving one group while
  staying in another is not leaving the community.
- *active (7 days)*: distinct members with a 发言/签到/分享 activity in the 7 days
  ending ``now``.
- *upcoming events*: not cancelled, starting within the next ``horizon_days``.
- *open offers/needs*: status ``open`` and not expired.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import case, func, or_, select, union
from sqlalchemy.orm import Session

from sqdesk.models import Activity, Event, Member, Membership, Registration, SupplyDemand
from sqdesk.models.vocab import MEMBER_STATUSES, ROLES, SD_KINDS

ACTIVE_KINDS = ("发言", "签到", "分享")
LEAVE_KINDS = ("退群", "清退")
GONE_STATUSES = ("已退出", "已清退")


@dataclass(frozen=True)
class UpcomingEvent:
    id: int
    title: str
    kind: str
    starts_at: dt.datetime
    location: str
    capacity: int | None
    registered: int  # 已报名 + 已签到
    waitlisted: int  # 候补
    status: str


@dataclass(frozen=True)
class Overview:
    today: dt.date
    week_start: dt.date
    week_end: dt.date  # inclusive (Sunday)
    members_total: int
    by_status: dict[str, int]
    by_role: dict[str, int]  # among members 在群
    joins_week: int
    leaves_week: int
    active_7d: int
    upcoming: list[UpcomingEvent] = field(default_factory=list)
    open_supply: dict[str, int] = field(default_factory=dict)  # 供给/需求 → count

    @property
    def in_group(self) -> int:
        return self.by_status.get("在群", 0)

    @property
    def active_rate(self) -> float:
        """Active members in the last 7 days as a share of members 在群."""
        return self.active_7d / self.in_group if self.in_group else 0.0


def week_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    start = today - dt.timedelta(days=today.weekday())
    return start, start + dt.timedelta(days=6)


def this_week_overview(
    session: Session,
    *,
    now: dt.datetime | None = None,
    horizon_days: int = 14,
    max_events: int = 20,
) -> Overview:
    now = now or dt.datetime.now().replace(microsecond=0)
    today = now.date()
    week_start, week_end = week_bounds(today)
    week_start_ts = dt.datetime.combine(week_start, dt.time())
    week_end_ts = week_start_ts + dt.timedelta(days=7)

    by_status = {s: 0 for s in MEMBER_STATUSES}
    for status, n in session.execute(
        select(Member.status, func.count()).group_by(Member.status)
    ):
        by_status[status] = by_status.get(status, 0) + int(n)
    by_role = {r: 0 for r in ROLES}
    for role, n in session.execute(
        select(Member.role, func.count()).where(Member.status == "在群").group_by(Member.role)
    ):
        by_role[role] = by_role.get(role, 0) + int(n)

    joins = session.scalar(
        select(func.count()).select_from(Member).where(
            Member.joined_on >= week_start, Member.joined_on <= week_end
        )
    ) or 0

    left_ids = union(
        select(Membership.member_id).where(
            Membership.left_on >= week_start, Membership.left_on <= week_end
        ),
        select(Activity.member_id).where(
            Activity.kind.in_(LEAVE_KINDS),
            Activity.occurred_at >= week_start_ts,
            Activity.occurred_at < week_end_ts,
        ),
    ).subquery()
    leaves = session.scalar(
        select(func.count()).select_from(Member).where(
            Member.status.in_(GONE_STATUSES), Member.id.in_(select(left_ids.c.member_id))
        )
    ) or 0

    active = session.scalar(
        select(func.count(func.distinct(Activity.member_id))).where(
            Activity.kind.in_(ACTIVE_KINDS),
            Activity.occurred_at > now - dt.timedelta(days=7),
            Activity.occurred_at <= now,
        )
    ) or 0

    registered = (
        select(
            Registration.event_id,
            func.sum(case((Registration.status.in_(("已报名", "已签到")), 1), else_=0)).label("reg"),
            func.sum(case((Registration.status == "候补", 1), else_=0)).label("wait"),
        )
        .group_by(Registration.event_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Event.id, Event.title, Event.kind, Event.starts_at, Event.location, Event.capacity,
            Event.status, registered.c.reg, registered.c.wait,
        )
        .outerjoin(registered, registered.c.event_id == Event.id)
        .where(
            Event.starts_at >= now,
            Event.starts_at < now + dt.timedelta(days=horizon_days),
            Event.status != "已取消",
        )
        .order_by(Event.starts_at, Event.id)
        .limit(max_events)
    )
    upcoming = [
        UpcomingEvent(
            id=r.id, title=r.title, kind=r.kind, starts_at=r.starts_at, location=r.location or "",
            capacity=r.capacity, registered=int(r.reg or 0), waitlisted=int(r.wait or 0),
            status=r.status,
        )
        for r in rows
    ]

    open_supply = {k: 0 for k in SD_KINDS}
    for kind, n in session.execute(
        select(SupplyDemand.kind, func.count())
        .where(
            SupplyDemand.status == "open",
            or_(SupplyDemand.expires_on.is_(None), SupplyDemand.expires_on >= today),
        )
        .group_by(SupplyDemand.kind)
    ):
        open_supply[kind] = open_supply.get(kind, 0) + int(n)

    return Overview(
        today=today, week_start=week_start, week_end=week_end,
        members_total=sum(by_status.values()), by_status=by_status, by_role=by_role,
        joins_week=int(joins), leaves_week=int(leaves), active_7d=int(active),
        upcoming=upcoming, open_supply=open_supply,
    )


def member_count(session: Session, *, status: str | None = "在群") -> int:
    """Members in the community (``status=None``: every row of the roster)."""
    stmt = select(func.count()).select_from(Member)
    if status is not None:
        stmt = stmt.where(Member.status == status)
    return int(session.scalar(stmt) or 0)



def rule_todo_count(session: Session, today: dt.date | None = None) -> tuple[int, int]:
    """(to-dos, members concerned) of the rule set now. It evaluates every rule over the
    member metrics, seconds at 100k members, so the dashboard asks for it after the rest."""
    from sqdesk.rules.engine import todo_list

    items = todo_list(session, today or dt.date.today())
    return len(items), len({item.member_id for item in items})
