"""Undo for registration changes (报名, 取消报名, 签到, 标记缺席): put an event's list back
exactly as it was.

Core's ``register`` / ``cancel_registration`` / ``check_in`` / ``mark_no_shows`` move
more than one row (a cancellation promotes from the waitlist, a walk-in check-in
creates a row, no-shows end the event), and none of them has an inverse: a checked-in
registration cannot be cancelled, and cancelling a sign-up is not the same as it never
having happened. So the undo works on states: :func:`capture` the event's list before
and after the action, and :func:`restore` puts back every row that the action changed —
after checking that none of them has been changed again since (by the door, another
operator…), in which case it refuses with a ConflictError rather than overwrite.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from sqdesk.core import audit
from sqdesk.core.errors import ConflictError, NotFoundError
from sqdesk.core.events import lock_event
from sqdesk.models import Event, Member, Registration


@dataclass(frozen=True)
class RegistrationState:
    id: int
    member_id: int
    status: str
    registered_at: dt.datetime
    checked_in_at: dt.datetime | None


@dataclass(frozen=True)
class EventListState:
    """An event's status and every registration row, keyed by member id."""

    event_id: int
    event_status: str
    registrations: dict[int, RegistrationState]

    def changed_members(self, other: EventListState) -> list[int]:
        keys = set(self.registrations) | set(other.registrations)
        return sorted(m for m in keys if self.registrations.get(m) != other.registrations.get(m))


def capture(session: Session, event_id: int) -> EventListState:
    status = session.scalar(select(Event.status).where(Event.id == event_id))
    if status is None:
        raise NotFoundError(f"活动 #{event_id} 不存在")
    regs = {
        r.member_id: RegistrationState(r.id, r.member_id, r.status, r.registered_at, r.checked_in_at)
        for r in session.execute(
            select(Registration.id, Registration.member_id, Registration.status,
                   Registration.registered_at, Registration.checked_in_at)
            .where(Registration.event_id == event_id)
        )
    }
    return EventListState(event_id, status, regs)


def restore(
    session: Session, before: EventListState, after: EventListState, operator: str = "", *, note: str = ""
) -> int:
    """Undo the change from ``before`` to ``after``; returns how many rows were put back.
    Raises ConflictError (nothing changed) when a row has moved on since ``after``."""
    if before.event_id != after.event_id:
        raise ValueError("states of different events")
    event = lock_event(session, before.event_id)  # one writer at a time, as core does
    now = capture(session, before.event_id)
    members = before.changed_members(after)
    moved = [m for m in members if now.registrations.get(m) != after.registrations.get(m)]
    if moved:
        names = list(session.scalars(select(Member.display_name).where(Member.id.in_(moved[:5]))))
        raise ConflictError(
            f"「{'、'.join(names) or '有人'}」的报名在那之后又有变化（可能是门口签到或其他人的操作），"
            f"无法撤销，请刷新后再看"
        )
    for m in members:
        old, new = before.registrations.get(m), after.registrations.get(m)
        if old is None:
            assert new is not None
            session.execute(delete(Registration).where(Registration.id == new.id))
            audit.record(session, operator, "undo", "registration", new.id,
                         before={"status": new.status}, after=None, note=note)
        elif new is None:
            session.execute(insert(Registration), [{
                "id": old.id, "event_id": before.event_id, "member_id": m, "status": old.status,
                "registered_at": old.registered_at, "checked_in_at": old.checked_in_at,
            }])
            audit.record(session, operator, "undo", "registration", old.id,
                         before=None, after={"status": old.status}, note=note)
        else:
            session.execute(
                update(Registration).where(Registration.id == new.id)
                .values(status=old.status, registered_at=old.registered_at,
                        checked_in_at=old.checked_in_at, version=Registration.version + 1)
                .execution_options(synchronize_session=False)
            )
            audit.record(session, operator, "undo", "registration", new.id,
                         before={"status": new.status}, after={"status": old.status}, note=note)
    if before.event_status != after.event_status and event.status == after.event_status:
        audit.record(session, operator, "undo", "event", event.id,
                     before={"status": event.status}, after={"status": before.event_status}, note=note)
        event.status = before.event_status
    session.flush()
    return len(members)


# ---- the door's search -----------------------------------------------------------------

@dataclass(frozen=True)
class DoorHit:
    member_id: int
    display_name: str
    phone: str | None
    city: str
    status: str | None  # on this event's list: 已报名 / 候补 / 已签到 …; None: not signed up


def find_for_checkin(session: Session, event_id: int, text: str, *, limit: int = 6) -> list[DoorHit]:
    """Members matching ``text`` (name, pinyin initials, full pinyin, phone) ranked for
    the door: people on the event's list before strangers, then the closest matches —
    the exact name or initials (``zs`` → 张三) before a mere substring somewhere in
    someone's profile (``zs`` inside a WeChat id)."""
    from sqdesk.core.roster import search_member_ids

    query = text.strip()
    if not query:
        return []
    ids = search_member_ids(session, query, limit=500)
    if not ids:
        return []
    statuses = dict(session.execute(
        select(Registration.member_id, Registration.status)
        .where(Registration.event_id == event_id, Registration.member_id.in_(ids))
    ).all())
    rows = session.execute(
        select(Member.id, Member.display_name, Member.phone, Member.city, Member.name_initials,
               Member.name_pinyin).where(Member.id.in_(ids))
    ).all()
    q = query.lower().replace(" ", "")
    digits = q.replace("-", "")

    def closeness(name: str, initials: str, pinyin: str, phone: str | None) -> int:
        name_l, pinyin_l = name.lower(), pinyin.lower().replace(" ", "")
        if name_l == q or initials == q or pinyin_l == q or (digits.isdigit() and phone == digits):
            return 0
        if name_l.startswith(q) or initials.startswith(q) or pinyin_l.startswith(q):
            return 1
        if digits.isdigit() and phone is not None and (phone.endswith(digits) or phone.startswith(digits)):
            return 1
        if q in name_l or q in initials or q in pinyin_l:
            return 2
        return 3

    on_list_rank = {"已报名": 0, "候补": 0, "已签到": 1, "缺席": 2, "已取消": 2}
    ranked = sorted(
        rows,
        key=lambda r: (closeness(r[1], r[4] or "", r[5] or "", r[2]),
                       on_list_rank.get(statuses.get(r[0], ""), 3), r[5] or "", r[0]),
    )
    return [DoorHit(r[0], r[1], r[2], r[3] or "", statuses.get(r[0])) for r in ranked[:limit]]
