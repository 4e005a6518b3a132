"""The UserError family: problems the operator can fix, worded in Chinese.

Anything else is a bug and goes to the crash handler. A UserError names the file,
row and column when it has them, so "第 12 行「手机」列" can be found in the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def location(file: str | Path | None = None, row: int | None = None, column: str | None = None) -> str:
    parts = []
    if file is not None:
        parts.append(f"文件「{Path(file).name}」")
    if row is not None:
        parts.append(f"第 {row} 行")
    if column:
        parts.append(f"「{column}」列")
    return "".join(parts)


class UserError(Exception):
    """An error the operator can act on. ``str()`` is the one-line Chinese message."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = location(self.file, self.row, self.column)
        return f"{where}：{self.message}" if where else self.message


class BadFileError(UserError):
    """The file cannot be read as a table (damaged, hostile, too large, wrong format)."""


class ValidationError(UserError):
    """A value does not fit the field (an empty name, a phone Excel damaged…)."""


class NotFoundError(UserError):
    """The row asked for does not exist (any more)."""


class ConflictError(UserError):
    """Someone else changed or removed the row since it was read, or a duplicate exists."""


class WorkspaceLockedError(UserError):
    """The workspace is open in another copy of sqdesk, or the database is busy."""


@dataclass(frozen=True)
class Problem:
    """One per-row finding of a preview: not raised, collected and shown."""

    row: int | None
    column: str | None
    message: str
    file: str | None = None

    def __str__(self) -> str:
        where = location(self.file, self.row, self.column)
        return f"{where}：{self.message}" if where else self.message
