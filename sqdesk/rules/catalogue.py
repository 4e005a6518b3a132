"""The member variables a 群规 condition may mention.

The single source of names, Chinese aliases, types and descriptions is
``sqdesk.analytics.metrics.MEMBER_VARIABLES`` (the module that computes the values).
This module only adds what the condition language needs on top: the closed
vocabularies of the text variables (so ``role == "会员"`` is caught as a typo instead
of silently matching nobody) and lookups by name or alias.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from sqdesk.analytics.metrics import MEMBER_VARIABLES as METRIC_VARIABLES
from sqdesk.models.vocab import LEVELS, MEMBER_STATUSES, ROLES

VarType = Literal["number", "text", "bool", "list"]

TYPE_NAMES: dict[str, str] = {"number": "数值", "text": "文字", "bool": "「是/否」类型", "list": "列表"}

# Text variables whose values come from a closed vocabulary ("" = 未评定 for level).
CHOICES: dict[str, tuple[str, ...]] = {
    "role": ROLES,
    "level": ("", *LEVELS),
    "status": MEMBER_STATUSES,
}


@dataclass(frozen=True)
class Variable:
    name: str
    alias: str
    type: VarType
    description: str
    choices: tuple[str, ...] = ()


def _build() -> dict[str, Variable]:
    out: dict[str, Variable] = {}
    for name, info in METRIC_VARIABLES.items():
        if info.type not in TYPE_NAMES:
            raise ValueError(f"variable {name!r} has unknown type {info.type!r}")
        out[name] = Variable(name, info.alias, cast(VarType, info.type), info.description, CHOICES.get(name, ()))
    return out


MEMBER_VARIABLES: dict[str, Variable] = _build()
ALIASES: dict[str, str] = {v.alias: v.name for v in MEMBER_VARIABLES.values()}


def lookup(word: str) -> Variable | None:
    """The variable a word names (its English name, case-insensitive, or its alias)."""
    var = MEMBER_VARIABLES.get(word) or MEMBER_VARIABLES.get(word.lower())
    if var is None and word in ALIASES:
        var = MEMBER_VARIABLES[ALIASES[word]]
    return var
