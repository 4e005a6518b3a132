"""The in-memory roster index answers exactly as the SQL search does."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sqdesk.core import groups, roster
from sqdesk.core.member_index import cached_index
from sqdesk.core.roster import MemberFilter, search_member_ids

SURNAMES = "张王李赵刘陈杨黄周吴曾单"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英𠮷"
CITIES = ["杭州", "上海", "北京", "", "深圳"]


@pytest.fixture(scope="module")
def community(tmp_path_factory: pytest.TempPathFactory):
    from sqdesk.core.workspace import open_workspace

    ws = open_workspace(tmp_path_factory.mktemp("idx") / "idx.sqdesk", operator="测试员")
    rnd = random.Random(7)
    with ws.write() as s:
        gids = [groups.create_group(s, f"{c}群{i}").id for i, c in enumerate(["杭州", "上海", "读书"])]
        for i in range(240):
            name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice([1, 2])))
            if i % 17 == 0:
                name = "Amy" + name + "🌸"
            values = {
                "city": rnd.choice(CITIES),
                "role": rnd.choice(["成员", "成员", "骨干", "管理员"]),
                "status": rnd.choice(["在群", "在群", "已退出", "已清退"]),
                "level": rnd.choice(["", "核心", "活跃", "沉默"]),
                "joined_on": None if i % 5 == 0 else dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randrange(600)),
                "phone": None if i % 4 == 0 else f"13{rnd.randrange(3, 10)}{i:08d}",
                "wechat_id": None if i % 3 else f"wx_{name[:1]}{i}",
            }
            tags = rnd.sample(["设计", "投资", "VIP", "产品"], rnd.randrange(0, 3))
            memberships = [(g, f"{name}-{i % 7}", None) for g in rnd.sample(gids, rnd.randrange(0, 3))]
            roster.create_member(s, roster.MemberInput(name, values, tags=tags, groups=memberships))
    yield ws, gids
    ws.close()


def _both(ws, query: str, flt: MemberFilter | None, order_by: str, desc: bool, limit: int | None):
    with ws.read() as s:
        assert cached_index(s) is not None
        fast = search_member_ids(s, query, flt, order_by=order_by, descending=desc, limit=limit)
    with ws.write() as s:  # a writing session takes the SQL path
        assert cached_index(s) is None
        slow = search_member_ids(s, query, flt, order_by=order_by, descending=desc, limit=limit)
    return fast, slow


QUERIES = ["", "z", "zs", "张", "zhang wei", "138", "1300000", "#vip", "#设计", "杭州", "amy", "🌸",
           "-", "%", "_", "群", "wx_", "𠮷", "ＡＭＹ", "zw 杭州", "nobody", "0000001"]


def test_index_agrees_with_sql_on_every_combination(community) -> None:
    ws, gids = community
    filters = [None, MemberFilter(role="骨干"), MemberFilter(status="已退出", level="沉默"),
               MemberFilter(group_id=gids[0]), MemberFilter(tag="VIP"), MemberFilter(group_id=gids[2], tag="设计")]
    checked = 0
    for query, flt, (order, desc) in itertools.product(
        QUERIES, filters, [(order, desc) for order in ("id", "display_name", "joined_on", "city", "phone", "level", "role")
                          for desc in (False, True)]
    ):
        fast, slow = _both(ws, query, flt, order, desc, None)
        assert fast == slow, (query, flt, order, desc)
        checked += bool(fast)
    assert checked > 200  # most combinations match someone: the comparison is not vacuous


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=SURNAMES + GIVEN + "zhangwei 13#设计vip", max_size=6), st.sampled_from([None, 5, 50]))
def test_index_agrees_with_sql_on_random_queries(community, query: str, limit: int | None) -> None:
    ws, _ = community
    fast, slow = _both(ws, query, None, "display_name", False, limit)
    assert fast == slow


def test_index_sees_committed_changes(tmp_path) -> None:
    from sqdesk.core.workspace import open_workspace

    ws = open_workspace(tmp_path / "fresh.sqdesk")
    try:
        with ws.read() as s:
            assert search_member_ids(s, "zs") == []
        with ws.write() as s:
            m = roster.create_member(s, roster.MemberInput("张三"))
        with ws.read() as s:
            assert search_member_ids(s, "zs") == [m.id]
        with ws.write() as s:
            roster.add_tags_bulk(s, [m.id], ["新人"])
        with ws.read() as s:
            assert search_member_ids(s, "#新人") == [m.id]
        with ws.write() as s:
            roster.delete_member(s, m.id)
        with ws.read() as s:
            assert search_member_ids(s, "zs") == []
    finally:
        ws.close()
