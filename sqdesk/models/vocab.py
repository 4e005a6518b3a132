"""Closed vocabularies of the domain, as operators say them (stored verbatim)."""

from __future__ import annotations

PLATFORMS = ("微信", "QQ", "企业微信", "飞书", "钉钉", "线下", "其他")
GENDERS = ("男", "女", "其他", "未知")
ROLES = ("群主", "管理员", "骨干", "成员")
MEMBER_STATUSES = ("在群", "已退出", "已清退")
LEVELS = ("核心", "活跃", "一般", "潜水", "沉默")

SD_KINDS = ("供给", "需求")
SD_CATEGORIES = ("资源", "技能", "产品", "服务", "合作", "招聘", "求职", "投资", "其他")
SD_STATUSES = ("open", "matched", "closed")
MATCH_OUTCOMES = ("proposed", "accepted", "rejected", "met", "no_result")

EVENT_KINDS = ("线上讲座", "直播", "线下见面会", "打卡", "分享会", "其他")
EVENT_STATUSES = ("筹备", "报名中", "已满", "已结束", "已取消")
REGISTRATION_STATUSES = ("已报名", "候补", "已签到", "缺席", "已取消")

RULE_CATEGORIES = ("准入", "言行", "清退", "激励")
RULE_ACTIONS = ("提醒", "警告", "清退", "升为骨干", "打标签", "仅标记")

ACTIVITY_KINDS = (
    "发言", "签到", "分享", "邀请", "参加活动", "违规", "付费",
    "入群", "退群", "提醒", "警告", "清退", "备注",
)
ACTIVITY_SOURCES = ("manual", "import", "system")
