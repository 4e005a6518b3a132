"""Import chat-statistics exports into the activity log (动态).

An export has one row per (time, group, member, kind, value): "2024-03-05, 杭州一群,
小明, 发言, 12". Preview reads the whole file once and resolves every row to
``(member_id, group_id, kind, occurred_at, value, note)`` without writing anything;
commit writes one ``import_batches`` row and the activities in the caller's
transaction, so an import lands whole or not at all and undoes as a batch.

Members are matched with the roster's rules, in order: normalised phone, normalised
WeChat id, the 群昵称 in that row's group, then a unique display name. Rows that match
nobody, or more than one member, are reported (file, row, column, value) and left out;
nothing is created silently — not members, not groups.

This loop runs a million times on a big export, so the per-row work is a handful of
dict lookups: member resolution is cached per distinct (group, member, WeChat id,
phone) cell tuple, times per distinct cell (``datetime.fromisoformat`` first), kinds
and values likewise. On SQLite the rows go in through the DBAPI cursor's executemany
(measured ~2x faster than Core's executemany for this table); PostgreSQL uses Core.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import sqlite3
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sqdesk.core import audit
from sqdesk.core.errors import BadFileError, ConflictError, Problem, UserError, ValidationError
from sqdesk.core.text import (
    DateError,
    PhoneError,
    clean_text,
    normalize_phone,
    normalize_wechat,
    parse_datetime,
)
from sqdesk.io.tables import find_header_row, match_columns, normalize_header, open_table
from sqdesk.models import Activity, Group, ImportBatch, Member, Membership
from sqdesk.models.base import table_of
from sqdesk.models.vocab import ACTIVITY_KINDS

ACTIVITY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "time": ("时间", "日期", "发言时间", "统计日期", "统计时间", "发送时间", "date", "time", "datetime"),
    "group": ("群", "群名", "群名称", "所在群", "群聊", "群聊名称", "group"),
    "member": ("成员", "昵称", "群昵称", "发言人", "用户", "用户名", "姓名", "member", "name", "nickname"),
    "wechat_id": ("微信号", "微信", "微信id", "wechat", "wechatid", "wxid"),
    "phone": ("手机", "手机号", "手机号码", "电话", "phone", "mobile"),
    "kind": ("类型", "行为", "动作", "事件", "kind", "type", "action"),
    "value": ("数量", "次数", "发言数", "发言次数", "消息数", "条数", "金额", "值", "count", "value", "amount"),
    "note": ("备注", "内容", "说明", "note", "remark"),
}

FIELD_LABELS: dict[str, str] = {
    "time": "时间", "group": "群", "member": "成员", "wechat_id": "微信号", "phone": "手机号",
    "kind": "类型", "value": "数量", "note": "备注",
}

# What exports write in a "type" column → the activity kind it means. Keys are
# compared after NFKC, lower-casing and removing blanks.
KIND_SYNONYMS: dict[str, str] = {
    **{k: k for k in ACTIVITY_KINDS},
    **dict.fromkeys(
        ("消息", "聊天", "说话", "文字", "文本", "文本消息", "语音", "图片", "视频", "表情", "链接",
         "群消息", "发言数", "消息数", "message", "msg", "chat", "text", "talk"), "发言"),
    **dict.fromkeys(("打卡", "每日打卡", "签到打卡", "checkin", "check-in", "sign-in", "signin"), "签到"),
    **dict.fromkeys(("转发", "分享链接", "转发分享", "share", "forward"), "分享"),
    **dict.fromkeys(("拉人", "拉新", "邀请入群", "邀请好友", "invite", "invitation"), "邀请"),
    **dict.fromkeys(("参会", "出席", "参与活动", "参加", "活动参与", "attend", "attended"), "参加活动"),
    **dict.fromkeys(("违反群规", "违纪", "violation"), "违规"),
    **dict.fromkeys(("付款", "支付", "缴费", "续费", "购买", "pay", "payment", "paid"), "付费"),
    **dict.fromkeys(("进群", "加群", "加入", "加入群聊", "join", "joined"), "入群"),
    **dict.fromkeys(("退出", "退出群聊", "离开", "离群", "leave", "left", "quit"), "退群"),
    **dict.fromkeys(("remind", "reminder"), "提醒"),
    **dict.fromkeys(("warn", "warning"), "警告"),
    **dict.fromkeys(("踢出", "移出", "移出群聊", "被踢", "kick", "removed"), "清退"),
    **dict.fromkeys(("note", "remark"), "备注"),
}

DEFAULT_KIND = "发言"
MAX_PROBLEMS = 5_000
"""Per-row findings kept in detail (the counts are always exact)."""
TOP_NAMES = 20
_CACHE_LIMIT = 200_000
_HEAD_ROWS = 20

_AMBIGUOUS = "ambiguous"
_UNMATCHED = "unmatched"
_UNKNOWN_GROUP = "unknown_group"
_NO_MEMBER = "no_member"
_BAD_TIME = "bad_time"
_BAD_KIND = "bad_kind"
_BAD_VALUE = "bad_value"

PROBLEM_LABELS: dict[str, str] = {
    _UNMATCHED: "找不到成员",
    _AMBIGUOUS: "对应多名成员",
    _UNKNOWN_GROUP: "找不到群",
    _NO_MEMBER: "缺少成员信息",
    _BAD_TIME: "时间无法识别",
    _BAD_KIND: "类型无法识别",
    _BAD_VALUE: "数量无法识别",
}

ResolvedRow = tuple[int, int | None, str, dt.datetime, float, str]
"""(member_id, group_id, kind, occurred_at, value, note) — one activity to insert."""

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


def normalize_kind(value: object) -> str | None:
    """The activity kind an export's "type" cell means; 发言 for an empty cell, None if
    the word is unknown."""
    if value is None:
        return DEFAULT_KIND
    key = "".join(unicodedata.normalize("NFKC", str(value)).split()).lower()
    if not key:
        return DEFAULT_KIND
    return KIND_SYNONYMS.get(key)


def parse_value(value: object) -> float:
    """A count or an amount: 12, "12", "1,234", "¥12.5", "12条"; 1 for an empty cell."""
    if value is None:
        return 1.0
    if isinstance(value, bool):
        raise ValueError(f"「{value}」不是数字")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if not text:
            return 1.0
        stripped = text.replace(",", "").replace("¥", "").replace("元", "").replace("条", "").replace("次", "").strip()
        try:
            number = float(stripped)
        except ValueError:
            raise ValueError(f"「{text}」不是数字") from None
    if not math.isfinite(number):
        raise ValueError(f"「{value}」不是有效的数字")
    return number


def _name_key(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip().casefold()


# ---- the member directory ------------------------------------------------------

_Ids = int | tuple[int, ...]


def _put(index: dict[Any, _Ids], key: Any, member_id: int) -> None:
    have = index.get(key)
    if have is None:
        index[key] = member_id
    elif isinstance(have, int):
        if have != member_id:
            index[key] = (have, member_id)
    elif member_id not in have:
        index[key] = (*have, member_id)


@dataclass
class _Miss:
    """Why a (group, member, WeChat id, phone) cell tuple resolves to nobody."""

    category: str
    field: str
    message: str
    name: str


class MemberDirectory:
    """Everything member matching needs, loaded in four queries, as dicts.

    Built once per preview; for 100,000 members it takes well under a second and makes
    each distinct name cost a few dict lookups.
    """

    def __init__(self, session: Session) -> None:
        self.phones: dict[str, _Ids] = {}
        self.wechats: dict[str, _Ids] = {}
        self.names: dict[str, _Ids] = {}
        self.nicknames: dict[tuple[int, str], _Ids] = {}
        self.any_nickname: dict[str, _Ids] = {}
        self.display: dict[int, str] = {}
        for mid, name, phone, wechat in session.execute(
            select(Member.id, Member.display_name, Member.phone, Member.wechat_id)
        ):
            self.display[mid] = name
            _put(self.names, _name_key(name), mid)
            if phone:
                _put(self.phones, phone, mid)
            if wechat:
                _put(self.wechats, wechat, mid)
        for mid, gid, nick in session.execute(
            select(Membership.member_id, Membership.group_id, Membership.nickname).where(Membership.nickname != "")
        ):
            key = _name_key(nick)
            _put(self.nicknames, (gid, key), mid)
            _put(self.any_nickname, key, mid)
        self.groups: dict[str, int] = {}
        self.group_names: dict[int, str] = {}
        for gid, gname in session.execute(select(Group.id, Group.name).order_by(Group.id)):
            self.groups.setdefault(_name_key(gname), gid)
            self.group_names[gid] = gname

    def _ambiguous(self, ids: tuple[int, ...], what: str, shown: str, fld: str) -> _Miss:
        who = "、".join(f"#{i} {self.display.get(i, '')}" for i in ids[:5])
        more = f" 等 {len(ids)} 人" if len(ids) > 5 else ""
        return _Miss(
            _AMBIGUOUS, fld,
            f"{what}「{shown}」对应多名成员（{who}{more}），请在表中补充微信号或手机号以区分",
            shown,
        )

    def resolve(
        self, group: object, member: object, wechat: object, phone: object, *, has_group_column: bool
    ) -> tuple[int, int | None] | _Miss:
        """(member_id, group_id) for one row's identifying cells, or why not."""
        gid: int | None = None
        if group is not None and has_group_column:
            gname = clean_text(group)
            if gname:
                found = self.groups.get(_name_key(gname))
                if found is None:
                    return _Miss(
                        _UNKNOWN_GROUP, "group",
                        f"找不到群「{gname}」；请先在“群”页面添加这个群（或改正群名）后再导入",
                        gname,
                    )
                gid = found
        if phone is not None:
            try:
                norm = normalize_phone(phone)
            except PhoneError:
                norm = None
            hit = self.phones.get(norm) if norm else None
            if isinstance(hit, int):
                return hit, gid
            if hit is not None:
                return self._ambiguous(hit, "手机号", str(norm), "phone")
        if wechat is not None:
            wx = normalize_wechat(wechat)
            hit = self.wechats.get(wx) if wx else None
            if isinstance(hit, int):
                return hit, gid
            if hit is not None:
                return self._ambiguous(hit, "微信号", str(wx), "wechat_id")
        name = clean_text(member) if member is not None else ""
        if name:
            key = _name_key(name)
            nick = self.nicknames.get((gid, key)) if gid is not None else self.any_nickname.get(key)
            if isinstance(nick, int):
                return nick, gid
            if nick is not None:
                where = f"群「{self.group_names[gid]}」中的群昵称" if gid is not None else "群昵称"
                return self._ambiguous(nick, where, name, "member")
            hit = self.names.get(key)
            if isinstance(hit, int):
                return hit, gid
            if hit is not None:
                return self._ambiguous(hit, "姓名", name, "member")
            where = f"群「{self.group_names[gid]}」里没有这个群昵称" if gid is not None else "没有这个群昵称"
            return _Miss(_UNMATCHED, "member", f"找不到成员「{name}」（{where}，也没有同名成员）", name)
        shown = clean_text(phone if phone is not None else wechat)
        if shown:
            fld = "phone" if phone is not None else "wechat_id"
            return _Miss(_UNMATCHED, fld, f"找不到{FIELD_LABELS[fld]}为「{shown}」的成员", shown)
        return _Miss(_NO_MEMBER, "member", "这一行没有成员信息（成员、微信号、手机号都为空）", "")


# ---- preview ------------------------------------------------------------------

@dataclass
class ActivityPreview:
    """What an import would do. ``rows`` are the activities to insert (compact tuples),
    ``lines`` their row numbers in the file (1-based as in Excel)."""

    file: str
    file_name: str
    file_sha256: str
    sheet: str
    header_row: int
    columns: dict[str, str]
    total_rows: int = 0
    rows: list[ResolvedRow] = field(default_factory=list, repr=False)
    lines: array[int] = field(default_factory=lambda: array("i"), repr=False)
    problems: list[Problem] = field(default_factory=list, repr=False)
    problem_count: int = 0
    problem_counts: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    duplicate_lines: list[int] = field(default_factory=list)
    """Row numbers of the first skipped duplicates (up to 200)."""
    zero_value_rows: int = 0
    unmatched_members: list[tuple[str, int]] = field(default_factory=list)
    ambiguous_members: list[tuple[str, int]] = field(default_factory=list)
    unknown_groups: list[tuple[str, int]] = field(default_factory=list)
    unknown_kinds: list[tuple[str, int]] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    first_at: dt.datetime | None = None
    last_at: dt.datetime | None = None
    notes: list[str] = field(default_factory=list)
    checked_through_batch: int = 0
    """Highest import_batches.id when duplicates were looked up (commit re-checks if newer)."""

    @property
    def to_import(self) -> int:
        return len(self.rows)

    def describe(self) -> str:
        cols = "，".join(f"{FIELD_LABELS[f]}←「{h}」" for f, h in self.columns.items())
        out = [
            f"文件「{self.file_name}」工作表「{self.sheet}」，表头在第 {self.header_row} 行；列：{cols}",
            *self.notes,
            f"共 {self.total_rows} 行数据，可导入 {self.to_import} 条动态",
        ]
        if self.first_at and self.last_at:
            out.append(f"时间范围：{self.first_at:%Y-%m-%d %H:%M} 至 {self.last_at:%Y-%m-%d %H:%M}")
        if self.kinds:
            out.append("类型：" + "，".join(f"{k} {n}" for k, n in self.kinds.items()))
        if self.duplicates:
            rows = "、".join(str(n) for n in self.duplicate_lines[:10])
            more = " 等" if self.duplicates > 10 else ""
            out.append(
                f"跳过 {self.duplicates} 行：与之前导入的记录完全相同（成员、群、类型、时间、数量都一样；"
                f"第 {rows}{more} 行）"
            )
        if self.zero_value_rows:
            out.append(f"跳过 {self.zero_value_rows} 行：数量为 0")
        if self.problem_count:
            counts = "，".join(f"{PROBLEM_LABELS[c]} {n}" for c, n in self.problem_counts.items())
            out.append(f"有问题未导入 {self.problem_count} 行：{counts}")
        for title, items in (
            ("找不到的成员（可先添加或补充群昵称）", self.unmatched_members),
            ("对应多名成员的名字", self.ambiguous_members),
            ("找不到的群", self.unknown_groups),
            ("无法识别的类型", self.unknown_kinds),
        ):
            if items:
                out.append(f"{title}：" + "，".join(f"{n}（{c} 行）" for n, c in items))
        if self.problems:
            out.append("前几处问题：")
            out.extend(f"  {p}" for p in self.problems[:20])
        return "\n".join(out)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "file_sha256": self.file_sha256,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": dict(self.columns),
            "total_rows": self.total_rows,
            "to_import": self.to_import,
            "duplicates": self.duplicates,
            "duplicate_lines": list(self.duplicate_lines),
            "zero_value_rows": self.zero_value_rows,
            "problem_count": self.problem_count,
            "problem_counts": dict(self.problem_counts),
            "problems": [
                {"row": p.row, "column": p.column, "message": p.message} for p in self.problems[:500]
            ],
            "unmatched_members": [list(x) for x in self.unmatched_members],
            "ambiguous_members": [list(x) for x in self.ambiguous_members],
            "unknown_groups": [list(x) for x in self.unknown_groups],
            "unknown_kinds": [list(x) for x in self.unknown_kinds],
            "kinds": dict(self.kinds),
            "first_at": self.first_at.isoformat(" ") if self.first_at else None,
            "last_at": self.last_at.isoformat(" ") if self.last_at else None,
            "notes": list(self.notes),
        }


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _explicit_mapping(mapping: Mapping[str, str] | None) -> dict[str, str] | None:
    """Header → field, where the field may be given as its key (``phone``) or as any of
    its names (``手机号``); "" / 忽略 leave a column out."""
    if not mapping:
        return None
    index = {normalize_header(w): f for f, words in ACTIVITY_SYNONYMS.items() for w in (f, *words)}
    index.update({normalize_header(label): f for f, label in FIELD_LABELS.items()})
    out: dict[str, str] = {}
    for header, wanted in mapping.items():
        text = wanted.strip()
        if text in ("", "忽略", "ignore", "-"):
            out[header] = ""
            continue
        fld = text if text in ACTIVITY_SYNONYMS else index.get(normalize_header(text))
        if fld is None:
            valid = "、".join(f"{f}（{FIELD_LABELS[f]}）" for f in ACTIVITY_SYNONYMS)
            raise ValidationError(f"列映射「{header}={wanted}」中的字段不认识；可用字段：{valid}", column=header)
        out[header] = fld
    return out


def _time_parser() -> Callable[[object], dt.datetime]:
    def parse(raw: object) -> dt.datetime:
        moment: dt.datetime | None
        if isinstance(raw, str):
            try:
                moment = dt.datetime.fromisoformat(raw)
            except ValueError:
                moment = parse_datetime(raw)
        else:
            moment = parse_datetime(raw)
        if moment is None:
            raise DateError("时间为空")
        if moment.tzinfo is not None:
            moment = moment.astimezone().replace(tzinfo=None)
        return moment

    return parse


class _Collector:
    """Per-row findings: exact counts, details up to MAX_PROBLEMS, names for the summary."""

    def __init__(self, file: str, headers: dict[str, str]) -> None:
        self.file = file
        self.headers = headers
        self.problems: list[Problem] = []
        self.count = 0
        self.by_category: Counter[str] = Counter()
        self.names: dict[str, Counter[str]] = {
            _UNMATCHED: Counter(), _AMBIGUOUS: Counter(), _UNKNOWN_GROUP: Counter(), _BAD_KIND: Counter(),
        }

    def add(self, line: int, category: str, fld: str, message: str, name: str = "") -> None:
        self.count += 1
        self.by_category[category] += 1
        if category in self.names and name:
            self.names[category][name] += 1
        if len(self.problems) < MAX_PROBLEMS:
            column = self.headers.get(fld, FIELD_LABELS.get(fld, fld))
            self.problems.append(Problem(line, column, message, self.file))

    def top(self, category: str) -> list[tuple[str, int]]:
        return self.names[category].most_common(TOP_NAMES)


def preview_activity_import(
    session: Session,
    path: str | Path,
    *,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
) -> ActivityPreview:
    """Read a chat-statistics export and resolve every row; writes nothing.

    ``mapping`` maps header text → field (see ACTIVITY_SYNONYMS for the fields);
    ``header_row`` is 1-based as in Excel (found automatically when omitted).
    Raises BadFileError / ValidationError when the file as a whole cannot be used.
    """
    p = Path(path)
    with open_table(p) as src:
        names = src.sheet_names()
        sheet_name = sheet or (names[0] if names else "")
        rows_iter = src.rows(sheet_name)
        head = list(islice(rows_iter, max(_HEAD_ROWS, header_row or 0)))
        explicit = _explicit_mapping(mapping)
        if header_row is not None:
            if not 1 <= header_row <= len(head):
                raise ValidationError(f"表头行号 {header_row} 超出范围（前 {len(head)} 行）", file=p)
            hdr = header_row - 1
        else:
            found = find_header_row(head, ACTIVITY_SYNONYMS)
            if found is None and explicit:
                wanted = {normalize_header(h) for h in explicit}
                found = next(
                    (i for i, r in enumerate(head) if wanted & {normalize_header(c) for c in r}), None
                )
            if found is None:
                raise BadFileError(
                    "前 20 行中找不到表头；表头应包含「时间」和「成员/昵称/微信号/手机号」等列名"
                    "（也可以指定表头所在行或列映射）",
                    file=p,
                )
            hdr = found
        header = head[hdr]
        columns = match_columns(header, ACTIVITY_SYNONYMS, explicit)
        headers = {f: clean_text(header[i]) or FIELD_LABELS[f] for f, i in columns.items()}
        have = "、".join(clean_text(c) for c in header if c not in (None, "")) or "（无）"
        if "time" not in columns:
            raise ValidationError(
                f"表头中没有时间列（可叫：{'/'.join(ACTIVITY_SYNONYMS['time'][:5])}）；现有列：{have}",
                file=p, row=hdr + 1,
            )
        if not {"member", "wechat_id", "phone"} & set(columns):
            raise ValidationError(
                "表头中没有能识别成员的列（成员/昵称/群昵称/发言人、微信号或手机号）；"
                f"现有列：{have}",
                file=p, row=hdr + 1,
            )
        preview = ActivityPreview(
            file=str(p), file_name=p.name, file_sha256=_file_sha256(p), sheet=sheet_name,
            header_row=hdr + 1, columns=headers, notes=list(src.notes),
        )
        directory = MemberDirectory(session)
        preview.checked_through_batch = session.scalar(select(func.max(ImportBatch.id))) or 0
        collector = _Collector(p.name, headers)
        data_rows = chain(head[hdr + 1 :], rows_iter)
        _resolve_rows(preview, data_rows, hdr + 2, columns, directory, collector)
    _set_range(preview)
    if preview.rows and _drop_already_imported(session, preview):
        _set_range(preview)
    preview.kinds = dict(Counter(map(itemgetter(2), preview.rows)).most_common())
    preview.problems = collector.problems
    preview.problem_count = collector.count
    preview.problem_counts = dict(collector.by_category)
    preview.unmatched_members = collector.top(_UNMATCHED)
    preview.ambiguous_members = collector.top(_AMBIGUOUS)
    preview.unknown_groups = collector.top(_UNKNOWN_GROUP)
    preview.unknown_kinds = collector.top(_BAD_KIND)
    return preview


def _set_range(preview: ActivityPreview) -> None:
    times = list(map(itemgetter(3), preview.rows))
    preview.first_at = min(times) if times else None
    preview.last_at = max(times) if times else None


def _resolve_rows(
    preview: ActivityPreview,
    rows: Iterator[list[object]],
    first_line: int,
    columns: dict[str, int],
    directory: MemberDirectory,
    collector: _Collector,
) -> None:
    """The hot loop: a few dict lookups per row, parsing only values not seen before."""
    absent = -1  # every row gets a trailing None, so absent fields read index -1
    gi, mi, wi, pi = (columns.get(f, absent) for f in ("group", "member", "wechat_id", "phone"))
    ti = columns["time"]
    ki, vi, ni = (columns.get(f, absent) for f in ("kind", "value", "note"))
    width = max(columns.values()) + 2
    key_of = itemgetter(gi, mi, wi, pi)
    has_group = "group" in columns

    member_cache: dict[tuple[object, ...], tuple[int, int | None] | _Miss] = {}
    time_cache: dict[object, dt.datetime | str] = {}
    kind_cache: dict[object, str | None] = {None: DEFAULT_KIND}
    value_cache: dict[object, float | str] = {None: 1.0}
    parse_time = _time_parser()
    fromisoformat = dt.datetime.fromisoformat
    resolve = directory.resolve
    out = preview.rows
    lines = preview.lines
    append = out.append
    add_line = lines.append
    total = 0
    zero = 0

    for line, row in enumerate(rows, first_line):
        row.append(None)
        if len(row) < width:
            if not any(c is not None for c in row):
                continue
            row.extend([None] * (width - len(row)))
        key = key_of(row)
        t_raw = row[ti]
        if t_raw is None and key == (None, None, None, None) and not any(c is not None for c in row):
            continue  # blank line
        total += 1

        who = member_cache.get(key)
        if who is None:
            if len(member_cache) >= _CACHE_LIMIT:
                member_cache.clear()
            who = member_cache[key] = resolve(*key, has_group_column=has_group)
        if isinstance(who, _Miss):
            collector.add(line, who.category, who.field, who.message, who.name)
            continue

        moment: dt.datetime
        try:  # ISO text (what most exports write): C speed, no cache needed
            moment = fromisoformat(t_raw)  # type: ignore[arg-type]
            if moment.tzinfo is not None:
                moment = moment.astimezone().replace(tzinfo=None)
        except (TypeError, ValueError):
            parsed = time_cache.get(t_raw)
            if parsed is None:
                if len(time_cache) >= _CACHE_LIMIT:
                    time_cache.clear()
                try:
                    parsed = parse_time(t_raw)
                except (DateError, ValueError, OverflowError) as exc:
                    parsed = str(exc) if isinstance(exc, DateError) else f"「{t_raw}」无法识别为时间"
                time_cache[t_raw] = parsed
            if isinstance(parsed, str):
                collector.add(line, _BAD_TIME, "time", parsed)
                continue
            moment = parsed

        k_raw = row[ki]
        kind = kind_cache.get(k_raw, "")
        if kind == "":
            kind = kind_cache[k_raw] = normalize_kind(k_raw)
        if kind is None:
            shown = clean_text(k_raw)
            collector.add(
                line, _BAD_KIND, "kind",
                f"不认识的类型「{shown}」；可用：{'/'.join(ACTIVITY_KINDS)}（或 消息/打卡/转发 等常见说法）",
                shown,
            )
            continue

        v_raw = row[vi]
        value = value_cache.get(v_raw)
        if value is None:
            if len(value_cache) >= _CACHE_LIMIT:
                value_cache.clear()
                value_cache[None] = 1.0
            try:
                value = parse_value(v_raw)
            except ValueError as exc:
                value = str(exc)
            value_cache[v_raw] = value
        if isinstance(value, str):
            collector.add(line, _BAD_VALUE, "value", value)
            continue
        if value <= 0:
            if value == 0:
                zero += 1
                continue
            if kind != "付费":
                collector.add(
                    line, _BAD_VALUE, "value",
                    f"数量「{clean_text(v_raw)}」不能为负数（只有付费可以是负数，表示退款）",
                )
                continue

        n_raw = row[ni]
        append((who[0], who[1], kind, moment, value, clean_text(n_raw) if n_raw is not None else ""))
        add_line(line)
    preview.total_rows = total
    preview.zero_value_rows = zero


def _existing_keys(
    session: Session, first: dt.datetime, last: dt.datetime
) -> set[tuple[int, int | None, str, dt.datetime, float]]:
    """Identity of every activity earlier imports wrote in [first, last]: one range scan
    over ix_activities_time, then a set lookup per row instead of a query per row."""
    a = table_of(Activity).c
    result = session.execute(
        select(a.member_id, a.group_id, a.kind, a.occurred_at, a.value).where(
            a.batch_id.is_not(None), a.occurred_at >= first, a.occurred_at <= last
        )
    )
    return {(r[0], r[1], r[2], r[3], float(r[4])) for r in result}


def _drop_already_imported(session: Session, preview: ActivityPreview) -> int:
    assert preview.first_at is not None and preview.last_at is not None
    existing = _existing_keys(session, preview.first_at, preview.last_at)
    if not existing:
        return 0
    keep: list[ResolvedRow] = []
    keep_lines: array[int] = array("i")
    dropped = 0
    for row, line in zip(preview.rows, preview.lines, strict=True):
        if row[:5] in existing:
            dropped += 1
            if len(preview.duplicate_lines) < 200:
                preview.duplicate_lines.append(line)
            continue
        keep.append(row)
        keep_lines.append(line)
    preview.rows = keep
    preview.lines = keep_lines
    preview.duplicates += dropped
    return dropped


# ---- commit -------------------------------------------------------------------

@dataclass(frozen=True)
class ActivityImportResult:
    batch_id: int
    created: int
    skipped_duplicates: int
    not_imported: int
    file_name: str

    @property
    def updated(self) -> int:
        return 0

    def describe(self) -> str:
        text = f"导入批次 #{self.batch_id}：新增 {self.created} 条动态（文件「{self.file_name}」）"
        if self.skipped_duplicates:
            text += f"，跳过重复 {self.skipped_duplicates} 条"
        if self.not_imported:
            text += f"，有问题未导入 {self.not_imported} 行"
        return text + f"；可用 “sqdesk undo-import {self.batch_id}” 整批撤销"

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id, "created": self.created,
            "skipped_duplicates": self.skipped_duplicates, "not_imported": self.not_imported,
            "file_name": self.file_name,
        }


_SQLITE_INSERT = (
    "INSERT INTO activities (member_id, group_id, kind, occurred_at, value, note, source, batch_id) "
    "VALUES (?, ?, ?, ?, ?, ?, 'import', ?)"
)


def _sqlite_timestamp(moment: dt.datetime) -> str:
    """How SQLAlchemy's SQLite DateTime stores a value (checked against its bind
    processor in the tests), so raw inserts compare and sort like ORM ones."""
    return moment.isoformat(" ", "microseconds")


def _cancelled(cancel: CancelFn | Any | None) -> bool:
    if cancel is None:
        return False
    is_set = getattr(cancel, "is_set", None)
    return bool(is_set() if callable(is_set) else cancel())


def commit_activity_import(
    session: Session,
    preview: ActivityPreview,
    *,
    operator: str,
    progress: ProgressFn | None = None,
    cancel: CancelFn | Any | None = None,
) -> ActivityImportResult:
    """Write the previewed activities as one import batch, in the caller's transaction.

    ``progress(done, total)`` is called about every 1%; ``cancel`` (a callable returning
    True, or a threading.Event) makes it raise ImportCancelled before the next chunk, and
    the caller's rollback leaves nothing behind.
    """
    newest = session.scalar(select(func.max(ImportBatch.id))) or 0
    if newest != preview.checked_through_batch and preview.rows:
        # Another import landed since the preview: look for duplicates again.
        _drop_already_imported(session, preview)
        preview.checked_through_batch = newest
    rows = preview.rows
    total = len(rows)
    if not total:
        why = "全部重复、数量为 0 或有问题" if preview.total_rows else "文件里没有数据行"
        raise UserError(f"没有可导入的动态（{why}）", file=preview.file)
    summary = {k: v for k, v in preview.as_dict().items() if k not in ("problems", "file")}
    batch_id = session.execute(
        insert(ImportBatch).values(
            kind="activity", file_name=preview.file_name, file_sha256=preview.file_sha256,
            operator=operator, created_at=dt.datetime.now(), rows_created=total, rows_updated=0,
            status="committed", summary=summary,
        ).returning(ImportBatch.id)
    ).scalar_one()
    audit.record(
        session, operator, "import", "activity", None,
        after={"file": preview.file_name, "rows": total, "duplicates": preview.duplicates},
        batch_id=batch_id,
    )
    chunk = max(2_000, -(-total // 100))
    if progress is not None:
        progress(0, total)
    conn = session.connection()
    try:
        if conn.dialect.name == "sqlite":
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            try:
                for start in range(0, total, chunk):
                    if _cancelled(cancel):
                        _raise_cancelled(preview)
                    cursor.executemany(
                        _SQLITE_INSERT,
                        [
                            (m, g, k, t.isoformat(" ", "microseconds"), v, n, batch_id)
                            for m, g, k, t, v, n in rows[start : start + chunk]
                        ],
                    )
                    if progress is not None:
                        progress(min(start + chunk, total), total)
            finally:
                cursor.close()
        else:
            table = table_of(Activity)
            for start in range(0, total, chunk):
                if _cancelled(cancel):
                    _raise_cancelled(preview)
                conn.execute(
                    insert(table),
                    [
                        {"member_id": m, "group_id": g, "kind": k, "occurred_at": t, "value": v,
                         "note": n, "source": "import", "batch_id": batch_id}
                        for m, g, k, t, v, n in rows[start : start + chunk]
                    ],
                )
                if progress is not None:
                    progress(min(start + chunk, total), total)
    except (IntegrityError, sqlite3.IntegrityError) as exc:
        raise ConflictError("预览之后有成员或群被删除了，请重新预览后再导入", file=preview.file) from exc
    return ActivityImportResult(
        batch_id=batch_id, created=total, skipped_duplicates=preview.duplicates,
        not_imported=preview.problem_count, file_name=preview.file_name,
    )


def _raise_cancelled(preview: ActivityPreview) -> None:
    from sqdesk.core.imports import ImportCancelled

    raise ImportCancelled("已取消导入，工作区未做任何修改", file=preview.file)
