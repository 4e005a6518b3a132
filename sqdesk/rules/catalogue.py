"""The member variables a 群规 condition may mention: name, Chinese alias, type.

This mirrors the per-member metrics of ``sqdesk.analytics.metrics`` (which computes
the values); the condition language only needs names and types, so it reads them
from here. Types: ``number`` (int/float, or None when unknown, e.g. no paid-until
date), ``text`` (a string from a closed vocabulary when ``choices`` is set),
``bool`` and ``list`` (a set of strings: the member's groups or tags).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqdesk.models.vocab import LEVELS, MEMBER_STATUSES, ROLES

VarType = Literal["number", "text", "bool", "list"]

TYPE_NAMES: dict[str, str] = {"number": "数值", "text": "文字", "bool": "「是/否」类型", "list": "列表"}


@dataclass(frozen=True)
class Variable:
    name: str
    alias: str
    type: VarType
    description: str
    choices: tuple[str, ...] = ()


_VARIABLES = (
    Variable("inactive_days", "未发言天数", "number", "距最后一次发言的天数（从未发言则按入群天数计）"),
    Variable("messages_7d", "近7天发言", "number", "近 7 天发言条数"),
    Variable("messages_30d", "近30天发言", "number", "近 30 天发言条数"),
    Variable("messages_90d", "近90天发言", "number", "近 90 天发言条数"),
    Variable("checkins_30d", "近30天签到", "number", "近 30 天打卡签到次数"),
    Variable("shares_30d", "近30天分享", "number", "近 30 天分享次数"),
    Variable("invites_30d", "近30天邀请", "number", "近 30 天邀请入群人数"),
    Variable("attended_90d", "近90天参加活动", "number", "近 90 天参加（签到）活动次数"),
    Variable("registered_90d", "近90天报名", "number", "近 90 天报名活动次数"),
    Variable("no_shows_90d", "近90天缺席", "number", "近 90 天报名后缺席次数"),
    Variable("violations_30d", "近30天违规", "number", "近 30 天违规次数"),
    Variable("invites_stayed", "留存邀请数", "number", "邀请入群且仍在群的人数"),
    Variable("days_since_join", "入群天数", "number", "入群至今的天数（无入群日期时为空）"),
    Variable("has_intro", "有自我介绍", "bool", "是否填写了自我介绍"),
    Variable("role", "角色", "text", "群主/管理员/骨干/成员", ROLES),
    Variable("level", "等级", "text", "活跃等级：核心/活跃/一般/潜水/沉默（未评定为空）", ("", *LEVELS)),
    Variable("status", "状态", "text", "在群/已退出/已清退", MEMBER_STATUSES),
    Variable("groups", "所在群", "list", "当前所在的群（群名）"),
    Variable("tags", "标签", "list", "成员的标签"),
    Variable("paid_until_days", "付费剩余天数", "number", "距付费到期的天数（已过期为负，未付费为空）"),
    Variable("score", "活跃分", "number", "综合活跃分"),
)

MEMBER_VARIABLES: dict[str, Variable] = {v.name: v for v in _VARIABLES}
ALIASES: dict[str, str] = {v.alias: v.name for v in _VARIABLES}


def lookup(word: str) -> Variable | None:
    """The variable a word names (its English name, case-insensitive, or its alias)."""
    var = MEMBER_VARIABLES.get(word) or MEMBER_VARIABLES.get(word.lower())
    if var is None and word in ALIASES:
        var = MEMBER_VARIABLES[ALIASES[word]]
    return var
