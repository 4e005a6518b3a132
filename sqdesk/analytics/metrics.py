"""Per-member engagement metrics, the engagement score and the level.

Everything is computed "as of" a day ``D`` (inclusive): a window of N days is
``[D - N + 1, D]``, i.e. ``occurred_at >= midnight(D + 1) - N days`` and
``< midnight(D + 1)``. The cut-offs are computed in Python and bound as parameters,
so SQLite and PostgreSQL compare identical values.

Speed: the activity log has millions of rows, so the figures come from two big reads:
a ``GROUP BY member_id`` over the last 90 days with a FILTERed aggregate per figure
(which also gives the last participation of everyone active in the window), and the
members table with registrations, invitees still in, the last participation before the
window (a probe of ``ix_activities_member_time`` per member) and day counts computed in SQL — returned in id order, fetched through the raw
DBAPI cursor and transposed into columns. :func:`compute_member_metrics` runs them as one
statement on its session; :func:`member_metrics` (what the screens, rules, brief and
matching use) runs the two at the same time on two connections that read one state of
a big SQLite file (:func:`sqdesk.db.snapshot.reader_pair`) and merges them by member. Groups and
tags are two narrow id queries. Python only does the score (once per distinct input) and
the level; the cyclic GC is paused while the columns are built. Figures against the raw
``GROUP BY member_id``: benchmarks/bench_analytics.py.

Counting: 发言 and 邀请 sum ``value`` (an import writes one 发言 row per member-day
with the day's message count; an 邀请 row may stand for several people); 签到, 分享,
违规 count rows. "Active" means a row of kind 发言/签到/分享/邀请/参加活动 — operator
lines (提醒/警告/清退/备注), 入群/退群/付费 and 违规 are not participation.

Engagement score (0–100), with every constant in :class:`ScoreWeights`::

    recency       R = 0.5 ** (inactive_days / recency_half_life_days)   (0 if never active)
    frequency     F = min(1, ln(1 + messages_30d + checkin_weight * checkins_30d)
                             / ln(1 + frequency_cap))
    contribution  C = clamp01((share_points * shares_30d + invite_points * invites_30d
                               + stayed_points * invites_stayed + attend_points * attended_90d
                               - no_show_points * no_shows_90d) / contribution_cap)
    score = clamp(100 * (wR*R + wF*F + wC*C) / (wR + wF + wC)
                  - violation_penalty * violations_30d, 0, 100)

Level (:class:`LevelThresholds`): no active row in 90 days → 沉默; otherwise
score ≥ core → 核心, ≥ active → 活跃, ≥ normal → 一般, else 潜水. The level a
member *holds* (``members.level``) follows the computed one with downgrades held
back for a review period — see :mod:`sqdesk.analytics.levels`.

With ``group_ids`` the figures count only activity in those groups (and events
aimed at those groups or at no group in particular), and the roster is the members
who have ever been in one of them.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
from collections import deque
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from operator import add
from typing import Any

from sqlalchemy import Connection, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from sqdesk.analytics._sql import (
    ACTIVE_KINDS,
    CHECKIN_KIND,
    MESSAGE_KIND,
    activity_scan,
    as_datetime,
    as_datetimes,
    day_after,
    days_between,
    fetch_rows,
    fetch_rows_in_one_step,
    id_list,
    int_list,
)
from sqdesk.core.errors import ValidationError
from sqdesk.db.memo import memo, peek
from sqdesk.db.snapshot import Beside, reader_pair
from sqdesk.models import Activity, Event, Group, Member, Membership, Registration, Tag, member_tags
from sqdesk.models.event import event_groups
from sqdesk.models.vocab import LEVELS


@dataclass(frozen=True)
class VariableInfo:
    alias: str          # the Chinese name operators type in a 群规 condition
    type: str           # "number" / "text" / "bool" / "list"
    description: str


MEMBER_VARIABLES: dict[str, VariableInfo] = {
    "inactive_days": VariableInfo("未发言天数", "number", "距最近一次参与（发言/签到/分享/邀请/参加活动）的天数；从未参与则为入群天数"),
    "messages_7d": VariableInfo("近7天发言", "number", "最近 7 天的发言条数"),
    "messages_30d": VariableInfo("近30天发言", "number", "最近 30 天的发言条数"),
    "messages_90d": VariableInfo("近90天发言", "number", "最近 90 天的发言条数"),
    "checkins_30d": VariableInfo("近30天签到", "number", "最近 30 天的签到次数"),
    "shares_30d": VariableInfo("近30天分享", "number", "最近 30 天的分享次数"),
    "invites_30d": VariableInfo("近30天邀请", "number", "最近 30 天邀请的人数"),
    "attended_90d": VariableInfo("近90天参加活动", "number", "最近 90 天开始的活动中已签到的场次"),
    "registered_90d": VariableInfo("近90天报名", "number", "最近 90 天开始的活动中报名的场次（不含候补、已取消）"),
    "no_shows_90d": VariableInfo("近90天缺席", "number", "最近 90 天开始的活动中报名后缺席的场次"),
    "violations_30d": VariableInfo("近30天违规", "number", "最近 30 天的违规次数"),
    "invites_stayed": VariableInfo("邀请留存人数", "number", "由该成员邀请、目前仍在群的人数"),
    "days_since_join": VariableInfo("入群天数", "number", "入群至今的天数（不知道入群日期则为空）"),
    "has_intro": VariableInfo("有自我介绍", "bool", "是否填写了自我介绍"),
    "role": VariableInfo("角色", "text", "群主/管理员/骨干/成员"),
    "level": VariableInfo("等级", "text", "活跃度等级：核心/活跃/一般/潜水/沉默（降级有观察期）"),
    "status": VariableInfo("状态", "text", "在群/已退出/已清退"),
    "groups": VariableInfo("所在群", "list", "目前所在的群名"),
    "tags": VariableInfo("标签", "list", "成员的标签"),
    "paid_until_days": VariableInfo("付费剩余天数", "number", "距付费到期的天数（已过期为负数，未付费为空）"),
    "score": VariableInfo("活跃分", "number", "0–100 的活跃度评分（最近参与、频率、贡献）"),
}

# Columns a MetricsTable carries besides the catalogue (for display and drill-down).
EXTRA_COLUMNS = ("last_active", "level_computed")

_WINDOW_KINDS: dict[str, tuple[str, int]] = {
    "messages_7d": (MESSAGE_KIND, 7),
    "messages_30d": (MESSAGE_KIND, 30),
    "messages_90d": (MESSAGE_KIND, 90),
    "checkins_30d": (CHECKIN_KIND, 30),
    "shares_30d": ("分享", 30),
    "invites_30d": ("邀请", 30),
    "violations_30d": ("违规", 30),
}
_SUMMED_KINDS = (MESSAGE_KIND, "邀请")
REGISTERED_STATUSES = ("已报名", "已签到", "缺席")
ATTENDED = "已签到"
SMALL = 2000  # up to this many chosen members, queries name them; beyond, Python filters
# From about this many activity rows (the highest id stands in for the count), member_metrics
# reads its two halves at once on two connections: measured faster from 200k rows (114 vs
# 132 ms), slower at 40k (a thread and a second connection cost more than they save).
PAIR_MIN_ROWS = 100_000
NO_SHOW = "缺席"


@dataclass(frozen=True)
class ScoreWeights:
    recency: float = 0.3
    frequency: float = 0.4
    contribution: float = 0.3
    recency_half_life_days: float = 14.0
    frequency_cap: float = 60.0        # messages in 30 days that count as "full" frequency
    checkin_weight: float = 1.0
    share_points: float = 3.0
    invite_points: float = 2.0
    stayed_points: float = 2.0
    attend_points: float = 3.0
    no_show_points: float = 2.0
    contribution_cap: float = 15.0
    violation_penalty: float = 10.0


@dataclass(frozen=True)
class LevelThresholds:
    core: float = 60.0
    active: float = 35.0
    normal: float = 15.0


@dataclass
class MetricsTable:
    """Columnar: ``columns[name][i]`` belongs to ``member_ids[i]``. A table from
    :func:`member_metrics` is shared by its callers: read-only."""

    as_of: dt.date
    member_ids: list[int]
    columns: dict[str, list[object]]
    _index: dict[int, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self._index) != len(self.member_ids):  # not handed in already built
            self._index = {mid: i for i, mid in enumerate(self.member_ids)}

    def __len__(self) -> int:
        return len(self.member_ids)

    def row(self, member_id: int) -> dict[str, object]:
        i = self._index[member_id]
        return {name: values[i] for name, values in self.columns.items()}


@dataclass(frozen=True)
class ActivityEvidence:
    """One row behind a figure: an activity line, a registration or a member."""

    source: str                      # "activity" / "registration" / "member"
    id: int
    member_id: int
    at: dt.datetime | None
    kind: str
    value: float
    note: str = ""


def score_of(
    inactive_days: int | None,
    ever_active: bool,
    messages_30d: float,
    checkins_30d: float,
    shares_30d: float,
    invites_30d: float,
    invites_stayed: float,
    attended_90d: float,
    no_shows_90d: float,
    violations_30d: float,
    weights: ScoreWeights = ScoreWeights(),  # noqa: B008 - frozen, immutable default
) -> float:
    w = weights
    recency = 0.5 ** ((inactive_days or 0) / w.recency_half_life_days) if ever_active else 0.0
    # max(0, …): a workspace may hold negative counts entered before they were refused
    talk = max(0.0, messages_30d + w.checkin_weight * checkins_30d)
    frequency = min(1.0, math.log1p(talk) / math.log1p(w.frequency_cap))
    points = (
        w.share_points * shares_30d + w.invite_points * invites_30d + w.stayed_points * invites_stayed
        + w.attend_points * attended_90d - w.no_show_points * no_shows_90d
    )
    contribution = min(1.0, max(0.0, points / w.contribution_cap))
    total = w.recency + w.frequency + w.contribution
    raw = 100.0 * (w.recency * recency + w.frequency * frequency + w.contribution * contribution) / total
    return round(min(100.0, max(0.0, raw - w.violation_penalty * violations_30d)), 1)


def level_of(score: float, active_in_90d: bool, thresholds: LevelThresholds = LevelThresholds()) -> str:  # noqa: B008
    if not active_in_90d:
        return "沉默"
    if score >= thresholds.core:
        return "核心"
    if score >= thresholds.active:
        return "活跃"
    if score >= thresholds.normal:
        return "一般"
    return "潜水"


def _window_starts(as_of: dt.date) -> tuple[dt.datetime, dict[int, dt.datetime]]:
    end = day_after(as_of)
    return end, {n: end - dt.timedelta(days=n) for n in (7, 30, 90)}


def _member_scope(
    member_ids: Sequence[int] | None, group_ids: Sequence[int] | None
) -> list[Any]:
    conds: list[Any] = []
    if group_ids is not None:
        conds.append(
            Member.id.in_(select(Membership.member_id).where(Membership.group_id.in_(list(group_ids))))
        )
    if member_ids is not None and len(member_ids) <= SMALL:
        conds.append(Member.id.in_(list(member_ids)))
    return conds


def _activity_scope(member_ids: Sequence[int] | None, group_ids: Sequence[int] | None) -> list[Any]:
    conds: list[Any] = []
    if group_ids is not None:
        conds.append(Activity.group_id.in_(list(group_ids)))
    if member_ids is not None and len(member_ids) <= SMALL:
        conds.append(Activity.member_id.in_(list(member_ids)))
    return conds


def _event_scope(group_ids: Sequence[int] | None) -> list[Any]:
    if group_ids is None:
        return []
    targeted = select(event_groups.c.event_id)
    return [
        or_(
            Event.id.in_(targeted.where(event_groups.c.group_id.in_(list(group_ids)))),
            ~Event.id.in_(targeted),
        )
    ]


def compute_member_metrics(
    session: Session,
    as_of: dt.date | None = None,
    *,
    member_ids: Sequence[int] | None = None,
    group_ids: Sequence[int] | None = None,
    weights: ScoreWeights = ScoreWeights(),  # noqa: B008
    thresholds: LevelThresholds = LevelThresholds(),  # noqa: B008
    second: Connection | None = None,
) -> MetricsTable:
    """Every variable of :data:`MEMBER_VARIABLES` for the chosen members (all by default,
    ordered by id), plus ``last_active`` (datetime or None) and ``level_computed``.
    ``level`` is the level the member holds (``members.level``), or the computed one
    when none has been stored yet.

    ``second``: a connection reading the same state as ``session``
    (:func:`sqdesk.db.snapshot.reader_pair`); the activity window's aggregate then runs
    there while the session reads the rest."""
    # The assembly makes ~100 objects per member while millions are alive; the cyclic
    # collector would sweep them all repeatedly (a third of the time on 100k members).
    # Nothing here makes cycles, so it waits until the table is built.
    paused = gc.isenabled()
    gc.disable()
    try:
        with ExitStack() as stack:  # waits for a statement still running beside on any exit
            return _compute(stack, session, as_of or dt.date.today(), member_ids, group_ids, weights, thresholds, second)
    finally:
        if paused:
            gc.enable()


def _memo_key(
    as_of: dt.date, group_ids: Sequence[int] | None, weights: ScoreWeights, thresholds: LevelThresholds
) -> tuple[Any, ...]:
    return ("member_metrics", as_of, None if group_ids is None else tuple(sorted(set(group_ids))), weights, thresholds)


def member_metrics(
    session: Session,
    as_of: dt.date | None = None,
    *,
    group_ids: Sequence[int] | None = None,
    weights: ScoreWeights = ScoreWeights(),  # noqa: B008
    thresholds: LevelThresholds = LevelThresholds(),  # noqa: B008
) -> MetricsTable:
    """:func:`compute_member_metrics` for every member, computed once and shared until the
    workspace changes (:func:`sqdesk.db.memo.memo`; computed each time in a writing
    session or on PostgreSQL). The table is shared: read it, never modify it.

    Built on two connections reading one state of a SQLite file
    (:func:`sqdesk.db.snapshot.reader_pair`) once the log is big: the activity window's
    aggregate on the second while the first reads the members — the two biggest reads at
    the same time."""
    as_of = as_of or dt.date.today()
    key = _memo_key(as_of, group_ids, weights, thresholds)

    def build(conn: Connection) -> MetricsTable:
        # a small log is read faster on one connection than a thread and a second one
        # cost; the pair is opened after the memo read its version, so never older
        if (conn.scalar(select(func.max(Activity.id))) or 0) >= PAIR_MIN_ROWS:
            with reader_pair(conn.engine) as pair:
                if pair is not None:
                    first, second = pair
                    with Session(bind=first) as own:
                        return compute_member_metrics(
                            own, as_of, group_ids=group_ids, weights=weights, thresholds=thresholds, second=second,
                        )
        with Session(bind=conn) as own:  # a small log, or commits kept landing
            return compute_member_metrics(own, as_of, group_ids=group_ids, weights=weights, thresholds=thresholds)

    table = memo(session, key, build)
    if table is None:
        table = compute_member_metrics(session, as_of, group_ids=group_ids, weights=weights, thresholds=thresholds)
    return table


def shared_member_metrics(session: Session, as_of: dt.date) -> MetricsTable | None:
    """The shared table of :func:`member_metrics` (default weights, all groups) if one is
    current, else None — for callers that need a few members and would rather not
    compute all of them."""
    table = peek(session, _memo_key(as_of, None, ScoreWeights(), LevelThresholds()))
    return table if isinstance(table, MetricsTable) else None


def _merge_window(
    window_rows: Sequence[Sequence[Any]], get: Any, n: int, before: Sequence[Any],
) -> tuple[list[Any], dict[str, list[Any]]]:
    """The window statement's rows (member_id, 发言 in three buckets, the other window
    figures, the newest participation in it) as per-member columns in the members'
    order, as SQLite's one-statement form gives them: 0 where a member has no row (or a
    NULL sum; SQLite's ``coalesce(…, 0)``), the newest participation the window's, else
    ``before``'s."""
    wcols: list[Sequence[Any]] = list(zip(*window_rows, strict=True)) if window_rows else [()] * (2 + len(_WINDOW_KINDS))
    at: list[Any] = list(map(get, wcols[0]))
    if None in at:  # activity of members outside the chosen ones
        keep = [j for j, i in enumerate(at) if i is not None]
        at = [at[j] for j in keep]
        wcols = [[col[j] for j in keep] for col in wcols]
    spread: list[list[Any]] = []
    for col in wcols[1:]:
        out: list[Any] = [None] * n
        deque(map(out.__setitem__, at, col), maxlen=0)  # out[at[j]] = col[j], in C
        spread.append(out)
    *figures, last90 = spread

    others = [name for name, (kind, _) in _WINDOW_KINDS.items() if kind != MESSAGE_KIND]
    msg_7, msg_30, msg_90, *rest = ([0 if v is None else v for v in col] for col in figures)
    columns = {"messages_7d": msg_7}
    columns["messages_30d"] = list(map(add, msg_7, msg_30))
    columns["messages_90d"] = list(map(add, columns["messages_30d"], msg_90))
    columns.update(zip(others, rest, strict=True))
    last = [inside if inside is not None else older for inside, older in zip(last90, before, strict=True)]
    return last, {name: columns[name] for name in _WINDOW_KINDS}


def _compute(
    stack: ExitStack,
    session: Session,
    as_of: dt.date,
    member_ids: Sequence[int] | None,
    group_ids: Sequence[int] | None,
    weights: ScoreWeights,
    thresholds: LevelThresholds,
    second: Connection | None,
) -> MetricsTable:
    end, starts = _window_starts(as_of)
    d90 = starts[90]
    small = member_ids is not None and len(member_ids) <= SMALL

    # Every aggregate is a subquery LEFT JOINed to members, so one statement returns one
    # row per member in id order and Python only transposes it into columns.

    # The 90-day window: one pass with a conditional aggregate per figure (SQLite reads a
    # wide window by a table scan, see activity_scan; PostgreSQL's planner chooses).
    when, key = activity_scan(session, d90, end) if not small else (Activity.occurred_at, Activity.member_id)
    aconds = [when >= d90, when < end, *_activity_scope(member_ids, group_ids)]
    # Aggregates with FILTER (SQLite ≥ 3.30, PostgreSQL): cheaper per row than SUM(CASE …).
    # 发言 goes into three disjoint buckets (last 7 days, 8–30, 31–90) so each row feeds
    # one aggregate; the 30- and 90-day figures are their running sums below.
    sums: list[Any] = []
    when_ = Activity.occurred_at
    bucket_conds = {
        "msg_7": when_ >= starts[7],
        "msg_30": and_(when_ >= starts[30], when_ < starts[7]),
        "msg_90": when_ < starts[30],
    }
    for name, cond in bucket_conds.items():
        sums.append(func.sum(Activity.value).filter(cond, Activity.kind == MESSAGE_KIND).label(name))
    for name, (kind, days) in _WINDOW_KINDS.items():
        if kind == MESSAGE_KIND:
            continue
        # The kind test first: most rows are 发言 and fail it at once.
        agg = func.sum(Activity.value) if kind in _SUMMED_KINDS else func.count()
        sums.append(agg.filter(Activity.kind == kind, Activity.occurred_at >= starts[days]).label(name))
    # The newest participation in the window comes with it: only members without one
    # need a look further back (below).
    sums.append(func.max(Activity.occurred_at).filter(Activity.kind.in_(ACTIVE_KINDS)).label("last90"))
    win_select = select(Activity.member_id.label("mid"), *sums).where(*aconds).group_by(key)
    win = win_select.subquery()

    # The newest participation before the window, for each member: a probe of
    # ix_activities_member_time backwards — the correlated "newest matching row" stops at
    # the first participation row (a few µs a member on SQLite and PostgreSQL alike;
    # PostgreSQL's parallel GROUP BY over every older row took longer).
    newest_before = (
        select(Activity.occurred_at)
        .where(
            Activity.member_id == Member.id, Activity.occurred_at < d90, Activity.kind.in_(ACTIVE_KINDS),
            *_activity_scope(member_ids, group_ids),
        )
        .order_by(Activity.member_id.desc(), Activity.occurred_at.desc()).limit(1)
        .correlate(Member).scalar_subquery()
    )

    # Registrations of events that started in the window.
    reg = (
        select(
            Registration.member_id.label("mid"),
            func.sum(case((Registration.status.in_(REGISTERED_STATUSES), 1), else_=0)).label("registered"),
            func.sum(case((Registration.status == ATTENDED, 1), else_=0)).label("attended"),
            func.sum(case((Registration.status == NO_SHOW, 1), else_=0)).label("no_show"),
        )
        .join(Event, Event.id == Registration.event_id)
        .where(Event.starts_at >= d90, Event.starts_at < end, *_event_scope(group_ids))
        .group_by(Registration.member_id)
        .subquery()
    )
    # Invitees still in the community, and the first known group join.
    invitee = aliased(Member)
    stayed = (
        select(invitee.inviter_id.label("mid"), func.count().label("n"))
        .where(invitee.inviter_id.is_not(None), invitee.status == "在群")
        .group_by(invitee.inviter_id)
        .subquery()
    )
    # The first known group join stands in for a missing members.joined_on, looked up
    # per such member (coalesce() evaluates it only when joined_on is NULL, on SQLite
    # and PostgreSQL alike).
    joined: Any = func.coalesce(
        Member.joined_on,
        select(func.min(Membership.joined_on)).where(Membership.member_id == Member.id)
        .correlate(Member).scalar_subquery(),
    )

    def zero(col: Any) -> Any:
        return func.coalesce(col, 0)

    def window_figure(name: str) -> Any:
        if name == "messages_7d":
            return zero(win.c.msg_7)
        if name == "messages_30d":
            return zero(win.c.msg_7) + zero(win.c.msg_30)
        if name == "messages_90d":
            return zero(win.c.msg_7) + zero(win.c.msg_30) + zero(win.c.msg_90)
        return zero(win.c[name])

    # One row per member in id order; day counts are computed in SQL (no per-member
    # date parsing in Python).
    member_cols = [
        Member.id, days_between(session, joined, as_of), days_between(session, as_of, Member.paid_until),
        func.length(func.trim(func.coalesce(Member.intro, ""))) > 0,
        Member.role, Member.level, Member.status,
        zero(reg.c.registered), zero(reg.c.attended), zero(reg.c.no_show), zero(stayed.c.n),
    ]

    def per_member(cols: list[Any], *joined_by_mid: Any) -> Any:
        stmt = select(*cols).select_from(Member)
        for sq in joined_by_mid:
            stmt = stmt.outerjoin(sq, sq.c.mid == Member.id)
        return stmt.where(and_(True, *_member_scope(member_ids, group_ids))).order_by(Member.id)

    conn = session.connection()
    window_half: Beside[Sequence[Sequence[Any]]] | None = None
    if second is None:
        # One statement: the window's figures joined in, and the newest participation
        # the window's, else (members silent for 90 days) from before it — coalesce()
        # only evaluates the probe when the window had none.
        last_col = func.coalesce(win.c.last90, newest_before)
        rows = fetch_rows(conn, per_member(
            [*member_cols, last_col, *(window_figure(name) for name in _WINDOW_KINDS)], win, reg, stayed,
        ))
    else:
        # Two statements at the same time (SQLite runs each without holding the GIL): the
        # window's GROUP BY on the second connection, the members here with the newest
        # participation before the window for each (the two take about as long), merged
        # below.
        reals = [*bucket_conds, *(n for n, (kind, _) in _WINDOW_KINDS.items() if kind in _SUMMED_KINDS and kind != MESSAGE_KIND)]
        window_half = stack.enter_context(Beside(lambda: fetch_rows_in_one_step(second, win_select, reals)))
        rows = fetch_rows(conn, per_member([*member_cols, newest_before], reg, stayed))
    wanted = set(member_ids) if member_ids is not None and not small else None
    if wanted is not None:
        rows = [r for r in rows if r[0] in wanted]
    n = len(rows)
    cols_t: list[Sequence[Any]] = (
        list(zip(*rows, strict=True)) if rows else [()] * (len(member_cols) + 1 + len(_WINDOW_KINDS))
    )
    del rows
    ids = list(cols_t[0])
    pos = {mid: i for i, mid in enumerate(ids)}
    get = pos.get

    # -- groups (memberships current on ``as_of``, filtered in SQL) and tags: each member's
    # ids in one aggregate, names joined in Python (those tables are tiny) once per
    # distinct set — members share a few hundred — lists sorted by name.
    def names_of(member_col: Any, id_col: Any, names: dict[int, str], *conds: Any) -> list[list[str]]:
        stmt = select(member_col, id_list(session, id_col)).where(*conds).group_by(member_col)
        if small:
            stmt = stmt.where(member_col.in_(ids))
        lists: list[list[str]] = [[] for _ in range(n)]
        built: dict[Any, list[str]] = {}
        for mid, key in fetch_rows(conn, stmt):
            i = get(mid)
            if i is None:
                continue
            sorted_names = built.get(key)
            if sorted_names is None:
                sorted_names = built[key] = sorted(names[t] for t in int_list(key))
            lists[i] = sorted_names[:]  # a list of its own for each member
        return lists

    group_name = {int(g): name for g, name in fetch_rows(conn, select(Group.id, Group.name))}
    groups_of = names_of(
        Membership.member_id, Membership.group_id, group_name,
        or_(Membership.left_on.is_(None), Membership.left_on > as_of),
        or_(Membership.joined_on.is_(None), Membership.joined_on <= as_of),
    )
    tag_name = {int(t): name for t, name in fetch_rows(conn, select(Tag.id, Tag.name))}
    tags_of = names_of(member_tags.c.member_id, member_tags.c.tag_id, tag_name)

    k = len(member_cols)
    if window_half is None:
        last_values = cols_t[k]
        window_cols = {name: list(cols_t[k + 1 + j]) for j, name in enumerate(_WINDOW_KINDS)}
    else:
        last_values, window_cols = _merge_window(window_half.result(), get, n, cols_t[k])
    registered, attended, no_shows, stayed_n = (list(cols_t[7 + j]) for j in range(4))

    # -- per-member arithmetic: score, level -----------------------------------------------
    last_active = as_datetimes(last_values)
    since_join: list[object] = list(cols_t[1])
    today = as_of.toordinal()
    inactive: list[object] = [
        since if last is None else today - last.toordinal()
        for last, since in zip(last_active, since_join, strict=True)
    ]
    # The score depends on a handful of small counts, so members share inputs a lot (on
    # 100k demo members ~25k distinct): computed once per distinct input (``idle`` is
    # None for the never active), then looked up.
    keys = list(zip(
        [None if last is None else idle for last, idle in zip(last_active, inactive, strict=True)],
        window_cols["messages_30d"], window_cols["checkins_30d"], window_cols["shares_30d"],
        window_cols["invites_30d"], stayed_n, attended, no_shows, window_cols["violations_30d"],
        strict=True,
    ))
    memo: dict[tuple[Any, ...], float] = dict.fromkeys(keys, 0.0)
    for key in memo:
        idle_, m30, chk, shr, inv, stay, att, nos, vio = key
        memo[key] = score_of(idle_, idle_ is not None, m30, chk, shr, inv, stay, att, nos, vio, weights)
    score: list[float] = list(map(memo.__getitem__, keys))
    del keys, memo
    core, active, normal = thresholds.core, thresholds.active, thresholds.normal
    level_computed: list[object] = [
        "沉默" if last is None or last < d90
        else "核心" if sc >= core else "活跃" if sc >= active else "一般" if sc >= normal else "潜水"
        for last, sc in zip(last_active, score, strict=True)
    ]
    held_ok = frozenset(LEVELS)
    level: list[object] = [
        held if held in held_ok else computed
        for held, computed in zip(cols_t[5], level_computed, strict=True)
    ]

    columns: dict[str, list[object]] = {
        "inactive_days": inactive,
        "messages_7d": window_cols["messages_7d"],
        "messages_30d": window_cols["messages_30d"],
        "messages_90d": window_cols["messages_90d"],
        "checkins_30d": window_cols["checkins_30d"],
        "shares_30d": window_cols["shares_30d"],
        "invites_30d": window_cols["invites_30d"],
        "attended_90d": attended,
        "registered_90d": registered,
        "no_shows_90d": no_shows,
        "violations_30d": window_cols["violations_30d"],
        "invites_stayed": stayed_n,
        "days_since_join": since_join,
        "has_intro": list(map(bool, cols_t[3])),
        "role": list(cols_t[4]),
        "level": level,
        "status": list(cols_t[6]),
        "groups": groups_of,  # type: ignore[dict-item]
        "tags": tags_of,  # type: ignore[dict-item]
        "paid_until_days": list(cols_t[2]),
        "score": score,  # type: ignore[dict-item]
        "last_active": last_active,  # type: ignore[dict-item]
        "level_computed": level_computed,
    }
    return MetricsTable(as_of=as_of, member_ids=ids, columns=columns, _index=pos)


# ---- drill-down ------------------------------------------------------------------------

def _activity_evidence(session: Session, conds: list[Any], limit: int | None = None) -> list[ActivityEvidence]:
    stmt = (
        select(Activity.id, Activity.member_id, Activity.occurred_at, Activity.kind, Activity.value, Activity.note)
        .where(*conds)
        .order_by(Activity.occurred_at.desc(), Activity.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        ActivityEvidence("activity", int(r[0]), int(r[1]), as_datetime(r[2]), r[3], float(r[4]), r[5] or "")
        for r in session.execute(stmt)
    ]


def evidence_rows(
    session: Session,
    member_id: int,
    variable: str,
    as_of: dt.date,
    *,
    group_ids: Sequence[int] | None = None,
) -> list[ActivityEvidence]:
    """The rows behind one member's figure, newest first: activity lines for counts
    (and the last participation line for ``inactive_days``), registrations for the
    event figures, the invitees for ``invites_stayed``, and for ``score``/``level`` all
    rows that feed the score. Attributes read from the profile (role, tags, …) have no
    rows behind them and give an empty list."""
    if variable not in MEMBER_VARIABLES and variable not in EXTRA_COLUMNS:
        raise ValidationError(f"未知的指标「{variable}」")
    end, starts = _window_starts(as_of)
    scope = [Activity.member_id == member_id, Activity.occurred_at < end, *_activity_scope(None, group_ids)]
    if variable in _WINDOW_KINDS:
        kind, days = _WINDOW_KINDS[variable]
        return _activity_evidence(session, [*scope, Activity.kind == kind, Activity.occurred_at >= starts[days]])
    if variable in ("inactive_days", "last_active"):
        return _activity_evidence(session, [*scope, Activity.kind.in_(ACTIVE_KINDS)], limit=1)
    if variable in ("attended_90d", "registered_90d", "no_shows_90d"):
        statuses = {"attended_90d": (ATTENDED,), "no_shows_90d": (NO_SHOW,), "registered_90d": REGISTERED_STATUSES}
        stmt = (
            select(Registration.id, Registration.member_id, Event.starts_at, Registration.status, Event.title)
            .join(Event, Event.id == Registration.event_id)
            .where(
                Registration.member_id == member_id, Registration.status.in_(statuses[variable]),
                Event.starts_at >= starts[90], Event.starts_at < end, *_event_scope(group_ids),
            )
            .order_by(Event.starts_at.desc(), Registration.id.desc())
        )
        return [
            ActivityEvidence("registration", int(r[0]), int(r[1]), as_datetime(r[2]), r[3], 1.0, r[4])
            for r in session.execute(stmt)
        ]
    if variable == "invites_stayed":
        stmt2 = select(Member.id, Member.joined_on, Member.display_name).where(
            Member.inviter_id == member_id, Member.status == "在群"
        ).order_by(Member.id)
        return [
            ActivityEvidence("member", int(r[0]), int(r[0]), as_datetime(r[1]), "邀请留存", 1.0, r[2])
            for r in session.execute(stmt2)
        ]
    if variable in ("score", "level", "level_computed"):
        rows: list[ActivityEvidence] = []
        for name in ("messages_30d", "checkins_30d", "shares_30d", "invites_30d", "violations_30d",
                     "attended_90d", "no_shows_90d", "invites_stayed", "inactive_days"):
            rows.extend(evidence_rows(session, member_id, name, as_of, group_ids=group_ids))
        seen: set[tuple[str, int]] = set()
        unique = []
        for r in rows:
            if (r.source, r.id) not in seen:
                seen.add((r.source, r.id))
                unique.append(r)
        return unique
    return []


__all__ = [
    "ActivityEvidence", "EXTRA_COLUMNS", "LevelThresholds", "MEMBER_VARIABLES", "MetricsTable",
    "ScoreWeights", "VariableInfo", "compute_member_metrics", "evidence_rows",
    "level_of", "member_metrics", "score_of", "shared_member_metrics",
]
