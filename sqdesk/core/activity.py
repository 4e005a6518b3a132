"""The activity log (动态): manual entry, edits, and a filterable log that pages fast.

The log grows to millions of rows, so the list never uses OFFSET: ``activity_page``
is keyset-paginated on ``(occurred_at DESC, id DESC)``. The page query touches only
``activities`` (names are fetched afterwards for the ≤ ``limit`` rows shown), so the
planner walks ``ix_activities_time`` (or ``ix_activities_member_time`` /
``ix_activities_group_time`` when a member or group is chosen) backwards and stops
after ``limit`` rows: no full scan, no sort. ``explain_page`` shows the plan, and a
test holds it to that.

Times are naive local wall-clock. ``start`` is inclusive, ``end`` exclusive.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ClauseElement,
    Executable,
    Select,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from sqdesk.core import audit
from sqdesk.core.errors import ConflictError, NotFoundError, ValidationError
from sqdesk.core.roster import search_conditions
from sqdesk.core.text import DateError, clean_text, parse_datetime
from sqdesk.models import Activity, Group, Member
from sqdesk.models.vocab import ACTIVITY_KINDS, ACTIVITY_SOURCES

ACTIVITY_FIELDS: dict[str, str] = {
    "member_id": "成员",
    "group_id": "群",
    "kind": "类型",
    "occurred_at": "时间",
    "value": "数值",
    "note": "备注",
    "source": "来源",
}
EDITABLE = ("member_id", "group_id", "kind", "occurred_at", "value", "note")
DEFAULT_PAGE = 200
MAX_PAGE = 5000


@dataclass(frozen=True)
class ActivityRow:
    """One log line as the list shows it, names included."""

    id: int
    version: int
    member_id: int
    member_name: str
    group_id: int | None
    group_name: str
    kind: str
    occurred_at: dt.datetime
    value: float
    note: str
    source: str
    batch_id: int | None

    @property
    def cursor(self) -> tuple[dt.datetime, int]:
        """Pass as ``before=`` to get the page after this row."""
        return (self.occurred_at, self.id)


@dataclass
class ActivityFilter:
    """What the log shows. ``query`` finds the lines of the members it matches (name,
    pinyin, initials, phone, WeChat id, #tag — as roster search does); it is fast
    because it resolves members first and then seeks their lines by index. ``note``
    is a substring of the note: nothing indexes free text, so over a wide time range
    on a big log it reads every line (seconds on millions of rows); narrow it with a
    member, group or dates."""

    member_id: int | None = None
    group_id: int | None = None
    kinds: Sequence[str] = field(default_factory=tuple)
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    batch_id: int | None = None
    query: str = ""
    note: str = ""


# ---- validation ---------------------------------------------------------------

def _check_sign(kind: str, value: float) -> None:
    """A count is never negative; only 付费 may be (a refund) — as the importer checks."""
    if value < 0 and kind != "付费":
        raise ValidationError(f"数量不能为负数（{value:g}）：只有付费可以是负数，表示退款", column=ACTIVITY_FIELDS["value"])


def _validate(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, raw in values.items():
        label = ACTIVITY_FIELDS[key]
        if key == "member_id":
            if raw is None or session.get(Member, raw) is None:
                raise ValidationError(f"成员 #{raw} 不存在", column=label)
            out[key] = int(raw)
        elif key == "group_id":
            if raw is not None and session.get(Group, raw) is None:
                raise ValidationError(f"群 #{raw} 不存在", column=label)
            out[key] = None if raw is None else int(raw)
        elif key == "kind":
            kind = clean_text(raw)
            if kind not in ACTIVITY_KINDS:
                raise ValidationError(f"类型「{kind}」应为 {'/'.join(ACTIVITY_KINDS)}", column=label)
            out[key] = kind
        elif key == "occurred_at":
            try:
                moment = parse_datetime(raw)
            except DateError as exc:
                raise ValidationError(str(exc), column=label) from exc
            if moment is None:
                raise ValidationError("时间不能为空", column=label)
            if moment.tzinfo is not None:
                moment = moment.astimezone().replace(tzinfo=None)
            out[key] = moment
        elif key == "value":
            try:
                number = float(raw)
            except (TypeError, ValueError) as exc:
                raise ValidationError(f"「{raw}」不是数字", column=label) from exc
            if not math.isfinite(number):
                raise ValidationError(f"「{raw}」不是有效的数字", column=label)
            out[key] = number
        elif key == "note":
            out[key] = clean_text(raw)
        elif key == "source":
            if raw not in ACTIVITY_SOURCES:
                raise ValidationError(f"来源「{raw}」应为 {'/'.join(ACTIVITY_SOURCES)}", column=label)
            out[key] = raw
    return out


# ---- create / update / delete -------------------------------------------------

def add_activity(
    session: Session,
    member_id: int,
    kind: str,
    occurred_at: dt.datetime,
    value: float = 1,
    group_id: int | None = None,
    note: str = "",
    source: str = "manual",
    operator: str = "",
) -> ActivityRow:
    values = _validate(
        session,
        {"member_id": member_id, "group_id": group_id, "kind": kind, "occurred_at": occurred_at,
         "value": value, "note": note, "source": source},
    )
    _check_sign(values["kind"], values["value"])
    new_id = session.execute(insert(Activity).values(**values).returning(Activity.id)).scalar_one()
    audit.record(session, operator, "create", "activity", new_id, after=values)
    return get_activity(session, new_id)


def get_activity(session: Session, activity_id: int) -> ActivityRow:
    rows = _rows(session, select(*_PAGE_COLUMNS).where(Activity.id == activity_id))
    if not rows:
        raise NotFoundError(f"动态 #{activity_id} 不存在")
    return rows[0]


def update_activity(
    session: Session,
    activity_id: int,
    changes: dict[str, Any],
    *,
    expected_version: int | None = None,
    operator: str = "",
) -> ActivityRow:
    """Edit a log line. Imported lines may be edited too (a chat export can be wrong);
    the audit entry says which batch the line came from. Undoing that import later
    still removes the line, edited or not."""
    row = session.get(Activity, activity_id)
    if row is None:
        raise NotFoundError(f"动态 #{activity_id} 不存在")
    if expected_version is not None and row.version != expected_version:
        raise ConflictError("这条动态已被其他人修改，请刷新后再编辑")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    values = _validate(session, changes)
    _check_sign(values.get("kind", row.kind), values.get("value", row.value))
    before = {k: getattr(row, k) for k in values}
    for key, value in values.items():
        setattr(row, key, value)
    session.flush()
    note = f"修改了导入的记录（批次 #{row.batch_id}）" if row.batch_id is not None else ""
    audit.record(session, operator, "update", "activity", activity_id, before=before, after=values, note=note)
    return get_activity(session, activity_id)


def delete_activity(
    session: Session, activity_id: int, *, expected_version: int | None = None, operator: str = ""
) -> dict[str, Any]:
    """Delete one log line; returns the row as stored, which ``restore_activity`` takes."""
    cols = Activity.__table__.columns
    snap = session.execute(select(*cols).where(cols.id == activity_id)).mappings().first()
    if snap is None:
        raise NotFoundError(f"动态 #{activity_id} 不存在")
    if expected_version is not None and snap["version"] != expected_version:
        raise ConflictError("这条动态已被其他人修改，请刷新后再删除")
    session.execute(delete(Activity).where(Activity.id == activity_id))
    note = f"删除了导入的记录（批次 #{snap['batch_id']}）" if snap["batch_id"] is not None else ""
    audit.record(session, operator, "delete", "activity", activity_id, before=dict(snap), note=note)
    return dict(snap)


def restore_activity(session: Session, snap: dict[str, Any], operator: str = "") -> None:
    if session.get(Activity, snap["id"]) is not None:
        raise ConflictError(f"动态 #{snap['id']} 已存在，无法恢复")
    session.execute(insert(Activity), [snap])
    audit.record(session, operator, "restore", "activity", snap["id"])


# ---- the log ----------------------------------------------------------------------

_PAGE_COLUMNS = (
    Activity.id, Activity.version, Activity.member_id, Activity.group_id, Activity.kind,
    Activity.occurred_at, Activity.value, Activity.note, Activity.source, Activity.batch_id,
)


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


QUERY_MEMBER_CAP = 5000
QUERY_SORT_CAP = 20_000


def filter_conditions(flt: ActivityFilter | None, session: Session | None = None) -> list[Any]:
    """WHERE terms for a filter. With a session, a member ``query`` is resolved first so
    the page query can take the fast path (see ``_query_condition``)."""
    if flt is None:
        return []
    conds: list[Any] = []
    if flt.member_id is not None:
        conds.append(Activity.member_id == flt.member_id)
    if flt.group_id is not None:
        conds.append(Activity.group_id == flt.group_id)
    if flt.kinds:
        bad = [k for k in flt.kinds if k not in ACTIVITY_KINDS]
        if bad:
            raise ValidationError(f"未知的动态类型：{'、'.join(bad)}", column="类型")
        conds.append(Activity.kind.in_(list(flt.kinds)))
    if flt.start is not None:
        conds.append(Activity.occurred_at >= flt.start)
    if flt.end is not None:
        conds.append(Activity.occurred_at < flt.end)
    if flt.batch_id is not None:
        conds.append(Activity.batch_id == flt.batch_id)
    query = clean_text(flt.query)
    if query:
        conds.append(_query_condition(session, query))
    note = clean_text(flt.note)
    if note:
        conds.append(Activity.note.like(f"%{_escape_like(note)}%", escape="\\"))
    return conds


def _query_condition(session: Session | None, query: str) -> Any:
    """Lines of the members a query matches, spelled for the cheaper of two plans.

    Few lines in all (≤ QUERY_SORT_CAP): seek each member's lines through
    ix_activities_member_time and sort them. Many lines (a busy member, or a broad
    query): walk ix_activities_time newest first and keep theirs — dense enough that a
    page fills quickly. ``member_id + 0`` keeps the planner off the member index then.
    """
    members = select(Member.id).where(and_(True, *search_conditions(query)))
    if session is None:
        return Activity.member_id.in_(members)
    ids = list(session.scalars(members.limit(QUERY_MEMBER_CAP + 1)))
    if len(ids) > QUERY_MEMBER_CAP:
        return (Activity.member_id + 0).in_(members)
    if not ids:
        return Activity.member_id.in_(ids)
    seen = select(Activity.id).where(Activity.member_id.in_(ids)).limit(QUERY_SORT_CAP + 1).subquery()
    lines = int(session.scalar(select(func.count()).select_from(seen)) or 0)
    if lines <= QUERY_SORT_CAP:
        return Activity.member_id.in_(ids)
    return (Activity.member_id + 0).in_(ids)


def page_statement(
    flt: ActivityFilter | None = None,
    *,
    before: tuple[dt.datetime, int] | None = None,
    limit: int = DEFAULT_PAGE,
    session: Session | None = None,
) -> Select[*tuple[Any, ...]]:
    """The page query alone (activities only, no joins): what ``activity_page`` runs."""
    conds = filter_conditions(flt, session)
    if before is not None:
        at, last_id = before
        # Spelled so both SQLite and PostgreSQL turn the first term into an index range.
        conds.append(Activity.occurred_at <= at)
        conds.append(or_(Activity.occurred_at < at, Activity.id < last_id))
    limit = max(1, min(int(limit), MAX_PAGE))
    return (
        select(*_PAGE_COLUMNS)
        .where(and_(True, *conds))
        .order_by(Activity.occurred_at.desc(), Activity.id.desc())
        .limit(limit)
    )


def activity_page(
    session: Session,
    flt: ActivityFilter | None = None,
    *,
    before: tuple[dt.datetime, int] | None = None,
    limit: int = DEFAULT_PAGE,
) -> list[ActivityRow]:
    """Newest first. ``before`` is the ``cursor`` of the last row of the previous page."""
    return _rows(session, page_statement(flt, before=before, limit=limit, session=session))


def _rows(session: Session, stmt: Select[*tuple[Any, ...]]) -> list[ActivityRow]:
    raw = session.execute(stmt).all()
    member_ids = {r.member_id for r in raw}
    group_ids = {r.group_id for r in raw if r.group_id is not None}
    names: dict[int, str] = {}
    if member_ids:
        names = {
            mid: name
            for mid, name in session.execute(
                select(Member.id, Member.display_name).where(Member.id.in_(member_ids))
            )
        }
    groups: dict[int, str] = {}
    if group_ids:
        groups = {
            gid: name
            for gid, name in session.execute(select(Group.id, Group.name).where(Group.id.in_(group_ids)))
        }
    return [
        ActivityRow(
            id=r.id, version=r.version, member_id=r.member_id, member_name=names.get(r.member_id, ""),
            group_id=r.group_id, group_name=groups.get(r.group_id, "") if r.group_id is not None else "",
            kind=r.kind, occurred_at=r.occurred_at, value=r.value, note=r.note, source=r.source,
            batch_id=r.batch_id,
        )
        for r in raw
    ]


def count_activity(session: Session, flt: ActivityFilter | None = None) -> int:
    stmt = select(func.count()).select_from(Activity).where(and_(True, *filter_conditions(flt, session)))
    return int(session.scalar(stmt) or 0)


def member_timeline(session: Session, member_id: int, limit: int = 100) -> list[ActivityRow]:
    """A member's latest log lines, newest first (the member page's timeline)."""
    return activity_page(session, ActivityFilter(member_id=member_id), limit=limit)


# ---- query plans --------------------------------------------------------------------

class _Explain(Executable, ClauseElement):
    inherit_cache = False

    def __init__(self, statement: Select[*tuple[Any, ...]]) -> None:
        self.statement = statement


@compiles(_Explain)
def _compile_explain(element: _Explain, compiler: SQLCompiler, **kw: Any) -> str:
    prefix = "EXPLAIN QUERY PLAN " if compiler.dialect.name == "sqlite" else "EXPLAIN "
    return prefix + compiler.process(element.statement, **kw)


def explain_page(
    session: Session,
    flt: ActivityFilter | None = None,
    *,
    before: tuple[dt.datetime, int] | None = None,
    limit: int = DEFAULT_PAGE,
    prefer_index: bool = False,
) -> list[str]:
    """The database's plan for ``activity_page`` (SQLite: EXPLAIN QUERY PLAN details;
    PostgreSQL: EXPLAIN lines). On PostgreSQL ``prefer_index`` switches off sequential
    scans and full sorts for this transaction, so a small test table shows whether an
    index-ordered plan exists at all (a plan that still sorts had no other way)."""
    stmt = page_statement(flt, before=before, limit=limit, session=session)
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        return [str(r[-1]) for r in session.execute(_Explain(stmt))]
    if prefer_index:
        session.execute(text("SET LOCAL enable_seqscan = off"))
        session.execute(text("SET LOCAL enable_sort = off"))
    return [str(r[0]) for r in session.execute(_Explain(stmt))]
