"""Starter 群规: the rules operators actually run, ready to install and edit.

Choices worth knowing:
* 30 天未发言 only reminds members (成员) quiet for 30–59 days; from 60 days the
  清退候选 rule takes over, so nobody gets both to-dos.
* 60 天未发言 is **仅标记**, not 清退: silence alone is a judgement call (paid members
  who only read, people on leave), so sqdesk lists the candidates with the evidence
  and the operator decides; confirming records a 备注 so the list doesn't nag for
  ``REPEAT_AFTER_DAYS``. 30 天内违规 3 次 is an outright 清退 — the 违规 lines are the
  operator's own records.
* 禁止广告 has text only: no metric can tell an advert from a message, so it is
  published, not checked.
* Promotion and reminders skip 群主/管理员 where it matters (``role == "成员"``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from sqdesk.core.rules_store import RuleInput, create_rule, list_rules
from sqdesk.rules.lang import parse, to_text, validate_condition


@dataclass(frozen=True)
class StarterRule:
    title: str
    body: str
    category: str
    condition: str = ""
    action: str = ""
    action_arg: str = ""
    grace_days: int = 0


STARTER_RULES: tuple[StarterRule, ...] = (
    StarterRule(
        title="新成员 3 天内自我介绍",
        body="新朋友入群后，请在 3 天内发一段自我介绍：怎么称呼、所在城市、行业和职位、"
             "能为大家提供什么、希望得到什么帮助。介绍越具体，越容易找到同频的伙伴。",
        category="准入",
        condition="days_since_join >= 3 and not has_intro",
        action="提醒",
    ),
    StarterRule(
        title="30 天未发言提醒",
        body="连续 30 天没有发言、签到或参加活动的伙伴，管理员会私信问候一下，"
             "看看社群最近的内容是否对你有用、有什么建议。",
        category="言行",
        condition='inactive_days >= 30 and inactive_days < 60 and role == "成员"',
        action="提醒",
    ),
    StarterRule(
        title="60 天未发言列入清退候选",
        body="连续 60 天没有任何发言和参与的成员，将列入清退候选名单，由管理员逐一确认后"
             "请出群，把名额留给新朋友。如果你只是暂时忙，回来说一声就好。",
        category="清退",
        condition='inactive_days >= 60 and role == "成员"',
        action="仅标记",
    ),
    StarterRule(
        title="30 天内违规 3 次清退",
        body="发广告、刷屏、发布不实信息或攻击他人，每次记一次违规；30 天内累计违规 3 次，"
             "将被请出本群。",
        category="清退",
        condition="violations_30d >= 3",
        action="清退",
    ),
    StarterRule(
        title="禁止广告",
        body="禁止在群内发广告、二维码、拉人链接和与社群主题无关的推广。确有资源想分享，"
             "请先私信群主或管理员，同意后在「供求」中发布。",
        category="言行",
    ),
    StarterRule(
        title="活跃成员升为骨干",
        body="近 90 天参加 3 次以上活动、发言 50 条以上的伙伴，我们会邀请你成为骨干，"
             "一起策划活动、接待新人，并优先获得社群资源对接。",
        category="激励",
        condition='attended_90d >= 3 and messages_90d >= 50 and role == "成员"',
        action="升为骨干",
    ),
    StarterRule(
        title="付费到期前 7 天提醒续费",
        body="付费会员到期前 7 天，管理员会提醒续费；到期未续费的，将移出付费群，"
             "续费后随时可以回来。",
        category="准入",
        condition="paid_until_days >= 0 and paid_until_days <= 7",
        action="提醒",
    ),
)


def install_starter_rules(session: Session, operator: str, *, now: dt.datetime | None = None) -> list[int]:
    """Add the starter rules not already present (by title, deleted rules aside) at the
    end of the rule set, through the rule store (so each gets revision 1 of its
    history); returns the new rule ids."""
    have = {r.title for r in list_rules(session)}
    new_ids: list[int] = []
    for starter in STARTER_RULES:
        if starter.title in have:
            continue
        view = create_rule(
            session,
            RuleInput(
                title=starter.title, body=starter.body, category=starter.category,
                condition=to_text(parse(starter.condition)) if starter.condition else "",
                action=starter.action, action_arg=starter.action_arg, grace_days=starter.grace_days,
            ),
            operator=operator, now=now, validate_condition=validate_condition,
        )
        new_ids.append(view.id)
    return new_ids
