"""供求撮合: suggest which open 供给 answers which open 需求, and record the operator's
verdict.

For every open, unexpired need of a member still in the community, every open,
unexpired offer of *another* such member that shares some content with it is scored;
pairs already recorded in ``matches`` (any outcome: proposed, accepted, rejected…)
are never suggested again. Each suggestion carries its component scores and a
readable Chinese reason.

Score (every component in [0, 1], every constant below)::

    text      = cosine of the TF-IDF vectors of the two texts (character bigrams and
                trigrams, see :mod:`sqdesk.core.text_similarity`)
    keywords  = share of both sides' explicit keywords that the other side has (as a
                keyword, inside a keyword, or in its text), after synonym normalisation,
                each keyword weighted by its IDF over all items' keywords
    content   = min(1, TEXT_WEIGHT * min(1, text / TEXT_FULL) + KEYWORD_WEIGHT * keywords)
    category  = CATEGORY_FIT[need category][offer category]       (table below)
    context   = CITY_WEIGHT * same_city + GROUP_WEIGHT * (1 - 0.5 ** shared_groups)
                + RECENCY_WEIGHT * recency + ENGAGEMENT_WEIGHT * engagement
    locality  = LOCAL_MISMATCH when the need is local (names a city, or says 本地/线下/
                上门… — then its member's city) and the offer is from elsewhere (neither
                its member's city nor a city its text names) without saying 远程/线上/全国;
                else 1
    score     = content * category * locality * (1 - CONTEXT_SHARE + CONTEXT_SHARE * context)

Content is necessary (a same-city, active member with nothing relevant is not a
match) and the category scales it (招聘 offer vs. a need for a 设计 course; within
招聘/求职 the wording decides the side, see :func:`job_side`);
context — same city, shared groups, recency of both posts (half-life
``RECENCY_HALF_LIFE_DAYS``) and the offerer's engagement score (0–100 from
:func:`sqdesk.analytics.metrics.compute_member_metrics`, divided by 100) — moves a
score by at most ``CONTEXT_SHARE``. Ties are broken by the offer id, so the order is
the same on every run and every backend.

Speed: texts are tokenised once and each offer's vector is put into an inverted
index (n-gram → offers); a need's similarities are sparse dot products over the
postings of its own n-grams, never a pass over all offers. The postings are split by
the offer's category, so the category fit is applied inside the dot products; only
the best ``CANDIDATES_PER_NEED`` offers by fit × text similarity are scored in full.
Explicit keywords are part of the TF-IDF document too, so an offer sharing a typed
keyword always shares a feature. When numpy is importable (it comes with matplotlib)
the dot products of 128 needs at a time are summed into one array instead of a
Python loop per posting — the same figures, about twice as fast end to end at
10,000 × 10,000 (see benchmarks/bench_matching.py).
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sqdesk.core import supply_demand as sd
from sqdesk.core.errors import ValidationError
from sqdesk.core.text_similarity import (
    TfIdfIndex,
    expand_topics,
    features,
    normalize,
    normalize_keyword,
    shared_phrases,
)
from sqdesk.models import Group, Match, Member, Membership, SupplyDemand
from sqdesk.models.vocab import SD_CATEGORIES

OFFER, NEED = "供给", "需求"
ACTIVE_MEMBER = "在群"
PROPOSED_BY = "系统推荐"

TEXT_WEIGHT = 0.6
KEYWORD_WEIGHT = 0.5
TEXT_FULL = 0.45  # a cosine this high already counts as fully similar text
CONTEXT_SHARE = 0.3
CITY_WEIGHT = 0.3
GROUP_WEIGHT = 0.3
RECENCY_WEIGHT = 0.2
ENGAGEMENT_WEIGHT = 0.2
RECENCY_HALF_LIFE_DAYS = 30.0
CANDIDATES_PER_NEED = 25
DEFAULT_MIN_SCORE = 0.05
# numpy, when importable, sums the dot products (same figures, ~10× faster at 10k×10k);
# without it the pure-Python inverted index does.
VECTORIZE = True
ENGAGED = 0.5  # engagement from which the reason says the offerer is active

# How well an offer of the column's category can answer a need of the row's category.
# The same category fits best, except between 招聘 and 求职: two people looking for work rarely
# help each other, while a 招聘 post is exactly what a job seeker needs (and the
# other way round). Read a row as "a need of this category is answered by …".
CATEGORY_FIT: dict[str, dict[str, float]] = {
    #         资源   技能  产品  服务  合作  招聘  求职  投资  其他
    "资源": dict(zip(SD_CATEGORIES, (1.0, 0.4, 0.5, 0.6, 0.7, 0.2, 0.2, 0.5, 0.4), strict=True)),
    "技能": dict(zip(SD_CATEGORIES, (0.4, 1.0, 0.3, 0.9, 0.5, 0.1, 0.6, 0.1, 0.3), strict=True)),
    "产品": dict(zip(SD_CATEGORIES, (0.6, 0.4, 1.0, 0.6, 0.5, 0.1, 0.1, 0.1, 0.3), strict=True)),
    "服务": dict(zip(SD_CATEGORIES, (0.5, 0.9, 0.5, 1.0, 0.5, 0.1, 0.4, 0.1, 0.3), strict=True)),
    "合作": dict(zip(SD_CATEGORIES, (0.8, 0.5, 0.5, 0.5, 1.0, 0.2, 0.2, 0.6, 0.4), strict=True)),
    "招聘": dict(zip(SD_CATEGORIES, (0.5, 0.6, 0.1, 0.3, 0.3, 0.3, 1.0, 0.1, 0.3), strict=True)),
    "求职": dict(zip(SD_CATEGORIES, (0.5, 0.2, 0.1, 0.3, 0.3, 1.0, 0.3, 0.1, 0.3), strict=True)),
    "投资": dict(zip(SD_CATEGORIES, (0.8, 0.5, 0.2, 0.7, 0.6, 0.1, 0.1, 1.0, 0.3), strict=True)),
    "其他": dict(zip(SD_CATEGORIES, (0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.0), strict=True)),
}
UNKNOWN_CATEGORY_FIT = 0.3

# 招聘 and 求职 posts are filed either way round ("有没有朋友在招产品经理？" under 招聘 is
# someone looking for a job), so within these two categories the wording decides the
# side: a seeker is 求职, a hirer 招聘, whatever the category says. Seeking is tested
# first ("有没有…在招" asks, it does not hire).
SEEKING = re.compile(
    r"有没有.{0,8}在招|谁在招|哪里在招|看.{0,3}机会|求内推|找工作|求职|找.{0,10}(工作|岗位)|想换工作|应届生|刚离职"
)
HIRING = re.compile(
    r"诚聘|急招|招聘|在招|招人|内推[:：]|(我们|团队|公司|部门).{0,6}招|"
    r"招.{0,8}(工程师|经理|实习生|设计师|运营|销售|主管|助理|专员)"
)
JOB_CATEGORIES = ("招聘", "求职")

# A need that names a city (or says 本地/线下/上门…) wants someone there: an offer from
# elsewhere that does not say it works remotely is worth LOCAL_MISMATCH of its score.
LOCAL_MISMATCH = 0.5
LOCAL_CUES = ("线下", "本地", "面谈", "上门", "附近", "同城", "周边")
REMOTE_CUES = ("远程", "线上", "全国", "异地", "寄样", "可寄", "包邮")
CITY_NAMES = (
    "北京", "上海", "广州", "深圳", "杭州", "成都", "重庆", "南京", "苏州", "武汉", "西安", "天津", "长沙",
    "郑州", "青岛", "厦门", "宁波", "合肥", "福州", "济南", "昆明", "大连", "沈阳", "哈尔滨", "长春", "东莞",
    "佛山", "无锡", "珠海", "南昌", "贵阳", "南宁", "太原", "石家庄", "兰州", "海口", "三亚", "温州", "绍兴",
    "嘉兴", "常州", "徐州", "香港", "澳门", "台北",
)


@dataclass(frozen=True)
class ScoreParts:
    """The components of a suggestion's score, each in [0, 1]."""

    category: float
    text: float
    keywords: float
    recency: float
    engagement: float
    groups: float
    city: float
    locality: float  # 1, or LOCAL_MISMATCH for a local need and an offer from elsewhere


@dataclass(frozen=True)
class Suggestion:
    need_id: int
    need_member_id: int
    need_member_name: str
    need_category: str
    need_text: str
    offer_id: int
    offer_member_id: int
    offer_member_name: str
    offer_category: str
    offer_text: str
    score: float
    parts: ScoreParts
    reason: str
    matched_keywords: tuple[str, ...]
    shared_groups: tuple[str, ...]
    same_city: str  # the shared city, or ""


@dataclass
class _Item:
    id: int
    member_id: int
    kind: str
    category: str
    text: str
    keywords: tuple[str, ...]  # as written
    norm_keywords: tuple[str, ...]
    norm_text: str
    created_on: dt.date
    member_name: str
    member_city: str


def job_side(category: str, text: str) -> str:
    """The category a post is matched as: 招聘/求职 by its wording when it is filed
    under either, otherwise as filed."""
    if category in JOB_CATEGORIES:
        if SEEKING.search(text):
            return "求职"
        if HIRING.search(text):
            return "招聘"
    return category


def _city_pattern(extra: Iterable[str]) -> re.Pattern[str]:
    names = {c for c in (*CITY_NAMES, *extra) if len(c) >= 2}
    return re.compile("|".join(re.escape(c) for c in sorted(names, key=lambda c: (-len(c), c))))


def category_fit(need_category: str, offer_category: str) -> float:
    return CATEGORY_FIT.get(need_category, {}).get(offer_category, UNKNOWN_CATEGORY_FIT)


def _city(raw: str | None) -> str:
    city = (raw or "").strip()
    for suffix in ("市", "区", "县"):
        if len(city) > 2 and city.endswith(suffix):
            city = city[: -len(suffix)]
    return city


def _keyword_list(stored: str) -> tuple[str, ...]:
    # Stored comma-joined; older imports and the demo join with 、/；as well.
    out: dict[str, None] = {}
    for part in sd.parse_keywords(stored.replace("、", ",").replace("；", ",").replace(";", ",")):
        out.setdefault(part, None)
    return tuple(out)


def _keyword_hits(words: Sequence[str], other_words: Collection[str], other_text: str) -> list[int]:
    """Indexes of ``words`` (normalised) that the other side has: as a keyword, inside
    one of its keywords or its text, or containing one of its keywords."""
    hits = []
    for i, w in enumerate(words):
        if not w:
            continue
        if w in other_words or w in other_text or any(
            len(o) >= 2 and (w in o or o in w) for o in other_words
        ):
            hits.append(i)
    return hits


def _load_items(session: Session, today: dt.date) -> list[_Item]:
    stmt = (
        select(
            SupplyDemand.id, SupplyDemand.member_id, SupplyDemand.kind, SupplyDemand.category,
            SupplyDemand.text, SupplyDemand.keywords, SupplyDemand.created_on, Member.display_name, Member.city,
        )
        .join(Member, Member.id == SupplyDemand.member_id)
        .where(
            SupplyDemand.status == "open",
            or_(SupplyDemand.expires_on.is_(None), SupplyDemand.expires_on >= today),
            SupplyDemand.created_on <= today,
            Member.status == ACTIVE_MEMBER,
        )
        .order_by(SupplyDemand.id)
    )
    items = []
    for iid, mid, kind, cat, text, kw, created, name, city in session.execute(stmt):
        words = _keyword_list(kw or "")
        items.append(_Item(
            id=iid, member_id=mid, kind=kind, category=cat, text=text, keywords=words,
            norm_keywords=tuple(normalize_keyword(w) for w in words), norm_text=expand_topics(normalize(text)),
            created_on=created, member_name=name, member_city=city or "",
        ))
    return items


def _engagement(session: Session, member_ids: Sequence[int], today: dt.date) -> dict[int, float]:
    from sqdesk.analytics.metrics import compute_member_metrics, shared_member_metrics

    if not member_ids:
        return {}
    # The whole community's table when another screen already has it, else just these members.
    table = shared_member_metrics(session, today) or compute_member_metrics(session, today, member_ids=member_ids)
    scores = table.columns["score"]
    wanted = set(member_ids)
    return {mid: max(0.0, min(1.0, float(scores[i] or 0) / 100.0))  # type: ignore[arg-type]
            for i, mid in enumerate(table.member_ids) if mid in wanted}


def _memberships(session: Session, member_ids: Collection[int]) -> dict[int, frozenset[int]]:
    out: dict[int, set[int]] = {}
    wanted = set(member_ids)
    rows = session.execute(
        select(Membership.member_id, Membership.group_id).where(Membership.left_on.is_(None))
        .order_by(Membership.member_id, Membership.group_id)
    )
    for mid, gid in rows:
        if mid in wanted:
            out.setdefault(mid, set()).add(gid)
    return {mid: frozenset(g) for mid, g in out.items()}


def suggest_matches(
    session: Session,
    *,
    today: dt.date | None = None,
    need_ids: Iterable[int] | None = None,
    per_need: int = 10,
    min_score: float = DEFAULT_MIN_SCORE,
) -> list[Suggestion]:
    """Up to ``per_need`` suggested offers for each open, unexpired need (all of them,
    or those of ``need_ids`` that qualify), best first within a need; needs in id
    order. Similarity weights come from the whole set of open items, so a need's
    suggestions are the same whether it is asked for alone or with all others."""
    today = today or dt.date.today()
    if per_need < 1:
        raise ValidationError("每条需求至少推荐 1 个对象")
    items = _load_items(session, today)
    wanted = set(need_ids) if need_ids is not None else None
    offers = [i for i, it in enumerate(items) if it.kind == OFFER]
    needs = [i for i, it in enumerate(items) if it.kind == NEED and (wanted is None or it.id in wanted)]
    if not offers or not needs:
        return []

    # Keywords are part of the document: a keyword a member typed but did not write
    # in the text still counts, and an offer sharing one is always a candidate.
    index = TfIdfIndex.build([features(it.norm_text + " " + " ".join(it.norm_keywords)) for it in items])
    # Postings split by the offer's category, so the category fit is applied inside
    # the dot products: the candidates are the best by fit × text similarity.
    cat_index = {c: i for i, c in enumerate(SD_CATEGORIES)}
    matched_as = [job_side(it.category, it.norm_text) for it in items]
    item_cat = [cat_index.get(c, len(SD_CATEGORIES)) for c in matched_as]
    index.index(offers, item_cat)

    # Keywords weigh by rarity too: a shared "AI" says less than a shared "联合办活动".
    kw_df: dict[str, int] = {}
    for it in items:
        for w in set(it.norm_keywords):
            kw_df[w] = kw_df.get(w, 0) + 1
    kw_idf = {w: math.log((1 + len(items)) / (1 + c)) + 1.0 for w, c in kw_df.items()}
    kw_total = [sum(kw_idf[w] for w in it.norm_keywords) for it in items]

    need_ids_set = {items[n].id for n in needs}
    seen_pairs: set[tuple[int, int]] = set()
    for offer_id, need_id in session.execute(select(Match.offer_id, Match.need_id)):
        if need_id in need_ids_set:
            seen_pairs.add((offer_id, need_id))

    people = {it.member_id: (it.member_name, _city(it.member_city)) for it in items}
    groups_of = _memberships(session, people)
    group_names = {gid: name for gid, name in session.execute(select(Group.id, Group.name))}
    engagement = _engagement(session, sorted({items[o].member_id for o in offers}), today)
    recency = [0.5 ** (max(0, (today - it.created_on).days) / RECENCY_HALF_LIFE_DAYS) for it in items]
    empty: frozenset[int] = frozenset()
    keep_factor = 1.0 - CONTEXT_SHARE
    item_city = [people[it.member_id][1] for it in items]
    item_groups = [groups_of.get(it.member_id, empty) for it in items]
    item_eng = [engagement.get(it.member_id, 0.0) for it in items]
    city_re = _city_pattern(c for c in item_city if c)
    mentioned = [frozenset(city_re.findall(it.norm_text)) for it in items]
    remote = [any(cue in it.norm_text for cue in REMOTE_CUES) for it in items]
    offer_places = [mentioned[i] | {item_city[i]} if item_city[i] else mentioned[i] for i in range(len(items))]

    def fits_of(i: int) -> list[float]:
        row = CATEGORY_FIT.get(matched_as[i], {})
        return [row.get(c, UNKNOWN_CATEGORY_FIT) for c in SD_CATEGORIES] + [UNKNOWN_CATEGORY_FIT]

    top = index.top_similar(needs, CANDIDATES_PER_NEED, fits_of, vectorize=VECTORIZE)
    out: list[Suggestion] = []
    for n in needs:
        need = items[n]
        need_member = need.member_id
        need_city = people[need_member][1]
        need_groups = groups_of.get(need_member, empty)
        fits = fits_of(n)
        need_kw_total = kw_total[n]
        need_places = mentioned[n] or (
            frozenset({need_city}) if need_city and any(cue in need.norm_text for cue in LOCAL_CUES) else frozenset())
        sims = top[n]
        # Best first; a stable sort keeps equal ones in offer (= id) order.
        candidates = sorted(sims, key=sims.__getitem__, reverse=True)
        scored: list[tuple[float, int, int, float, float, float, list[int], list[int]]] = []
        kept: list[float] = []  # heap of the best per_need scores so far
        for o in candidates:
            offer = items[o]
            if offer.member_id == need_member or (offer.id, need.id) in seen_pairs:
                continue
            cat = fits[item_cat[o]]
            text = sims[o] / cat
            text_part = TEXT_WEIGHT * min(1.0, text / TEXT_FULL)
            if len(kept) == per_need and cat * min(1.0, text_part + KEYWORD_WEIGHT) < kept[0] - 1e-6:
                continue  # cannot make the list even with every keyword and full context
            n_hits = _keyword_hits(need.norm_keywords, offer.norm_keywords, offer.norm_text)
            o_hits = _keyword_hits(offer.norm_keywords, need.norm_keywords, need.norm_text)
            total = need_kw_total + kw_total[o]
            kw = (sum(kw_idf[need.norm_keywords[i]] for i in n_hits)
                  + sum(kw_idf[offer.norm_keywords[i]] for i in o_hits)) / total if total else 0.0
            content = min(1.0, text_part + KEYWORD_WEIGHT * kw)
            local = 1.0 if not need_places or remote[o] or need_places & offer_places[o] or not offer_places[o] \
                else LOCAL_MISMATCH
            if content * cat * local < min_score:  # context can only lower it
                continue
            city = 1.0 if need_city and need_city == item_city[o] else 0.0
            grp = 1.0 - 0.5 ** len(need_groups & item_groups[o]) if need_groups else 0.0
            rec = (recency[n] + recency[o]) / 2.0
            eng = item_eng[o]
            context = CITY_WEIGHT * city + GROUP_WEIGHT * grp + RECENCY_WEIGHT * rec + ENGAGEMENT_WEIGHT * eng
            score = round(content * cat * local * (keep_factor + CONTEXT_SHARE * context), 6)
            if score < min_score:
                continue
            scored.append((score, offer.id, o, text, kw, local, n_hits, o_hits))
            if len(kept) < per_need:
                heapq.heappush(kept, score)
            elif score > kept[0]:
                heapq.heapreplace(kept, score)
        scored.sort(key=lambda s: (-s[0], s[1]))
        for score, _oid, o, text, kw, local, n_hits, o_hits in scored[:per_need]:
            offer = items[o]
            offer_groups = groups_of.get(offer.member_id, empty)
            parts = ScoreParts(
                category=fits[item_cat[o]], text=round(min(1.0, text), 6), keywords=round(kw, 6),
                recency=round((recency[n] + recency[o]) / 2.0, 6),
                engagement=round(engagement.get(offer.member_id, 0.0), 6),
                groups=round(1.0 - 0.5 ** len(need_groups & offer_groups), 6),
                city=1.0 if need_city and need_city == item_city[o] else 0.0, locality=local,
            )
            out.append(_suggestion(need, offer, score, parts, n_hits, o_hits, people, need_groups,
                                   offer_groups, group_names, index, n, o))
    return out


def _suggestion(
    need: _Item, offer: _Item, score: float, parts: ScoreParts, n_hits: list[int], o_hits: list[int],
    people: dict[int, tuple[str, str]], need_groups: frozenset[int], offer_groups: frozenset[int],
    group_names: dict[int, str], index: TfIdfIndex, n: int, o: int,
) -> Suggestion:
    words: dict[str, None] = {}
    seen_norm: set[str] = set()
    for i in n_hits:
        if need.norm_keywords[i] not in seen_norm:
            words.setdefault(need.keywords[i], None)
            seen_norm.add(need.norm_keywords[i])
    for i in o_hits:
        if offer.norm_keywords[i] not in seen_norm:
            words.setdefault(offer.keywords[i], None)
            seen_norm.add(offer.norm_keywords[i])
    matched = tuple(words)[:5]
    shared_ids = sorted(need_groups & offer_groups, key=lambda g: (group_names.get(g, ""), g))
    shared_names = tuple(group_names[g] for g in shared_ids if g in group_names)
    city = people[need.member_id][1] if parts.city else ""
    bits: list[str] = []
    if city:
        bits.append(f"同在{city}")
    if matched:
        bits.append("关键词：" + "、".join(matched))
    else:
        phrases = shared_phrases(need.norm_text, index.vectors[o])
        if phrases:
            bits.append("内容相近：" + "、".join(phrases))
    if shared_names:
        shown = "、".join(f"「{g}」" for g in shared_names[:2])
        more = f"等 {len(shared_names)} 个群" if len(shared_names) > 2 else ""
        bits.append(f"同属{shown}{more}")
    if need.category != offer.category and parts.category >= 0.9:
        bits.append(f"{offer.category}对{need.category}")
    if parts.engagement >= ENGAGED:
        bits.append("供给方近期活跃")
    return Suggestion(
        need_id=need.id, need_member_id=need.member_id, need_member_name=people[need.member_id][0],
        need_category=need.category, need_text=need.text,
        offer_id=offer.id, offer_member_id=offer.member_id, offer_member_name=people[offer.member_id][0],
        offer_category=offer.category, offer_text=offer.text,
        score=score, parts=parts, reason="；".join(bits), matched_keywords=matched,
        shared_groups=shared_names, same_city=city,
    )


def _decide(session: Session, suggestion: Suggestion, outcome: str, operator: str, note: str,
            now: dt.datetime | None) -> sd.MatchView:
    match = sd.record_match(
        session, suggestion.offer_id, suggestion.need_id, score=suggestion.score, reason=suggestion.reason,
        proposed_by=PROPOSED_BY, operator=operator, now=now,
    )
    return sd.set_match_outcome(session, match.id, outcome, note, operator=operator)


def accept_suggestion(
    session: Session, suggestion: Suggestion, *, operator: str = "", note: str = "", now: dt.datetime | None = None
) -> sd.MatchView:
    """Record the suggested pair as a match the operator accepted (both items become
    ``matched``); the pair is not suggested again."""
    return _decide(session, suggestion, "accepted", operator, note, now)


def reject_suggestion(
    session: Session, suggestion: Suggestion, *, operator: str = "", note: str = "", now: dt.datetime | None = None
) -> sd.MatchView:
    """Record the suggested pair as rejected, so it is never suggested again."""
    return _decide(session, suggestion, "rejected", operator, note, now)


def suggestion_rows(suggestions: Sequence[Suggestion]) -> list[dict[str, Any]]:
    """Plain rows (for a table or a sheet): one dict per suggestion."""
    return [
        {"need_id": s.need_id, "need_member": s.need_member_name, "need_category": s.need_category,
         "need_text": s.need_text, "offer_id": s.offer_id, "offer_member": s.offer_member_name,
         "offer_category": s.offer_category, "offer_text": s.offer_text, "score": s.score, "reason": s.reason}
        for s in suggestions
    ]


__all__ = [
    "CATEGORY_FIT", "ScoreParts", "Suggestion", "accept_suggestion", "category_fit", "reject_suggestion",
    "suggest_matches", "suggestion_rows",
]
