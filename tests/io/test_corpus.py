"""The bad-file corpus (tests/data/corpus, made by tests/data/make_corpus.py): what each
file must give, and that a refused or failed file leaves the workspace unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sqdesk.core.errors import BadFileError, UserError
from sqdesk.io.roster_import import commit_roster_import, preview_roster_import
from sqdesk.models import Base, Member

CORPUS = Path(__file__).parents[1] / "data" / "corpus"

# file → ("error", substring) or ("ok", create, skipped, error_rows, warnings, duplicates)
EXPECTED: dict[str, tuple[Any, ...]] = {
    "utf8_bom.csv": ("ok", 3, 0, 0, 0, 0),
    "utf8_nobom.csv": ("ok", 3, 0, 0, 0, 0),
    "gbk.csv": ("ok", 3, 0, 0, 0, 0),
    "gb18030_rare.csv": ("ok", 2, 0, 0, 0, 0),
    "utf16le_tab.txt": ("ok", 3, 0, 0, 0, 0),
    "utf16be_tab.txt": ("ok", 3, 0, 0, 0, 0),
    "semicolon.csv": ("ok", 3, 0, 0, 0, 0),
    "pipe.csv": ("ok", 3, 0, 0, 0, 0),
    "tsv_saved_as.xls": ("ok", 3, 0, 0, 0, 0),
    "csv_renamed.xlsx": ("ok", 3, 0, 0, 0, 0),
    "merged_title.xlsx": ("ok", 3, 0, 0, 0, 0),
    "blank_and_total_rows.xlsx": ("ok", 3, 4, 0, 0, 0),
    "header_only.xlsx": ("error", "没有可导入的行"),
    "no_header.csv": ("error", "找不到表头"),
    "extra_columns.xlsx": ("ok", 3, 0, 0, 0, 0),
    "two_sheets.xlsx": ("ok", 3, 0, 0, 0, 0),
    "float_phones.xlsx": ("ok", 5, 0, 0, 0, 0),
    "sci_phones.csv": ("ok", 1, 0, 2, 0, 0),
    "serial_dates.xlsx": ("ok", 2, 0, 0, 0, 0),
    "chinese_dates.csv": ("ok", 4, 0, 2, 0, 0),
    "duplicate_rows.csv": ("ok", 3, 0, 0, 0, 2),
    "bad_values.xlsx": ("ok", 2, 0, 5, 0, 0),
    "emoji_rare.xlsx": ("ok", 2, 0, 0, 0, 0),
    "unbalanced_quote.csv": ("error", "第 3 行：引号不配对"),
    "control_chars.csv": ("ok", 2, 0, 0, 1, 0),
    "long_cell.csv": ("ok", 2, 0, 0, 0, 0),
    "empty.csv": ("error", "文件是空的"),
    "truncated.xlsx": ("error", "文件不完整或已损坏"),
    "html_saved.xls": ("error", "网页 (HTML)"),
    "pdf_renamed.xlsx": ("error", "PDF"),
    "ole_garbage.xls": ("error", "无法读取这个 Excel 97-2003"),
    "bad_encoding.csv": ("error", "无法识别文件的文字编码"),
    "not_a_workbook.xlsx": ("error", "不是表格"),
    "billion_laughs.xlsx": ("error", "DOCTYPE"),
    "zip_bomb_ratio.xlsx": ("error", "压缩炸弹"),
    "zip_bomb_declared.xlsx": ("error", "压缩炸弹"),
    "legacy.xls": ("ok", 3, 0, 0, 0, 0),
}


def test_every_corpus_file_has_an_expectation() -> None:
    files = {p.name for p in CORPUS.iterdir()}
    assert files == set(EXPECTED)
    assert len(files) >= 30


def row_counts(ws: Any) -> dict[str, int]:
    with ws.read() as s:
        return {
            t.name: s.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(ws: Any, name: str) -> None:
    path = CORPUS / name
    expected = EXPECTED[name]
    before = row_counts(ws)
    if expected[0] == "error":
        with pytest.raises(UserError) as info:
            with ws.read() as s:
                preview = preview_roster_import(s, path)
            with ws.write() as s:
                commit_roster_import(s, preview, operator="测试员")
        message = str(info.value)
        assert expected[1] in message
        assert f"「{name}」" in message, "the message names the file"
        assert row_counts(ws) == before, "a refused file leaves the workspace unchanged"
        return
    _, create, skipped, error_rows, warnings, duplicates = expected
    with ws.read() as s:
        preview = preview_roster_import(s, path)
    counts = preview.counts()
    assert (counts["create"], counts["skipped"], counts["error_rows"], counts["warnings"],
            counts["duplicates"]) == (create, skipped, error_rows, warnings, duplicates), preview.describe()
    for p in preview.problems:
        assert p.row is not None and p.column, f"problem names row and column: {p}"
        assert p.file == name
    with ws.write() as s:
        result = commit_roster_import(s, preview, operator="测试员")
    assert result.created == create
    after = row_counts(ws)
    assert after["members"] == before["members"] + create
    assert after["import_batches"] == before["import_batches"] + 1


@pytest.mark.parametrize(
    ("name", "note"),
    [
        ("csv_renamed.xlsx", "文件扩展名是 .xlsx，但内容是 CSV 文本，已按 CSV 读取"),
        ("tsv_saved_as.xls", "GB18030"),
        ("utf16le_tab.txt", "UTF-16 LE"),
        ("two_sheets.xlsx", "已改读工作表「成员」"),
    ],
)
def test_corpus_notes(sqlite_ws: Any, name: str, note: str) -> None:
    with sqlite_ws.read() as s:
        preview = preview_roster_import(s, CORPUS / name)
    assert any(note in n for n in preview.notes), preview.notes


def _imported(ws: Any, name: str) -> dict[str, Any]:
    with ws.read() as s:
        preview = preview_roster_import(s, CORPUS / name)
    with ws.write() as s:
        result = commit_roster_import(s, preview, operator="测试员")
    with ws.read() as s:
        return {
            m.display_name: m
            for m in s.scalars(select(Member).where(Member.batch_id == result.batch_id).order_by(Member.id))
        }


def test_values_excel_damaged_are_repaired_or_reported(sqlite_ws: Any) -> None:
    members = _imported(sqlite_ws, "float_phones.xlsx")
    assert members["张三"].phone == "13800138000"  # float cell 13800138000.0
    assert members["赵六"].phone == "13500135000"  # +86 135-0013-5000
    assert members["钱七"].phone == "13300133000"  # full-width digits with 86 prefix
    with sqlite_ws.read() as s:
        preview = preview_roster_import(s, CORPUS / "sci_phones.csv")
    (first, second) = preview.problems
    assert (first.row, first.column) == (2, "手机号") and "科学计数法" in first.message
    assert second.row == 4


def test_dates_in_every_form(sqlite_ws: Any) -> None:
    members = _imported(sqlite_ws, "serial_dates.xlsx")
    assert members["张三"].joined_on == dt.date(2024, 3, 5)
    assert members["张三"].paid_until == dt.date(2025, 1, 31)
    assert members["李四"].joined_on == dt.date(2024, 4, 1)
    assert members["李四"].paid_until == dt.date(2025, 3, 1)


def test_chinese_date_formats(sqlite_ws: Any) -> None:
    members = _imported(sqlite_ws, "chinese_dates.csv")
    for name in ("张三", "李四", "王五"):
        assert members[name].joined_on == dt.date(2024, 3, 5)
    assert members["赵六"].joined_on == dt.date(2024, 3, 9)
    assert "钱七" not in members and "孙八" not in members


def test_legacy_xls_read_with_types(sqlite_ws: Any) -> None:
    members = _imported(sqlite_ws, "legacy.xls")
    assert members["张三"].phone == "13800138000"
    assert members["张三"].joined_on == dt.date(2024, 3, 5)
    assert members["王五"].city == "广州"


def test_rare_characters_and_emoji_kept_exactly(sqlite_ws: Any) -> None:
    members = _imported(sqlite_ws, "emoji_rare.xlsx")
    assert members["🎉小美"].intro == "喜欢𠮷野家🍜"
    assert members["𠮷田"].intro == "生僻字 𪚥𪚥"
    members = _imported(sqlite_ws, "gb18030_rare.csv")
    assert "𠮷田一郎" in members


def test_control_characters_stripped_and_reported(sqlite_ws: Any) -> None:
    with sqlite_ws.read() as s:
        preview = preview_roster_import(s, CORPUS / "control_chars.csv")
    (warning,) = preview.warnings
    assert warning.row == 2 and "「姓名」" in warning.message and "「微信号」" in warning.message
    members = _imported(sqlite_ws, "control_chars.csv")
    assert members["张三"].wechat_id == "zs_01"


def test_long_cell_kept_whole(sqlite_ws: Any) -> None:
    members = _imported(sqlite_ws, "long_cell.csv")
    assert len(members["张三"].intro) == 50_000


def test_extra_columns_become_custom_fields(sqlite_ws: Any) -> None:
    with sqlite_ws.read() as s:
        preview = preview_roster_import(s, CORPUS / "extra_columns.xlsx")
    assert preview.unmapped == ["生日", "喜欢的书"]
    assert preview.ignored == ["序号"]
    members = _imported(sqlite_ws, "extra_columns.xlsx")
    assert members["李四"].custom == {"生日": "1990-01-02", "喜欢的书": "三体"}


def test_bad_values_name_row_and_column(sqlite_ws: Any) -> None:
    with sqlite_ws.read() as s:
        preview = preview_roster_import(s, CORPUS / "bad_values.xlsx")
    found = {(p.row, p.column) for p in preview.problems}
    assert found == {(3, "手机号"), (4, "性别"), (5, "角色"), (6, "姓名"), (7, "姓名")}


def test_refused_file_error_is_bad_file_error() -> None:
    with pytest.raises(BadFileError, match="压缩炸弹"):
        from sqdesk.io.tables import open_table

        open_table(CORPUS / "zip_bomb_declared.xlsx")
