"""The member roster: create/read/update/delete, search, bulk actions.

Search never recomputes pinyin: ``members.search_text`` holds every searchable field
(names, their pinyin and initials, nicknames, phone, WeChat id, tags, city) lower-cased,
so a query is one ``LIKE`` per term over one column.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from sqdesk.core import audit
from sqdesk.core.errors import ConflictError, NotFoundError, ValidationError
from sqdesk.core.text import (
    DateError,
    PhoneError,
    clean_text,
    normalize_phone,
    normalize_wechat,
    parse_date,
    pinyin_keys,
    search_blob,
)
from sqdesk.models import (
    Activity,
    Event,
    Group,
    Match,
    Member,
    Membership,
    Registration,
    SupplyDemand,
    Tag,
)
from sqdesk.models.base import table_of
from sqdesk.models.event import event_hosts
from sqdesk.models.member import member_tags
from sqdesk.models.vocab import GENDERS, LEVELS, MEMBER_STATUSES, ROLES

# Field → label as the operator sees it (also the header of the roster export).
MEMBER_FIELDS: dict[str, str] = {
    "display_name": "姓名",
    "real_name": "真实姓名",
    "phone": "手机号",
    "wechat_id": "微信号",
    "gender": "性别",
    "city": "城市",
    "industry": "行业",
    "company": "公司",
    "title": "职位",
    "intro": "自我介绍",
    "joined_on": "入群时间",
    "source": "来源",
    "inviter_id": "邀请人",
    "role": "角色",
    "tier": "会员等级",
    "paid_until": "付费到期",
    "status": "状态",
    "consent": "同意使用数据",
    "notes": "备注",
}
TEXT_FIELDS = ("real_name", "city", "industry", "company", "title", "intro", "source", "tier", "notes")
EDITABLE = set(MEMBER_FIELDS) | {"custom", "level"}


@dataclass(frozen=True)
class MembershipView:
    group_id: int
    group_name: str
    nickname: str
    joined_on: dt.date | None
    left_on: dt.date | None


@dataclass(frozen=True)
class MemberView:
    id: int
    version: int
    display_name: str
    real_name: str
    phone: str | None
    wechat_id: str | None
    gender: str
    city: str
    industry: str
    company: str
    title: str
    intro: str
    joined_on: dt.date | None
    source: str
    inviter_id: int | None
    inviter_name: str
    role: str
    tier: str
    paid_until: dt.date | None
    status: str
    consent: bool
    notes: str
    custom: dict[str, Any]
    level: str
    tags: tuple[str, ...] = ()
    groups: tuple[MembershipView, ...] = ()


@dataclass
class MemberFilter:
    group_id: int | None = None
    role: str | None = None
    level: str | None = None
    tag: str | None = None
    status: str | None = None


@dataclass
class MemberInput:
    """What a form or an import row supplies for one member (raw values welcome)."""

    display_name: str
    values: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    groups: list[tuple[int, str, dt.date | None]] = field(default_factory=list)


# ---- validation and derived columns ------------------------------------------

def validate_values(values: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Normalise a dict of member fields; raise ValidationError naming the field."""
    out: dict[str, Any] = {}
    for key, raw in values.items():
        label = MEMBER_FIELDS.get(key, key)
        if key == "display_name":
            name = clean_text(raw)
            if not name:
                raise ValidationError("姓名不能为空", column=label)
            if len(name) > 100:
                raise ValidationError("姓名超过 100 个字符", column=label)
            out[key] = name
        elif key == "phone":
            try:
                out[key] = normalize_phone(raw)
            except PhoneError as exc:
                raise ValidationError(str(exc), column=label) from exc
        elif key == "wechat_id":
            out[key] = normalize_wechat(raw)
        elif key in ("joined_on", "paid_until"):
            try:
                out[key] = parse_date(raw)
            except DateError as exc:
                raise ValidationError(str(exc), column=label) from exc
        elif key == "gender":
            g = clean_text(raw) or "未知"
            g = {"M": "男", "F": "女", "male": "男", "female": "女", "先生": "男", "女士": "女"}.get(g, g)
            if g not in GENDERS:
                raise ValidationError(f"性别「{g}」应为 {'/'.join(GENDERS)}", column=label)
            out[key] = g
        elif key == "role":
            r = clean_text(raw) or "成员"
            if r not in ROLES:
                raise ValidationError(f"角色「{r}」应为 {'/'.join(ROLES)}", column=label)
            out[key] = r
        elif key == "status":
            s = clean_text(raw) or "在群"
            if s not in MEMBER_STATUSES:
                raise ValidationError(f"状态「{s}」应为 {'/'.join(MEMBER_STATUSES)}", column=label)
            out[key] = s
        elif key == "level":
            lv = clean_text(raw)
            if lv and lv not in LEVELS:
                raise ValidationError(f"活跃等级「{lv}」应为 {'/'.join(LEVELS)}", column=label)
            out[key] = lv
        elif key == "consent":
            out[key] = parse_bool(raw)
        elif key == "inviter_id":
            out[key] = int(raw) if raw not in (None, "") else None
        elif key == "custom":
            out[key] = dict(raw or {})
        elif key in TEXT_FIELDS:
            out[key] = clean_text(raw)
        else:
            raise ValidationError(f"未知字段「{key}」")
    if not partial and "display_name" not in out:
        raise ValidationError("姓名不能为空", column=MEMBER_FIELDS["display_name"])
    return out


def parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = clean_text(raw).lower()
    return text in {"1", "是", "y", "yes", "true", "同意", "已同意", "√", "✓", "对"}


def derived_columns(
    display_name: str,
    real_name: str,
    phone: str | None,
    wechat_id: str | None,
    city: str,
    nicknames: Iterable[str] = (),
    tags: Iterable[str] = (),
) -> dict[str, str]:
    full, initials = pinyin_keys(display_name)
    if real_name and real_name != display_name:
        rfull, rinit = pinyin_keys(real_name)
        parts: list[str | None] = [display_name, full, initials, real_name, rfull, rinit, phone, wechat_id, city]
    else:
        parts = [display_name, full, initials, phone, wechat_id, city]
    parts.extend(nicknames)
    if tags:
        parts.extend(["#" + t for t in tags])
    return {"name_pinyin": full, "name_initials": initials, "search_text": search_blob(*parts)}


_TAG_TEXT: dict[tuple[str, ...], str] = {}
_TAG_TEXT_MAX = 4096


def derived_values(
    display_name: str,
    real_name: str,
    phone: str | None,
    wechat_id: str | None,
    city: str,
    nicknames: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> tuple[str, str, str]:
    """(name_pinyin, name_initials, search_text): what :func:`derived_columns` gives, as a
    tuple, for bulk writers (property-tested to be equal). Cheaper per member: no dict, no
    argument list for ``search_blob``, and the ``\x1f#标签…`` text of a tag list is joined
    once per distinct list (a roster has a few dozen tag combinations)."""
    full, initials = pinyin_keys(display_name)
    if real_name and real_name != display_name:  # rare: the general path
        return full, initials, derived_columns(
            display_name, real_name, phone, wechat_id, city, nicknames, tags
        )["search_text"]
    # "\x1f".join(filter(None, parts)) as search_blob does, parts as derived_columns lists them
    text = "\x1f".join(filter(None, (display_name, full, initials, phone, wechat_id, city, *nicknames)
                               if nicknames else (display_name, full, initials, phone, wechat_id, city)))
    if tags:
        key = tuple(tags)
        suffix = _TAG_TEXT.get(key)
        if suffix is None:
            suffix = "".join(["\x1f#" + t for t in key])
            if len(_TAG_TEXT) < _TAG_TEXT_MAX:
                _TAG_TEXT[key] = suffix
        # "#…" is never empty: each tag is one more \x1f-separated part
        text = text + suffix if text else suffix[1:]
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return full, initials, text.lower()


def refresh_search_text(session: Session, member_ids: Iterable[int]) -> None:
    ids = list(member_ids)
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        nick: dict[int, list[str]] = defaultdict(list)
        for mid, nn in session.execute(
            select(Membership.member_id, Membership.nickname).where(Membership.member_id.in_(chunk))
        ):
            if nn:
                nick[mid].append(nn)
        tags: dict[int, list[str]] = defaultdict(list)
        for mid, tn in session.execute(
            select(member_tags.c.member_id, Tag.name)
            .join(Tag, Tag.id == member_tags.c.tag_id)
            .where(member_tags.c.member_id.in_(chunk))
        ):
            tags[mid].append(tn)
        rows = session.execute(
            select(Member.id, Member.display_name, Member.real_name, Member.phone, Member.wechat_id, Member.city)
            .where(Member.id.in_(chunk))
        ).all()
        params = [
            {"mid": r[0], **derived_columns(r[1], r[2], r[3], r[4], r[5], nick[r[0]], tags[r[0]])}
            for r in rows
        ]
        if params:
            session.connection().execute(
                update(table_of(Member))
                .where(table_of(Member).c.id == _bind("mid"))
                .values(
                    name_pinyin=_bind("name_pinyin"),
                    name_initials=_bind("name_initials"),
                    search_text=_bind("search_text"),
                ),
                params,
            )


def _bind(name: str) -> Any:
    from sqlalchemy import bindparam

    return bindparam(name)


# ---- tags -------------------------------------------------------------------

def tag_ids(session: Session, names: Iterable[str], *, create: bool = True) -> dict[str, int]:
    wanted = {n.strip() for n in names if n and n.strip()}
    if not wanted:
        return {}
    have = dict(session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(wanted))).all())
    missing = wanted - set(have)
    if missing and create:
        session.execute(insert(Tag), [{"name": n} for n in sorted(missing)])
        have.update(session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(missing))).all())
    return have


def list_tags(session: Session) -> list[str]:
    return list(session.scalars(select(Tag.name).order_by(Tag.name)))


# ---- CRUD -------------------------------------------------------------------

def create_member(session: Session, data: MemberInput, operator: str = "") -> MemberView:
    values = validate_values({"display_name": data.display_name, **data.values})
    _check_unique(session, values.get("phone"), values.get("wechat_id"))
    member = Member(**values)
    nicknames = [n for _, n, _ in data.groups if n]
    member.__dict__.update({})
    for key, val in derived_columns(
        member.display_name, values.get("real_name", ""), member.phone, member.wechat_id,
        values.get("city", ""), nicknames, data.tags,
    ).items():
        setattr(member, key, val)
    session.add(member)
    session.flush()
    _set_tags(session, member.id, data.tags)
    for gid, nickname, joined in data.groups:
        session.add(Membership(member_id=member.id, group_id=gid, nickname=nickname, joined_on=joined))
    session.flush()
    audit.record(session, operator, "create", "member", member.id, after=values)
    return get_member(session, member.id)


def _check_unique(
    session: Session, phone: str | None, wechat_id: str | None, exclude: int | None = None
) -> None:
    for col, value, label in ((Member.phone, phone, "手机号"), (Member.wechat_id, wechat_id, "微信号")):
        if not value:
            continue
        q = select(Member.id, Member.display_name).where(col == value)
        if exclude is not None:
            q = q.where(Member.id != exclude)
        hit = session.execute(q.limit(1)).first()
        if hit:
            raise ConflictError(f"{label} {value} 已属于成员「{hit[1]}」(#{hit[0]})", column=label)


def get_member(session: Session, member_id: int) -> MemberView:
    m = session.get(Member, member_id)
    if m is None:
        raise NotFoundError(f"成员 #{member_id} 不存在")
    session.refresh(m)
    tags = tuple(
        session.scalars(
            select(Tag.name).join(member_tags, member_tags.c.tag_id == Tag.id)
            .where(member_tags.c.member_id == member_id).order_by(Tag.name)
        )
    )
    groups = tuple(
        MembershipView(gid, gname, nn, j, left)
        for gid, gname, nn, j, left in session.execute(
            select(Group.id, Group.name, Membership.nickname, Membership.joined_on, Membership.left_on)
            .join(Group, Group.id == Membership.group_id)
            .where(Membership.member_id == member_id)
            .order_by(Group.id)
        )
    )
    inviter_name = ""
    if m.inviter_id:
        inviter_name = session.scalar(select(Member.display_name).where(Member.id == m.inviter_id)) or ""
    return MemberView(
        id=m.id, version=m.version, display_name=m.display_name, real_name=m.real_name,
        phone=m.phone, wechat_id=m.wechat_id, gender=m.gender, city=m.city, industry=m.industry,
        company=m.company, title=m.title, intro=m.intro, joined_on=m.joined_on, source=m.source,
        inviter_id=m.inviter_id, inviter_name=inviter_name, role=m.role, tier=m.tier,
        paid_until=m.paid_until, status=m.status, consent=m.consent, notes=m.notes,
        custom=dict(m.custom or {}), level=m.level, tags=tags, groups=groups,
    )


def update_member(
    session: Session,
    member_id: int,
    changes: dict[str, Any],
    *,
    expected_version: int | None = None,
    operator: str = "",
) -> MemberView:
    """Apply field changes. ``expected_version`` is the version the editor read: if
    someone else saved in between, ConflictError instead of a silent overwrite."""
    m = session.get(Member, member_id)
    if m is None:
        raise NotFoundError(f"成员 #{member_id} 不存在")
    if expected_version is not None and m.version != expected_version:
        raise ConflictError(f"成员「{m.display_name}」已被其他人修改，请刷新后再编辑")
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(f"未知字段：{'、'.join(sorted(unknown))}")
    values = validate_values(changes, partial=True)
    _check_unique(session, values.get("phone"), values.get("wechat_id"), exclude=member_id)
    before = {k: getattr(m, k) for k in values}
    for key, value in values.items():
        setattr(m, key, value)
    m.updated_at = dt.datetime.now()
    session.flush()
    if set(values) & {"display_name", "real_name", "phone", "wechat_id", "city"}:
        refresh_search_text(session, [member_id])
    audit.record(session, operator, "update", "member", member_id, before=before, after=values)
    return get_member(session, member_id)


def set_member_tags(session: Session, member_id: int, tags: Sequence[str], operator: str = "") -> None:
    before = list(get_member(session, member_id).tags)
    _set_tags(session, member_id, tags)
    refresh_search_text(session, [member_id])
    audit.record(session, operator, "update", "member", member_id, before={"tags": before}, after={"tags": list(tags)})


def _set_tags(session: Session, member_id: int, tags: Sequence[str]) -> None:
    session.execute(delete(member_tags).where(member_tags.c.member_id == member_id))
    ids = tag_ids(session, tags)
    if ids:
        session.execute(insert(member_tags), [{"member_id": member_id, "tag_id": t} for t in ids.values()])


def member_snapshot(session: Session, member_id: int) -> dict[str, Any]:
    """Everything a delete removes, so that undo can put it back exactly."""
    m = session.get(Member, member_id)
    if m is None:
        raise NotFoundError(f"成员 #{member_id} 不存在")
    cols = table_of(Member).columns
    row = session.execute(select(*cols).where(cols.id == member_id)).mappings().one()

    def rows(table: Any, col: Any) -> list[dict[str, Any]]:
        return [dict(r) for r in session.execute(select(table).where(col == member_id)).mappings()]

    own_posts = select(SupplyDemand.id).where(SupplyDemand.member_id == member_id)

    return {
        "member": dict(row),
        "tags": [r["tag_id"] for r in rows(member_tags, member_tags.c.member_id)],
        "memberships": rows(table_of(Membership), table_of(Membership).c.member_id),
        "activities": rows(table_of(Activity), table_of(Activity).c.member_id),
        "registrations": rows(table_of(Registration), table_of(Registration).c.member_id),
        "supply_demand": rows(table_of(SupplyDemand), table_of(SupplyDemand).c.member_id),
        "invited": list(session.scalars(select(Member.id).where(Member.inviter_id == member_id))),
        # events the member hosts, and introductions that involve one of their offers/needs
        "hosting": list(session.scalars(select(event_hosts.c.event_id).where(event_hosts.c.member_id == member_id))),
        "matches": [
            dict(r) for r in session.execute(
                select(table_of(Match)).where(or_(
                    table_of(Match).c.offer_id.in_(own_posts), table_of(Match).c.need_id.in_(own_posts),
                ))
            ).mappings()
        ],
    }


def delete_member(session: Session, member_id: int, operator: str = "") -> dict[str, Any]:
    """Delete a member and what hangs on it; returns the snapshot restore_member takes."""
    snap = member_snapshot(session, member_id)
    session.execute(delete(Member).where(Member.id == member_id))
    audit.record(
        session, operator, "delete", "member", member_id,
        before={k: v for k, v in snap["member"].items() if k in MEMBER_FIELDS},
    )
    return snap


def _insert_keeping_ids(session: Session, table: Any, rows: list[dict[str, Any]]) -> dict[int, int]:
    """Put snapshot rows back with their old ids where those are still free. SQLite hands
    the highest id out again once its row is deleted, so a row added since may hold one:
    such rows get new ids. Returns old id → new id for them."""
    if not rows:
        return {}
    old_ids = [r["id"] for r in rows]
    taken: set[int] = set()
    for i in range(0, len(old_ids), 5000):
        taken.update(session.scalars(select(table.c.id).where(table.c.id.in_(old_ids[i:i + 5000]))))
    free = [r for r in rows if r["id"] not in taken] if taken else rows
    if free:
        session.execute(insert(table), free)
    moved: dict[int, int] = {}
    for r in rows:
        if r["id"] in taken:
            values = {k: v for k, v in r.items() if k != "id"}
            moved[r["id"]] = session.execute(insert(table).values(values).returning(table.c.id)).scalar_one()
    return moved


def restore_member(session: Session, snap: dict[str, Any], operator: str = "") -> None:
    mid = snap["member"]["id"]
    if session.get(Member, mid) is not None:
        raise ConflictError(f"成员 #{mid} 已存在，无法恢复")
    session.execute(insert(table_of(Member)), [snap["member"]])
    if snap["tags"]:
        session.execute(insert(member_tags), [{"member_id": mid, "tag_id": t} for t in snap["tags"]])
    for key, table in (
        ("memberships", table_of(Membership)),
        ("activities", table_of(Activity)),
        ("registrations", table_of(Registration)),
    ):
        _insert_keeping_ids(session, table, snap[key])
    posts_moved = _insert_keeping_ids(session, table_of(SupplyDemand), snap["supply_demand"])
    if snap["invited"]:
        session.execute(update(Member).where(Member.id.in_(snap["invited"])).values(inviter_id=mid))
    # Links to rows that may have gone meanwhile (an event deleted, the other side of an
    # introduction deleted) come back only where those rows still exist.
    hosting = snap.get("hosting", [])
    if hosting:
        events_left = set(session.scalars(select(Event.id).where(Event.id.in_(hosting))))
        kept = [{"event_id": e, "member_id": mid} for e in hosting if e in events_left]
        if kept:
            session.execute(insert(event_hosts), kept)
    matches = [
        {**m, "offer_id": posts_moved.get(m["offer_id"], m["offer_id"]),
         "need_id": posts_moved.get(m["need_id"], m["need_id"])}
        for m in snap.get("matches", [])
    ]
    if matches:
        posts = {x for m in matches for x in (m["offer_id"], m["need_id"])}
        posts_left = set(session.scalars(select(SupplyDemand.id).where(SupplyDemand.id.in_(posts))))
        _insert_keeping_ids(
            session, table_of(Match),
            [m for m in matches if m["offer_id"] in posts_left and m["need_id"] in posts_left],
        )
    audit.record(session, operator, "restore", "member", mid)


# ---- bulk actions -------------------------------------------------------------

def update_members_bulk(
    session: Session, member_ids: Sequence[int], changes: dict[str, Any], operator: str = ""
) -> dict[int, dict[str, Any]]:
    """Set the same fields on many members; returns each one's previous values (for undo
    with restore_member_values)."""
    values = validate_values(changes, partial=True)
    if "phone" in values or "wechat_id" in values:
        raise ValidationError("手机号和微信号不能批量修改")
    cols = [getattr(Member, k) for k in values]
    before: dict[int, dict[str, Any]] = {}
    for start in range(0, len(member_ids), 900):
        chunk = list(member_ids[start : start + 900])
        for row in session.execute(select(Member.id, *cols).where(Member.id.in_(chunk))):
            before[row[0]] = dict(zip(values, row[1:], strict=True))
        session.execute(
            update(Member)
            .where(Member.id.in_(chunk))
            .values(**values, version=Member.version + 1, updated_at=dt.datetime.now())
            .execution_options(synchronize_session=False)
        )
    audit.record(session, operator, "bulk_update", "member", None, after={"ids": len(before), **values})
    return before


def restore_member_values(session: Session, before: dict[int, dict[str, Any]], operator: str = "") -> None:
    for mid, values in before.items():
        session.execute(
            update(Member).where(Member.id == mid)
            .values(**values, version=Member.version + 1)
            .execution_options(synchronize_session=False)
        )
    audit.record(session, operator, "bulk_restore", "member", None, after={"ids": len(before)})


def add_tags_bulk(
    session: Session, member_ids: Sequence[int], tags: Sequence[str], operator: str = ""
) -> list[tuple[int, int]]:
    """Tag many members; returns the (member_id, tag_id) pairs actually added (for undo)."""
    ids = tag_ids(session, tags)
    existing = set()
    added: list[tuple[int, int]] = []
    for start in range(0, len(member_ids), 900):
        chunk = list(member_ids[start : start + 900])
        existing = set(
            session.execute(
                select(member_tags.c.member_id, member_tags.c.tag_id).where(
                    member_tags.c.member_id.in_(chunk), member_tags.c.tag_id.in_(ids.values())
                )
            )
        )
        added += [(m, t) for m in chunk for t in ids.values() if (m, t) not in existing]
    if added:
        session.execute(insert(member_tags), [{"member_id": m, "tag_id": t} for m, t in added])
        refresh_search_text(session, sorted({m for m, _ in added}))
    audit.record(session, operator, "bulk_tag", "member", None, after={"ids": len(member_ids), "tags": list(tags)})
    return added


def remove_tag_pairs(session: Session, pairs: Sequence[tuple[int, int]], operator: str = "") -> None:
    for m, t in pairs:
        session.execute(delete(member_tags).where(member_tags.c.member_id == m, member_tags.c.tag_id == t))
    refresh_search_text(session, sorted({m for m, _ in pairs}))
    audit.record(session, operator, "bulk_untag", "member", None, after={"pairs": len(pairs)})


def move_to_group(
    session: Session, member_ids: Sequence[int], group_id: int, *, from_group_id: int | None = None,
    on: dt.date | None = None, operator: str = "",
) -> dict[str, list[Any]]:
    """Add members to a group (and, with from_group_id, record that they left that one).
    A member who had left the group before rejoins it (same membership row, new join
    date). Returns what undo_move needs: {"joined": membership ids created, "left":
    membership ids closed, "rejoined": [membership id, previous joined_on, previous left_on]}."""
    on = on or dt.date.today()
    have = {
        mid: (ms_id, joined, left)
        for mid, ms_id, joined, left in session.execute(
            select(Membership.member_id, Membership.id, Membership.joined_on, Membership.left_on)
            .where(Membership.group_id == group_id, Membership.member_id.in_(member_ids))
        )
    }
    new = [m for m in member_ids if m not in have]
    joined: list[int] = []
    if new:
        session.execute(insert(Membership), [{"member_id": m, "group_id": group_id, "joined_on": on, "nickname": ""} for m in new])
        joined = list(session.scalars(select(Membership.id).where(Membership.group_id == group_id, Membership.member_id.in_(new))))
    rejoined = [[ms_id, j, left] for ms_id, j, left in have.values() if left is not None]
    if rejoined:
        session.execute(
            update(Membership).where(Membership.id.in_([r[0] for r in rejoined]))
            .values(joined_on=on, left_on=None, version=Membership.version + 1)
        )
    left_ids: list[int] = []
    if from_group_id is not None:
        left_ids = list(
            session.scalars(
                select(Membership.id).where(
                    Membership.group_id == from_group_id, Membership.member_id.in_(member_ids), Membership.left_on.is_(None)
                )
            )
        )
        if left_ids:
            session.execute(update(Membership).where(Membership.id.in_(left_ids)).values(left_on=on, version=Membership.version + 1))
    audit.record(session, operator, "bulk_move", "member", None, after={"ids": len(member_ids), "group_id": group_id})
    return {"joined": joined, "left": left_ids, "rejoined": rejoined}


def undo_move(session: Session, result: dict[str, list[Any]], operator: str = "") -> None:
    if result["joined"]:
        session.execute(delete(Membership).where(Membership.id.in_(result["joined"])))
    if result["left"]:
        session.execute(update(Membership).where(Membership.id.in_(result["left"])).values(left_on=None, version=Membership.version + 1))
    for ms_id, joined_on, left_on in result.get("rejoined", []):
        session.execute(
            update(Membership).where(Membership.id == ms_id)
            .values(joined_on=joined_on, left_on=left_on, version=Membership.version + 1)
        )
    audit.record(session, operator, "undo_move", "member", None)


# ---- search -----------------------------------------------------------------

def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_conditions(query: str) -> list[Any]:
    """One LIKE condition per whitespace-separated term (all must match)."""
    text = unicodedata.normalize("NFKC", query).strip().lower()
    conds = []
    for term in text.split():
        if term.startswith("#"):
            pattern = f"%\x1f{_escape_like(term)}%"
            conds.append(or_(Member.search_text.like(pattern, escape="\\")))
            continue
        digits = term.replace("-", "")
        if digits.isdigit() and len(digits) >= 3:
            conds.append(or_(Member.phone.like(f"{digits}%"), Member.search_text.like(f"%{digits}%")))
            continue
        conds.append(Member.search_text.like(f"%{_escape_like(term)}%", escape="\\"))
    return conds


def filter_conditions(session: Session, flt: MemberFilter | None) -> list[Any]:
    if flt is None:
        return []
    conds: list[Any] = []
    if flt.role:
        conds.append(Member.role == flt.role)
    if flt.status:
        conds.append(Member.status == flt.status)
    if flt.level:
        conds.append(Member.level == flt.level)
    if flt.group_id is not None:
        conds.append(
            Member.id.in_(
                select(Membership.member_id).where(Membership.group_id == flt.group_id, Membership.left_on.is_(None))
            )
        )
    if flt.tag:
        conds.append(
            Member.id.in_(
                select(member_tags.c.member_id).join(Tag, Tag.id == member_tags.c.tag_id).where(Tag.name == flt.tag)
            )
        )
    return conds


SORTABLE = {
    "id": Member.id, "display_name": Member.name_pinyin, "joined_on": Member.joined_on,
    "city": Member.city, "role": Member.role, "status": Member.status, "level": Member.level,
    "phone": Member.phone,
}


def search_member_ids(
    session: Session,
    query: str = "",
    flt: MemberFilter | None = None,
    *,
    order_by: str = "id",
    descending: bool = False,
    limit: int | None = None,
) -> list[int]:
    """Ids of the members matching ``query`` (every term a substring of the member's
    search text) and the filter, in ``ORDER BY order_by [DESC], id`` order. Readers of a
    SQLite workspace are served by the in-memory index (member_index); writers and
    PostgreSQL by the same semantics in SQL."""
    from sqdesk.core.member_index import cached_index, search_ids

    index = cached_index(session)
    if index is not None:
        return search_ids(index, query, flt, order_by, descending, limit)
    return search_member_ids_sql(session, query, flt, order_by=order_by, descending=descending, limit=limit)


@dataclass(frozen=True)
class MemberRow:
    """What a roster line shows; cheap to fetch in pages."""

    id: int
    display_name: str
    phone: str | None
    wechat_id: str | None
    role: str
    status: str
    level: str
    city: str
    joined_on: dt.date | None


def member_rows(session: Session, ids: Sequence[int]) -> list[MemberRow]:
    """Rows for the given ids, in the order given (missing ids are skipped)."""
    found: dict[int, MemberRow] = {}
    for start in range(0, len(ids), 900):
        chunk = list(ids[start : start + 900])
        for r in session.execute(
            select(
                Member.id, Member.display_name, Member.phone, Member.wechat_id, Member.role,
                Member.status, Member.level, Member.city, Member.joined_on,
            ).where(Member.id.in_(chunk))
        ):
            found[r[0]] = MemberRow(*r)
    return [found[i] for i in ids if i in found]


def search_members(
    session: Session, query: str = "", flt: MemberFilter | None = None, *, limit: int = 200
) -> list[MemberRow]:
    return member_rows(session, search_member_ids(session, query, flt, limit=limit))


# ---- roster table rows (the UI's lazily fetched pages) ----------------------------

@dataclass(frozen=True)
class MemberListRow:
    """One roster line with the member's current groups and tags, for display."""

    id: int
    display_name: str
    phone: str | None
    wechat_id: str | None
    role: str
    status: str
    level: str
    city: str
    joined_on: dt.date | None
    groups: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


def member_list_rows(session: Session, ids: Sequence[int]) -> list[MemberListRow]:
    """Rows for the given ids in the order given (missing ids skipped), each with the
    names of the groups the member is in now (not left) and their tags, sorted.

    Three queries per call whatever the number of ids (up to 900 per chunk), so a
    page of 200 roster lines costs a few milliseconds."""
    out: dict[int, MemberListRow] = {}
    for start in range(0, len(ids), 900):
        chunk = list(ids[start : start + 900])
        groups: dict[int, list[str]] = defaultdict(list)
        for mid, gname in session.execute(
            select(Membership.member_id, Group.name)
            .join(Group, Group.id == Membership.group_id)
            .where(Membership.member_id.in_(chunk), Membership.left_on.is_(None))
            .order_by(Membership.member_id, Group.id)
        ):
            groups[mid].append(gname)
        tags: dict[int, list[str]] = defaultdict(list)
        for mid, tname in session.execute(
            select(member_tags.c.member_id, Tag.name)
            .join(Tag, Tag.id == member_tags.c.tag_id)
            .where(member_tags.c.member_id.in_(chunk))
            .order_by(member_tags.c.member_id, Tag.name)
        ):
            tags[mid].append(tname)
        for r in session.execute(
            select(
                Member.id, Member.display_name, Member.phone, Member.wechat_id, Member.role,
                Member.status, Member.level, Member.city, Member.joined_on,
            ).where(Member.id.in_(chunk))
        ):
            out[r[0]] = MemberListRow(*r, groups=tuple(groups[r[0]]), tags=tuple(tags[r[0]]))
    return [out[i] for i in ids if i in out]


# ---- the member page: what hangs on one member ----------------------------------------

@dataclass(frozen=True)
class OfferNeedLine:
    id: int
    kind: str
    category: str
    text: str
    keywords: str
    created_on: dt.date
    expires_on: dt.date | None
    status: str


@dataclass(frozen=True)
class EventLine:
    event_id: int
    title: str
    kind: str
    starts_at: dt.datetime
    status: str  # the registration's: 已报名/候补/已签到/缺席/已取消
    checked_in_at: dt.datetime | None


def member_offers_needs(session: Session, member_id: int) -> list[OfferNeedLine]:
    """The member's 供/求, open ones first, newest first."""
    from sqlalchemy import case

    rows = session.execute(
        select(
            SupplyDemand.id, SupplyDemand.kind, SupplyDemand.category, SupplyDemand.text,
            SupplyDemand.keywords, SupplyDemand.created_on, SupplyDemand.expires_on,
            SupplyDemand.status,
        )
        .where(SupplyDemand.member_id == member_id)
        .order_by(case((SupplyDemand.status == "open", 0), else_=1),
                  SupplyDemand.created_on.desc(), SupplyDemand.id.desc())
    )
    return [OfferNeedLine(*r) for r in rows]


def member_events(session: Session, member_id: int, limit: int = 500) -> list[EventLine]:
    """Events the member signed up for (any registration status), latest first."""
    from sqdesk.models import Event

    rows = session.execute(
        select(Event.id, Event.title, Event.kind, Event.starts_at, Registration.status,
               Registration.checked_in_at)
        .join(Registration, Registration.event_id == Event.id)
        .where(Registration.member_id == member_id)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(limit)
    )
    return [EventLine(*r) for r in rows]


def search_member_ids_sql(
    session: Session,
    query: str = "",
    flt: MemberFilter | None = None,
    *,
    order_by: str = "id",
    descending: bool = False,
    limit: int | None = None,
) -> list[int]:
    """:func:`search_member_ids` always answered by SQL, never by the in-memory index.

    The roster screen uses it where building (or rebuilding, after a commit) the index
    would make the operator wait: opening a workspace, and the refresh right after an
    edit. Same semantics and order as :func:`search_member_ids`."""
    col = SORTABLE[order_by]
    stmt = select(Member.id).where(and_(True, *search_conditions(query), *filter_conditions(session, flt)))
    stmt = stmt.order_by(col.desc() if descending else col, Member.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.connection().execute(stmt).scalars())  # Core rows: no ORM overhead per id
