"""Community figures for any period and any set of groups, each traceable to its rows.

Every function takes a :class:`Scope` — a period ``[start, end]`` (both days
inclusive), optional ``group_ids`` and ``include_staff`` (群主/管理员 are left out of
health figures unless asked for, as Orbit does) — and returns plain dataclasses.
A companion ``*_evidence`` function returns the rows behind any one figure (member
ids, activity ids, registration ids) for drill-down and exports.

Definitions shared by the figures:

* *Active* in a period: at least one activity row of kind 发言/签到/分享/邀请/参加活动
  in it (in the chosen groups).
* *Membership interval* of a member: from the join date (``members.joined_on``, else
  the earliest group join; with groups chosen, the earliest join to one of them) to
  the leave date (none while 在群 / an open membership remains; else the latest
  ``memberships.left_on``; a departure without any date is "undated").
* *Roster* of a period (the denominator of the active rate): members whose interval
  overlaps it, the interval widened to cover the member's own activity in the scope
  (activity proves presence, whatever the records say) — so active ≤ roster always.
* Message volume is the sum of 发言 ``value`` (an import writes one row per
  member-day carrying that day's message count).

Cut-offs are computed in Python and bound as parameters; the only dialect-specific
SQL (day/month numbers, weekday, hour) is in :mod:`sqdesk.analytics._sql`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from sqlalchemy import (
    BigInteger,
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session

from sqdesk.analytics._sql import (
    ACTIVE_KINDS,
    CHECKIN_KIND,
    MESSAGE_KIND,
    STAFF_ROLES,
    activity_scan,
    as_date,
    as_datetime,
    chunks,
    day_after,
    day_number,
    day_start,
    dialect,
    distinct_values,
    div,
    fetch_rows,
    hour_number,
    int_list,
    month_index,
    month_number,
    sum_by_key,
    weekday_number,
)
from sqdesk.analytics.metrics import SMALL, compute_member_metrics, member_metrics
from sqdesk.core.errors import NotFoundError, ValidationError
from sqdesk.models import Activity, Event, Group, Member, Membership, Registration
from sqdesk.models.event import event_groups
from sqdesk.models.vocab import LEVELS

Unit = Literal["day", "week", "month"]
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


# ---- scope, periods, evidence ------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    start: dt.date
    end: dt.date
    group_ids: tuple[int, ...] | None = None
    include_staff: bool = False

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValidationError(
                f"开始日期 {self.start.isoformat()} 晚于结束日期 {self.end.isoformat()}", column="日期"
            )
        if self.group_ids is not None and not isinstance(self.group_ids, tuple):
            object.__setattr__(self, "group_ids", tuple(self.group_ids))

    @property
    def start_dt(self) -> dt.datetime:
        return day_start(self.start)

    @property
    def end_dt(self) -> dt.datetime:
        """Exclusive upper bound (midnight after ``end``)."""
        return day_after(self.end)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}~{self.end.isoformat()}"


@dataclass
class Evidence:
    """The rows behind a figure."""

    member_ids: list[int] = field(default_factory=list)
    activity_ids: list[int] = field(default_factory=list)
    registration_ids: list[int] = field(default_factory=list)


def _check_unit(unit: str) -> None:
    if unit not in ("day", "week", "month"):
        raise ValidationError(f"统计周期「{unit}」应为 day/week/month")


def _origin(scope: Scope, unit: str) -> dt.date:
    if unit == "week":
        return scope.start - dt.timedelta(days=scope.start.weekday())
    return scope.start


def periods(scope: Scope, unit: Unit) -> list[Period]:
    """The scope cut into days, Monday-first weeks or calendar months (clipped to the scope)."""
    _check_unit(unit)
    out: list[Period] = []
    if unit == "day":
        d = scope.start
        while d <= scope.end:
            out.append(Period(d, d))
            d += dt.timedelta(days=1)
    elif unit == "week":
        d = _origin(scope, unit)
        while d <= scope.end:
            out.append(Period(max(d, scope.start), min(d + dt.timedelta(days=6), scope.end)))
            d += dt.timedelta(days=7)
    else:
        m = month_index(scope.start)
        while m <= month_index(scope.end):
            first = dt.date(m // 12, m % 12 + 1, 1)
            nxt = dt.date((m + 1) // 12, (m + 1) % 12 + 1, 1)
            out.append(Period(max(first, scope.start), min(nxt - dt.timedelta(days=1), scope.end)))
            m += 1
    return out


def _bucketer(scope: Scope, unit: str) -> Callable[[dt.date], int]:
    """The bucket of a date for one scope and unit (0 = the scope's first day, week or
    month), with its origin computed once."""
    if unit == "month":
        m0 = month_index(scope.start)
        return lambda day: day.year * 12 + day.month - 1 - m0
    origin = _origin(scope, unit).toordinal()
    if unit == "week":
        return lambda day: (day.toordinal() - origin) // 7
    return lambda day: day.toordinal() - origin


def _bucket_expr(session: Session, scope: Scope, unit: str) -> Any:
    if unit == "day":
        return day_number(session, Activity.occurred_at, scope.start)
    if unit == "week":
        return div(day_number(session, Activity.occurred_at, _origin(scope, unit)), 7)
    return month_number(session, Activity.occurred_at, month_index(scope.start))


def _staff_ids() -> Any:
    return select(Member.id).where(Member.role.in_(STAFF_ROLES))


def _activity_conds(
    scope: Scope,
    kinds: Sequence[str] | None = ACTIVE_KINDS,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    staff_filter: bool = True,
    session: Session | None = None,
) -> list[Any]:
    """Conditions on activity rows; with ``session`` the time range is spelled for the
    best plan (see :func:`sqdesk.analytics._sql.wide_range`)."""
    lo, hi = day_start(start or scope.start), day_after(end or scope.end)
    when = Activity.occurred_at if session is None else activity_scan(session, lo, hi)[0]
    conds: list[Any] = [when >= lo, when < hi]
    if kinds is not None:
        conds.append(Activity.kind.in_(list(kinds)) if len(kinds) > 1 else Activity.kind == kinds[0])
    if scope.group_ids is not None:
        conds.append(Activity.group_id.in_(list(scope.group_ids)))
    if staff_filter and not scope.include_staff:
        conds.append(Activity.member_id.not_in(_staff_ids()))
    return conds


# ---- membership intervals -----------------------------------------------------------------

@dataclass(frozen=True)
class Interval:
    join: dt.date | None
    leave: dt.date | None      # last day present; None while still in (or undated)
    departed: bool             # left (leave may still be None: undated)


# (join, leave, departed) as in Interval: the plain tuples the figures fold over.
RawInterval = tuple[dt.date | None, dt.date | None, bool]


def member_intervals(session: Session, scope: Scope) -> dict[int, Interval]:
    """Join/leave per member for the scope's groups (all groups when none chosen);
    owner/admins are left out unless ``include_staff``."""
    return {mid: Interval(*iv) for mid, iv in _intervals(session, scope).items()}


def _intervals(session: Session, scope: Scope) -> dict[int, RawInterval]:
    """:func:`member_intervals` as plain tuples."""
    # Two plain reads joined here: the memberships aggregate comes in member order off
    # the (member_id, group_id) unique index, and members is one scan (SQLite's LEFT JOIN
    # of the two materialised the aggregate and built an automatic index over it).
    ms = select(
        Membership.member_id,
        func.min(Membership.joined_on),
        func.max(Membership.left_on),
        func.sum(case((Membership.left_on.is_(None), 1), else_=0)),
    )
    if scope.group_ids is not None:
        ms = ms.where(Membership.group_id.in_(list(scope.group_ids)))
    conn = session.connection()
    agg = {r[0]: r for r in fetch_rows(conn, ms.group_by(Membership.member_id))}
    stmt = select(Member.id, Member.joined_on, Member.status)
    if not scope.include_staff:
        stmt = stmt.where(Member.role.not_in(STAFF_ROLES))
    members = fetch_rows(conn, stmt)
    # SQLite returns dates as text, PostgreSQL as dates: parse each distinct value once
    # (a roster holds a few thousand).
    dates: dict[Any, dt.date | None] = {None: None}
    for row in members:
        if row[1] not in dates:
            dates[row[1]] = as_date(row[1])
    for row in agg.values():
        for v in (row[1], row[2]):
            if v not in dates:
                dates[v] = as_date(v)
    out: dict[int, RawInterval] = {}
    no_groups = (None, None, None, None)
    if scope.group_ids is None:
        for mid, joined, status in members:
            _, first, last_left, n_open = agg.get(mid, no_groups)
            join = dates[joined] or dates[first]
            if status == "在群":
                out[mid] = (join, None, False)
            else:
                # A departed member with a membership still open: the leave date is unknown.
                out[mid] = (join, None if n_open else dates[last_left], True)
    else:
        for mid, joined, status in members:
            found = agg.get(mid)
            if found is None:
                continue  # no membership in the chosen groups
            _, first, last_left, n_open = found
            join = dates[first] or dates[joined]
            if status == "在群" and n_open:
                out[mid] = (join, None, False)
            else:
                out[mid] = (join, None if n_open else dates[last_left], True)
    return out


# ---- active members --------------------------------------------------------------------------

@dataclass
class ActivePoint:
    period: Period
    active: int
    roster: int
    rate: float | None


@dataclass
class ActiveSeries:
    unit: str
    points: list[ActivePoint]


MASK_BITS = 63      # buckets a bigint bit mask holds (the sign bit left alone)
MAX_MASKS = 4       # up to 252 periods (two years of weeks take 2); more: the array path


def _bucket_masks(session: Session, scope: Scope, bucket: Any, nb: int, *, bounds: bool = True) -> Sequence[Sequence[Any]]:
    """PostgreSQL: per member with activity in ``scope``, (member_id, min bucket, max
    bucket, bigint bit masks: bit k of mask j set when the member was active in bucket
    63·j + k), for buckets 0 … nb-1, in one hash aggregate by member (``bit_or`` of
    ``1 << bucket``). ``array_agg(DISTINCT …)`` had to sort the log by member (spilling
    to disk at the session's work_mem) and then each member's values again; the masks
    need no sort at all."""
    sub = select(Activity.member_id.label("mid"), bucket.label("b")).where(*_activity_conds(scope, session=session)).subquery()
    masks = [
        func.bit_or(case(
            (and_(sub.c.b >= lo, sub.c.b < lo + MASK_BITS), cast(literal_column("1"), BigInteger).op("<<")(sub.c.b - lo)),
            else_=cast(literal_column("0"), BigInteger),
        ))
        for lo in range(0, nb, MASK_BITS)
    ]
    # Without ``bounds`` the two bucket columns are NULL (no min()/max() to compute).
    lo_hi: list[Any] = [func.min(sub.c.b), func.max(sub.c.b)] if bounds else [literal_column("NULL")] * 2
    return fetch_rows(session.connection(), select(sub.c.mid, *lo_hi, *masks).group_by(sub.c.mid))


def _mask_counts(rows: Sequence[Sequence[Any]], nb: int) -> list[int]:
    """How many of ``rows`` (from :func:`_bucket_masks`) have each bucket's bit set: the
    column sums of the masks' bits."""
    counts = [0] * nb
    if not rows:
        return counts
    for j, lo in enumerate(range(0, nb, MASK_BITS)):
        column = np.fromiter((r[3 + j] for r in rows), dtype="<i8", count=len(rows))
        # Bit k of every mask as column k (little-endian bytes, low bit first), summed.
        bits = np.unpackbits(column.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
        sums = bits.sum(axis=0, dtype=np.int64)
        for k in range(min(MASK_BITS, nb - lo)):
            counts[lo + k] = int(sums[k])
    return counts


def active_series(session: Session, scope: Scope, unit: Unit = "week") -> ActiveSeries:
    """Daily/weekly/monthly active members, the roster of each period and the rate."""
    _check_unit(unit)
    plist = periods(scope, unit)
    nb = len(plist)
    # One pass over the log, grouped by member (the shape the raw GROUP BY has): each
    # member's distinct active periods. Folding them gives the active count per period
    # and each member's first/last active period (to widen the roster intervals).
    bucket = _bucket_expr(session, scope, unit)
    active = [0] * nb
    first_b: dict[int, int] = {}
    last_b: dict[int, int] = {}
    if dialect(session) == "postgresql" and nb <= MASK_BITS * MAX_MASKS:
        rows_ = _bucket_masks(session, scope, bucket, nb)
        for mid, lo_b, hi_b, *_ in rows_:
            first_b[mid] = lo_b
            last_b[mid] = hi_b
        active = _mask_counts(rows_, nb)
    else:
        stmt = (
            select(Activity.member_id, distinct_values(session, bucket))
            .where(*_activity_conds(scope, session=session))
            .group_by(activity_scan(session, scope.start_dt, scope.end_dt)[1])
        )
        rows = fetch_rows(session.connection(), stmt)
        counted: Counter[Any] = Counter()
        if rows and isinstance(rows[0][1], str):
            # SQLite's group_concat text: count the buckets over one joined string (C-level
            # split and count), convert only each member's first and last.
            counted.update(",".join([r[1] for r in rows]).split(","))
            for mid, values in rows:
                buckets = list(map(int, values.split(",")))
                first_b[mid] = min(buckets)
                last_b[mid] = max(buckets)
        else:
            for mid, values in rows:
                buckets = int_list(values)
                counted.update(buckets)
                first_b[mid] = min(buckets)
                last_b[mid] = max(buckets)
        for b, n in counted.items():
            active[int(b)] += n
    # Roster per bucket by a difference array over each member's (widened) interval.
    diff = [0] * (nb + 1)
    intervals = _intervals(session, scope)
    start_, end_ = scope.start, scope.end
    # The bucket of each day of the scope (every clipped interval end is one of them).
    bucket_of = _bucketer(scope, unit)
    day_bucket: dict[dt.date, int] = {}
    d = start_
    while d <= end_:
        day_bucket[d] = bucket_of(d)
        d += dt.timedelta(days=1)
    empty = (nb, -1)
    for mid, (join, leave, departed) in intervals.items():
        # The recorded interval clipped to the scope (empty for an undated departure or
        # a leave date before the join date), in periods.
        lo_d = join if join is not None and join > start_ else start_
        hi_d = end_ if not departed else (min(leave, end_) if leave else None)
        if hi_d is not None and lo_d <= hi_d:
            lo, hi = day_bucket[lo_d], day_bucket[hi_d]
        else:
            lo, hi = empty
        f = first_b.get(mid)
        if f is not None:
            if lo > hi:
                lo, hi = f, last_b[mid]
            else:
                lo, hi = min(lo, f), max(hi, last_b[mid])
        if lo <= hi:
            diff[lo] += 1
            diff[hi + 1] -= 1
    for mid in first_b.keys() - intervals.keys():  # active but not on the scope's roster at all
        diff[first_b[mid]] += 1
        diff[last_b[mid] + 1] -= 1
    points = []
    running = 0
    for i, p in enumerate(plist):
        running += diff[i]
        points.append(ActivePoint(p, active[i], running, active[i] / running if running else None))
    return ActiveSeries(unit, points)


def active_evidence(session: Session, scope: Scope, start: dt.date, end: dt.date) -> Evidence:
    """Members active in ``[start, end]`` (within the scope) and their activity rows."""
    start, end = max(start, scope.start), min(end, scope.end)
    rows = session.execute(
        select(Activity.id, Activity.member_id).where(*_activity_conds(scope, start=start, end=end))
        .order_by(Activity.id)
    ).all()
    return Evidence(sorted({int(r[1]) for r in rows}), [int(r[0]) for r in rows])


# ---- growth ----------------------------------------------------------------------------------------

@dataclass
class GrowthPoint:
    period: Period
    joins: int
    leaves: int

    @property
    def net(self) -> int:
        return self.joins - self.leaves


@dataclass
class Growth:
    unit: str
    points: list[GrowthPoint]
    undated_leaves: int   # departed members with no leave date at all (not in any period)


def growth(session: Session, scope: Scope, unit: Unit = "week") -> Growth:
    """Joins, leaves and net growth per week/month (by membership dates)."""
    _check_unit(unit)
    plist = periods(scope, unit)
    joins = [0] * len(plist)
    leaves = [0] * len(plist)
    undated = 0
    start, end = scope.start, scope.end
    bucket_of = _bucketer(scope, unit)
    for join, leave, departed in _intervals(session, scope).values():
        if join is not None and start <= join <= end:
            joins[bucket_of(join)] += 1
        if departed:
            if leave is None:
                undated += 1
            elif start <= leave <= end:
                leaves[bucket_of(leave)] += 1
    return Growth(unit, [GrowthPoint(p, joins[i], leaves[i]) for i, p in enumerate(plist)], undated)


@dataclass
class GrowthEvidence:
    joined: list[int]
    left: list[int]


def growth_evidence(session: Session, scope: Scope, start: dt.date, end: dt.date) -> GrowthEvidence:
    joined, left = [], []
    for mid, iv in sorted(member_intervals(session, scope).items()):
        if iv.join is not None and max(start, scope.start) <= iv.join <= min(end, scope.end):
            joined.append(mid)
        if iv.departed and iv.leave is not None and max(start, scope.start) <= iv.leave <= min(end, scope.end):
            left.append(mid)
    return GrowthEvidence(joined, left)


# ---- retention by join-month cohort --------------------------------------------------------------

@dataclass
class Cohort:
    month: dt.date                  # first day of the join month
    member_ids: list[int]
    active: list[int | None]        # [k] = cohort members active in month (join month + k); None = not yet
    shares: list[float | None]

    @property
    def size(self) -> int:
        return len(self.member_ids)


@dataclass
class Retention:
    months: int
    cohorts: list[Cohort]


def _cohort_members(session: Session, scope: Scope) -> dict[int, list[int]]:
    cohorts: dict[int, list[int]] = defaultdict(list)
    start, end = scope.start, scope.end
    month_of: dict[dt.date, int] = {}
    for mid, (join, _leave, _departed) in _intervals(session, scope).items():
        if join is not None and start <= join <= end:
            m = month_of.get(join)
            if m is None:
                m = month_of[join] = month_index(join)
            cohorts[m].append(mid)
    return cohorts


def retention(session: Session, scope: Scope, months: int = 12) -> Retention:
    """Cohorts = members who joined in each month of the scope; cell [k] = share of the
    cohort active in the k-th month after joining (k = 0 is the join month). Months that
    start after the scope's end are None."""
    cohorts = _cohort_members(session, scope)
    if not cohorts:
        return Retention(months, [])
    first_month = min(cohorts)
    member_cohort = {mid: m for m, mids in cohorts.items() for mid in mids}
    scope_from = Scope(dt.date(first_month // 12, first_month % 12 + 1, 1), scope.end, scope.group_ids, scope.include_staff)
    last = month_index(scope.end)
    active: dict[tuple[int, int], int] = defaultdict(int)
    nb = last - first_month + 1
    if dialect(session) == "postgresql" and nb <= MASK_BITS * MAX_MASKS:
        # Each member's active months as bit masks (see _bucket_masks), counted per cohort.
        by_cohort: dict[int, list[Sequence[Any]]] = defaultdict(list)
        month = month_number(session, Activity.occurred_at, first_month)
        for row in _bucket_masks(session, scope_from, month, nb, bounds=False):
            c = member_cohort.get(row[0])
            if c is not None:
                by_cohort[c].append(row)
        for c, cohort_rows in by_cohort.items():
            for b, n in enumerate(_mask_counts(cohort_rows, nb)):
                if n and 0 <= first_month + b - c < months:
                    active[(c, first_month + b - c)] += n
        return _retention(cohorts, active, months, last)
    sqlite = dialect(session) == "sqlite"
    # On SQLite each member's distinct months come as the stored text's 'YYYY-MM' prefix
    # (cheaper a row than two strftime() calls), turned into month numbers here.
    month = (
        func.group_concat(distinct(func.substr(Activity.occurred_at, 1, 7))) if sqlite
        else distinct_values(session, month_number(session, Activity.occurred_at))
    )
    stmt = (
        select(Activity.member_id, month)
        .where(*_activity_conds(scope_from, session=session))
        .group_by(activity_scan(session, scope_from.start_dt, scope_from.end_dt)[1])
    )
    # Per cohort, how many of its members were active in each month (C-level counting of
    # the months each member's row lists).
    lists: dict[int, list[Any]] = defaultdict(list)
    for mid, values in fetch_rows(session.connection(), stmt):
        c = member_cohort.get(mid)
        if c is not None:
            lists[c].append(values)
    for c, found in lists.items():
        if sqlite:
            per_month = Counter(",".join(found).split(","))
            counted = [(int(text[:4]) * 12 + int(text[5:7]) - 1, n) for text, n in per_month.items()]
        else:
            counted = list(Counter(m for v in found for m in int_list(v)).items())
        for m, n in counted:
            if 0 <= m - c < months:
                active[(c, m - c)] += n
    return _retention(cohorts, active, months, last)


def _retention(cohorts: dict[int, list[int]], active: dict[tuple[int, int], int], months: int, last: int) -> Retention:
    out = []
    for c in sorted(cohorts):
        size = len(cohorts[c])
        counts: list[int | None] = [active[(c, k)] if c + k <= last else None for k in range(months)]
        shares: list[float | None] = [None if v is None else v / size for v in counts]
        out.append(Cohort(dt.date(c // 12, c % 12 + 1, 1), sorted(cohorts[c]), counts, shares))
    return Retention(months, out)


def retention_evidence(session: Session, scope: Scope, cohort_month: dt.date, k: int) -> Evidence:
    """The cohort members active in month ``k`` after joining, with their activity rows."""
    c = month_index(cohort_month)
    members = set(_cohort_members(session, scope).get(c, []))
    m = c + k
    start = max(dt.date(m // 12, m % 12 + 1, 1), scope.start)
    end = min(dt.date((m + 1) // 12, (m + 1) % 12 + 1, 1) - dt.timedelta(days=1), scope.end)
    if start > end or not members:
        return Evidence()
    rows = [
        r for r in session.execute(
            select(Activity.id, Activity.member_id).where(*_activity_conds(scope, start=start, end=end)).order_by(Activity.id)
        )
        if r[1] in members
    ]
    return Evidence(sorted({int(r[1]) for r in rows}), [int(r[0]) for r in rows])


# ---- events ------------------------------------------------------------------------------------------

REGISTERED = ("已报名", "已签到", "缺席")


@dataclass
class EventAttendance:
    event_id: int
    title: str
    starts_at: dt.datetime
    registered: int     # 已报名 + 已签到 + 缺席 (not 候补 / 已取消)
    attended: int       # 已签到
    no_show: int        # 缺席

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.registered if self.registered else None

    @property
    def no_show_rate(self) -> float | None:
        return self.no_show / self.registered if self.registered else None


@dataclass
class AttendanceSummary:
    events: list[EventAttendance]
    registered: int
    attended: int
    no_show: int

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.registered if self.registered else None

    @property
    def no_show_rate(self) -> float | None:
        return self.no_show / self.registered if self.registered else None


def _event_conds(scope: Scope) -> list[Any]:
    conds: list[Any] = [Event.starts_at >= scope.start_dt, Event.starts_at < scope.end_dt, Event.status != "已取消"]
    if scope.group_ids is not None:
        targeted = select(event_groups.c.event_id)
        conds.append(or_(
            Event.id.in_(targeted.where(event_groups.c.group_id.in_(list(scope.group_ids)))),
            Event.id.not_in(targeted),
        ))
    return conds


def _registration_conds(scope: Scope) -> list[Any]:
    return [] if scope.include_staff else [Registration.member_id.not_in(_staff_ids())]


def event_attendance(session: Session, scope: Scope) -> AttendanceSummary:
    """Per event starting in the scope (not cancelled; with groups chosen, events aimed at
    them or at no group in particular): registered, attended (已签到), no-shows (缺席)."""
    stmt = (
        select(
            Event.id, Event.title, Event.starts_at,
            func.sum(case((Registration.status.in_(REGISTERED), 1), else_=0)),
            func.sum(case((Registration.status == "已签到", 1), else_=0)),
            func.sum(case((Registration.status == "缺席", 1), else_=0)),
        )
        .join(Registration, and_(Registration.event_id == Event.id, *_registration_conds(scope)), isouter=True)
        .where(*_event_conds(scope))
        .group_by(Event.id, Event.title, Event.starts_at)
        .order_by(Event.starts_at, Event.id)
    )
    events = [
        EventAttendance(int(r[0]), r[1], as_datetime(r[2]) or scope.start_dt, int(r[3] or 0), int(r[4] or 0), int(r[5] or 0))
        for r in session.execute(stmt)
    ]
    return AttendanceSummary(
        events, sum(e.registered for e in events), sum(e.attended for e in events), sum(e.no_show for e in events)
    )


def attendance_evidence(
    session: Session, scope: Scope, event_id: int | None = None, statuses: Sequence[str] = REGISTERED
) -> Evidence:
    """Registrations (and their members) behind the attendance figures: one event or all in scope."""
    stmt = (
        select(Registration.id, Registration.member_id)
        .join(Event, Event.id == Registration.event_id)
        .where(*_event_conds(scope), Registration.status.in_(list(statuses)), *_registration_conds(scope))
        .order_by(Registration.id)
    )
    if event_id is not None:
        stmt = stmt.where(Event.id == event_id)
    rows = session.execute(stmt).all()
    return Evidence(sorted({int(r[1]) for r in rows}), [], [int(r[0]) for r in rows])


# ---- levels --------------------------------------------------------------------------------------------

# The common reference: about 20% core, 50% active, 30% lurkers. Our five levels fold
# into it as 核心 → 核心; 活跃 + 一般 → 活跃; 潜水 + 沉默 → 潜水.
REFERENCE: dict[str, tuple[float, tuple[str, ...]]] = {
    "核心": (0.2, ("核心",)),
    "活跃": (0.5, ("活跃", "一般")),
    "潜水": (0.3, ("潜水", "沉默")),
}


@dataclass
class LevelDistribution:
    as_of: dt.date
    total: int
    counts: dict[str, int]
    member_ids: dict[str, list[int]]
    reference: dict[str, tuple[float, float]]   # bucket -> (actual share, reference share)

    def share(self, level: str) -> float | None:
        return self.counts[level] / self.total if self.total else None


def level_distribution(session: Session, scope: Scope) -> LevelDistribution:
    """Levels of the members present at the scope's end (held level, else computed)."""
    present = [
        mid for mid, (join, _leave, departed) in _intervals(session, scope).items()
        if not departed and (join is None or join <= scope.end)
    ]
    levels: Iterable[tuple[int, object]]
    if len(present) <= SMALL:  # the queries name them
        table = compute_member_metrics(session, scope.end, member_ids=sorted(present))
        levels = zip(table.member_ids, table.columns["level"], strict=True)
    else:  # most of the roster: the shared table of everyone (computed once, see member_metrics)
        table = member_metrics(session, scope.end)
        wanted = set(present)
        levels = ((mid, lv) for mid, lv in zip(table.member_ids, table.columns["level"], strict=True) if mid in wanted)
    by_level: dict[str, list[int]] = {lv: [] for lv in LEVELS}
    for mid, lv in levels:
        by_level[str(lv)].append(mid)
    counts = {lv: len(ids_) for lv, ids_ in by_level.items()}
    total = sum(counts.values())
    ref = {
        name: (sum(counts[lv] for lv in lvls) / total if total else 0.0, share)
        for name, (share, lvls) in REFERENCE.items()
    }
    return LevelDistribution(scope.end, total, counts, by_level, ref)


# ---- participation inequality ------------------------------------------------------------------------

@dataclass
class Inequality:
    talkers: int
    total_messages: float
    top10_count: int
    top10_share: float | None
    gini: float | None
    top_member_ids: list[int]          # the top 10% of talkers, most first
    counts: dict[int, float]           # member -> messages in the scope (talkers only)


def gini(values: Sequence[float]) -> float | None:
    """Gini coefficient of non-negative values (0 = equal, → 1 = one holds all)."""
    xs = sorted(values)
    n, total = len(xs), sum(xs)
    if n == 0 or total <= 0:
        return None
    weighted = sum((i + 1) * x for i, x in enumerate(xs))
    return max(0.0, min(1.0, 2.0 * weighted / (n * total) - (n + 1) / n))


def message_counts(session: Session, scope: Scope) -> dict[int, float]:
    stmt = (
        select(Activity.member_id, func.sum(Activity.value))
        .where(*_activity_conds(scope, (MESSAGE_KIND,), session=session))
        .group_by(activity_scan(session, scope.start_dt, scope.end_dt)[1])
    )
    return {int(mid): float(v) for mid, v in fetch_rows(session.connection(), stmt) if v and float(v) > 0}


def _ranked(counts: dict[int, float]) -> list[int]:
    """Members by count, most first, ties by id (sort by id, then a stable descending
    sort by count: no key tuple a member)."""
    ranked = sorted(counts)
    ranked.sort(key=counts.__getitem__, reverse=True)
    return ranked


def message_evidence(session: Session, scope: Scope, member_ids: Sequence[int] | None = None) -> Evidence:
    """The 发言 rows in the scope (of the given members): behind the inequality figures, the
    top-N share and a quiet 骨干's history."""
    conds = _activity_conds(scope, (MESSAGE_KIND,))
    found: list[tuple[int, int]] = []
    parts = [None] if member_ids is None else list(chunks(sorted(member_ids)))
    for part in parts:
        stmt = select(Activity.id, Activity.member_id).where(*conds)
        if part is not None:
            stmt = stmt.where(Activity.member_id.in_(list(part)))
        found.extend((int(r[0]), int(r[1])) for r in session.execute(stmt))
    found.sort()
    return Evidence(sorted({m for _, m in found}), [i for i, _ in found])


def participation_inequality(session: Session, scope: Scope) -> Inequality:
    """Among members who spoke in the scope: share of the top 10% (rounded up) and Gini."""
    counts = message_counts(session, scope)
    ranked = _ranked(counts)
    total = sum(counts.values())
    k = math.ceil(len(ranked) * 0.1)
    top = ranked[:k]
    share = sum(counts[m] for m in top) / total if total else None
    return Inequality(len(ranked), total, k, share, gini(list(counts.values())), top, counts)


# ---- decentralisation ------------------------------------------------------------------------------------

@dataclass
class TalkShare:
    member_messages: float   # from members who are not 群主/管理员
    staff_messages: float

    @property
    def index(self) -> float | None:
        """Share of talk from members: 1 = all from members, 0 = all from owner/admins."""
        total = self.member_messages + self.staff_messages
        return self.member_messages / total if total else None


@dataclass
class GroupTalk:
    group_id: int | None
    name: str
    share: TalkShare


@dataclass
class Decentralisation:
    overall: TalkShare
    groups: list[GroupTalk]
    series: list[tuple[Period, TalkShare]]
    group_series: dict[int | None, list[tuple[Period, TalkShare]]]


def decentralisation(session: Session, scope: Scope, unit: Unit = "month") -> Decentralisation:
    """How much of the 发言 comes from members rather than 群主/管理员, per group and per
    period (``include_staff`` does not apply: the index is about the staff's share)."""
    _check_unit(unit)
    plist = periods(scope, unit)
    conds = _activity_conds(scope, (MESSAGE_KIND,), staff_filter=False, session=session)
    cells: dict[tuple[int | None, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    if dialect(session) == "sqlite":
        # Summed per day, staff flag and group under one text key ('YYYY-MM-DD' + '0'/'1' +
        # group id), folded into periods here: SQLite's sort-based GROUP BY over every 发言
        # row and a strftime() a row were most of the time (see sum_by_key).
        flag = case((Member.role.in_(STAFF_ROLES), "1"), else_="0")
        key = func.substr(Activity.occurred_at, 1, 10).concat(flag).concat(
            func.coalesce(cast(Activity.group_id, String), ""))
        keyed = select(key, Activity.value).join(Member, Member.id == Activity.member_id).where(*conds)
        bucket_of = _bucketer(scope, unit)
        day_bucket: dict[str, int] = {}
        for k, total in sum_by_key(session.connection(), keyed).items():
            day = k[:10]
            b = day_bucket.get(day)
            if b is None:
                b = day_bucket[day] = bucket_of(dt.date.fromisoformat(day))
            cells[(int(k[11:]) if len(k) > 11 else None, b)][1 if k[10] == "1" else 0] += total
    else:
        bucket = _bucket_expr(session, scope, unit).label("b")
        is_staff = case((Member.role.in_(STAFF_ROLES), 1), else_=0).label("staff")
        stmt = (
            select(Activity.group_id, is_staff, bucket, func.sum(Activity.value))
            .join(Member, Member.id == Activity.member_id)
            .where(*conds)
            .group_by(Activity.group_id, is_staff, bucket)
        )
        for gid, staff, b, total in session.execute(stmt):
            cells[(gid, int(b))][1 if staff else 0] += float(total or 0)
    names = {int(g): n for g, n in session.execute(select(Group.id, Group.name))}
    per_group: dict[int | None, list[float]] = defaultdict(lambda: [0.0, 0.0])
    per_bucket: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for (gid, b), (mem, staff) in cells.items():
        per_group[gid][0] += mem
        per_group[gid][1] += staff
        per_bucket[b][0] += mem
        per_bucket[b][1] += staff
    groups = [
        GroupTalk(gid, names.get(gid, "未指定群") if gid is not None else "未指定群", TalkShare(*per_group[gid]))
        for gid in sorted(per_group, key=lambda g: (g is None, g or 0))
    ]
    overall = TalkShare(sum(v[0] for v in per_group.values()), sum(v[1] for v in per_group.values()))
    series = [(p, TalkShare(*per_bucket.get(i, [0.0, 0.0]))) for i, p in enumerate(plist)]
    group_series = {
        g.group_id: [(p, TalkShare(*cells.get((g.group_id, i), [0.0, 0.0]))) for i, p in enumerate(plist)]
        for g in groups
    }
    return Decentralisation(overall, groups, series, group_series)


def decentralisation_evidence(
    session: Session, scope: Scope, *, group_id: int | None = None, staff: bool | None = None,
    start: dt.date | None = None, end: dt.date | None = None,
) -> Evidence:
    """The 发言 rows behind a decentralisation figure (one group, staff or members, a period)."""
    stmt = select(Activity.id, Activity.member_id).join(Member, Member.id == Activity.member_id).where(
        *_activity_conds(scope, (MESSAGE_KIND,), start and max(start, scope.start), end and min(end, scope.end),
                         staff_filter=False)
    )
    if group_id is not None:
        stmt = stmt.where(Activity.group_id == group_id)
    if staff is True:
        stmt = stmt.where(Member.role.in_(STAFF_ROLES))
    elif staff is False:
        stmt = stmt.where(Member.role.not_in(STAFF_ROLES))
    rows = session.execute(stmt.order_by(Activity.id)).all()
    return Evidence(sorted({int(r[1]) for r in rows}), [int(r[0]) for r in rows])


# ---- 骨干 absence risk --------------------------------------------------------------------------------------

@dataclass
class QuietBackbone:
    member_id: int
    name: str
    role: str
    level: str
    last_active: dt.datetime | None
    active_rows_before: int      # participation rows in the scope before the quiet window


@dataclass
class BackboneRisk:
    top_n: int
    top_share: float | None          # share of 发言 volume from the top_n talkers
    top_member_ids: list[int]
    members_for_half: int            # fewest members who together produced half of the 发言
    quiet_days: int
    quiet: list[QuietBackbone]       # 骨干 active before, silent for the last quiet_days


def backbone_risk(session: Session, scope: Scope, *, top_n: int = 5, quiet_days: int = 14) -> BackboneRisk:
    """How much of the talk rests on a few people, and which 骨干 went quiet.

    骨干 = role 骨干, or holding level 核心 (owner/admins only with ``include_staff``).
    Quiet = some participation in the scope before the last ``quiet_days`` days, none in them."""
    counts = message_counts(session, scope)
    ranked = _ranked(counts)
    total = sum(counts.values())
    top = ranked[:top_n]
    top_share = sum(counts[m] for m in top) / total if total else None
    half, acc = 0, 0.0
    for m in ranked:
        if total and acc >= total / 2:
            break
        acc += counts[m]
        half += 1
    quiet_from = scope.end - dt.timedelta(days=quiet_days - 1)
    roles = ["骨干", *STAFF_ROLES] if scope.include_staff else ["骨干"]
    bconds: list[Any] = [or_(Member.role.in_(roles), Member.level == "核心"), Member.status == "在群"]
    if not scope.include_staff:
        bconds.append(Member.role.not_in(STAFF_ROLES))
    backbone = {int(r[0]): r for r in session.execute(select(Member.id, Member.display_name, Member.role, Member.level).where(*bconds))}
    before: dict[int, int] = defaultdict(int)
    recent: set[int] = set()
    last_seen: dict[int, dt.datetime] = {}
    ids_ = sorted(backbone)
    for part in chunks(ids_):
        stmt = (
            select(
                Activity.member_id,
                func.sum(case((Activity.occurred_at < day_start(quiet_from), 1), else_=0)),
                func.sum(case((Activity.occurred_at >= day_start(quiet_from), 1), else_=0)),
                func.max(Activity.occurred_at),
            )
            .where(*_activity_conds(scope), Activity.member_id.in_(list(part)))
            .group_by(Activity.member_id)
        )
        for mid, n_before, n_recent, last in session.execute(stmt):
            before[mid] = int(n_before or 0)
            if n_recent:
                recent.add(mid)
            moment = as_datetime(last)
            if moment is not None:
                last_seen[mid] = moment
    quiet = [
        QuietBackbone(mid, backbone[mid][1], backbone[mid][2], backbone[mid][3] or "", last_seen.get(mid), before[mid])
        for mid in ids_ if before[mid] > 0 and mid not in recent and quiet_from > scope.start
    ]
    quiet.sort(key=lambda q: (-q.active_rows_before, q.member_id))
    return BackboneRisk(top_n, top_share, top, half, quiet_days, quiet)


# ---- weekday × hour ----------------------------------------------------------------------------------------

@dataclass
class Heatmap:
    matrix: list[list[float]]    # [weekday 0=周一 … 6=周日][hour 0…23] message volume
    total: float


def activity_heatmap(session: Session, scope: Scope, kinds: Sequence[str] = (MESSAGE_KIND,)) -> Heatmap:
    """Message volume (sum of value) by weekday × hour of day, Monday first."""
    matrix = [[0.0] * 24 for _ in range(7)]
    conds = _activity_conds(scope, kinds, session=session)
    if dialect(session) == "sqlite":
        # Summed per day and hour off the stored text ('YYYY-MM-DD HH…'; ~17k keys for two
        # years), weekday and hour worked out here once a key: strftime() on each row and
        # SQLite's sort-based GROUP BY were most of the time.
        hour_key = func.substr(Activity.occurred_at, 1, 13)
        for key, total in sum_by_key(session.connection(), select(hour_key, Activity.value).where(*conds)).items():
            matrix[dt.date.fromisoformat(key[:10]).weekday()][int(key[11:13])] += total
    else:
        wd = weekday_number(session, Activity.occurred_at).label("wd")
        hr = hour_number(session, Activity.occurred_at).label("hr")
        for w, h, total in session.execute(select(wd, hr, func.sum(Activity.value)).where(*conds).group_by(wd, hr)):
            matrix[(int(w) + 6) % 7][int(h)] += float(total or 0)
    return Heatmap(matrix, sum(map(sum, matrix)))


def heatmap_evidence(
    session: Session, scope: Scope, weekday: int, hour: int, kinds: Sequence[str] = (MESSAGE_KIND,)
) -> Evidence:
    """The rows in one cell (``weekday`` 0 = 周一)."""
    sunday_first = (weekday + 1) % 7
    stmt = select(Activity.id, Activity.member_id).where(
        *_activity_conds(scope, kinds),
        weekday_number(session, Activity.occurred_at) == sunday_first,
        hour_number(session, Activity.occurred_at) == hour,
    ).order_by(Activity.id)
    rows = session.execute(stmt).all()
    return Evidence(sorted({int(r[1]) for r in rows}), [int(r[0]) for r in rows])


# ---- inviter quality ------------------------------------------------------------------------------------------

@dataclass
class InviterQuality:
    inviter_id: int
    name: str
    invitee_ids: list[int]
    stayed_ids: list[int]            # still 在群
    active_ids: list[int]            # took part at least once after joining (up to the scope's end)

    @property
    def invitees(self) -> int:
        return len(self.invitee_ids)

    @property
    def stay_rate(self) -> float:
        return len(self.stayed_ids) / len(self.invitee_ids)

    @property
    def active_rate(self) -> float:
        return len(self.active_ids) / len(self.invitee_ids)


def inviter_quality(session: Session, scope: Scope) -> list[InviterQuality]:
    """For each inviter, the invitees who joined in the scope: how many stayed and how
    many became active. Most invitees first."""
    intervals = _intervals(session, Scope(scope.start, scope.end, scope.group_ids, include_staff=True))
    joined = {mid: iv[0] for mid, iv in intervals.items() if iv[0] is not None and scope.start <= iv[0] <= scope.end}
    conn = session.connection()
    invited = Member.inviter_id.is_not(None)
    rows = fetch_rows(conn, select(Member.id, Member.inviter_id, Member.status).where(invited).order_by(Member.id))
    invitees = [(int(r[0]), int(r[1] or 0), r[2]) for r in rows if r[0] in joined]
    # Invited members with any participation up to the scope's end: one EXISTS each (an
    # index seek that stops at the first such row) instead of min() over all their rows.
    took_part = [Activity.member_id == Member.id, Activity.kind.in_(ACTIVE_KINDS), Activity.occurred_at < scope.end_dt]
    if scope.group_ids is not None:
        took_part.append(Activity.group_id.in_(list(scope.group_ids)))
    active = {int(r[0]) for r in fetch_rows(conn, select(Member.id).where(invited, select(Activity.id).where(*took_part).exists()))}
    by_inviter: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for mid, inviter, status in invitees:   # in member id order: each list comes sorted
        by_inviter[inviter].append((mid, status))
    inviters = select(Member.inviter_id).where(invited)
    names = {int(i): n for i, n in fetch_rows(conn, select(Member.id, Member.display_name).where(Member.id.in_(inviters)))
             if i in by_inviter}
    out = [
        InviterQuality(
            inviter, names.get(inviter, f"#{inviter}"),
            [m for m, _ in lst], [m for m, st in lst if st == "在群"], [m for m, _ in lst if m in active],
        )
        for inviter, lst in by_inviter.items()
    ]
    out.sort(key=lambda q: (-q.invitees, q.inviter_id))
    return out


# ---- 打卡 streak survival ------------------------------------------------------------------------------------------

@dataclass
class StreakSurvival:
    start: dt.date
    end: dt.date
    participants: list[int]
    streaks: dict[int, int]          # member -> consecutive days from their first check-in
    last_day: dict[int, int]         # member -> last campaign day (1-based) they checked in
    streak_survival: list[float]     # [k-1] = share of participants whose streak reached k days
    still_checking: list[float]      # [k-1] = share of participants who checked in on day k or later

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def checkin_survival(
    session: Session, start: dt.date, end: dt.date, *, group_ids: Sequence[int] | None = None,
    include_staff: bool = False,
) -> StreakSurvival:
    """Survival of a 打卡 campaign running ``start``…``end`` over its 签到 rows."""
    scope = Scope(start, end, tuple(group_ids) if group_ids is not None else None, include_staff)
    day = day_number(session, Activity.occurred_at, start).label("d")
    stmt = select(Activity.member_id, day).where(*_activity_conds(scope, (CHECKIN_KIND,), session=session)).group_by(Activity.member_id, day)
    days_of: dict[int, set[int]] = defaultdict(set)
    for mid, d in session.execute(stmt):
        days_of[int(mid)].add(int(d) + 1)
    n_days = (end - start).days + 1
    streaks: dict[int, int] = {}
    last_day: dict[int, int] = {}
    for mid, ds in days_of.items():
        first = min(ds)
        k = first
        while k + 1 in ds:
            k += 1
        streaks[mid] = k - first + 1
        last_day[mid] = max(ds)
    n = len(days_of)
    surv = [sum(1 for s in streaks.values() if s >= k) / n if n else 0.0 for k in range(1, n_days + 1)]
    still = [sum(1 for d in last_day.values() if d >= k) / n if n else 0.0 for k in range(1, n_days + 1)]
    return StreakSurvival(start, end, sorted(days_of), streaks, last_day, surv, still)


def checkin_survival_for_event(session: Session, event_id: int, *, include_staff: bool = False) -> StreakSurvival:
    """Survival of a 打卡 event: its dates and target groups (all groups if none)."""
    ev = session.get(Event, event_id)
    if ev is None:
        raise NotFoundError(f"活动 #{event_id} 不存在")
    groups = [int(g) for g in session.scalars(select(event_groups.c.group_id).where(event_groups.c.event_id == event_id))]
    start = ev.starts_at.date()
    end = max(start, ev.ends_at.date())
    return checkin_survival(session, start, end, group_ids=groups or None, include_staff=include_staff)


def survival_evidence(session: Session, survival: StreakSurvival, k: int, *, streak: bool = True) -> Evidence:
    """Participants whose streak reached day ``k`` (or who checked in on day ≥ k)."""
    source = survival.streaks if streak else survival.last_day
    members = sorted(m for m, v in source.items() if v >= k)
    return Evidence(members)
