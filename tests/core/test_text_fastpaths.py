"""The phone and WeChat-id normalisers take short cuts for ASCII text (no NFKC pass, no
regex pass for the usual separators, the scientific-notation regex only when there is an
e/E): for any input they must give exactly what the plain versions below give — the same
value, or a PhoneError with the same message."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sqdesk.core.text import _PHONE_JUNK, _SCI, PhoneError, normalize_phone, normalize_wechat

# ---- the plain versions (as they were before the short cuts; the two patterns are the
# module's own, they are not what the short cuts change) ----------------------------------


def plain_normalize_phone(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise PhoneError("不是电话号码")
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise PhoneError("不是电话号码")
        if not value.is_integer():
            raise PhoneError(f"「{value}」带有小数，不是电话号码")
        text = str(int(value))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if not text:
            return None
        if _SCI.match(text) and ("e" in text.lower()):
            raise PhoneError(
                f"「{text}」已被 Excel 转成科学计数法，后几位数字已丢失；"
                "请在原表中把该列设为“文本”格式后重新填写号码"
            )
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        text = _PHONE_JUNK.sub("", text)
    if not text.isdigit():
        raise PhoneError(f"「{value}」含有非数字字符，不是电话号码")
    if text.startswith("0086"):
        text = text[4:]
    elif len(text) == 13 and text.startswith("86") and text[2] == "1":
        text = text[2:]
    if len(text) == 11 and text[0] == "1":
        if text[1] not in "3456789":
            raise PhoneError(f"「{value}」不是有效的手机号（第二位应为 3–9）")
        return text
    if 7 <= len(text) <= 12 and (text[0] == "0" or len(text) <= 8):
        return text
    raise PhoneError(f"「{value}」位数不对（手机号应为 11 位）")


def plain_normalize_wechat(value: object) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    text = text.replace(" ", "")
    return text.lower() or None


def outcome(fn: object, value: object) -> tuple[str, str | None]:
    try:
        return ("ok", fn(value))  # type: ignore[operator]
    except PhoneError as exc:
        return ("error", str(exc))


# What phone cells hold: digits (ASCII and full-width), the separators people type, the
# country code, e/E and dots (Excel's damage), letters, spaces of every kind.
PHONE_ALPHABET = "0123456789０１２３４５６７８９+-–— ()（）.·_/eE\t\u3000\u00a0x８６"
phone_text = st.one_of(
    st.text(alphabet=PHONE_ALPHABET, max_size=20),
    st.text(max_size=16),
    st.integers(min_value=13_000_000_000, max_value=19_999_999_999).map(
        lambda n: f"{str(n)[:3]}-{str(n)[3:7]}-{str(n)[7:]}"
    ),
    st.integers(min_value=13_000_000_000, max_value=19_999_999_999).map(lambda n: f"+86 {n}"),
)


@settings(max_examples=2000)
@given(phone_text)
@example("138-1234-5678")
@example("+86 13812345678")
@example("138 1234 5678")
@example("+8613812345678")
@example("-")
@example(" + ")
@example("1.38001E+10")
@example("1.38001e10")
@example("13800138000.0")
@example("010-6552-9988")
@example("(010) 6552-9988")
@example("١٢٣٤٥٦٧")
def test_phone_text_as_before(raw: str) -> None:
    assert outcome(normalize_phone, raw) == outcome(plain_normalize_phone, raw)


@pytest.mark.parametrize(
    "raw",
    [None, True, False, 13800138000, 13800138000.0, 13800138000.5, float("nan"), float("inf"),
     0, -5, 1.5e10, dt.date(2024, 1, 1), b"13800138000"],
)
def test_phone_other_types_as_before(raw: object) -> None:
    assert outcome(normalize_phone, raw) == outcome(plain_normalize_phone, raw)


@settings(max_examples=1000)
@given(st.one_of(st.text(max_size=24), st.text(alphabet="aAbB_-0123456789. ｗｘ\u3000", max_size=24),
                 st.integers(), st.floats(allow_nan=False)))
@example("WX_Abc 123")
@example(" wxid_ABC ")
@example("13800138000.0")
@example("ｗｘ１２")
def test_wechat_as_before(raw: object) -> None:
    assert normalize_wechat(raw) == plain_normalize_wechat(raw)
