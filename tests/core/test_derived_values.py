"""derived_values (the bulk import's per-member pinyin keys and search text) must store
exactly what derived_columns stores, for any input: names with Latin letters of either
case, full-width forms, combining marks, final sigma, emoji; empty parts; nicknames; tag
lists seen before (their text is remembered) and new ones."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sqdesk.core.roster import derived_columns, derived_values

CHARS = "张王曾单区万李小贤𠮷野家AmyΣσςİẞǅＡｂ１ 　-_#·é\u0301🌸😀\x1f"
names = st.one_of(st.text(alphabet=CHARS, max_size=8), st.text(max_size=6))
optional = st.one_of(st.none(), st.text(alphabet="0123456789wxABC_ ", max_size=12))
words = st.lists(st.one_of(st.sampled_from(["设计", "AI", "HR", "ａｉ", "ΣΑ", ""]), names), max_size=3)


@settings(max_examples=1500)
@given(names, st.one_of(st.just(""), names), optional, optional, names, words, words)
@example("张三", "", "13800138000", "wx_abc", "杭州", [], ["设计", "AI"])
@example("张三", "张三", None, None, "", [], [])
@example("曾小贤", "曾贤", None, "WX", "ＨＺ", ["小贤", ""], ["HR"])
@example("", "", None, None, "", [], ["AI"])
@example("ΑΣ", "", None, None, "", ["ΟΣ"], ["ΣΑ"])
def test_derived_values_equal_derived_columns(
    name: str, real: str, phone: str | None, wx: str | None, city: str,
    nicknames: list[str], tags: list[str],
) -> None:
    want = derived_columns(name, real, phone, wx, city, nicknames, tags)
    got = derived_values(name, real, phone, wx, city, nicknames, tags)
    assert got == (want["name_pinyin"], want["name_initials"], want["search_text"])
    # the same tag list again (its text now remembered) gives the same text
    assert derived_values(name, real, phone, wx, city, nicknames, list(tags)) == got
