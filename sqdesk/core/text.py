"""Normalisers for what operators type and what Chinese spreadsheets hold.

Pure functions, property-tested: pinyin keys for names, phones, WeChat ids, dates.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

# Surnames whose reading differs from the character's everyday reading.
_SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "朴": "piao", "区": "ou",
    "查": "zha", "盖": "ge", "覃": "qin", "尉": "yu", "乐": "yue", "繁": "po",
    "缪": "miao", "翟": "zhai", "种": "chong", "员": "yun", "沈": "shen", "长": "chang",
    "重": "chong", "秘": "bi", "折": "she", "召": "shao", "宓": "mi", "万": "wan",
}
_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ebef]")


@lru_cache(maxsize=65536)
def _char_pinyin(ch: str) -> str:
    if not _HAN.match(ch):
        return ""
    # imported here: pypinyin's dictionaries cost ~55 MB and most screens never need them
    from pypinyin import Style, pinyin

    # pypinyin has no reading for some rare characters (𠮷): an empty result, not an error
    readings = pinyin(ch, style=Style.NORMAL, errors="ignore")
    return readings[0][0] if readings and readings[0] else ""


_CHAR_READINGS: dict[str, str] = {}
"""char → its pinyin ("" when it has none); ASCII letters/digits map to themselves."""
_CHAR_READINGS_MAX = 65536


def _reading(ch: str) -> str:
    if ch.isascii():
        py = ch if ch.isalnum() else ""
    else:
        py = _char_pinyin(ch)
    if len(_CHAR_READINGS) < _CHAR_READINGS_MAX:
        _CHAR_READINGS[ch] = py
    return py


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower-case, no spaces: 张三 → ("zhangsan", "zs").

    Latin letters and digits are kept as they are so "Amy王" → ("amywang", "amyw");
    other characters (emoji, punctuation) are dropped. Cached per character: a roster of
    100k names costs one pypinyin call per distinct character, not per name.
    """
    if not name.isascii() and not unicodedata.is_normalized("NFKC", name):
        name = unicodedata.normalize("NFKC", name)
    full: list[str] = []
    initials: list[str] = []
    first_han = True
    readings = _CHAR_READINGS
    for ch in name.lower():
        py = readings.get(ch)
        if py is None:
            py = _reading(ch)
        if first_han and not ch.isascii():
            py = _SURNAME_READINGS.get(ch) or py
            if py:
                first_han = False
        if py:
            full.append(py)
            initials.append(py[0])
    return "".join(full), "".join(initials)


# ---- phones -----------------------------------------------------------------

class PhoneError(ValueError):
    """The value cannot be a phone number; ``str()`` says why, in Chinese."""


_SCI = re.compile(r"^\s*[+-]?\d+(\.\d+)?[eE][+]?\d+\s*$")
_PHONE_JUNK = re.compile(r"[\s\-–—()（）.·+_/]")


def normalize_phone(value: object) -> str | None:
    """Digits only, mainland mobiles without the country code; None for empty.

    Accepts what Chinese sheets hold: ``+86 138-0013-8000``, ``8613800138000``,
    full-width digits, and numbers stored as floats (13800138000.0). Refuses a value
    Excel has already turned into scientific notation (1.38001E+10): its last digits
    are gone and no program can get them back.
    """
    if value is None:
        return None
    if type(value) is str:
        # the common case, a plain 11-digit mobile: what the general path below returns
        if (len(value) == 11 and value.isascii() and value.isdigit()
                and value[0] == "1" and value[1] in "3456789"):
            return value
        text = _phone_text(value)
        if text is None:
            return None
    elif isinstance(value, bool):
        raise PhoneError("不是电话号码")
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise PhoneError("不是电话号码")
        if not value.is_integer():
            raise PhoneError(f"「{value}」带有小数，不是电话号码")
        text = str(int(value))
    else:
        text = _phone_text(str(value))
        if text is None:
            return None
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
        return text  # landline, with or without area code
    raise PhoneError(f"「{value}」位数不对（手机号应为 11 位）")


def _phone_text(value: str) -> str | None:
    """A phone cell's text without separators (None when blank); raises on a number
    Excel turned into scientific notation."""
    # NFKC leaves ASCII text as it is: only other text goes through the normaliser
    text = (value if value.isascii() else unicodedata.normalize("NFKC", value)).strip()
    if not text:
        return None
    # _SCI can only match text with an e/E in it: the regex runs only then
    if ("e" in text or "E" in text) and _SCI.match(text):
        raise PhoneError(
            f"「{text}」已被 Excel 转成科学计数法，后几位数字已丢失；"
            "请在原表中把该列设为“文本”格式后重新填写号码"
        )
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if text.isascii():
        # 138-1234-5678, 138 1234 5678, +86 138…: digits and separators _PHONE_JUNK
        # removes; taking those out needs no regex pass
        bare = text.replace("-", "").replace(" ", "").replace("+", "")
        if bare.isdigit():
            return bare
    return _PHONE_JUNK.sub("", text)


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    if len(phone) >= 7:
        return phone[:3] + "****" + phone[-4:]
    return phone[:1] + "*" * (len(phone) - 1)


# ---- WeChat ids -------------------------------------------------------------

_WX = re.compile(r"^[a-zA-Z][-_a-zA-Z0-9]{5,19}$")


def normalize_wechat(value: object) -> str | None:
    """WeChat ids are case-insensitive; stored lower-case. Phone-number ids are allowed."""
    if value is None:
        return None
    text = str(value)
    text = (text if text.isascii() else unicodedata.normalize("NFKC", text)).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    text = text.replace(" ", "")
    return text.lower() or None


def looks_like_wechat_id(text: str) -> bool:
    return bool(_WX.match(text)) or text.isdigit()


# ---- dates ------------------------------------------------------------------

class DateError(ValueError):
    """The value cannot be read as a date; ``str()`` says why, in Chinese."""


_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_DATE_RE = re.compile(
    r"^\s*(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*日?"
    r"(?:[ T]+(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2})(?:\.\d+)?)?)?\s*$"
)
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def excel_serial_to_datetime(serial: float) -> dt.datetime:
    if not 1 <= serial < 2958466:
        raise DateError(f"「{serial}」不在 Excel 日期范围内")
    return _EXCEL_EPOCH + dt.timedelta(days=float(serial))


def parse_datetime(value: object) -> dt.datetime | None:
    """Read a date/time from a cell: real date cells, Excel serial numbers, and the
    ways Chinese sheets write them: 2024年3月5日, 2024.3.5, 2024/03/05, 2024-3-9,
    20240305, with an optional time. None for empty."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise DateError("不是日期")
    if isinstance(value, (int, float)):
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            return parse_datetime(str(int(value)))
        return excel_serial_to_datetime(float(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    m = _DATE_RE.match(text) or _COMPACT.match(text)
    if m:
        groups = [int(g) if g else 0 for g in m.groups()] + [0, 0, 0]
        y, mo, d, h, mi, s = groups[:6]
        try:
            return dt.datetime(y, mo, d, h, mi, s)
        except ValueError as exc:
            raise DateError(f"「{text}」不是存在的日期") from exc
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        serial = float(text)
    except ValueError as exc:
        raise DateError(f"「{text}」无法识别为日期（可写作 2024-03-05 或 2024年3月5日）") from exc
    return excel_serial_to_datetime(serial)


def parse_date(value: object) -> dt.date | None:
    moment = parse_datetime(value)
    return moment.date() if moment else None


# ---- free text --------------------------------------------------------------

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: object) -> str:
    """Cell text as the operator meant it: NUL and other control characters removed,
    surrounding blanks trimmed, everything else (emoji, rare characters) kept exactly."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return CONTROL_CHARS.sub("", str(value)).strip()


def has_control_chars(value: str) -> bool:
    return bool(CONTROL_CHARS.search(value))


def split_tags(value: object) -> list[str]:
    text = clean_text(value)
    if not text:
        return []
    parts = re.split(r"[,，;；、|/\s]+", text)
    seen: dict[str, None] = {}
    for p in parts:
        p = p.strip().lstrip("#")
        if p:
            seen.setdefault(p[:50], None)
    return list(seen)


def search_blob(*parts: str | None) -> str:
    """The one lower-cased column member search scans (joined by a unit separator so a
    query never matches across two fields)."""
    text = "\x1f".join(filter(None, parts))
    # NFKC only where it can change something (full-width forms, compatibility chars):
    # most names are plain CJK/ASCII and skip the normaliser entirely.
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()
