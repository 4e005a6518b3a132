"""Personal data in what sqdesk hands out: masked by default, shortened on request.

* phones keep the first 3 and last 4 digits: ``138****8000``;
* WeChat ids keep the first 2 and last 2 characters: ``wx****88``;
* names may be shortened to the first character: ``张*`` (``欧阳娜娜`` → ``欧***``);
* free text (an offer, a need, a reason) is scrubbed of mainland mobile numbers and of
  the WeChat ids the workspace knows, because members write "加我 wx_abc123" into their
  posts — masking the contact column alone would leak them through the text.

Exports call :class:`Privacy` once per file; ``mask=False`` is an explicit operator
choice that the caller records in the audit log (``export_unmasked``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqdesk.core.text import mask_phone

__all__ = ["Privacy", "mask_phone", "mask_wechat", "scrub_text", "shorten_name"]

# A mainland mobile number inside text, not part of a longer digit run; spaces or
# dashes between the 3-4-4 groups are common in chat.
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")


# Anything shaped like a WeChat id (a letter, then letters/digits/-/_): looked up in
# the workspace's set, so a 100k-member workspace costs one set probe per token.
_ID_TOKEN = re.compile(r"(?<![-_A-Za-z0-9])[A-Za-z][-_A-Za-z0-9]{2,63}(?![-_A-Za-z0-9])")


def mask_wechat(wechat: str | None) -> str:
    """``wx****88``: the first 2 and last 2 characters; short ids keep only the first."""
    if not wechat:
        return ""
    if len(wechat) <= 4:
        return wechat[:1] + "*" * (len(wechat) - 1)
    return wechat[:2] + "****" + wechat[-2:]


def shorten_name(name: str | None) -> str:
    """``张三`` → ``张*``, ``欧阳娜娜`` → ``欧***``: the first character, the rest starred."""
    if not name:
        return ""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if len(name) > 1 else name + "*"


def scrub_text(text: str, wechat_ids: Iterable[str] = ()) -> str:
    """Mask mobile numbers and the given WeChat ids wherever they appear in ``text``."""
    if not text:
        return text
    return Privacy(known_wechat=frozenset(w.lower() for w in wechat_ids if w)).text(text)


@dataclass
class Privacy:
    """How one export shows people: ``mask`` contacts (default), ``short_names``."""

    mask: bool = True
    short_names: bool = False
    # Every WeChat id of the workspace (lower-case), to scrub from free text; loaded
    # by the caller only when masking.
    known_wechat: frozenset[str] = field(default_factory=frozenset)

    def phone(self, value: str | None) -> str:
        return mask_phone(value) if self.mask else (value or "")

    def wechat(self, value: str | None) -> str:
        return mask_wechat(value) if self.mask else (value or "")

    def name(self, value: str | None) -> str:
        return shorten_name(value) if self.short_names else (value or "")

    def text(self, value: str | None) -> str:
        """Free text with contacts masked (unchanged when not masking)."""
        if not value or not self.mask:
            return value or ""
        out = _MOBILE.sub(lambda m: mask_phone(m.group(1) + m.group(2) + m.group(3)), value)
        if self.known_wechat:
            out = _ID_TOKEN.sub(
                lambda m: mask_wechat(m.group(0)) if m.group(0).lower() in self.known_wechat else m.group(0), out)
        return out
