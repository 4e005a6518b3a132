"""The demo community: deterministic, realistic in shape, referentially sound, fast path
equal to the portable path, and usable on both backends."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.types import Date, DateTime

from sqdesk.core import demo, roster
from sqdesk.core.demo import DemoSummary, build_demo
from sqdesk.core.errors import UserError
from sqdesk.core.text import normalize_phone
from sqdesk.core.workspace import Workspace, open_workspace
from sqdesk.models import (
    Activity,
    Base,
    Event,
    Group,
    Member,
    Membership,
    Registration,
    Rule,
    RuleVersion,
    SupplyDemand,
)

UNTIL = dt.date(2025, 6, 30)
N = 300
ROOT = Path(__file__).resolve().parents[2]


def _build(path: Path, members: int = N, seed: int = 42, until: dt.date = UNTIL) -> DemoSummary:
    ws = open_workspace(path, operator="测试员")
    try:
        return build_demo(ws, members=members, seed=seed, until=until)
    finally:
        ws.close()


@pytest.fixture(scope="module")
def community(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqdesk"
    return path, _build(path)


@pytest.fixture
def cws(community: tuple[Path, DemoSummary]) -> Iterator[Workspace]:
    ws = open_workspace(community[0])
    try:
        yield ws
    finally:
        ws.close()


def _table_rows(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows as sorted tuples (the audit entry's wall-clock time left out)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with ws.read() as s:
        for table in Base.metadata.sorted_tables:
            cols = [c for c in table.c if not (table.name == "audit_entries" and c.name == "at")]
            rows = s.execute(select(*cols)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def _digest(rows: dict[str, list[tuple[Any, ...]]]) -> str:
    return hashlib.sha256(repr(sorted(rows.items())).encode()).hexdigest()


# ---- determinism ------------------------------------------------------------------

def test_same_inputs_give_identical_tables(community: tuple[Path, DemoSummary], cws: Workspace,
                                           tmp_path: Path) -> None:
    first = _table_rows(cws)
    assert sum(len(v) for v in first.values()) > 5000
    _build(tmp_path / "again.sqdesk")
    again = open_workspace(tmp_path / "again.sqdesk")
    try:
        second = _table_rows(again)
    finally:
        again.close()
    for name in first:
        assert first[name] == second[name], name
    # Another process with another string-hash seed: no set or dict order may leak in.
    code = (
        "import sys, datetime as dt\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from tests.core.test_demo import _build, _digest, _table_rows\n"
        "from sqdesk.core.workspace import open_workspace\n"
        "from pathlib import Path\n"
        "p = Path(sys.argv[2])\n"
        "_build(p)\n"
        "ws = open_workspace(p)\n"
        "print(_digest(_table_rows(ws)))\n"
        "ws.close()\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code, str(ROOT), str(tmp_path / "proc.sqdesk")],
                         capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == _digest(first)


def test_other_seed_or_day_differs(cws: Workspace, tmp_path: Path) -> None:
    base = _table_rows(cws)
    _build(tmp_path / "s43.sqdesk", seed=43)
    other = open_workspace(tmp_path / "s43.sqdesk")
    try:
        rows = _table_rows(other)
    finally:
        other.close()
    assert rows["members"] != base["members"]
    assert rows["activities"] != base["activities"]
    names = {r[1] for r in rows["members"]} ^ {r[1] for r in base["members"]}
    assert len(names) > N // 3


# ---- shape and scale ----------------------------------------------------------------

def test_sizes_scale(community: tuple[Path, DemoSummary], tmp_path: Path) -> None:
    small = community[1]
    big = _build(tmp_path / "big.sqdesk", members=1200)
    for s in (small, big):
        per_member = s.counts["activities"] / s.members
        assert 10 <= per_member <= 30, per_member  # ~20 rows a member, ±50%
        assert s.counts["members"] == s.members
        assert 0.07 * s.members <= s.counts["supply_demand"] <= 0.13 * s.members
        assert s.counts["groups"] >= max(3, s.members // 500)
        assert s.counts["rule_versions"] == s.counts["rules"] + 1
    assert 2.5 < big.counts["activities"] / small.counts["activities"] < 6
    assert "1,200" in big.describe() and "动态" in big.describe()


def test_members_look_real(cws: Workspace) -> None:
    with cws.read() as s:
        members = s.execute(select(
            Member.display_name, Member.real_name, Member.phone, Member.wechat_id, Member.role,
            Member.status, Member.city, Member.intro, Member.consent, Member.name_initials,
            Member.search_text, Member.level,
        )).all()
    phones = [m.phone for m in members if m.phone]
    wechats = [m.wechat_id for m in members if m.wechat_id]
    assert len(phones) == len(set(phones)) and 0.9 * N <= len(phones) < N
    assert all(normalize_phone(p) == p and len(p) == 11 for p in phones)
    assert len(wechats) == len(set(wechats)) and 0.6 * N <= len(wechats) < N
    assert all(w == w.lower() for w in wechats)
    roles = Counter(m.role for m in members)
    assert roles["群主"] == 1 and roles["管理员"] >= 3 and 0.03 * N <= roles["骨干"] <= 0.05 * N
    status = Counter(m.status for m in members)
    assert 0.1 * N <= status["已退出"] <= 0.3 * N and 1 <= status["已清退"] <= 0.03 * N
    cities = Counter(m.city for m in members)
    big = ("北京", "上海", "杭州", "深圳", "广州", "成都")
    assert sum(cities[c] for c in big) > 0.5 * N and len(cities) >= 12
    assert cities.most_common(1)[0][0] in big
    assert 0.15 * N <= sum(1 for m in members if not m.intro) <= 0.45 * N
    assert 0.85 * N <= sum(1 for m in members if m.consent) < N
    nicknames = [m.display_name for m in members if m.display_name != m.real_name and not m.real_name]
    assert any(not any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in nicknames)  # "Amy🌸"
    assert all(m.name_initials and m.search_text for m in members)
    assert all(m.level == "" for m in members)  # analytics sets it later
    with cws.read() as s:
        memberships = s.execute(select(Membership.nickname)).scalars().all()
    assert sum(1 for n in memberships if n.count("-") == 2) > 0.4 * len(memberships)


# ---- engagement ---------------------------------------------------------------------

def _talk(ws: Workspace) -> list[tuple[int, dt.datetime, float]]:
    with ws.read() as s:
        return [
            (m, t, v) for m, t, v in s.execute(
                select(Activity.member_id, Activity.occurred_at, Activity.value).where(Activity.kind == "发言")
            )
        ]


def test_engagement_distribution(cws: Workspace) -> None:
    talk = _talk(cws)
    cut = dt.datetime.combine(UNTIL - dt.timedelta(days=89), dt.time())
    recent = {m for m, t, _ in talk if t >= cut}
    silent_share = 1 - len(recent) / N
    assert 0.25 <= silent_share <= 0.60, silent_share
    per_member: Counter[int] = Counter()
    for m, _, v in talk:
        per_member[m] += int(v)
    ranked = sorted(per_member.values(), reverse=True)
    assert sum(ranked[: N // 10]) > 0.5 * sum(ranked)
    assert len(ranked) < 0.95 * N  # some members never said a word
    assert max(t for _, t, _ in talk) < dt.datetime.combine(UNTIL + dt.timedelta(days=1), dt.time())
    assert min(t for _, t, _ in talk).date() >= UNTIL - dt.timedelta(days=729)
    # One row per member, group and day, not one per message.
    with cws.read() as s:
        dup = s.execute(text(
            "SELECT COUNT(*) FROM (SELECT member_id, group_id, date(occurred_at) FROM activities "
            "WHERE kind = '发言' GROUP BY 1, 2, 3 HAVING COUNT(*) > 1)"
        )).scalar_one()
        kinds = dict(s.execute(select(Activity.kind, func.count()).group_by(Activity.kind)).all())
    assert dup == 0
    assert {"发言", "签到", "分享", "邀请", "参加活动", "违规", "付费", "入群", "退群", "清退"} <= set(kinds)
    assert kinds["违规"] < 0.05 * kinds["发言"]


def test_weekly_and_daily_rhythm(cws: Workspace) -> None:
    by_weekday: Counter[int] = Counter()
    by_hour: Counter[int] = Counter()
    weekend_morning = weekday_morning = weekend_total = weekday_total = 0.0
    for _, t, v in _talk(cws):
        by_weekday[t.weekday()] += v
        by_hour[t.hour] += v
        weekend = t.weekday() >= 5
        morning = 9 <= t.hour <= 11
        if weekend:
            weekend_total += v
            weekend_morning += v if morning else 0
        else:
            weekday_total += v
            weekday_morning += v if morning else 0
    assert max(by_weekday.values()) > 1.25 * min(by_weekday.values())
    assert by_weekday[2] > by_weekday[5]  # Wednesday (夜聊) beats Saturday
    assert by_hour[20] + by_hour[21] > 5 * (by_hour[3] + by_hour[4])
    assert weekend_morning / weekend_total > 1.2 * weekday_morning / weekday_total


# ---- referential sanity ---------------------------------------------------------------

def test_references_hold(cws: Workspace) -> None:
    with cws.read() as s:
        members = {r.id: r for r in s.execute(
            select(Member.id, Member.joined_on, Member.inviter_id, Member.status, Member.display_name))}
        stays = s.execute(select(Membership.member_id, Membership.group_id, Membership.joined_on,
                                 Membership.left_on)).all()
        acts = s.execute(select(Activity.member_id, Activity.group_id, Activity.kind,
                                Activity.occurred_at, Activity.note)
                         .where(Activity.kind.in_(("入群", "退群", "清退", "邀请")))).all()
        groups = {g.id: g for g in s.execute(select(Group.id, Group.capacity, Group.created_on))}
        events = {e.id: e for e in s.execute(select(Event.id, Event.capacity, Event.starts_at, Event.status))}
        regs = s.execute(select(Registration.event_id, Registration.member_id, Registration.status,
                                Registration.registered_at, Registration.checked_in_at)).all()
    # Inviters exist, joined earlier, and each invitation is logged on the join day.
    invites = Counter((a.member_id, a.occurred_at.date()) for a in acts if a.kind == "邀请")
    invited = [m for m in members.values() if m.inviter_id is not None]
    assert len(invited) > 0.2 * N
    for m in invited:
        inviter = members[m.inviter_id]
        assert inviter.joined_on < m.joined_on
        assert invites[(m.inviter_id, m.joined_on)] >= 1
    assert sum(invites.values()) == len(invited)
    # Every stay has its 入群 row on its join day, and its 退群/清退 row on its leave day.
    joins = Counter((a.member_id, a.group_id, a.occurred_at.date()) for a in acts if a.kind == "入群")
    leaves = Counter((a.member_id, a.group_id, a.occurred_at.date()) for a in acts if a.kind in ("退群", "清退"))
    assert sum(joins.values()) == len(stays)
    for st in stays:
        assert joins[(st.member_id, st.group_id, st.joined_on)] == 1
        assert st.joined_on >= groups[st.group_id].created_on
        if st.left_on is not None:
            assert st.left_on > st.joined_on
            assert leaves[(st.member_id, st.group_id, st.left_on)] == 1
    first_join = {}
    for st in stays:
        first_join[st.member_id] = min(first_join.get(st.member_id, st.joined_on), st.joined_on)
    assert all(first_join[mid] == m.joined_on for mid, m in members.items())
    # Members who left are out of every group; members still in are in at least one.
    open_stays = Counter(st.member_id for st in stays if st.left_on is None)
    for mid, m in members.items():
        assert (open_stays[mid] > 0) == (m.status == "在群"), (mid, m.status)
    # Groups never hold more than they can.
    current = Counter(st.group_id for st in stays if st.left_on is None)
    for gid, count in current.items():
        cap = groups[gid].capacity
        assert cap is None or count <= cap
    # Registrations: seats never oversold, sign-ups before the event, by members already in.
    seated = Counter(r.event_id for r in regs if r.status in ("已报名", "已签到", "缺席"))
    for eid, count in seated.items():
        cap = events[eid].capacity
        assert cap is None or count <= cap, (eid, count, cap)
    end = dt.datetime.combine(UNTIL + dt.timedelta(days=1), dt.time())
    for r in regs:
        assert r.registered_at < events[r.event_id].starts_at
        assert r.registered_at.date() >= members[r.member_id].joined_on
        assert r.registered_at < end
        assert (r.checked_in_at is not None) == (r.status == "已签到")
    past = [r for r in regs if events[r.event_id].status == "已结束" and r.status in ("已签到", "缺席")]
    no_show = sum(1 for r in past if r.status == "缺席") / len(past)
    assert 0.15 <= no_show <= 0.40, no_show
    statuses = Counter(e.status for e in events.values())
    assert statuses["已结束"] > 10 and statuses["报名中"] >= 1
    # An upcoming event is full, with a waitlist behind it.
    waiting = Counter(r.event_id for r in regs if r.status == "候补")
    full = [e for e in events.values() if e.status == "已满"]
    assert full and all(e.starts_at >= end for e in full)
    assert any(seated[e.id] == e.capacity and waiting[e.id] > 0 for e in full)


def test_events_offers_and_rules(cws: Workspace) -> None:
    with cws.read() as s:
        kinds = set(s.scalars(select(Event.kind)))
        weekly = s.execute(select(Event.rrule, Event.starts_at).where(Event.rrule != "")).all()
        hosts = s.execute(text(
            "SELECT m.role FROM event_hosts h JOIN members m ON m.id = h.member_id")).scalars().all()
        sd = s.execute(select(SupplyDemand.kind, SupplyDemand.category, SupplyDemand.status,
                              SupplyDemand.keywords, SupplyDemand.text)).all()
        matches = s.execute(text(
            "SELECT o.kind, n.kind, o.category, n.category, x.reason FROM matches x "
            "JOIN supply_demand o ON o.id = x.offer_id JOIN supply_demand n ON n.id = x.need_id")).all()
        rules = s.execute(select(Rule.id, Rule.condition, Rule.action, Rule.version)).all()
        versions = s.execute(select(RuleVersion.rule_id, RuleVersion.revision, RuleVersion.valid_from,
                                    RuleVersion.condition)).all()
    assert {"线上讲座", "直播", "线下见面会", "打卡", "分享会"} <= kinds
    assert [(r, t.weekday(), t.hour) for r, t in weekly] == [("FREQ=WEEKLY;BYDAY=WE", 2, 20)]
    assert set(hosts) <= {"群主", "管理员", "骨干"}
    assert {k for k, *_ in sd} == {"供给", "需求"}
    assert len({c for _, c, *_ in sd}) >= 6 and {st for _, _, st, *_ in sd} == {"open", "matched", "closed"}
    assert all(kw and txt for *_, kw, txt in sd)
    assert matches and all(o == "供给" and n == "需求" for o, n, *_ in matches)
    assert all(oc == nc or reason.startswith("跨类推荐") for _, _, oc, nc, reason in matches)
    assert 'inactive_days >= 30 and role == "成员"' in {r.condition for r in rules}
    start = dt.datetime.combine(UNTIL - dt.timedelta(days=729), dt.time(9))
    per_rule = defaultdict(list)
    for v in versions:
        per_rule[v.rule_id].append(v)
    assert set(per_rule) == {r.id for r in rules}
    for r in rules:
        revs = sorted(per_rule[r.id], key=lambda v: v.revision)
        assert revs[0].revision == 1 and revs[0].valid_from == start
        assert revs[-1].condition == r.condition and r.version == len(revs)
    assert sorted(len(v) for v in per_rule.values())[-1] == 2


# ---- planted patterns ---------------------------------------------------------------

def test_planted_patterns(community: tuple[Path, DemoSummary], cws: Workspace) -> None:
    planted = community[1].planted
    with cws.read() as s:
        # The 训练营 cohort left after about two months.
        cohort = s.execute(
            select(Member.id, Member.joined_on, Membership.left_on)
            .join(Membership, (Membership.member_id == Member.id) & (Membership.joined_on == Member.joined_on))
            .where(Member.source == "21天训练营")
        ).all()
        churned = [1 for _, j, left in cohort if left is not None and 45 <= (left - j).days <= 75]
        assert len(cohort) >= 9 and len(churned) >= 0.6 * len(cohort)
        assert sorted(r[0] for r in cohort) == planted["churn_cohort"]
        # In the 付费会员群 the 群主 does nearly all of the talking; not in the 大群.
        share = s.execute(text(
            "SELECT g.name, SUM(CASE WHEN m.role = '群主' THEN a.value ELSE 0 END) / SUM(a.value) "
            "FROM activities a JOIN members m ON m.id = a.member_id JOIN groups g ON g.id = a.group_id "
            "WHERE a.kind = '发言' GROUP BY g.name")).all()
        shares = dict(share)
        assert shares["星火·付费会员群"] > 0.6
        assert shares["星火创业者1群"] < 0.5
        # A 骨干, still in, talked a lot until exactly six weeks ago and not since.
        last = s.execute(text(
            "SELECT m.id, MAX(a.occurred_at) FROM members m JOIN activities a ON a.member_id = m.id "
            "WHERE m.role = '骨干' AND m.status = '在群' AND a.kind IN ('发言', '签到', '分享', '参加活动') "
            "GROUP BY m.id")).all()
        gone = [mid for mid, t in last if _as_date(t) == UNTIL - dt.timedelta(days=42)]
        assert gone == planted["silent_core"]
        before = s.execute(select(func.count()).select_from(Activity).where(
            Activity.member_id == gone[0], Activity.kind == "发言",
            Activity.occurred_at >= dt.datetime.combine(UNTIL - dt.timedelta(days=132), dt.time()))).scalar_one()
        assert before >= 15
        # An inviter whose invitees all left within weeks.
        invitees: dict[int, list[tuple[str, Any]]] = defaultdict(list)
        for inviter, status, joined in s.execute(select(Member.inviter_id, Member.status, Member.joined_on)
                                                 .where(Member.inviter_id.is_not(None))):
            invitees[inviter].append((status, joined))
        bad = [i for i, lst in invitees.items() if len(lst) >= 6 and all(st != "在群" for st, _ in lst)]
        assert bad == planted["bad_inviter"]
        assert s.scalar(select(Member.status).where(Member.id == bad[0])) == "在群"


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# ---- the SQLite fast path equals the portable path ---------------------------------------

def test_raw_sqlite_path_stores_what_core_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = sqlite_dialect.dialect()
    for value in (dt.datetime(2025, 6, 30, 20, 15), dt.datetime(2024, 2, 29, 0, 0, 7, 123)):
        assert demo._sqlite_datetime(value) == DateTime().dialect_impl(d).bind_processor(d)(value)
    assert demo._sqlite_date(dt.date(2024, 2, 9)) == Date().dialect_impl(d).bind_processor(d)(dt.date(2024, 2, 9))

    def stored(path: Path) -> tuple[dict[str, list[tuple[Any, ...]]], list[tuple[Any, ...]]]:
        import sqlite3

        con = sqlite3.connect(path)
        try:
            names = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_entries', 'alembic_version')")]
            tables = {n: sorted(con.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
            indexes = sorted(con.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'"))
            return tables, indexes
        finally:
            con.close()

    fresh = open_workspace(tmp_path / "empty.sqdesk")
    fresh.close()
    _, indexes_before = stored(tmp_path / "empty.sqdesk")
    _build(tmp_path / "raw.sqdesk", members=120)
    monkeypatch.setattr(demo, "RAW_SQLITE", False)
    _build(tmp_path / "core.sqdesk", members=120)
    raw_tables, raw_indexes = stored(tmp_path / "raw.sqdesk")
    core_tables, core_indexes = stored(tmp_path / "core.sqdesk")
    assert raw_tables == core_tables  # byte for byte, as text in the file
    assert raw_indexes == core_indexes == indexes_before  # indexes put back exactly


# ---- both backends ------------------------------------------------------------------------

def test_build_search_and_continue_on_both_backends(ws: Workspace) -> None:
    seen: list[tuple[int, int]] = []
    summary = build_demo(ws, members=120, seed=7, progress=lambda d, t: seen.append((d, t)))
    assert summary.until == dt.date.today()
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:], strict=False))
    with ws.read() as s:
        assert s.scalar(select(func.count()).select_from(Member)) == 120
        assert s.scalar(select(func.count()).select_from(Activity)) == summary.counts["activities"]
        # Search works on the demo: by pinyin initials of a Chinese name.
        target = s.execute(select(Member.id, Member.display_name, Member.name_initials)
                           .where(Member.display_name == Member.real_name).order_by(Member.id).limit(1)).one()
        assert all("\u4e00" <= ch <= "\u9fff" for ch in target.display_name)
        hits = [r.id for r in roster.search_members(s, target.name_initials, limit=None)]
        assert target.id in hits
        last = s.scalar(select(func.max(Activity.occurred_at)))
        assert last is not None and last.date() <= dt.date.today()
    # The workspace stays usable: new rows get fresh ids (sequences moved on PostgreSQL).
    with ws.write() as s:
        m = roster.create_member(s, roster.MemberInput("新来的", {"phone": "13700000001"}))
    assert m.id == 121
    with pytest.raises(UserError, match="已有 121 名成员"):
        build_demo(ws, members=120, seed=7)


def test_refuses_bad_sizes(sqlite_ws: Workspace) -> None:
    with pytest.raises(UserError, match="至少"):
        build_demo(sqlite_ws, members=10)
    with pytest.raises(UserError, match="最多"):
        build_demo(sqlite_ws, members=2_000_000)
    with sqlite_ws.write() as s:
        s.add(Group(name="已有的群"))
    with pytest.raises(UserError, match="已有群"):
        build_demo(sqlite_ws, members=100)
