"""Normalisers: examples from real sheets plus properties over arbitrary input."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqdesk.core.text import (
    DateError,
    PhoneError,
    clean_text,
    mask_phone,
    normalize_phone,
    parse_date,
    pinyin_keys,
    split_tags,
)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("13800138000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("86 13800138000", "13800138000"),
        ("0086-138 0013 8000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        (13800138000.0, "13800138000"),
        ("13800138000.0", "13800138000"),
        (13800138000, "13800138000"),
        ("(010) 6552-9988", "01065529988"),
        ("", None),
        (None, None),
    ],
)
def test_phone_examples(raw: object, want: str | None) -> None:
    assert normalize_phone(raw) == want


@pytest.mark.parametrize("raw", ["1.38001E+10", "1.38E+10", "13800138000.5", "12345", "138001380001234", "abc", "12800138000"])
def test_phone_refusals(raw: object) -> None:
    with pytest.raises(PhoneError):
        normalize_phone(raw)


def test_scientific_notation_says_why() -> None:
    with pytest.raises(PhoneError, match="科学计数法"):
        normalize_phone("1.38001E+10")


@given(st.integers(min_value=13000000000, max_value=19999999999).filter(lambda n: str(n)[1] in "3456789"))
def test_phone_formats_agree(n: int) -> None:
    s = str(n)
    variants = [s, f"+86{s}", f"86 {s[:3]} {s[3:7]} {s[7:]}", f"{s[:3]}-{s[3:7]}-{s[7:]}", float(n),
                s.translate(str.maketrans("0123456789", "０１２３４５６７８９"))]
    assert {normalize_phone(v) for v in variants} == {s}
    assert mask_phone(s) == s[:3] + "****" + s[-4:]


@given(st.text(max_size=30))
def test_phone_never_crashes(raw: str) -> None:
    try:
        out = normalize_phone(raw)
    except PhoneError:
        return
    assert out is None or out.isdigit()


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("2024年3月5日", dt.date(2024, 3, 5)),
        ("2024.3.5", dt.date(2024, 3, 5)),
        ("2024/03/05", dt.date(2024, 3, 5)),
        ("2024-3-9", dt.date(2024, 3, 9)),
        ("20240305", dt.date(2024, 3, 5)),
        ("2024-03-05 20:30:00", dt.date(2024, 3, 5)),
        (45356, dt.date(2024, 3, 5)),
        (45356.75, dt.date(2024, 3, 5)),
        ("45356", dt.date(2024, 3, 5)),
        (dt.datetime(2024, 3, 5, 8), dt.date(2024, 3, 5)),
        (dt.date(2024, 3, 5), dt.date(2024, 3, 5)),
        ("", None),
    ],
)
def test_date_examples(raw: object, want: dt.date | None) -> None:
    assert parse_date(raw) == want


@pytest.mark.parametrize("raw", ["2024年2月30日", "明天", "3/5", "2024-13-01", -5])
def test_date_refusals(raw: object) -> None:
    with pytest.raises(DateError):
        parse_date(raw)


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_date_formats_agree(d: dt.date) -> None:
    forms = [f"{d.year}年{d.month}月{d.day}日", f"{d.year}.{d.month}.{d.day}", f"{d:%Y/%m/%d}",
             f"{d.year}-{d.month}-{d.day}", (d - dt.date(1899, 12, 30)).days]
    assert {parse_date(f) for f in forms} == {d}


@given(st.text(max_size=40))
def test_date_never_crashes(raw: str) -> None:
    try:
        parse_date(raw)
    except DateError:
        pass


def test_pinyin_keys() -> None:
    assert pinyin_keys("张三") == ("zhangsan", "zs")
    assert pinyin_keys("曾小贤") == ("zengxiaoxian", "zxx")  # surname reading, not ceng
    assert pinyin_keys("Amy王🌸") == ("amywang", "amyw")
    assert pinyin_keys("") == ("", "")
    assert pinyin_keys("𠮷野家") == ("yejia", "yj")  # no reading for 𠮷: skipped, not a crash


def test_clean_text_keeps_emoji_and_rare_chars() -> None:
    assert clean_text(" 𠮷野家🎉\x00\x07 ") == "𠮷野家🎉"
    assert split_tags("设计，产品、#运营 设计") == ["设计", "产品", "运营"]
