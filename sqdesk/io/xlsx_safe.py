"""Shared safety for every file sqdesk writes: cells that never turn into formulas, text
that fits a cell, widths that fit Chinese, and files that appear whole or not at all.

:func:`atomic_output` is the write-to-a-temp-file-then-``os.replace`` dance
every export needs, with the Chinese messages for a locked target or a missing folder.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqdesk.core.errors import UserError

__all__ = [
    "EXCEL_CELL_LIMIT", "FORMULA_START", "atomic_output", "cell_text", "char_width", "display_width",
    "needs_formula_guard", "set_text_cell",
]

EXCEL_CELL_LIMIT = 32_767
# C0 controls except TAB and LF (Excel keeps those), DEL and the C1 block: they make
# openpyxl raise IllegalCharacterError or show as boxes in Excel/WPS.
EXPORT_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def needs_formula_guard(text: str) -> bool:
    """True for text Excel/WPS would evaluate (starts with = + - @ TAB CR)."""
    return text.startswith(FORMULA_START)


def char_width(text: str) -> int:
    """Display width of one line: CJK/full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def display_width(text: str) -> int:
    """Columns the text needs in a spreadsheet: CJK counts double; the widest line."""
    return max((char_width(line) for line in text.split("\n")), default=0)


def cell_text(value: object, *, where: str = "") -> str:
    """Text for one cell: control characters stripped; over Excel's 32,767-character
    limit is an error naming ``where`` (e.g. 第 12 行「备注」列), never a silent cut."""
    text = EXPORT_CONTROL_CHARS.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > EXCEL_CELL_LIMIT:
        raise UserError(
            f"{where or '一个单元格'}的内容有 {len(text):,} 个字符，超过 Excel 单元格上限 "
            f"{EXCEL_CELL_LIMIT:,}，请缩短后再导出"
        )
    return text


def set_text_cell(cell: Any, value: object, *, where: str = "") -> None:
    """Put text into an openpyxl cell as a string, never a formula, whatever it starts with."""
    cell.value = cell_text(value, where=where)
    cell.data_type = "s"


@contextmanager
def atomic_output(out_path: str | Path, *, allowed: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield a temporary path in the target folder; on success it replaces ``out_path``.

    On any failure the temporary file is removed and an existing ``out_path`` is left
    byte-identical. A target locked by Excel/WPS or a read-only folder becomes a
    Chinese UserError naming the file."""
    out = Path(out_path)
    if allowed and out.suffix.lower() not in allowed:
        raise UserError(f"导出文件应以 {' 或 '.join(allowed)} 结尾：「{out.name}」")
    if not out.parent.is_dir():
        raise UserError(f"文件夹「{out.parent}」不存在")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=out.suffix + ".part", dir=out.parent)
    except PermissionError as exc:
        raise UserError(f"无法在文件夹「{out.parent}」中写入文件：没有写入权限") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, out)
    except PermissionError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"无法写入「{out.name}」：文件可能正被 Excel/WPS 打开，或文件夹只读，请关闭后重试") from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"无法写入「{out.name}」：{exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
