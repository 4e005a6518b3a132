"""Import a member roster from Excel/CSV: preview (read-only), then commit as one batch.

``preview_roster_import`` reads the file through :func:`sqdesk.io.tables.open_table`,
finds the header row (a merged title row above it does not fool it), maps columns by
synonyms (or the operator's explicit mapping), validates every row and classifies it:
to create, to update an existing member, skipped (blank, 合计 row, duplicate) or in
error. Nothing is written. ``commit_roster_import`` writes the preview inside the
caller's write session, all or nothing, as one ``import_batches`` row that
:func:`sqdesk.core.imports.undo_import` can take back.

Speed (100,000 rows): one pass over calamine's rows with a converter per mapped column,
no per-row SELECT (existing phones/WeChat ids are loaded into dicts once), member ids
reserved up front so members, memberships and tags go in with plain executemany and
no RETURNING, pinyin/search text computed in the same pass (pinyin is cached per
character in ``sqdesk.core.text``). Columns with one value for every new member go into
the INSERT as literals, a bulk load on SQLite gets a page cache that holds it, and the
records a preview keeps are handed to the garbage collector's old generation unscanned
(see ``_gc_paused``). ``tests/io/test_roster_import_bulk.py`` checks that none of it
changes what is stored.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Table, bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from sqdesk.core import audit
from sqdesk.core.errors import BadFileError, ConflictError, Problem, UserError, ValidationError
from sqdesk.core.imports import ImportCancelled
from sqdesk.core.roster import MEMBER_FIELDS, derived_values, parse_bool, refresh_search_text
from sqdesk.core.text import (
    CONTROL_CHARS,
    DateError,
    PhoneError,
    normalize_phone,
    normalize_wechat,
    parse_date,
)
from sqdesk.io.tables import (
    TableSource,
    find_header_row,
    match_columns,
    normalize_header,
    open_table,
)
from sqdesk.io.xlsx_safe import FORMULA_START
from sqdesk.models import Group, ImportBatch, Member, Membership, Tag
from sqdesk.models.base import table_of
from sqdesk.models.member import member_tags
from sqdesk.models.vocab import GENDERS, MEMBER_STATUSES, ROLES

DuplicatePolicy = Literal["skip", "update", "keep"]
POLICIES: tuple[DuplicatePolicy, ...] = ("skip", "update", "keep")
POLICY_LABELS = {"skip": "跳过", "update": "更新已有成员", "keep": "仍作为新成员导入"}

# Field → header synonyms. Keys: MEMBER_FIELDS (inviter_id replaced by the "inviter" text
# column), plus 群昵称 / 所在群 / 标签 / 邀请人 and the per-group date columns the roster
# export writes when a member's groups have different join/leave dates.
ROSTER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "display_name": ("姓名", "名字", "成员", "成员姓名", "成员名称", "用户名", "用户", "名称", "称呼", "name"),
    "real_name": ("真实姓名", "真名", "实名", "身份证姓名", "realname"),
    "phone": ("手机", "手机号", "手机号码", "电话", "电话号码", "联系电话", "联系方式", "移动电话",
              "手机电话", "mobile", "phone", "tel", "telephone"),
    "wechat_id": ("微信", "微信号", "微信id", "微信账号", "微信帐号", "wechat", "wechatid", "wxid", "wx"),
    "gender": ("性别", "gender", "sex"),
    "city": ("城市", "所在城市", "地区", "所在地", "所在地区", "常驻城市", "城市地区", "city"),
    "industry": ("行业", "所属行业", "领域", "industry"),
    "company": ("公司", "单位", "工作单位", "公司名称", "机构", "所在公司", "company"),
    "title": ("职位", "职务", "头衔", "岗位", "title", "position"),
    "intro": ("自我介绍", "个人介绍", "简介", "个人简介", "介绍", "intro"),
    "joined_on": ("入群时间", "加入日期", "加入时间", "进群时间", "入群日期", "进群日期", "入会时间",
                  "加入群聊时间", "joined", "joinedon", "joindate"),
    "source": ("来源", "渠道", "来源渠道", "source"),
    "inviter": ("邀请人", "推荐人", "介绍人", "邀请者", "inviter"),
    "role": ("角色", "身份", "群身份", "role"),
    "tier": ("会员等级", "等级", "会员级别", "会员类型", "tier"),
    "paid_until": ("付费到期", "会员到期", "到期时间", "到期日期", "会员到期时间", "有效期至", "paiduntil"),
    "status": ("状态", "在群状态", "成员状态", "status"),
    "consent": ("同意使用数据", "是否同意", "授权", "同意授权", "数据授权", "隐私授权", "是否授权",
                "consent"),
    "notes": ("备注", "说明", "notes", "remark"),
    "nickname": ("群昵称", "昵称", "群名片", "微信昵称", "nickname"),
    "group": ("所在群", "群名", "群", "群名称", "所属群", "群聊", "group"),
    "tags": ("标签", "tag", "tags"),
    "group_joined": ("各群入群时间",),
    "group_left": ("各群退群时间",),
}
IGNORED_HEADERS = frozenset({"序号", "行号", "no", "#"})
CUSTOM_PREFIXES = ("自定义:", "自定义：")
MAX_LISTED = 20

_TOTALS_FIRST = frozenset("合总小共汇tTsSſ")  # first characters _TOTALS can match (re.I: ſ is s)
_TOTALS = re.compile(r"^(合计|总计|小计|共计|总数|汇总|total|sum)[\s:：\d人名位个]*$", re.I)
_LIST_SPLIT = re.compile(r"[、,，;；|]+")
_TAG_SPLIT = re.compile(r"[,，;；、|/\s]+")
_INVITER_KEY = re.compile(r"^(.*?)\s*[（(]\s*([^()（）]+?)\s*[)）]\s*$")

_MEMBER_DEFAULTS: dict[str, Any] = {
    "real_name": "", "phone": None, "wechat_id": None, "gender": "未知", "city": "",
    "industry": "", "company": "", "title": "", "intro": "", "joined_on": None, "source": "",
    "role": "成员", "tier": "", "paid_until": None, "status": "在群", "consent": False,
    "notes": "", "level": "",
}
_GENDER_ALIASES = {"M": "男", "F": "女", "m": "男", "f": "女", "male": "男", "female": "女",
                   "Male": "男", "Female": "女", "先生": "男", "女士": "女", "男性": "男", "女性": "女"}


# ---- result types --------------------------------------------------------------

@dataclass(slots=True)
class RosterRecord:
    """One data row of the file, validated. ``values`` holds only the member fields the
    row actually gives (empty cells are absent), so an update never blanks a field.

    The list fields are replaced, never changed in place (see ``_merge``): a row without
    tags/groups/dates holds the shared empty tuple, so a 100,000-row roster does not
    allocate (and make the garbage collector scan) half a million empty lists."""

    row: int
    values: dict[str, Any]
    custom: dict[str, str] = field(default_factory=dict)
    tags: Sequence[str] = ()
    groups: Sequence[str] = ()
    nicknames: Sequence[str] = ()  # aligned with groups, or one for all
    group_joined: Sequence[dt.date | None] = ()
    group_left: Sequence[dt.date | None] = ()
    nickname: str = ""
    inviter: str = ""
    action: Literal["create", "update", "skip", "merged"] = "create"
    target_id: int | None = None  # existing member (update / skipped duplicate)
    merged_into: int | None = None  # index of the first row with the same phone/WeChat id
    inviter_ref: tuple[str, int] | None = None  # ("member", id) or ("record", index)
    key: tuple[str | None, str | None] = (None, None)  # (phone, WeChat id) as the file gave them

    @property
    def display_name(self) -> str:
        return str(self.values.get("display_name", ""))


@dataclass(frozen=True)
class SkippedRow:
    row: int
    reason: str


@dataclass(frozen=True)
class Duplicate:
    row: int
    key: str  # "手机号" / "微信号"
    value: str
    member_id: int | None  # existing member it matches, or None
    member_name: str
    first_row: int | None  # earlier row of the same file it matches, or None

    def __str__(self) -> str:
        where = f"成员「{self.member_name}」(#{self.member_id})" if self.member_id else f"第 {self.first_row} 行"
        return f"第 {self.row} 行：{self.key} {self.value} 与{where}重复"


@dataclass
class RosterPreview:
    file: Path
    sheet: str | None
    header_row: int  # 1-based, as Excel shows it
    mapping: dict[str, str]  # field → header text
    unmapped: list[str]  # headers kept as custom fields
    ignored: list[str]
    records: list[RosterRecord]
    problems: list[Problem]
    warnings: list[Problem]
    skipped: list[SkippedRow]
    duplicates: list[Duplicate]
    on_duplicate: DuplicatePolicy
    notes: list[str]
    sha256: str
    total_rows: int
    # (fingerprint of the workspace's members, duplicate policy) the plan was made from;
    # the commit re-plans only when either differs (see _check_still_valid)
    plan_basis: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    @property
    def to_create(self) -> int:
        return sum(1 for r in self.records if r.action == "create")

    @property
    def to_update(self) -> int:
        return len({r.target_id for r in self.records if r.action == "update"})

    @property
    def skipped_duplicates(self) -> int:
        return sum(1 for r in self.records if r.action in ("skip", "merged"))

    @property
    def error_rows(self) -> int:
        return len({p.row for p in self.problems})

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.total_rows,
            "create": self.to_create,
            "update": self.to_update,
            "duplicates": len(self.duplicates),
            "duplicates_skipped": self.skipped_duplicates,
            "skipped": len(self.skipped),
            "error_rows": self.error_rows,
            "problems": len(self.problems),
            "warnings": len(self.warnings),
        }

    def describe(self) -> str:
        c = self.counts()
        lines = [
            f"文件「{self.file.name}」" + (f"工作表「{self.sheet}」" if self.sheet else "")
            + f"，表头在第 {self.header_row} 行，数据 {c['rows']} 行",
            "识别的列：" + "，".join(f"{h}→{_field_label(f)}" for f, h in self.mapping.items()),
        ]
        if self.unmapped:
            lines.append("作为自定义字段保留：" + "、".join(self.unmapped))
        if self.ignored:
            lines.append("忽略的列：" + "、".join(self.ignored))
        lines += [f"说明：{n}" for n in self.notes]
        lines.append(
            f"将新增 {c['create']} 人，更新 {c['update']} 人；"
            f"跳过 {c['skipped']} 行（空行/合计行），"
            f"重复 {c['duplicates']} 处（处理方式：{POLICY_LABELS[self.on_duplicate]}），"
            f"有错误不导入 {c['error_rows']} 行"
        )
        for title, items in (("错误", self.problems), ("提示", self.warnings)):
            for p in items[:MAX_LISTED]:
                lines.append(f"  {title}：{_short(p)}")
            if len(items) > MAX_LISTED:
                lines.append(f"  ……另有 {len(items) - MAX_LISTED} 条{title}")
        for d in self.duplicates[:MAX_LISTED]:
            lines.append(f"  重复：{d}")
        if len(self.duplicates) > MAX_LISTED:
            lines.append(f"  ……另有 {len(self.duplicates) - MAX_LISTED} 处重复")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "sheet": self.sheet,
            "header_row": self.header_row,
            "mapping": dict(self.mapping),
            "unmapped": list(self.unmapped),
            "ignored": list(self.ignored),
            "on_duplicate": self.on_duplicate,
            "counts": self.counts(),
            "notes": list(self.notes),
            "problems": [{"row": p.row, "column": p.column, "message": p.message} for p in self.problems],
            "warnings": [{"row": p.row, "column": p.column, "message": p.message} for p in self.warnings],
            "skipped": [{"row": s.row, "reason": s.reason} for s in self.skipped],
            "duplicates": [
                {"row": d.row, "key": d.key, "value": d.value, "member_id": d.member_id,
                 "member_name": d.member_name, "first_row": d.first_row}
                for d in self.duplicates
            ],
            "sample": [
                {"row": r.row, "action": r.action, **{k: _jsonable(v) for k, v in r.values.items()}}
                for r in self.records[:MAX_LISTED]
            ],
        }


@dataclass(frozen=True)
class ImportResult:
    batch_id: int
    file_name: str
    created: int
    updated: int
    skipped: int
    errors: int
    groups_created: int = 0

    def describe(self) -> str:
        extra = f"，新建群 {self.groups_created} 个" if self.groups_created else ""
        return (
            f"已导入「{self.file_name}」（批次 #{self.batch_id}）：新增 {self.created} 人，"
            f"更新 {self.updated} 人，跳过 {self.skipped} 行，有错误未导入 {self.errors} 行{extra}。"
            f"如需撤销：sqdesk undo-import {self.batch_id}"
        )


def _field_label(f: str) -> str:
    extra = {"nickname": "群昵称", "group": "所在群", "tags": "标签", "inviter": "邀请人",
             "group_joined": "各群入群时间", "group_left": "各群退群时间"}
    return MEMBER_FIELDS.get(f) or extra.get(f) or f


def _short(p: Problem) -> str:
    where = (f"第 {p.row} 行" if p.row else "") + (f"「{p.column}」列" if p.column else "")
    return f"{where}：{p.message}" if where else p.message


def _jsonable(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v


# ---- column converters ---------------------------------------------------------

class _CellError(ValueError):
    pass


def _text(v: object) -> str:
    if v is None:
        return ""
    if type(v) is str:
        return v.strip()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ") if v.time() != dt.time() else v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v).strip()


def _name(v: object) -> str:
    s = _text(v)
    if len(s) > 100:
        raise _CellError("姓名超过 100 个字符")
    return s


def _phone(v: object) -> str | None:
    try:
        return normalize_phone(v)
    except PhoneError as exc:
        raise _CellError(str(exc)) from exc


def _wechat(v: object) -> str | None:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return normalize_wechat(v)


def _date(v: object) -> dt.date | None:
    if type(v) is dt.date:
        return v
    try:
        return parse_date(v)
    except DateError as exc:
        raise _CellError(str(exc)) from exc


def _choice(allowed: Sequence[str], label: str, aliases: dict[str, str] | None = None) -> Callable[[object], str]:
    allowed_set = frozenset(allowed)

    def convert(v: object) -> str:
        s = _text(v)
        if aliases:
            s = aliases.get(s, s)
        if s not in allowed_set:
            raise _CellError(f"{label}「{s}」应为 {'/'.join(allowed)}")
        return s

    return convert


def _bool(v: object) -> bool:
    return parse_bool(v)


def _limited(n: int, label: str) -> Callable[[object], str]:
    def convert(v: object) -> str:
        s = v if type(v) is str else _text(v)
        if len(s) > n:
            raise _CellError(f"{label}超过 {n} 个字符")
        return s

    return convert


_CONVERTERS: dict[str, Callable[[object], Any]] = {
    "display_name": _name,
    "real_name": _limited(100, "真实姓名"),
    "phone": _phone,
    "wechat_id": _wechat,
    "gender": _choice(GENDERS, "性别", _GENDER_ALIASES),
    "city": _limited(50, "城市"),
    "industry": _limited(50, "行业"),
    "company": _limited(100, "公司"),
    "title": _limited(100, "职位"),
    "intro": _text,
    "joined_on": _date,
    "source": _limited(50, "来源"),
    "role": _choice(ROLES, "角色"),
    "tier": _limited(30, "会员等级"),
    "paid_until": _date,
    "status": _choice(MEMBER_STATUSES, "状态"),
    "consent": _bool,
    "notes": _text,
}


def _getter(indices: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """``itemgetter(*indices)`` that always returns a tuple (also for 0 or 1 index)."""
    if len(indices) >= 2:
        return itemgetter(*indices)
    if len(indices) == 1:
        i = indices[0]
        return lambda seq: (seq[i],)
    return lambda seq: ()


def _split_list(value: str) -> list[str]:
    """Group names / dates in one cell: one per line when the cell has line breaks
    (what the export writes), else separated by 、，,;；|."""
    if "\n" in value:
        parts = value.split("\n")
    elif _LIST_SPLIT.search(value):
        parts = _LIST_SPLIT.split(value)
    else:
        return [value] if value else []
    return [p.strip() for p in parts if p.strip()]


def _split_tags(value: str) -> list[str]:
    parts = value.split("\n") if "\n" in value else _TAG_SPLIT.split(value)
    seen: dict[str, None] = {}
    for p in parts:
        p = p.strip().lstrip("#").strip()
        if p:
            seen.setdefault(p[:50], None)
    return list(seen)


_UNCACHED = frozenset({"display_name", "real_name", "phone", "wechat_id", "intro", "notes"})
"""Columns whose cells are nearly all distinct: no per-value cache in ``_parse_rows``."""
_CACHE_MAX = 20_000
_CACHE_KEY_TYPES = (str, dt.date, dt.datetime)
_MISS = object()
_BLANK = object()


# ---- preview -------------------------------------------------------------------

def _resolve_field(name: str) -> str:
    """A mapping target: a field key, its Chinese label or any synonym; ``custom:X``."""
    n = name.strip()
    if not n or n in ("忽略", "ignore", "-"):
        return ""
    if n in ROSTER_SYNONYMS:
        return n
    if n == "inviter_id":
        return "inviter"
    for prefix in ("custom:", "custom：", *CUSTOM_PREFIXES):
        if n.startswith(prefix) and n[len(prefix):].strip():
            return "custom:" + n[len(prefix):].strip()
    key = normalize_header(n)
    for f, words in ROSTER_SYNONYMS.items():
        if key in {normalize_header(w) for w in words}:
            return f
    for f, label in MEMBER_FIELDS.items():
        if normalize_header(label) == key:
            return "inviter" if f == "inviter_id" else f
    known = "、".join(sorted(ROSTER_SYNONYMS))
    raise ValidationError(f"未知字段「{name}」；可用字段：{known}，或写成 custom:名称 作为自定义字段")


def preview_roster_import(
    session: Session,
    path: str | Path,
    *,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    on_duplicate: DuplicatePolicy = "skip",
    table: TableSource | None = None,
) -> RosterPreview:
    """Read and validate the file; write nothing.

    ``mapping`` maps header text → field (a key of :data:`ROSTER_SYNONYMS`, a Chinese
    label, ``custom:名称``, or ``""`` to ignore the column) and wins over synonyms.
    ``header_row`` is 1-based as Excel shows it; by default it is found.
    """
    if on_duplicate not in POLICIES:
        raise ValidationError(f"重复处理方式应为 {'/'.join(POLICIES)}")
    p = Path(path)
    source = table or open_table(p)
    try:
        with _gc_paused():
            return _preview(session, source, mapping, sheet, header_row, on_duplicate)
    finally:
        if table is None:
            source.close()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an import runs.

    A 100,000-row import allocates over a million small containers (row lists, records
    with their dicts and lists, parameter tuples) that all stay alive to the end, so each
    automatic collection re-scans everything allocated so far: measured, that was two
    thirds of the parse time. Nothing the import builds is a reference cycle (plain
    reference counting frees it), so the collector has nothing to find meanwhile; it is
    switched back on afterwards (if it was on), also on error or cancel.

    Switched back on, the collector would first sweep everything allocated meanwhile as
    young objects: for a preview that is every record (~0.15 s at 100,000 rows, cold
    memory), only to keep them, and again at the next middle-generation collection. They
    are long-lived by design (they live until the commit), so they go straight to the old
    generation instead (``gc.freeze()`` + ``gc.unfreeze()``: moved there unscanned, seen
    again only by a full collection). Skipped when something else keeps objects frozen
    (the import wizard freezes its preview), so as not to unfreeze those."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _preview(
    session: Session,
    source: TableSource,
    mapping: dict[str, str] | None,
    sheet: str | None,
    header_row: int | None,
    policy: DuplicatePolicy,
) -> RosterPreview:
    p = source.path
    notes = list(source.notes)
    sheet_name = sheet or (source.sheet_names()[0] if source.kind != "csv" else None)
    # empty cells as the reader gives them (""): _parse_rows and the header search treat
    # "" and None alike, which saves a pass over every row
    rows = source.rows(sheet, raw_empty=True)
    head = list(islice(rows, 30))
    if header_row is not None:
        if header_row < 1 or header_row > len(head):
            raise BadFileError(f"指定的表头行（第 {header_row} 行）不在文件前 {len(head)} 行内", file=p)
        h = header_row - 1
    else:
        found = find_header_row(head, ROSTER_SYNONYMS, max_scan=20)
        if found is None and sheet is None and source.kind != "csv":
            # an instructions sheet first: take the first sheet that has a roster header
            for other in source.sheet_names()[1:]:
                other_rows = source.rows(other, raw_empty=True)
                other_head = list(islice(other_rows, 30))
                other_found = find_header_row(other_head, ROSTER_SYNONYMS, max_scan=20)
                if other_found is not None:
                    notes.append(f"第一个工作表「{sheet_name}」里没有名单表头，已改读工作表「{other}」")
                    sheet_name, rows, head, found = other, other_rows, other_head, other_found
                    break
        if found is None:
            others = [n for n in source.sheet_names() if n != sheet_name] if source.kind != "csv" else []
            hint = f"（其他工作表：{'、'.join(others)}）" if others else ""
            raise BadFileError(
                "找不到表头：前 20 行里没有可识别的列名（如 姓名、手机号、微信号）"
                f"{hint}；请确认选对了工作表，或手动指定列映射",
                file=p,
            )
        h = found
    header = list(head[h])
    explicit: dict[str, str] = {}
    custom_explicit: dict[str, str] = {}
    for head_text, target in (mapping or {}).items():
        try:
            f = _resolve_field(target)
        except ValidationError as exc:
            raise ValidationError(exc.message, file=p, column=head_text) from exc
        if f.startswith("custom:"):
            custom_explicit[head_text] = f[len("custom:"):]
            explicit[head_text] = ""
        else:
            explicit[head_text] = f
    try:
        cols = match_columns(header, ROSTER_SYNONYMS, explicit)
    except ValidationError as exc:
        raise ValidationError(exc.message, file=p, row=h + 1, column=exc.column) from exc

    header_text = [_text(c) for c in header]
    if "display_name" not in cols:
        if "nickname" in cols:
            cols["display_name"] = cols["nickname"]
            notes.append(f"没有「姓名」列，以「{header_text[cols['nickname']]}」列作为姓名")
        else:
            have = "、".join(t for t in header_text if t) or "（无）"
            raise BadFileError(
                f"第 {h + 1} 行的表头里没有「姓名」列（现有：{have}）；请添加姓名列或手动指定列映射",
                file=p,
            )
    used = set(cols.values())
    unmapped: list[str] = []
    ignored: list[str] = []
    custom_cols: list[tuple[int, str]] = []
    explicit_keys = {normalize_header(k): k for k in explicit}
    custom_by_key = {normalize_header(k): v for k, v in custom_explicit.items()}
    for i, t in enumerate(header_text):
        if i in used or not t:
            continue
        key = normalize_header(t)
        if key in custom_by_key:
            custom_cols.append((i, custom_by_key[key]))
            unmapped.append(t)
        elif key in explicit_keys or key in IGNORED_HEADERS:
            ignored.append(t)
        else:
            name = t
            for prefix in CUSTOM_PREFIXES:
                if name.startswith(prefix):
                    name = name[len(prefix):].strip()
            if name in {n for _, n in custom_cols}:
                ignored.append(t)
                continue
            custom_cols.append((i, name))
            unmapped.append(t)
    if "nickname" in cols and "group" not in cols and cols["nickname"] != cols["display_name"]:
        notes.append("文件没有「所在群」列，群昵称无法对应到某个群，将不会保存；可在表中加一列「所在群」后再导入")

    mapped = {f: header_text[i] for f, i in sorted(cols.items(), key=lambda kv: kv[1])}
    records, problems, warnings, skipped, total = _parse_rows(
        p, chain(head[h + 1:], rows), h + 1, cols, header_text, custom_cols,
        unguard=source.kind == "csv",
    )
    preview = RosterPreview(
        file=p, sheet=sheet_name, header_row=h + 1, mapping=mapped, unmapped=unmapped,
        ignored=ignored, records=records, problems=problems, warnings=warnings, skipped=skipped,
        duplicates=[], on_duplicate=policy, notes=notes, sha256=_sha256(p), total_rows=total,
    )
    existing = _existing_keys(session)
    preview.duplicates = _classify(preview.records, existing, policy)
    preview.plan_basis = (existing.fingerprint, policy)
    _resolve_inviters(preview, existing)
    if total == 0:
        preview.notes.append("表头下面没有数据行")
    return preview


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with p.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _parse_rows(
    p: Path,
    rows: Iterator[list[object]],
    header_index: int,
    cols: dict[str, int],
    header_text: list[str],
    custom_cols: list[tuple[int, str]],
    unguard: bool = False,
) -> tuple[list[RosterRecord], list[Problem], list[Problem], list[SkippedRow], int]:
    fname = p.name
    # display_name first: a row whose name is empty reports that once, after the others.
    # Columns with few distinct values (city, gender, role, dates…) remember each raw
    # cell's converted value: a repeated cell costs one dict lookup.
    member_cols: list[tuple[str, int, Callable[[object], Any], dict[object, Any] | None]] = [
        (f, i, _CONVERTERS[f], None if f in _UNCACHED else {})
        for f, i in cols.items() if f in _CONVERTERS
    ]
    tag_cache: dict[object, tuple[str, ...]] = {}
    group_cache: dict[object, tuple[str, ...]] = {}
    label = {f: header_text[i] for f, i in cols.items()}
    tags_i = cols.get("tags")
    group_i = cols.get("group")
    nick_i = cols.get("nickname")
    inviter_i = cols.get("inviter")
    gj_i = cols.get("group_joined")
    gl_i = cols.get("group_left")
    group_dates = (gj_i, gl_i) if gj_i is not None or gl_i is not None else ()
    records: list[RosterRecord] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    skipped: list[SkippedRow] = []
    total = 0
    control = CONTROL_CHARS.search
    totals = _TOTALS.match
    ncols = len(header_text)
    pad = [None] * ncols
    text_cols = list(range(ncols))
    other_cols: list[int] = []
    text_of = _getter(text_cols)
    name_i = cols["display_name"]
    nick_i = nick_i if nick_i != name_i else None
    for offset, raw in enumerate(rows):
        rowno = header_index + offset + 1
        # blank rows (all empty or whitespace) and 合计/总计 rows
        first: object = None
        for c in raw:
            if c is not None and (type(c) is not str or c.strip()):
                first = c
                break
        if first is None:
            skipped.append(SkippedRow(rowno, "空行"))
            continue
        if type(first) is str and first.lstrip()[:1] in _TOTALS_FIRST and totals(first.strip()):
            skipped.append(SkippedRow(rowno, f"合计行（{first.strip()[:20]}）"))
            continue
        total += 1
        cells = raw if len(raw) >= ncols else raw + pad[len(raw):]
        # control characters: stripped and reported (once per row). They are not printable:
        # a row whose text all is (nearly every row) needs no closer look.
        if unguard:
            joined = " ".join([c for c in cells if type(c) is str])
            if "'" in joined:  # the export's CSV formula guard: '=… → =…
                cells = [
                    c[1:] if type(c) is str and c[:1] == "'" and c[1:2] in FORMULA_START else c
                    for c in cells
                ]
            printable = joined.isprintable()
        else:
            # the columns that have held only text so far, joined by one C call; the
            # others (dates, numbers, padding) cell by cell
            try:
                printable = " ".join(text_of(cells)).isprintable()
            except TypeError:  # one of them holds something else now: it moves over
                moved = {j for j in text_cols if type(cells[j]) is not str and cells[j] is not None}
                text_cols = [j for j in text_cols if j not in moved]
                other_cols = sorted({*other_cols, *moved})
                text_of = _getter(text_cols)
                printable = all(type(c) is not str or c.isprintable() for c in cells)
            if printable:
                for j in other_cols:
                    c = cells[j]
                    if type(c) is str and not c.isprintable():
                        printable = False
                        break
            if printable and len(cells) > ncols:
                printable = all(type(c) is not str or c.isprintable() for c in cells[ncols:])
        if not printable and control(" ".join([c for c in cells if type(c) is str])):
            dirty = [i for i, c in enumerate(cells) if type(c) is str and control(c)]
            cells = list(cells)
            for i in dirty:
                cells[i] = CONTROL_CHARS.sub("", str(cells[i]))
            cols_named = "、".join(
                f"「{header_text[i]}」" if i < ncols and header_text[i] else f"第 {i + 1} 列"
                for i in dirty
            )
            warnings.append(Problem(rowno, None, f"{cols_named}含有控制字符（如 NUL），已删除", fname))
        values: dict[str, Any] = {}
        bad = False
        for f, i, conv, cache in member_cols:
            raw_v = v = cells[i]
            if v is None:
                continue
            if cache is not None:
                hit = cache.get(v, _MISS)
                if hit is not _MISS:
                    if hit is not _BLANK:
                        values[f] = hit
                    continue
            if type(v) is str:
                v = v.strip()
                if not v:
                    if cache is not None:
                        cache[raw_v] = _BLANK
                    continue
            try:
                out = conv(v)
            except _CellError as exc:
                problems.append(Problem(rowno, label[f], str(exc), fname))
                bad = True
                continue
            values[f] = out
            # only str/date keys: no int/float/bool equality collisions (1 == 1.0 == True)
            if cache is not None and len(cache) < _CACHE_MAX and type(raw_v) in _CACHE_KEY_TYPES:
                cache[raw_v] = out
        if not values.get("display_name"):
            if not bad or cells[name_i] is None or cells[name_i] == "":
                problems.append(Problem(rowno, label["display_name"], "姓名不能为空", fname))
            bad = True
        custom: dict[str, str] = {}
        for i, cname in custom_cols:
            v = cells[i]
            if v is not None:
                text_ = _text(v)
                if text_:
                    custom[cname] = text_
        tags: Sequence[str] = ()
        if tags_i is not None and (tv := cells[tags_i]) is not None:
            split = tag_cache.get(tv) if type(tv) is str else None
            if split is None:
                split = tuple(_split_tags(_text(tv)))
                if type(tv) is str and len(tag_cache) < _CACHE_MAX:
                    tag_cache[tv] = split
            if split:
                tags = list(split)
        groups: Sequence[str] = ()
        if group_i is not None and (gv := cells[group_i]) is not None:
            gsplit = group_cache.get(gv) if type(gv) is str else None
            if gsplit is None:
                gsplit = tuple(g[:100] for g in _split_list(_text(gv)))
                if type(gv) is str and len(group_cache) < _CACHE_MAX:
                    group_cache[gv] = gsplit
            if gsplit:
                groups = list(gsplit)
        nickname = ""
        nicknames: Sequence[str] = ()
        if nick_i is not None and cells[nick_i] is not None and cells[nick_i] != "":
            nickname = _text(cells[nick_i])
            nicknames = (
                [("" if n.strip() == "-" else n.strip()[:100]) for n in nickname.split("\n")]
                if "\n" in nickname else [nickname[:100]]
            )
        dates: list[Sequence[dt.date | None]] = [(), ()]
        if group_dates:
            for k, idx in enumerate(group_dates):
                if idx is None or cells[idx] is None:
                    continue
                v = cells[idx]
                parts: list[object] = list(_split_list(_text(v))) if type(v) is str else [v]
                try:
                    got = [_date(x) if x not in ("", "-") else None for x in parts]
                except _CellError as exc:
                    problems.append(Problem(rowno, header_text[idx], str(exc), fname))
                    bad = True
                    continue
                if got:
                    dates[k] = got
        if bad:
            continue
        inviter = _text(cells[inviter_i]) if inviter_i is not None and cells[inviter_i] is not None else ""
        # all fields positional: a keyword argument costs a quarter more per record
        records.append(RosterRecord(
            rowno, values, custom, tags, groups, nicknames, dates[0], dates[1], nickname, inviter,
            "create", None, None, None, (values.get("phone"), values.get("wechat_id")),
        ))
    return records, problems, warnings, skipped, total


@dataclass
class _Existing:
    by_phone: dict[str, int]
    by_wechat: dict[str, int]
    names: dict[int, str]
    by_name: dict[str, list[int]]
    fingerprint: str = ""  # SHA-256 of every (id, name, phone, WeChat id) read


def _existing_keys(session: Session) -> _Existing:
    by_phone: dict[str, int] = {}
    by_wechat: dict[str, int] = {}
    names: dict[int, str] = {}
    by_name: dict[str, list[int]] = {}
    rows = session.execute(
        select(Member.id, Member.display_name, Member.phone, Member.wechat_id).order_by(Member.id)
    ).all()
    for mid, name, phone, wx in rows:
        names[mid] = name
        by_name.setdefault(name, []).append(mid)
        if phone:
            by_phone.setdefault(phone, mid)
        if wx:
            by_wechat.setdefault(wx, mid)
    # everything the plan and the inviter check depend on, in id order
    digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode("utf-8", "surrogatepass")).hexdigest()
    return _Existing(by_phone, by_wechat, names, by_name, digest)


def _merge(into: RosterRecord, other: RosterRecord) -> None:
    """A later row of the same person (update policy): its non-empty values win."""
    into.values.update(other.values)
    into.custom.update(other.custom)
    into.tags = list(dict.fromkeys([*into.tags, *other.tags]))
    for i, g in enumerate(other.groups):
        if g not in into.groups:
            into.groups = [*into.groups, g]
            into.nicknames = _aligned(into.nicknames, len(into.groups) - 1) + [_at(other.nicknames, i)]
            into.group_joined = _aligned(into.group_joined, len(into.groups) - 1) + [_at(other.group_joined, i)]
            into.group_left = _aligned(into.group_left, len(into.groups) - 1) + [_at(other.group_left, i)]
    if other.inviter:
        into.inviter = other.inviter
    if other.nickname and not other.groups:
        into.nickname = other.nickname


def _aligned(values: Sequence[Any], n: int) -> list[Any]:
    values = list(values)
    if len(values) == 1 and n > 1:
        return values * n
    return (values + [None] * n)[:n] if values or n else []


def _at(values: Sequence[Any], i: int) -> Any:
    if not values:
        return None
    return values[i] if i < len(values) else (values[0] if len(values) == 1 else None)


_Plan = tuple[str, int | None, int | None]  # (action, existing member id, merged into record index)
_CREATE: _Plan = ("create", None, None)  # the plan of most rows, one shared tuple


def _plan(
    records: Sequence[RosterRecord], ex: _Existing, policy: DuplicatePolicy
) -> tuple[list[_Plan], list[Duplicate]]:
    """Decide create / update / skip / merged for each record from the (phone, WeChat id)
    it gave, against the workspace and the rows above it. Pure: the preview applies the
    plan, and the commit recomputes it to see whether the workspace changed meanwhile."""
    plans: list[_Plan] = []
    dups: list[Duplicate] = []
    seen_phone: dict[str, int] = {}
    seen_wx: dict[str, int] = {}
    target_first: dict[int, int] = {}  # existing member id → first record updating it
    by_phone, by_wechat = ex.by_phone, ex.by_wechat
    for idx, rec in enumerate(records):
        phone, wx = rec.key
        plan: _Plan = _CREATE
        if phone is None and wx is None:
            plans.append(plan)
            continue
        if phone and phone in by_phone:
            hit: tuple[str, str, int] | None = ("手机号", phone, by_phone[phone])
        elif wx and wx in by_wechat:
            hit = ("微信号", wx, by_wechat[wx])
        else:
            hit = None
        if hit is not None:
            key, value, mid = hit
            dups.append(Duplicate(rec.row, key, value, mid, ex.names.get(mid, ""), None))
            if policy == "skip":
                plan = ("skip", mid, None)
            elif policy == "update":
                if mid in target_first:
                    plan = ("merged", mid, target_first[mid])
                else:
                    plan = ("update", mid, None)
                    target_first[mid] = idx
        else:
            if phone and phone in seen_phone:
                first: tuple[str, str, int] | None = ("手机号", phone, seen_phone[phone])
            elif wx and wx in seen_wx:
                first = ("微信号", wx, seen_wx[wx])
            else:
                first = None
            if first is not None:
                key, value, fidx = first
                dups.append(Duplicate(rec.row, key, value, None, "", records[fidx].row))
                if policy == "skip":
                    plan = ("skip", None, fidx)
                elif policy == "update":
                    plan = ("merged", plans[fidx][1], fidx)
        if plan[0] in ("create", "update"):
            if phone:
                seen_phone.setdefault(phone, idx)
            if wx:
                seen_wx.setdefault(wx, idx)
        plans.append(plan)
    return plans, dups


def _classify(records: list[RosterRecord], ex: _Existing, policy: DuplicatePolicy) -> list[Duplicate]:
    """Apply the plan to the records as ``_parse_rows`` made them (each one a create, with
    no target): set the action of the others; merge later rows of the same person into
    the first one (update policy). Records planned as creates are not touched at all."""
    plans, dups = _plan(records, ex, policy)
    for idx, plan in enumerate(plans):
        if plan is _CREATE:
            continue
        action, target, merged_into = plan
        rec = records[idx]
        rec.action = action  # type: ignore[assignment]
        rec.target_id = target
        rec.merged_into = merged_into
        if action == "merged" and merged_into is not None:
            _merge(records[merged_into], rec)
    return dups


def _resolve_inviters(preview: RosterPreview, ex: _Existing) -> None:
    records = preview.records
    if "inviter" not in preview.mapping or not any(r.inviter for r in records):
        return
    f_phone: dict[str, int] = {}
    f_wx: dict[str, int] = {}
    f_name: dict[str, list[int]] = {}
    for idx, r in enumerate(records):
        if r.action in ("merged",):
            continue
        if r.values.get("phone"):
            f_phone.setdefault(r.values["phone"], idx)
        if r.values.get("wechat_id"):
            f_wx.setdefault(r.values["wechat_id"], idx)
        f_name.setdefault(r.display_name, []).append(idx)
    column = preview.mapping.get("inviter")
    for idx, r in enumerate(records):
        r.inviter_ref = None
        if not r.inviter or r.action in ("skip", "merged"):
            continue
        ref, why = _find_inviter(r.inviter, f_phone, f_wx, f_name, ex)
        if ref is None:
            preview.warnings.append(
                Problem(r.row, column, f"邀请人「{r.inviter}」{why}，该行的邀请人将留空", preview.file.name)
            )
        elif ref == ("record", idx):
            preview.warnings.append(Problem(r.row, column, "邀请人是本人，已忽略", preview.file.name))
        else:
            r.inviter_ref = ref


def _find_inviter(
    text_: str,
    f_phone: dict[str, int],
    f_wx: dict[str, int],
    f_name: dict[str, list[int]],
    ex: _Existing,
) -> tuple[tuple[str, int] | None, str]:
    name, key = text_, ""
    m = _INVITER_KEY.match(text_)
    if m:
        name, key = m.group(1).strip(), m.group(2).strip()
    for probe in ([key] if key else []) + [text_]:
        try:
            phone = normalize_phone(probe)
        except PhoneError:
            phone = None
        if phone:
            if phone in f_phone:
                return ("record", f_phone[phone]), ""
            if phone in ex.by_phone:
                return ("member", ex.by_phone[phone]), ""
        wx = normalize_wechat(probe)
        if wx:
            if wx in f_wx:
                return ("record", f_wx[wx]), ""
            if wx in ex.by_wechat:
                return ("member", ex.by_wechat[wx]), ""
    in_file = f_name.get(name, [])
    in_ws = ex.by_name.get(name, [])
    if len(in_file) + len(in_ws) == 1:
        return (("record", in_file[0]) if in_file else ("member", in_ws[0])), ""
    if len(in_file) + len(in_ws) > 1:
        return None, "同名的有多人，无法确定是谁（可写成 姓名（手机号））"
    return None, "在名单和工作区中都找不到"


# ---- commit --------------------------------------------------------------------

def commit_roster_import(
    session: Session,
    preview: RosterPreview,
    *,
    operator: str,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportResult:
    """Write the previewed rows as one batch inside the caller's transaction.

    All or nothing: any error (or ``cancel()`` returning True → :class:`ImportCancelled`)
    propagates so the caller's write session rolls back.
    """
    with _gc_paused():
        return _commit(session, preview, operator, progress, cancel)


def _commit(
    session: Session,
    preview: RosterPreview,
    operator: str,
    progress: Callable[[int, int], None] | None,
    cancel: Callable[[], bool] | None,
) -> ImportResult:
    creates = [r for r in preview.records if r.action == "create"]
    updates = [r for r in preview.records if r.action == "update"]
    if not creates and not updates:
        raise UserError("没有可导入的行（全部为空行、重复或有错误）", file=preview.file)
    existing = _existing_keys(session)
    _check_still_valid(preview, existing)

    total = len(creates) + len(updates)
    step = max(total // 100, 1)
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        before = done
        done += n
        if cancel is not None and cancel():
            raise ImportCancelled("已取消导入，工作区未做任何修改", file=preview.file)
        if progress is not None and (done // step != before // step or done == total):
            progress(done, total)

    if progress is not None:
        progress(0, total)
    now = dt.datetime.now()
    batch_id = session.execute(
        insert(ImportBatch).values(
            kind="members", file_name=preview.file.name, file_sha256=preview.sha256,
            operator=operator, created_at=now, rows_created=len(creates),
            rows_updated=len({r.target_id for r in updates}), status="committed",
            summary={}
        ).returning(ImportBatch.id)
    ).scalar_one()

    group_names = set(chain.from_iterable(map(attrgetter("groups"), chain(creates, updates))))
    groups, created_groups = _ensure_groups(session, group_names)
    tag_names = set(chain.from_iterable(map(attrgetter("tags"), chain(creates, updates))))
    tags, created_tags = _ensure_tags(session, tag_names)

    ids = _reserve_ids(session, len(creates))
    records = preview.records
    new_id: dict[int, int] = {}  # id(record) → its new member id, built on first need

    def inviter_id(r: RosterRecord) -> int | None:
        ref = r.inviter_ref
        if ref is None:
            return None
        if ref[0] == "member":
            return ref[1]
        target = records[ref[1]]
        while target.action == "merged" and target.merged_into is not None:
            target = records[target.merged_into]
        if target.action == "create":
            if not new_id:
                new_id.update({id(c): mid for c, mid in zip(creates, ids, strict=True)})
            return new_id[id(target)]
        return target.target_id

    conn = session.connection()
    with _bulk_page_cache(conn, len(creates)):
        _insert_new_members(
            conn, preview, creates, ids, batch_id, groups, tags, group_names, inviter_id, tick,
            len(existing.names),
        )

    updated = _apply_updates(session, updates, groups, tags, batch_id, operator, inviter_id, tick)

    summary = {
        "created_groups": created_groups,
        "created_tags": created_tags,
        "skipped": len(preview.skipped),
        "duplicates": len(preview.duplicates),
        "error_rows": preview.error_rows,
        "policy": preview.on_duplicate,
        "sheet": preview.sheet,
    }
    session.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(summary=summary))
    audit.record(
        session, operator, "import", "member", None, batch_id=batch_id,
        after={"file": preview.file.name, "created": len(creates), "updated": updated},
    )
    return ImportResult(
        batch_id=batch_id, file_name=preview.file.name, created=len(creates), updated=updated,
        # every record is a create, an update or a skipped/merged duplicate
        skipped=len(preview.skipped) + len(preview.records) - len(creates) - len(updates),
        errors=preview.error_rows,
        groups_created=len(created_groups),
    )


def _fixed_member_columns(
    preview: RosterPreview,
    creates: Sequence[RosterRecord],
    batch_id: int,
    to_json: Callable[[dict[str, str]], Any],
) -> dict[str, Any]:
    """Member columns with the same value for every new member, and that value: the
    fields the file has no column for (their defaults: a row's values only hold mapped
    fields), the inviter when nobody has one, the custom fields when nobody has any, and
    the batch. Decided from the mapping where it settles the question, so that a big
    import is not walked through once more for it."""
    mapped = preview.mapping
    fixed = {f: v for f, v in _MEMBER_DEFAULTS.items() if f not in mapped}
    if "inviter" not in mapped or not any(map(attrgetter("inviter_ref"), creates)):
        fixed["inviter_id"] = None
    if not preview.unmapped or not any(map(attrgetter("custom"), creates)):
        fixed["custom"] = to_json({})
    fixed["batch_id"] = batch_id
    return fixed


def _insert_new_members(
    conn: Any,
    preview: RosterPreview,
    creates: list[RosterRecord],
    ids: list[int],
    batch_id: int,
    groups: dict[str, int],
    tags: dict[str, int],
    group_names: set[str],
    inviter_id: Callable[[RosterRecord], int | None],
    tick: Callable[[int], None],
    existing_count: int,
) -> None:
    """Write the new members, their memberships and tags (ids reserved up front)."""
    # members, memberships and tags: tuples in column order, written in chunks; columns
    # with one value for every row are written into the statement instead of every row
    sqlite = conn.dialect.name == "sqlite"
    to_date: Callable[[dt.date | None], Any] = _iso if sqlite else _same
    to_json: Callable[[dict[str, str]], Any] = _json_text if sqlite else _same
    defer = sqlite and len(creates) >= BULK_REINDEX_MIN and len(creates) >= existing_count
    dropped = _drop_indexes(conn, ("members", "memberships", "member_tags")) if defer else []
    member_rows: list[tuple[Any, ...]] = []
    ms_rows: list[tuple[Any, ...]] = []
    tag_rows: list[tuple[Any, ...]] = []
    chunk = 2000
    fixed = _fixed_member_columns(preview, creates, batch_id, to_json)
    member_cols = tuple(c for c in _MEMBER_COLS if c not in fixed)
    row_of = itemgetter(*member_cols)
    # each row as a dict of what it needs (the columns not fixed and what the derived ones
    # are made of; defaults, then the file's values), read out in column order by one
    # itemgetter: C-level work instead of a dict.get per column
    base: dict[str, Any] = {c: _MEMBER_DEFAULTS.get(c) for c in member_cols}
    for c in ("real_name", "phone", "wechat_id", "city", "joined_on", "paid_until", "consent"):
        base.setdefault(c, _MEMBER_DEFAULTS[c])
    with_inviters = "inviter_id" not in fixed
    with_custom = "custom" not in fixed
    with_consent = "consent" not in fixed
    ms_fixed: dict[str, Any] = {"batch_id": batch_id}
    if not (group_names and any(map(attrgetter("group_left"), creates))):
        ms_fixed["left_on"] = None
    ms_cols = tuple(c for c in _MEMBERSHIP_COLS if c not in ms_fixed)
    iso: dict[dt.date, str] = {}
    ms_row_of = itemgetter(*(i for i, c in enumerate(_MEMBERSHIP_COLS) if c not in ms_fixed))
    for r, mid in zip(creates, ids, strict=True):
        m = {**base, **r.values}
        memberships = _memberships(r, m["joined_on"]) if r.groups else []
        m["name_pinyin"], m["name_initials"], m["search_text"] = derived_values(
            m["display_name"], m["real_name"], m["phone"], m["wechat_id"], m["city"],
            [ms[1] for ms in memberships if ms[1]] if memberships else (), r.tags,
        )
        m["id"] = mid
        if with_inviters:
            m["inviter_id"] = inviter_id(r) if r.inviter_ref is not None else None
        if with_custom:
            m["custom"] = to_json(r.custom)
        if with_consent:
            # SQLite stores a Boolean as 0/1; an int binds without the sqlite3 module's
            # adaptation lookup that a bool (or None) costs on every row
            m["consent"] = (1 if m["consent"] else 0) if sqlite else bool(m["consent"])
        if sqlite:
            # a file has a few thousand distinct dates (the preview converted each once)
            if (d := m["joined_on"]) is not None:
                m["joined_on"] = iso.get(d) or iso.setdefault(d, d.isoformat())
            if (d := m["paid_until"]) is not None:
                m["paid_until"] = iso.get(d) or iso.setdefault(d, d.isoformat())
        member_rows.append(row_of(m))
        for g, nick, joined, left in memberships:
            ms_rows.append(ms_row_of((mid, groups[g], nick, to_date(joined), to_date(left), batch_id)))
        for t in r.tags:
            tag_rows.append((mid, tags[t]))
        if len(member_rows) >= chunk:
            _bulk_insert(conn, table_of(Member), member_cols, member_rows, fixed)
            tick(len(member_rows))
            member_rows = []
    if member_rows:
        _bulk_insert(conn, table_of(Member), member_cols, member_rows, fixed)
        tick(len(member_rows))
    if ms_rows:
        _bulk_insert(conn, table_of(Membership), ms_cols, ms_rows, ms_fixed)
    if tag_rows:
        _bulk_insert(conn, member_tags, ("member_id", "tag_id"), tag_rows)
    for ddl in dropped:
        conn.exec_driver_sql(ddl)


@contextmanager
def _bulk_page_cache(conn: Any, rows: int) -> Iterator[None]:
    """SQLite, a bulk import: a page cache that holds what the transaction writes.

    With the engine's 16 MiB, writing 100,000 members spills dirty pages into the WAL
    and every index rebuilt after the load reads the table back from there (measured:
    ~40,000 extra ``pread`` calls). Raised to about 1 KiB a row (at most 256 MiB; pages
    are only allocated as they are used) for the load, and set back afterwards, also on
    error or cancel."""
    if conn.dialect.name != "sqlite" or rows < BULK_REINDEX_MIN:
        yield
        return
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
    wanted = min(rows * BULK_CACHE_KIB_PER_ROW, BULK_CACHE_MAX_KIB)
    # a negative cache_size is KiB, a positive one pages: compare in KiB
    page_kib = int(conn.exec_driver_sql("PRAGMA page_size").scalar_one()) / 1024
    if (-before if before < 0 else before * page_kib) >= wanted:
        yield
        return
    conn.exec_driver_sql(f"PRAGMA cache_size=-{wanted}")
    try:
        yield
    except BaseException:
        with suppress(Exception):  # the import's own error is the one to report
            conn.exec_driver_sql(f"PRAGMA cache_size={before}")
        raise
    conn.exec_driver_sql(f"PRAGMA cache_size={before}")


def _check_still_valid(preview: RosterPreview, ex: _Existing) -> None:
    """The workspace may have changed since the preview (another operator, another
    import): re-plan and refuse if the plan differs. When the members' ids, names,
    phones and WeChat ids are exactly those the preview planned from (same fingerprint)
    and the policy is the same, the plan cannot differ and is not recomputed."""
    if preview.plan_basis is not None and preview.plan_basis == (ex.fingerprint, preview.on_duplicate):
        return
    planned = [(r.action, r.target_id, r.merged_into) for r in preview.records]
    now, _dups = _plan(preview.records, ex, preview.on_duplicate)
    if planned != now:
        raise ConflictError(
            "预览之后工作区里的成员已有变化（可能有人同时导入或修改了名单），请重新预览后再导入",
            file=preview.file,
        )
    for r in preview.records:
        if r.inviter_ref and r.inviter_ref[0] == "member" and r.inviter_ref[1] not in ex.names:
            raise ConflictError(
                f"第 {r.row} 行的邀请人在预览之后已被删除，请重新预览后再导入", file=preview.file
            )


def _memberships(
    r: RosterRecord, joined: dt.date | None
) -> list[tuple[str, str, dt.date | None, dt.date | None]]:
    out = []
    for i, g in enumerate(r.groups):
        nick = _at(r.nicknames, i) or ""
        j = _at(r.group_joined, i) if r.group_joined else joined
        left = _at(r.group_left, i) if r.group_left else None
        out.append((g, nick, j, left))
    return out


def _json_text(d: dict[str, str]) -> str:
    """What SQLAlchemy's JSON type stores; most rows have no custom fields."""
    return json.dumps(d) if d else "{}"


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _same(v: Any) -> Any:
    return v


_MEMBER_COLS = (
    "id", "display_name", "real_name", "phone", "wechat_id", "gender", "city", "industry",
    "company", "title", "intro", "joined_on", "source", "inviter_id", "role", "tier",
    "paid_until", "status", "consent", "notes", "custom", "name_pinyin", "name_initials",
    "search_text", "level", "batch_id",
)
_MEMBERSHIP_COLS = ("member_id", "group_id", "nickname", "joined_on", "left_on", "batch_id")


BULK_REINDEX_MIN = 20_000
BULK_CACHE_KIB_PER_ROW = 1
BULK_CACHE_MAX_KIB = 256 * 1024


def _drop_indexes(conn: Any, tables: Sequence[str]) -> list[str]:
    """SQLite bulk load: drop the secondary indexes of ``tables`` and return their DDL to
    recreate after the insert. Building an index from sorted data once is ~3x cheaper than
    maintaining 8 indexes row by row; DDL is transactional in SQLite, so a rollback (error,
    cancel) brings the indexes back untouched. Only used when the import at least doubles
    the table, so the rebuild never costs more than the rows being added."""
    placeholders = ", ".join("?" for _ in tables)
    rows = conn.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({placeholders}) ORDER BY name",
        tuple(tables),
    ).all()
    for name, _sql in rows:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def _bulk_insert(
    conn: Any,
    table: Table,
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    fixed: Mapping[str, Any] | None = None,
) -> None:
    """executemany of ready-made tuples, plus ``fixed`` columns that have the same value
    in every row. On SQLite straight through the DBAPI cursor (measured ~3x faster than
    Core's per-row parameter processing on 100k members), with values already in the
    form SQLAlchemy's SQLite types store (ISO dates, JSON text, 0/1), and the fixed
    values written into the statement as literals: nothing to bind per row (the sqlite3
    module looks up an adapter, through a failing attribute lookup, for every None or
    bool it binds); elsewhere through Core."""
    fixed = fixed or {}
    if conn.dialect.name == "sqlite":
        server_defaults = [c.name for c in table.columns if c.name not in columns and c.name not in fixed
                           and c.server_default is not None and c.name == "created_at"]
        names = [*columns, *fixed, *server_defaults]
        values = (["?"] * len(columns) + [_sql_literal(v) for v in fixed.values()]
                  + ["CURRENT_TIMESTAMP"] * len(server_defaults))
        sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join(values)})"
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.executemany(sql, rows)
        finally:
            cursor.close()
    else:
        conn.execute(insert(table), [{**fixed, **dict(zip(columns, r, strict=True))} for r in rows])


def _sql_literal(value: Any) -> str:
    """A fixed value of :func:`_bulk_insert` as SQLite stores it when bound: NULL, 0/1,
    an integer or a quoted string (only our own defaults and ids come here)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def _reserve_ids(session: Session, n: int) -> list[int]:
    """Member ids for the new rows, decided before inserting so that memberships, tags
    and inviters can be written with plain executemany (no RETURNING round trips)."""
    if n == 0:
        return []
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        return list(conn.execute(
            text("SELECT nextval(pg_get_serial_sequence('members', 'id')) FROM generate_series(1, :n)"),
            {"n": n},
        ).scalars())
    # SQLite: the write session holds the database lock (BEGIN IMMEDIATE), so max(id)+1…
    # cannot be taken by anyone else before we insert.
    start = (conn.execute(text("SELECT coalesce(max(id), 0) FROM members")).scalar_one()) + 1
    return list(range(start, start + n))


def _ensure_groups(session: Session, names: Iterable[str]) -> tuple[dict[str, int], list[int]]:
    wanted = sorted(set(names))
    if not wanted:
        return {}, []
    have: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        have.update({n: g for n, g in session.execute(select(Group.name, Group.id).where(Group.name.in_(wanted[i:i + 500])))})
    missing = [n for n in wanted if n not in have]
    created: list[int] = []
    if missing:
        session.execute(insert(table_of(Group)), [{"name": n, "platform": "微信", "notes": ""} for n in missing])
        for i in range(0, len(missing), 500):
            rows = session.execute(select(Group.name, Group.id).where(Group.name.in_(missing[i:i + 500]))).all()
            for name, gid in rows:
                have[name] = gid
                created.append(gid)
    return have, sorted(created)


def _ensure_tags(session: Session, names: Iterable[str]) -> tuple[dict[str, int], list[int]]:
    wanted = sorted(set(names))
    if not wanted:
        return {}, []
    have: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        have.update({n: t for n, t in session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(wanted[i:i + 500])))})
    missing = [n for n in wanted if n not in have]
    created: list[int] = []
    if missing:
        session.execute(insert(table_of(Tag)), [{"name": n} for n in missing])
        for i in range(0, len(missing), 500):
            for name, tid in session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(missing[i:i + 500]))).all():
                have[name] = tid
                created.append(tid)
    return have, sorted(created)


_UPDATABLE = tuple(f for f in _CONVERTERS)


def _apply_updates(
    session: Session,
    updates: list[RosterRecord],
    groups: dict[str, int],
    tags: dict[str, int],
    batch_id: int,
    operator: str,
    inviter_id: Callable[[RosterRecord], int | None],
    tick: Callable[[int], None],
) -> int:
    """Update policy: overwrite the existing members' fields the file fills, add groups
    and tags; each member's previous values go to audit_entries.before (with the batch
    id) so that undo puts them back."""
    if not updates:
        return 0
    mt = table_of(Member)
    cols = [mt.c.id, mt.c.version, mt.c.custom, mt.c.inviter_id, *(mt.c[f] for f in _UPDATABLE)]
    current: dict[int, dict[str, Any]] = {}
    target_ids = [r.target_id for r in updates if r.target_id is not None]
    for i in range(0, len(target_ids), 500):
        for row in session.execute(select(*cols).where(mt.c.id.in_(target_ids[i:i + 500]))).mappings():
            current[row["id"]] = dict(row)
    ms_current: dict[tuple[int, int], tuple[int, str]] = {}
    tag_current: set[tuple[int, int]] = set()
    mst = table_of(Membership)
    for i in range(0, len(target_ids), 500):
        chunk = target_ids[i:i + 500]
        for mid, gid, msid, nick in session.execute(
            select(mst.c.member_id, mst.c.group_id, mst.c.id, mst.c.nickname).where(mst.c.member_id.in_(chunk))
        ):
            ms_current[(mid, gid)] = (msid, nick)
        tag_current.update(
            (m, t) for m, t in session.execute(
                select(member_tags.c.member_id, member_tags.c.tag_id).where(member_tags.c.member_id.in_(chunk))
            )
        )
    now = dt.datetime.now()
    audit_rows: list[dict[str, Any]] = []
    changed_ids: list[int] = []
    new_ms: list[dict[str, Any]] = []
    nick_updates: list[dict[str, Any]] = []
    new_tags: list[dict[str, Any]] = []
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for r in updates:
        assert r.target_id is not None
        mid = r.target_id
        cur = current.get(mid)
        if cur is None:
            raise ConflictError(f"第 {r.row} 行要更新的成员 #{mid} 已被删除，请重新预览", file=None)
        changes = {k: v for k, v in r.values.items() if cur.get(k) != v}
        new_custom = {**(cur["custom"] or {}), **r.custom}
        if new_custom != (cur["custom"] or {}):
            changes["custom"] = new_custom
        inv = inviter_id(r)
        if inv is not None and inv != cur["inviter_id"] and inv != mid:
            changes["inviter_id"] = inv
        before: dict[str, Any] = {k: cur[k] for k in changes}
        after: dict[str, Any] = dict(changes)
        ms_before: dict[str, str] = {}
        ms_added: list[int] = []
        for g, nick, joined, left in _memberships(r, r.values.get("joined_on")):
            gid = groups[g]
            have = ms_current.get((mid, gid))
            if have is None:
                new_ms.append({"member_id": mid, "group_id": gid, "nickname": nick, "joined_on": joined,
                               "left_on": left, "batch_id": batch_id})
                ms_added.append(gid)
                ms_current[(mid, gid)] = (0, nick)
            elif nick and nick != have[1] and have[0]:
                ms_before[str(have[0])] = have[1]
                nick_updates.append({"msid": have[0], "nick": nick})
        tags_added = [tags[t] for t in r.tags if (mid, tags[t]) not in tag_current]
        for t in tags_added:
            tag_current.add((mid, t))
            new_tags.append({"member_id": mid, "tag_id": t})
        if not (changes or ms_before or ms_added or tags_added):
            continue
        if changes:
            by_columns.setdefault(tuple(sorted(changes)), []).append({"_id": mid, **{"_" + k: v for k, v in changes.items()}})
        changed_ids.append(mid)
        audit_rows.append({
            "at": now, "operator": operator, "action": "import_update", "entity": "member",
            "entity_id": mid, "note": f"导入批次 #{batch_id}（第 {r.row} 行）", "batch_id": batch_id,
            "before": audit.jsonable({**before, "_nicknames": ms_before}),
            "after": audit.jsonable({**after, "_groups_added": ms_added, "_tags_added": tags_added,
                                     "_version": cur["version"] + (1 if changes else 0)}),
        })
        tick(1)
    for columns, params in by_columns.items():
        session.execute(
            update(mt).where(mt.c.id == bindparam("_id")).values(
                {**{k: bindparam("_" + k, type_=mt.c[k].type) for k in columns},
                 "version": mt.c.version + 1, "updated_at": now}
            ),
            params,
        )
    if new_ms:
        session.execute(insert(mst), new_ms)
    if nick_updates:
        session.execute(
            update(mst).where(mst.c.id == bindparam("msid"))
            .values(nickname=bindparam("nick"), version=mst.c.version + 1),
            nick_updates,
        )
    if new_tags:
        session.execute(insert(member_tags), new_tags)
    if audit_rows:
        from sqdesk.models import AuditEntry

        session.execute(insert(table_of(AuditEntry)), audit_rows)
    if changed_ids:
        refresh_search_text(session, changed_ids)
    return len(changed_ids)
