"""Chinese-aware text similarity for short posts (供给/需求), with no dependency.

Members write offers and needs the way they talk in a group: one or two short
sentences, no spaces between words, Latin brand and tech words mixed in
("承接微信小程序开发，做过电商和预约类，杭州可面谈"). Word segmentation would need
a dictionary (jieba is ~20 MB of data and a second of start-up); overlapping
character n-grams need nothing and are robust for such texts: a shared word of two
or three characters is a shared bigram/trigram, and a trigram shared across a word
boundary is itself a sign the two texts say the same thing.

Pipeline (:func:`normalize` then :func:`features`):

1. NFKC (full-width letters and digits become ASCII), lower case.
2. Synonym normalisation (:data:`SYNONYMS`): a handful of everyday variants map to one
   form (微信小程序 → 小程序, APP/手机应用 → 应用, 人工智能 → ai, 商业计划书 → bp…), so
   the two sides need not use the same word.
   The matcher then appends the topics a text implies (:func:`expand_topics`: a
   Pre-A round is 融资, an offline salon needs a 场地).
3. Features: for every run of Han characters its bigrams and trigrams (a run of one
   character counts as itself); every Latin word of two or more characters (ai, ui,
   saas, python, bp…). Numbers, punctuation and emoji are not features. Chat filler
   bigrams (:data:`STOP_BIGRAMS`: 可以, 私聊, 朋友, 欢迎…) are dropped.

:class:`TfIdfIndex` weights features by ``(1 + ln tf) * ln((1 + N) / (1 + df)) + 1``
over the whole corpus (both offers and needs), normalises each vector to unit length,
and drops features in more than ``max_df`` of the documents (stop n-grams learnt from
the corpus — "有偿", "推荐" in a community where every post says them). Cosine
similarity of two items is then the dot product of their vectors; an inverted index
(feature → items that carry it) finds every item sharing a feature with a query
without a pass over all items.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Each canonical form with the variants that mean the same in a 供求 post. Variants
# are replaced by the canonical form before n-grams are taken (longest match first, a
# Latin variant only as a whole word), so both sides share the same n-grams.
SYNONYMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("小程序", ("微信小程序", "微信小程式", "小程式")),
    ("应用", ("app", "手机应用", "移动应用", "手机软件")),
    ("ai", ("人工智能", "aigc", "大模型应用")),
    ("ui", ("界面设计", "ui/ux", "ux")),
    ("小红书", ("红书", "xhs", "小红薯")),
    ("公众号", ("微信公众号", "服务号", "订阅号")),
    ("bp", ("商业计划书", "计划书")),
    ("天使轮", ("天使投资", "天使阶段", "天使")),
    ("融资", ("募资", "找投资", "拿投资")),
    ("视频剪辑", ("剪视频", "剪片子", "短视频剪辑")),
    ("ppt", ("幻灯片", "演示文稿", "keynote")),
    ("财税", ("代理记账", "代账", "记账报税", "财务代理")),
    ("法务", ("法律咨询", "法律顾问", "律师咨询")),
    ("logo", ("标志设计", "标识设计")),
    ("投放", ("广告投放", "信息流投放", "投流")),
    ("外包", ("项目外包", "定制开发")),
    ("兼职", ("part-time", "parttime", "零工")),
    ("远程", ("remote", "在家办公", "居家办公")),
    ("场地", ("会场", "活动场地", "会议室")),
    ("数据分析", ("数分",)),
    ("跨境电商", ("出海电商", "外贸电商")),
    ("直播带货", ("带货直播",)),
)

# Topics a post implies without naming them: a Pre-A round is 融资, an offline salon
# needs a 场地. Appended (once) to a normalised text by :func:`expand_topics`, so the
# implied word is shared with a post that names it.
IMPLIED_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("融资", ("天使轮", "种子轮", "pre-a", "a轮", "b轮", "bp", "投资人")),
    ("硬科技", ("智能硬件", "芯片", "机器人", "新能源")),
    ("场地", ("线下沙龙", "线下分享会", "见面会", "线下活动", "办活动", "办一场")),
    ("招聘", ("招人", "在招", "诚聘")),
    ("求职", ("看机会", "找工作", "求内推")),
)

# Bigrams every kind of post is full of; they say nothing about what is offered/needed.
STOP_BIGRAMS: frozenset[str] = frozenset(
    """可以 私聊 朋友 欢迎 一下 有没 没有 我们 需要 有意 感兴 兴趣 联系 推荐 靠谱 相关
    一起 大家 谢谢 麻烦 求推 找一 想找 帮忙 如果 或者 还是 一个 一位 个人 这个 那个 本人
    的朋 友们 群友 群里 有的 有人 看看 聊聊 合适 比较 目前 现在 时间 左右 价格 好商 商量""".split()
)

_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9+#.\-]*[a-z0-9+#]|[a-z]{2,}")


def _synonym_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    mapping: dict[str, str] = {}
    for canonical, variants in SYNONYMS:
        mapping[canonical] = canonical
        for v in variants:
            mapping[v] = canonical
    parts = []
    for form in sorted(mapping, key=lambda s: (-len(s), s)):
        escaped = re.escape(form)
        # A Latin form only as a whole word: "app" but not "apple", "ux" but not "linux".
        if form[0].isascii() and form[0].isalnum():
            escaped = r"(?<![a-z0-9])" + escaped
        if form[-1].isascii() and form[-1].isalnum():
            escaped = escaped + r"(?![a-z0-9])"
        parts.append(escaped)
    return re.compile("|".join(parts)), mapping


_SYNONYM_RE, _SYNONYM_MAP = _synonym_pattern()


def normalize(text: str) -> str:
    """NFKC, lower case, synonyms replaced by their canonical form."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.lower()
    return _SYNONYM_RE.sub(lambda m: _SYNONYM_MAP[m.group(0)], text)


def expand_topics(normalized: str) -> str:
    """``normalized`` plus the :data:`IMPLIED_TOPICS` it implies and does not name."""
    implied = [topic for topic, triggers in IMPLIED_TOPICS
               if topic not in normalized and any(t in normalized for t in triggers)]
    return normalized + " " + " ".join(implied) if implied else normalized


def features(normalized: str) -> dict[str, int]:
    """Feature counts of an already :func:`normalize`-d text."""
    out: dict[str, int] = {}
    get = out.get
    for run in _HAN_RUN.findall(normalized):
        n = len(run)
        if n == 1:
            out[run] = get(run, 0) + 1
            continue
        for i in range(n - 1):
            bi = run[i : i + 2]
            if bi not in STOP_BIGRAMS:
                out[bi] = get(bi, 0) + 1
        for i in range(n - 2):
            tri = run[i : i + 3]
            out[tri] = get(tri, 0) + 1
    for word in _LATIN_WORD.findall(normalized):
        out[word] = get(word, 0) + 1
    return out


def normalize_keyword(word: str) -> str:
    """A keyword as the matcher compares it: normalised, blanks and '#' removed."""
    return re.sub(r"[\s#]+", "", normalize(word))


@dataclass
class TfIdfIndex:
    """Unit-length TF-IDF vectors of a corpus and an inverted index over some of them.

    ``vectors[i]`` is document i's ``{feature: weight}``; :meth:`index` builds
    ``postings[feature] = [(group, [doc, …], [weight, …]), …]`` for the chosen documents.
    """

    vectors: list[dict[str, float]]
    idf: dict[str, float]
    postings: dict[str, list[tuple[int, list[int], list[float]]]] = field(default_factory=dict)

    @classmethod
    def build(cls, docs: Sequence[Mapping[str, int]], *, max_df: float = 0.1, min_df_cap: int = 30) -> TfIdfIndex:
        """``max_df`` is the largest share of documents a feature may appear in (never
        fewer than ``min_df_cap`` documents, so a small corpus keeps its words)."""
        df: dict[str, int] = {}
        for doc in docs:
            for f in doc:
                df[f] = df.get(f, 0) + 1
        n = len(docs)
        cap = max(min_df_cap, int(max_df * n))
        idf = {f: math.log((1 + n) / (1 + c)) + 1.0 for f, c in df.items() if c <= cap}
        vectors: list[dict[str, float]] = []
        log = math.log
        for doc in docs:
            vec = {f: (1.0 + log(tf)) * idf[f] for f, tf in doc.items() if f in idf}
            norm = math.sqrt(sum(w * w for w in vec.values()))
            if norm > 0:
                vec = {f: w / norm for f, w in vec.items()}
            vectors.append(vec)
        return cls(vectors=vectors, idf=idf)

    def index(self, doc_ids: Iterable[int], groups: Sequence[int] | None = None) -> None:
        """Postings for ``doc_ids``, split by ``groups[doc]`` (small ints; all 0 when
        None) so :meth:`similarities` can weigh each group without a per-document step."""
        by_group: dict[str, dict[int, tuple[list[int], list[float]]]] = {}
        for d in doc_ids:
            g = groups[d] if groups is not None else 0
            for f, w in self.vectors[d].items():
                per = by_group.get(f)
                if per is None:
                    per = by_group[f] = {}
                entry = per.get(g)
                if entry is None:
                    per[g] = ([d], [w])
                else:
                    entry[0].append(d)
                    entry[1].append(w)
        self.postings = {f: [(g, ids, ws) for g, (ids, ws) in sorted(per.items())] for f, per in by_group.items()}

    def similarities(self, doc: int, group_weights: Sequence[float] | None = None) -> dict[int, float]:
        """Cosine similarity of document ``doc`` with every indexed document sharing a
        feature with it (sparse dot products through the postings), each multiplied by
        ``group_weights[group]`` of the indexed document when given."""
        acc: dict[int, float] = {}
        get = acc.get
        postings = self.postings
        for f, w in self.vectors[doc].items():
            lists = postings.get(f)
            if lists is None:
                continue
            for g, ids, weights in lists:
                wg = w * group_weights[g] if group_weights is not None else w
                for d, wd in zip(ids, weights):  # noqa: B905 - equal by construction; strict= costs time here
                    acc[d] = get(d, 0.0) + wg * wd
        return acc

    def top_similar(
        self,
        queries: Sequence[int],
        k: int,
        group_weights: Callable[[int], Sequence[float]] | None = None,
        *,
        vectorize: bool = True,
    ) -> dict[int, dict[int, float]]:
        """For each query document, the ``k`` indexed documents with the highest
        (group-weighted) similarity, as ``{doc: similarity}`` in document order;
        documents sharing no feature are left out (which of several equal documents
        at the k-th place is kept is not specified). With numpy importable (and ``vectorize``) the dot
        products of a few hundred queries at a time are summed into one array — the
        same sums as :meth:`similarities`, in C instead of a Python loop per posting."""
        if vectorize:
            try:
                import numpy  # noqa: F401
            except ImportError:
                vectorize = False
        if vectorize:
            return self._top_similar_numpy(queries, k, group_weights)
        out: dict[int, dict[int, float]] = {}
        for q in queries:
            sims = self.similarities(q, group_weights(q) if group_weights is not None else None)
            chosen = heapq.nlargest(k, sims, key=sims.__getitem__) if len(sims) > k else sims
            out[q] = {d: sims[d] for d in sorted(chosen)}
        return out

    def _top_similar_numpy(
        self, queries: Sequence[int], k: int, group_weights: Callable[[int], Sequence[float]] | None,
        chunk: int = 128,
    ) -> dict[int, dict[int, float]]:
        import numpy as np

        docs = sorted({d for lists in self.postings.values() for _, ids, _ in lists for d in ids})
        column = {d: j for j, d in enumerate(docs)}
        doc_group = np.zeros(len(docs), dtype=np.int64)
        flat: dict[str, tuple[Any, Any]] = {}
        for f, lists in self.postings.items():
            cols = [column[d] for _, ids, _ in lists for d in ids]
            flat[f] = (np.array(cols, dtype=np.int64), np.array([w for _, _, ws in lists for w in ws]))
            for g, ids, _ in lists:
                doc_group[[column[d] for d in ids]] = g
        # Queries with the same group weights share one column factor.
        by_weights: dict[tuple[float, ...], list[int]] = {}
        for q in queries:
            key = tuple(group_weights(q)) if group_weights is not None else ()
            by_weights.setdefault(key, []).append(q)
        out: dict[int, dict[int, float]] = {}
        for key, qs in by_weights.items():
            factor = np.array(key)[doc_group] if key else None
            for start in range(0, len(qs), chunk):
                part = qs[start : start + chunk]
                block = np.zeros((len(part), len(docs)))
                rows_of: dict[str, tuple[list[int], list[float]]] = {}
                for r, q in enumerate(part):
                    for f, w in self.vectors[q].items():
                        if f in flat:
                            entry = rows_of.get(f)
                            if entry is None:
                                rows_of[f] = ([r], [w])
                            else:
                                entry[0].append(r)
                                entry[1].append(w)
                for f, (rows, ws) in rows_of.items():
                    cols, wd = flat[f]
                    block[np.array(rows)[:, None], cols] += np.multiply.outer(np.array(ws), wd)
                if factor is not None:
                    block *= factor
                if len(docs) > k:
                    best = np.argpartition(-block, k - 1, axis=1)[:, :k]
                    best.sort(axis=1)
                else:
                    best = np.broadcast_to(np.arange(len(docs)), block.shape)
                values = np.take_along_axis(block, best, axis=1)
                for r, q in enumerate(part):
                    out[q] = {docs[j]: v for j, v in zip(best[r].tolist(), values[r].tolist(), strict=True) if v != 0.0}
        return out

    def cosine(self, a: int, b: int) -> float:
        va, vb = self.vectors[a], self.vectors[b]
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(w * vb[f] for f, w in va.items() if f in vb)


def shared_phrases(a_normalized: str, b_features: Mapping[str, object], limit: int = 3) -> list[str]:
    """Stretches of text ``a`` (normalised) made of n-grams that ``b`` also has, longest
    first: the words the two texts visibly share ("小红书投放", "ai"). Han stretches of
    at least two characters (one a stop bigram alone does not count) and Latin words."""
    found: dict[str, None] = {}
    for run in _HAN_RUN.findall(a_normalized):
        # linked[i]: characters i and i+1 lie in one n-gram that b also has, so a
        # phrase never glues two shared words that b does not have side by side.
        linked = [False] * len(run)
        for size in (3, 2):
            for i in range(len(run) - size + 1):
                if run[i : i + size] in b_features:
                    for j in range(i, i + size - 1):
                        linked[j] = True
        i = 0
        while i < len(run):
            if not linked[i]:
                i += 1
                continue
            j = i
            while j < len(run) and linked[j]:
                j += 1
            piece = run[i : j + 1]
            if not (len(piece) == 2 and piece in STOP_BIGRAMS):
                found.setdefault(piece, None)
            i = j + 1
    for word in _LATIN_WORD.findall(a_normalized):
        if word in b_features:
            found.setdefault(word, None)
    return sorted(found, key=lambda p: (-len(p), list(found).index(p)))[:limit]


__all__ = [
    "IMPLIED_TOPICS", "STOP_BIGRAMS", "SYNONYMS", "TfIdfIndex", "expand_topics", "features", "normalize", "normalize_keyword", "shared_phrases",
]
