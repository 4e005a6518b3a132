"""Activity (chat-statistics) import: matching, problems, commit, duplicates, undo."""

from __future__ import annotations

import datetime as dt
import math
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from sqdesk.core import groups, roster
from sqdesk.core.errors import BadFileError, ConflictError, UserError, ValidationError
from sqdesk.core.imports import ImportCancelled, undo_import
from sqdesk.io.activity_import import (
    KIND_SYNONYMS,
    commit_activity_import,
    normalize_kind,
    parse_value,
    preview_activity_import,
)
from sqdesk.models import Activity, AuditEntry, ImportBatch
from sqdesk.models.vocab import ACTIVITY_KINDS

DATA = Path(__file__).resolve().parent.parent / "data"
CHAT = DATA / "activity_chat_export.csv"
WPS = DATA / "activity_wps_gbk.csv"
D = dt.datetime


def _community(ws: Any) -> dict[str, int]:
    """Two groups and the members the fixture files talk about."""
    with ws.write() as s:
        g1 = groups.create_group(s, "杭州创业一群").id
        g2 = groups.create_group(s, "杭州创业二群").id
        ids = {
            "g1": g1,
            "g2": g2,
            "张三": roster.create_member(s, roster.MemberInput(
                "张三", {"phone": "13800138000", "wechat_id": "zhangsan_01"}, groups=[(g1, "三哥😀", None)])).id,
            "李四": roster.create_member(s, roster.MemberInput(
                "李四", {}, groups=[(g1, "小李", None), (g2, "三哥😀", None)])).id,
            "王芳": roster.create_member(s, roster.MemberInput("王芳", {}, groups=[(g2, "Amy王", None)])).id,
            "王五a": roster.create_member(s, roster.MemberInput("王五", {})).id,
            "王五b": roster.create_member(s, roster.MemberInput("王五", {})).id,
            "赵六": roster.create_member(s, roster.MemberInput("赵六", {"phone": "13900139000"})).id,
        }
    return ids


def _activities(ws: Any) -> list[tuple[Any, ...]]:
    with ws.read() as s:
        return [
            tuple(r) for r in s.execute(
                select(Activity.member_id, Activity.group_id, Activity.kind, Activity.occurred_at,
                       Activity.value, Activity.note, Activity.source, Activity.batch_id)
                .order_by(Activity.occurred_at, Activity.id)
            )
        ]


def test_chat_export_end_to_end(ws: Any) -> None:
    ids = _community(ws)
    with ws.read() as s:
        pv = preview_activity_import(s, CHAT)
    assert pv.header_row == 2 and pv.columns["member"] == "群昵称" and pv.columns["value"] == "消息数"
    assert pv.total_rows == 15 and pv.to_import == 6 and pv.zero_value_rows == 1
    assert pv.problem_count == 8 and list(pv.lines) == [3, 4, 5, 6, 7, 17]
    where = {(p.row, p.column) for p in pv.problems}
    assert where == {
        (8, "群昵称"), (9, "群名称"), (10, "群昵称"), (11, "群昵称"), (12, "发言时间"),
        (13, "类型"), (14, "消息数"), (18, "消息数"),
    }
    by_row = {p.row: str(p) for p in pv.problems}
    assert "文件「activity_chat_export.csv」第 8 行「群昵称」列" in by_row[8]
    assert "王五" in by_row[8] and f"#{ids['王五a']}" in by_row[8] and f"#{ids['王五b']}" in by_row[8]
    assert "上海交流群" in by_row[9] and "路人甲" in by_row[10] and "不是存在的日期" in by_row[12]
    assert "表扬" in by_row[13] and "很多" in by_row[14] and "负数" in by_row[18]
    assert pv.unmatched_members == [("路人甲", 2)]
    assert pv.ambiguous_members == [("王五", 1)] and pv.unknown_groups == [("上海交流群", 1)]
    assert pv.unknown_kinds == [("表扬", 1)]
    assert pv.kinds == {"发言": 2, "分享": 2, "签到": 1, "付费": 1}
    text_ = pv.describe()
    assert "可导入 6 条" in text_ and "路人甲（2 行）" in text_ and "数量为 0" in text_
    assert pv.as_dict()["problem_counts"]["unmatched"] == 2

    with ws.write() as s:
        result = commit_activity_import(s, pv, operator="测试员")
    assert result.created == 6 and "批次" in result.describe()
    b = result.batch_id
    g1, g2 = ids["g1"], ids["g2"]
    assert _activities(ws) == [
        (ids["张三"], g1, "发言", D(2024, 3, 4, 9, 15), 12.0, "", "import", b),
        (ids["张三"], g1, "签到", D(2024, 3, 4, 10, 0), 1.0, "早起打卡", "import", b),
        (ids["李四"], g2, "分享", D(2024, 3, 5, 20, 30), 2.0, "", "import", b),
        (ids["王芳"], g2, "分享", D(2024, 3, 6), 1.0, "", "import", b),
        (ids["李四"], g1, "发言", D(2024, 3, 6, 8, 0), 5.0, "", "import", b),
        (ids["李四"], g1, "付费", D(2024, 3, 8, 12, 0), -99.5, "退款,已处理", "import", b),
    ]
    with ws.read() as s:
        batch = s.get(ImportBatch, b)
        assert batch is not None and batch.kind == "activity" and batch.rows_created == 6
        assert batch.file_name == CHAT.name and len(batch.file_sha256) == 64
        assert batch.summary["unmatched_members"] == [["路人甲", 2]]
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.batch_id == b)) == 1
        # the time filter of the log finds imported rows like rows entered by hand
        assert s.scalar(select(func.count()).select_from(Activity).where(
            Activity.occurred_at >= D(2024, 3, 6), Activity.occurred_at < D(2024, 3, 7))) == 2
        assert s.scalar(select(Activity.id).where(Activity.occurred_at == D(2024, 3, 4, 10, 0))) is not None

    # The same export again: every row is a duplicate of the first batch, nothing to commit.
    with ws.read() as s:
        again = preview_activity_import(s, CHAT)
    assert again.to_import == 0 and again.duplicates == 6 and again.duplicate_lines == [3, 4, 5, 6, 7, 17]
    assert "完全相同" in again.describe()
    with pytest.raises(UserError, match="没有可导入的动态"), ws.write() as s:
        commit_activity_import(s, again, operator="测试员")

    # Undo takes the batch back as a whole; then the export imports again.
    with ws.write() as s:
        undone = undo_import(s, b, operator="测试员")
    assert undone.activities_deleted == 6 and _activities(ws) == []
    with ws.read() as s:
        third = preview_activity_import(s, CHAT)
    assert third.to_import == 6 and third.duplicates == 0


def test_gbk_tab_export_phone_then_name(ws: Any) -> None:
    """WPS writes GBK, tab-separated, Chinese dates; phones in every shape; a phone that
    matches nobody (or that Excel mangled) falls through to the 群昵称."""
    ids = _community(ws)
    with ws.read() as s:
        pv = preview_activity_import(s, WPS)
    assert pv.columns == {"time": "统计日期", "group": "所在群", "member": "发言人", "phone": "手机", "value": "发言数"}
    assert any("GB18030" in n for n in pv.notes)
    assert [str(p) for p in pv.problems] == [
        "文件「activity_wps_gbk.csv」第 6 行「发言人」列：找不到成员「无名氏」（群「杭州创业一群」里没有这个群昵称，也没有同名成员）"
    ]
    g1, g2 = ids["g1"], ids["g2"]
    assert pv.rows == [
        (ids["赵六"], g1, "发言", D(2024, 3, 5), 7.0, ""),
        (ids["赵六"], g1, "发言", D(2024, 3, 6), 4.0, ""),
        (ids["王芳"], g2, "发言", D(2024, 3, 7), 2.0, ""),
        (ids["王芳"], g2, "发言", D(2024, 3, 8), 1.0, ""),
    ]


def test_matching_order_and_groupless_files(ws: Any, tmp_path: Path) -> None:
    """Phone beats WeChat id beats 群昵称 beats display name; xlsx cells keep their types."""
    import xlsxwriter

    ids = _community(ws)
    path = tmp_path / "统计.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    sh = wb.add_worksheet("三月")
    fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sh.write_row(0, 0, ["时间", "群", "昵称", "微信", "电话", "行为", "次数"])
    rows: list[list[Any]] = [
        # phone (a number cell) wins over a WeChat id and a name of other members
        [D(2024, 3, 1, 8), "杭州创业一群", "小李", "ZHANGSAN_01", 13900139000, "聊天", 3],
        # WeChat id (any case) wins over the nickname of someone else
        [D(2024, 3, 1, 9), "杭州创业一群", "小李", "ZhangSan_01", None, "Share", 1],
        # the same nickname means different people in different groups
        [D(2024, 3, 1, 10), "杭州创业一群", "三哥😀", None, None, None, 2.0],
        [D(2024, 3, 1, 11), "杭州创业二群", "三哥😀", None, None, "  打 卡 ", None],
    ]
    for r, row in enumerate(rows, start=1):
        sh.write_datetime(r, 0, row[0], fmt)
        for c, v in enumerate(row[1:], start=1):
            if v is not None:
                sh.write(r, c, v)
    wb.close()
    with ws.read() as s:
        pv = preview_activity_import(s, path, sheet="三月")
    assert pv.problem_count == 0
    assert [(r[0], r[2], r[4]) for r in pv.rows] == [
        (ids["赵六"], "发言", 3.0), (ids["张三"], "分享", 1.0), (ids["张三"], "发言", 2.0), (ids["李四"], "签到", 1.0),
    ]

    # Without a group column the 群昵称 is looked up across groups, if it is unique there.
    csv_path = tmp_path / "no_group.csv"
    csv_path.write_text("日期,群昵称\n2024-03-02,Amy王\n2024-03-02,三哥😀\n", encoding="utf-8")
    with ws.read() as s:
        pv = preview_activity_import(s, csv_path)
    assert [(r[0], r[1]) for r in pv.rows] == [(ids["王芳"], None)]
    assert pv.ambiguous_members == [("三哥😀", 1)] and pv.problems[0].row == 3


def test_explicit_mapping_and_unusable_headers(sqlite_ws: Any, tmp_path: Path) -> None:
    ids = _community(sqlite_ws)
    odd = tmp_path / "odd.csv"
    odd.write_text("何时,谁,在哪,干啥\n2024-03-01 10:00,小李,杭州创业一群,打卡\n", encoding="utf-8")
    with sqlite_ws.read() as s:
        with pytest.raises(BadFileError, match="找不到表头"):
            preview_activity_import(s, odd)
        pv = preview_activity_import(
            s, odd, mapping={"何时": "time", "谁": "群昵称", "在哪": "group", "干啥": "类型"}
        )
        assert pv.rows == [(ids["李四"], ids["g1"], "签到", D(2024, 3, 1, 10), 1.0, "")]
        with pytest.raises(ValidationError, match="字段不认识"):
            preview_activity_import(s, odd, mapping={"何时": "when"})
    no_member = tmp_path / "no_member.csv"
    no_member.write_text("时间,群名,数量\n2024-03-01,杭州创业一群,3\n", encoding="utf-8")
    with sqlite_ws.read() as s, pytest.raises(ValidationError, match="能识别成员的列") as err:
        preview_activity_import(s, no_member)
    assert "no_member.csv" in str(err.value) and "第 1 行" in str(err.value)


def _many_rows(tmp_path: Path, n: int, day: int = 1) -> Path:
    path = tmp_path / f"many_{day}.csv"
    lines = ["时间,群,群昵称,数量"]
    start = D(2024, 4, day)
    for i in range(n):
        lines.append(f"{(start + dt.timedelta(minutes=i)).isoformat(' ')},杭州创业一群,{'小李' if i % 2 else '三哥😀'},{i % 7 + 1}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_progress_cancel_and_rollback(ws: Any, tmp_path: Path) -> None:
    _community(ws)
    path = _many_rows(tmp_path, 5_000)
    with ws.read() as s:
        pv = preview_activity_import(s, path)
    assert pv.to_import == 5_000
    calls: list[tuple[int, int]] = []
    stop = threading.Event()

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if done >= 2_000:
            stop.set()

    with pytest.raises(ImportCancelled), ws.write() as s:
        commit_activity_import(s, pv, operator="测试员", progress=progress, cancel=stop)
    assert calls[0] == (0, 5_000) and calls[-1][0] < 5_000
    with ws.read() as s:  # rolled back: no batch, no rows, no audit entry
        assert s.scalar(select(func.count()).select_from(Activity)) == 0
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import")) == 0
    calls.clear()
    with ws.write() as s:
        result = commit_activity_import(s, pv, operator="测试员", progress=progress, cancel=lambda: False)
    assert result.created == 5_000 and calls[-1] == (5_000, 5_000)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    with ws.read() as s:
        assert s.scalar(select(func.count()).select_from(Activity).where(Activity.batch_id == result.batch_id)) == 5_000


def test_overlapping_exports_previewed_before_either_commits(ws: Any, tmp_path: Path) -> None:
    """Two previews of overlapping exports, then both commits: the second commit notices
    the first batch and skips the rows it already wrote."""
    _community(ws)
    first = _many_rows(tmp_path, 300, day=1)
    both = tmp_path / "both.csv"
    extra = _many_rows(tmp_path, 100, day=9).read_text(encoding="utf-8").splitlines()[1:]
    both.write_text(first.read_text(encoding="utf-8") + "\n".join(extra) + "\n", encoding="utf-8")
    with ws.read() as s:
        pv1 = preview_activity_import(s, first)
        pv2 = preview_activity_import(s, both)
    assert (pv1.to_import, pv2.to_import) == (300, 400)
    with ws.write() as s:
        commit_activity_import(s, pv1, operator="甲")
    with ws.write() as s:
        r2 = commit_activity_import(s, pv2, operator="乙")
    assert r2.created == 100 and r2.skipped_duplicates == 300
    with ws.read() as s:
        assert s.scalar(select(func.count()).select_from(Activity)) == 400
        assert s.get(ImportBatch, r2.batch_id).rows_created == 100  # type: ignore[union-attr]


def test_sqlite_fast_path_stores_sqlalchemy_datetime_text(sqlite_ws: Any, tmp_path: Path) -> None:
    """Rows written through the raw cursor hold exactly the text SQLAlchemy writes, so
    string comparisons in SQL behave the same for imported and hand-entered rows."""
    from sqdesk.core.activity import add_activity

    ids = _community(sqlite_ws)
    path = tmp_path / "t.csv"
    path.write_text("时间,群,群昵称\n2024-05-01 08:00:00,杭州创业一群,小李\n2024-05-01 08:00:00.250000,杭州创业一群,小李\n", encoding="utf-8")
    with sqlite_ws.read() as s:
        pv = preview_activity_import(s, path)
    with sqlite_ws.write() as s:
        commit_activity_import(s, pv, operator="测试员")
        add_activity(s, ids["李四"], "备注", D(2024, 5, 1, 8), operator="测试员")
    with sqlite_ws.read() as s:
        stored = s.execute(text("SELECT source, occurred_at FROM activities ORDER BY id")).all()
    assert [tuple(r) for r in stored] == [
        ("import", "2024-05-01 08:00:00.000000"),
        ("import", "2024-05-01 08:00:00.250000"),
        ("manual", "2024-05-01 08:00:00.000000"),
    ]


@given(st.sampled_from(sorted(KIND_SYNONYMS)), st.sampled_from(["", " ", "\u3000", "\t"]), st.booleans())
def test_kind_words_survive_spacing_and_case(word: str, pad: str, upper: bool) -> None:
    shown = (word.upper() if upper else word)
    spaced = pad + pad.join(shown) + pad
    assert normalize_kind(spaced) == KIND_SYNONYMS[word] in ACTIVITY_KINDS


def test_kind_defaults_and_unknowns() -> None:
    assert normalize_kind(None) == normalize_kind("  ") == "发言"
    assert normalize_kind("消息") == normalize_kind("ＭＳＧ") == "发言"
    assert normalize_kind("转发") == "分享" and normalize_kind("打卡") == "签到"
    assert normalize_kind("表扬") is None


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_parse_value_round_trips_numbers(x: float) -> None:
    assert parse_value(x) == x
    assert parse_value(repr(x)) == x
    if x.is_integer() and abs(x) < 1e9:
        assert parse_value(f"{int(x):,}") == x
        assert parse_value(f"¥{int(x)}元") == x


@pytest.mark.parametrize("bad", ["很多", "1.2.3", "nan", "inf", True])
def test_parse_value_refuses(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_value(bad)
    assert math.isclose(parse_value(" １２条 "), 12.0) and parse_value("") == 1.0


def test_member_deleted_between_preview_and_commit(ws: Any) -> None:
    ids = _community(ws)
    with ws.read() as s:
        pv = preview_activity_import(s, CHAT)
    with ws.write() as s:
        roster.delete_member(s, ids["王芳"], operator="测试员")
    with pytest.raises(ConflictError, match="重新预览"), ws.write() as s:
        commit_activity_import(s, pv, operator="测试员")
    assert _activities(ws) == []
    with ws.read() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0
