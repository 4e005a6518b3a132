"""供给 / 需求: what members can offer and what they need, and the matches between them.

Keywords are a list in the API and one comma-joined column in the table (what the
brief and the matcher read). A match links one 供给 to one 需求 of two different
members; its outcome drives the items' status: an item is ``matched`` while it has an
accepted (or met) match, and goes back to ``open`` when the last such match is
rejected. Finding matches is the matcher's job (another module); this one records
them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from sqdesk.core import audit
from sqdesk.core.errors import ConflictError, NotFoundError, ValidationError
from sqdesk.core.text import DateError, clean_text, parse_date, split_tags
from sqdesk.models import Match, Member, SupplyDemand
from sqdesk.models.vocab import MATCH_OUTCOMES, SD_CATEGORIES, SD_KINDS, SD_STATUSES

SD_FIELDS: dict[str, str] = {
    "member_id": "成员",
    "kind": "类型",
    "category": "类别",
    "text": "内容",
    "keywords": "关键词",
    "created_on": "发布日期",
    "expires_on": "有效期至",
    "status": "状态",
}
HOLDING = ("accepted", "met")  # outcomes that mean the two were connected
KEYWORDS_MAX = 400


@dataclass
class SupplyDemandInput:
    member_id: int
    kind: str  # 供给 / 需求
    text: str
    category: str = "其他"
    keywords: Sequence[str] | str = field(default_factory=tuple)
    created_on: dt.date | None = None  # None: today
    expires_on: dt.date | None = None
    status: str = "open"


@dataclass(frozen=True)
class SupplyDemandView:
    id: int
    version: int
    member_id: int
    member_name: str
    kind: str
    category: str
    text: str
    keywords: tuple[str, ...]
    created_on: dt.date
    expires_on: dt.date | None
    status: str
    batch_id: int | None

    def to_input(self) -> SupplyDemandInput:
        return SupplyDemandInput(
            member_id=self.member_id, kind=self.kind, text=self.text, category=self.category,
            keywords=self.keywords, created_on=self.created_on, expires_on=self.expires_on,
            status=self.status,
        )


@dataclass(frozen=True)
class MatchView:
    id: int
    version: int
    offer_id: int
    offer_member_id: int
    offer_member_name: str
    offer_category: str
    offer_text: str
    need_id: int
    need_member_id: int
    need_member_name: str
    need_category: str
    need_text: str
    score: float
    reason: str
    proposed_by: str
    outcome: str
    note: str
    created_at: dt.datetime


# ---- keywords -----------------------------------------------------------------------

def parse_keywords(raw: Sequence[str] | str | None) -> list[str]:
    """A keyword list from what a form or a sheet holds: "设计，短视频 运营" or a list.
    Items of a list are kept whole apart from commas (the column's separator)."""
    if raw is None:
        return []
    if isinstance(raw, str):
        return split_tags(raw)
    out: dict[str, None] = {}
    for item in raw:
        for part in re.split(r"[,，]+", clean_text(item)):
            part = part.strip().lstrip("#").strip()
            if part:
                out.setdefault(part[:50], None)
    return list(out)


def join_keywords(words: Sequence[str]) -> str:
    return ",".join(words)


def split_keywords(stored: str) -> tuple[str, ...]:
    return tuple(w for w in stored.split(",") if w)


# ---- validation -----------------------------------------------------------------------

def _date(raw: object, label: str) -> dt.date | None:
    try:
        return parse_date(raw)
    except DateError as exc:
        raise ValidationError(str(exc), column=label) from exc


def _validate(session: Session, data: SupplyDemandInput, today: dt.date | None = None) -> dict[str, Any]:
    f = SD_FIELDS
    if data.member_id is None or session.get(Member, data.member_id) is None:
        raise ValidationError(f"成员 #{data.member_id} 不存在", column=f["member_id"])
    kind = clean_text(data.kind)
    if kind not in SD_KINDS:
        raise ValidationError(f"类型「{kind}」应为 {'/'.join(SD_KINDS)}", column=f["kind"])
    category = clean_text(data.category) or "其他"
    if category not in SD_CATEGORIES:
        raise ValidationError(f"类别「{category}」应为 {'/'.join(SD_CATEGORIES)}", column=f["category"])
    text = clean_text(data.text)
    if not text:
        raise ValidationError(f"{kind}的内容不能为空", column=f["text"])
    keywords = join_keywords(parse_keywords(data.keywords))
    if len(keywords) > KEYWORDS_MAX:
        raise ValidationError(f"关键词合计超过 {KEYWORDS_MAX} 个字符，请精简", column=f["keywords"])
    created_on = _date(data.created_on, f["created_on"]) or today or dt.date.today()
    expires_on = _date(data.expires_on, f["expires_on"])
    if expires_on is not None and expires_on < created_on:
        raise ValidationError(
            f"有效期至 {expires_on:%Y-%m-%d} 早于发布日期 {created_on:%Y-%m-%d}", column=f["expires_on"]
        )
    status = clean_text(data.status) or "open"
    if status not in SD_STATUSES:
        raise ValidationError(f"状态「{status}」应为 {'/'.join(SD_STATUSES)}", column=f["status"])
    return {
        "member_id": int(data.member_id), "kind": kind, "category": category, "text": text,
        "keywords": keywords, "created_on": created_on, "expires_on": expires_on, "status": status,
    }


# ---- CRUD -----------------------------------------------------------------------------

_COLUMNS = (
    SupplyDemand.id, SupplyDemand.version, SupplyDemand.member_id, Member.display_name, SupplyDemand.kind,
    SupplyDemand.category, SupplyDemand.text, SupplyDemand.keywords, SupplyDemand.created_on,
    SupplyDemand.expires_on, SupplyDemand.status, SupplyDemand.batch_id,
)


def _view(row: Any) -> SupplyDemandView:
    return SupplyDemandView(
        id=row[0], version=row[1], member_id=row[2], member_name=row[3], kind=row[4], category=row[5],
        text=row[6], keywords=split_keywords(row[7]), created_on=row[8], expires_on=row[9], status=row[10],
        batch_id=row[11],
    )


def create_supply_demand(
    session: Session, data: SupplyDemandInput, operator: str = "", *, today: dt.date | None = None
) -> SupplyDemandView:
    values = _validate(session, data, today)
    item = SupplyDemand(**values)
    session.add(item)
    session.flush()
    audit.record(session, operator, "create", "supply_demand", item.id, after=values)
    return get_supply_demand(session, item.id)


def get_supply_demand(session: Session, item_id: int) -> SupplyDemandView:
    row = session.execute(
        select(*_COLUMNS).join(Member, Member.id == SupplyDemand.member_id).where(SupplyDemand.id == item_id)
    ).first()
    if row is None:
        raise NotFoundError(f"供求 #{item_id} 不存在")
    return _view(row)


def update_supply_demand(
    session: Session,
    item_id: int,
    data: SupplyDemandInput,
    *,
    expected_version: int | None = None,
    operator: str = "",
) -> SupplyDemandView:
    item = session.get(SupplyDemand, item_id)
    if item is None:
        raise NotFoundError(f"供求 #{item_id} 不存在")
    if expected_version is not None and item.version != expected_version:
        raise ConflictError(f"这条{item.kind}已被其他人修改，请刷新后再编辑")
    values = _validate(session, data)
    if values["kind"] != item.kind and session.scalar(
        select(func.count()).select_from(Match).where(or_(Match.offer_id == item_id, Match.need_id == item_id))
    ):
        raise ValidationError(f"这条{item.kind}已有匹配记录，不能改为{values['kind']}", column=SD_FIELDS["kind"])
    before = {k: getattr(item, k) for k in values if getattr(item, k) != values[k]}
    if not before:
        return get_supply_demand(session, item_id)
    for key in before:
        setattr(item, key, values[key])
    session.flush()
    audit.record(session, operator, "update", "supply_demand", item_id, before=before,
                 after={k: values[k] for k in before})
    return get_supply_demand(session, item_id)


def delete_supply_demand(
    session: Session, item_id: int, *, expected_version: int | None = None, operator: str = ""
) -> dict[str, Any]:
    """Delete an item and its matches; returns what ``restore_supply_demand`` takes."""
    cols = SupplyDemand.__table__.columns
    row = session.execute(select(*cols).where(cols.id == item_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"供求 #{item_id} 不存在")
    if expected_version is not None and row["version"] != expected_version:
        raise ConflictError(f"这条{row['kind']}已被其他人修改，请刷新后再删除")
    mt = Match.__table__
    snap = {
        "item": dict(row),
        "matches": [dict(m) for m in session.execute(
            select(mt).where(or_(mt.c.offer_id == item_id, mt.c.need_id == item_id))).mappings()],
    }
    item = session.get(SupplyDemand, item_id)
    if item is not None:
        session.expunge(item)
    session.execute(delete(Match).where(or_(Match.offer_id == item_id, Match.need_id == item_id)))
    session.execute(delete(SupplyDemand).where(SupplyDemand.id == item_id))
    audit.record(session, operator, "delete", "supply_demand", item_id,
                 before={k: row[k] for k in SD_FIELDS}, note=f"连同 {len(snap['matches'])} 条匹配")
    return snap


def restore_supply_demand(session: Session, snap: dict[str, Any], operator: str = "") -> None:
    iid = snap["item"]["id"]
    if session.get(SupplyDemand, iid) is not None:
        raise ConflictError(f"供求 #{iid} 已存在，无法恢复")
    session.execute(insert(SupplyDemand), [snap["item"]])
    if snap["matches"]:
        session.execute(insert(Match), snap["matches"])
    audit.record(session, operator, "restore", "supply_demand", iid)


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_supply_demand(
    session: Session,
    kind: str | None = None,
    category: str | None = None,
    status: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    member_id: int | None = None,
    query: str | None = None,
    *,
    limit: int | None = None,
) -> list[SupplyDemandView]:
    """Newest first. ``since``/``until`` bound the publication date (both inclusive);
    every word of ``query`` must appear in the text, the keywords or the member (name,
    pinyin, initials, phone…)."""
    conds: list[Any] = []
    if kind:
        conds.append(SupplyDemand.kind == kind)
    if category:
        conds.append(SupplyDemand.category == category)
    if status:
        conds.append(SupplyDemand.status == status)
    if since is not None:
        conds.append(SupplyDemand.created_on >= since)
    if until is not None:
        conds.append(SupplyDemand.created_on <= until)
    if member_id is not None:
        conds.append(SupplyDemand.member_id == member_id)
    for term in clean_text(query).lower().split():
        pattern = _like(term)
        conds.append(or_(
            func.lower(SupplyDemand.text).like(pattern, escape="\\"),
            func.lower(SupplyDemand.keywords).like(pattern, escape="\\"),
            Member.search_text.like(pattern, escape="\\"),
        ))
    stmt = (
        select(*_COLUMNS).join(Member, Member.id == SupplyDemand.member_id).where(and_(True, *conds))
        .order_by(SupplyDemand.created_on.desc(), SupplyDemand.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_view(r) for r in session.execute(stmt)]


def expire_overdue(session: Session, today: dt.date | None = None, operator: str = "") -> int:
    """Close open items whose validity ended before ``today``; returns how many."""
    today = today or dt.date.today()
    overdue = list(session.scalars(
        select(SupplyDemand.id).where(
            SupplyDemand.status == "open", SupplyDemand.expires_on.is_not(None), SupplyDemand.expires_on < today
        )
    ))
    for start in range(0, len(overdue), 900):
        session.execute(
            update(SupplyDemand).where(SupplyDemand.id.in_(overdue[start : start + 900]))
            .values(status="closed", version=SupplyDemand.version + 1)
            .execution_options(synchronize_session=False)
        )
    if overdue:
        session.expire_all()
        audit.record(session, operator, "expire", "supply_demand", None,
                     after={"ids": overdue, "today": today}, note=f"{len(overdue)} 条已过有效期，自动关闭")
    return len(overdue)


# ---- matches ----------------------------------------------------------------------------

def _item(session: Session, item_id: int) -> SupplyDemand:
    item = session.get(SupplyDemand, item_id)
    if item is None:
        raise NotFoundError(f"供求 #{item_id} 不存在")
    return item


def record_match(
    session: Session,
    offer_id: int,
    need_id: int,
    score: float = 0.0,
    reason: str = "",
    proposed_by: str = "",
    operator: str = "",
    *,
    now: dt.datetime | None = None,
) -> MatchView:
    """Record that this 供给 may answer that 需求 (outcome ``proposed``)."""
    offer, need = _item(session, offer_id), _item(session, need_id)
    if offer.kind == need.kind:
        raise ValidationError(f"两条都是「{offer.kind}」：匹配应是一条供给对一条需求")
    if offer.kind != "供给":
        raise ValidationError(f"#{offer_id} 是需求、#{need_id} 是供给：请把供给放在前面")
    if offer.member_id == need.member_id:
        name = session.scalar(select(Member.display_name).where(Member.id == offer.member_id))
        raise ValidationError(f"供给和需求都来自「{name}」，不能匹配给同一个人")
    for item in (offer, need):
        if item.status == "closed":
            raise ValidationError(f"{item.kind} #{item.id}「{item.text[:20]}」已关闭，不能再匹配")
    try:
        score = float(score)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"匹配分「{score}」不是数字") from exc
    if not math.isfinite(score):
        raise ValidationError("匹配分不是有效的数字")
    existing = session.scalar(select(Match.id).where(Match.offer_id == offer_id, Match.need_id == need_id))
    if existing is not None:
        raise ConflictError(f"这条供给和需求已经匹配过（匹配 #{existing}）")
    values = {
        "offer_id": offer_id, "need_id": need_id, "score": score, "reason": clean_text(reason),
        "proposed_by": clean_text(proposed_by) or operator, "outcome": "proposed", "note": "",
        "created_at": now or dt.datetime.now(),
    }
    match_id = session.execute(insert(Match).values(**values).returning(Match.id)).scalar_one()
    audit.record(session, operator, "create", "match", match_id, after=values)
    return get_match(session, match_id)


def set_match_outcome(
    session: Session,
    match_id: int,
    outcome: str,
    note: str = "",
    *,
    expected_version: int | None = None,
    operator: str = "",
) -> MatchView:
    """Record how an introduction went. ``accepted``/``met`` mark both items matched;
    moving away from those reopens an item no other accepted match holds."""
    if outcome not in MATCH_OUTCOMES:
        raise ValidationError(f"结果「{outcome}」应为 {'/'.join(MATCH_OUTCOMES)}", column="结果")
    match = session.get(Match, match_id)
    if match is None:
        raise NotFoundError(f"匹配 #{match_id} 不存在")
    if expected_version is not None and match.version != expected_version:
        raise ConflictError("这条匹配已被其他人修改，请刷新后再试")
    before = {"outcome": match.outcome, "note": match.note}
    match.outcome = outcome
    match.note = clean_text(note)
    session.flush()
    changed: dict[int, tuple[str, str]] = {}
    for item_id in (match.offer_id, match.need_id):
        item = _item(session, item_id)
        if item.status == "closed":
            continue
        held = session.scalar(
            select(func.count()).select_from(Match).where(
                or_(Match.offer_id == item_id, Match.need_id == item_id), Match.outcome.in_(HOLDING)
            )
        )
        status = "matched" if held else "open"
        if status != item.status:
            changed[item_id] = (item.status, status)
            item.status = status
    session.flush()
    audit.record(session, operator, "update", "match", match_id, before=before,
                 after={"outcome": outcome, "note": match.note, "items": {str(k): v[1] for k, v in changed.items()}})
    return get_match(session, match_id)


def delete_match(session: Session, match_id: int, operator: str = "") -> None:
    match = session.get(Match, match_id)
    if match is None:
        raise NotFoundError(f"匹配 #{match_id} 不存在")
    if match.outcome in HOLDING:
        raise ValidationError("已接受的匹配不能删除，请把结果改为其他再删除")
    before = {"offer_id": match.offer_id, "need_id": match.need_id, "outcome": match.outcome}
    session.delete(match)
    session.flush()
    audit.record(session, operator, "delete", "match", match_id, before=before)


def _match_statement() -> Any:
    offer, need = aliased(SupplyDemand), aliased(SupplyDemand)
    om, nm = aliased(Member), aliased(Member)
    stmt = (
        select(
            Match.id, Match.version, offer.id, offer.member_id, om.display_name, offer.category, offer.text,
            need.id, need.member_id, nm.display_name, need.category, need.text, Match.score, Match.reason,
            Match.proposed_by, Match.outcome, Match.note, Match.created_at,
        )
        .join(offer, offer.id == Match.offer_id).join(om, om.id == offer.member_id)
        .join(need, need.id == Match.need_id).join(nm, nm.id == need.member_id)
    )
    return stmt, offer, need


def get_match(session: Session, match_id: int) -> MatchView:
    stmt, _, _ = _match_statement()
    row = session.execute(stmt.where(Match.id == match_id)).first()
    if row is None:
        raise NotFoundError(f"匹配 #{match_id} 不存在")
    return MatchView(*row)


def list_matches(
    session: Session,
    *,
    outcome: str | Sequence[str] | None = None,
    member_id: int | None = None,
    offer_id: int | None = None,
    need_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int | None = None,
) -> list[MatchView]:
    """Matches with both sides' texts and members, best score first, then newest.
    ``member_id`` finds matches on either side; ``since``/``until`` bound when the
    match was recorded (until exclusive)."""
    stmt, offer, need = _match_statement()
    if outcome is not None:
        stmt = stmt.where(Match.outcome.in_([outcome] if isinstance(outcome, str) else list(outcome)))
    if member_id is not None:
        stmt = stmt.where(or_(offer.member_id == member_id, need.member_id == member_id))
    if offer_id is not None:
        stmt = stmt.where(Match.offer_id == offer_id)
    if need_id is not None:
        stmt = stmt.where(Match.need_id == need_id)
    if since is not None:
        stmt = stmt.where(Match.created_at >= since)
    if until is not None:
        stmt = stmt.where(Match.created_at < until)
    stmt = stmt.order_by(Match.score.desc(), Match.created_at.desc(), Match.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    return [MatchView(*r) for r in session.execute(stmt)]
