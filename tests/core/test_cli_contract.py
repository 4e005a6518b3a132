"""The headless CLI contract: names, flags, exit codes, one-line Chinese errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from sqdesk.cli import main

CORPUS = Path(__file__).parents[1] / "data" / "corpus"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_import_dry_run_commit_export_undo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(tmp_path / "w.sqdesk")
    src = tmp_path / "名单.xlsx"
    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(["2024 杭州读书会成员名单"])
    sheet.append(["姓名", "手机号", "微信号", "城市", "入群时间", "标签"])
    sheet.append(["张三🎉", "+86 138-0013-8000", "zhangsan88", "杭州", "2024年3月5日", "读书，运营"])
    sheet.append(["𠮷田", 13900139000.0, None, "上海", "2024.3.6", None])
    sheet.append(["合计", None, None, None, None, None])
    wb.save(src)

    rc, out, _ = _run(capsys, "import", "members", str(src), "--workspace", ws, "--dry-run")
    assert rc == 0 and "2" in out
    rc, out, _ = _run(capsys, "export", "roster", "--workspace", ws, "--out", str(tmp_path / "e.csv"))
    assert rc == 0 and "0 名" in out  # the dry run wrote nothing

    rc, out, _ = _run(capsys, "import", "members", str(src), "--workspace", ws)
    assert rc == 0
    rc, out, _ = _run(capsys, "batches", "--workspace", ws)
    batch = out.split()[0].lstrip("#")
    assert rc == 0 and batch.isdigit()

    out_xlsx = tmp_path / "导出.xlsx"
    rc, out, _ = _run(capsys, "export", "roster", "--workspace", ws, "--out", str(out_xlsx))
    assert rc == 0 and "2 名" in out
    book = openpyxl.load_workbook(out_xlsx, read_only=True)
    values = [c for row in book.active.iter_rows(values_only=True) for c in row if c]  # type: ignore[union-attr]
    assert "张三🎉" in values and "𠮷田" in values and "13800138000" in values

    rc, out, _ = _run(capsys, "undo-import", batch, "--workspace", ws)
    assert rc == 0
    rc, out, _ = _run(capsys, "export", "roster", "--workspace", ws, "--out", str(tmp_path / "e2.csv"))
    assert "0 名" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["import", "members", "不存在.xlsx"], "不存在.xlsx"),
        (["import", "members", str(CORPUS / "truncated.xlsx")], "truncated.xlsx"),
        (["import", "members", str(CORPUS / "billion_laughs.xlsx")], "billion_laughs.xlsx"),
        (["undo-import", "99"], "99"),
    ],
)
def test_bad_input_is_one_chinese_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    rc, out, err = _run(capsys, *argv, "--workspace", str(tmp_path / "w.sqdesk"))
    assert rc == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and needle in lines[0], err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0][3:])


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "sqdesk", "import", "activity", str(tmp_path / "无.csv"),
         "--workspace", str(tmp_path / "w.sqdesk")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2 and "无.csv" in proc.stderr and "Traceback" not in proc.stderr
