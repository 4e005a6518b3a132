"""The demo community (演示社群): a believable Chinese 社群 to explore every screen with.

``build_demo(ws, members=800, seed=42, until=None)`` fills an empty workspace with
"星火创业者社群": two years of groups, members, events, 供求, 群规 and an activity log
ending on ``until`` (default: today). The same ``(members, seed, until)`` always gives
byte-identical tables: everything is drawn from one ``random.Random(seed)``, ids are
set explicitly, timestamps are derived from ``until`` (never from the clock), and no
set or string hash ever decides an order. Only the one audit entry "生成演示数据"
carries the wall-clock time.

What is in it (scales with ``members``; ~20 activity rows per member):

* Groups: one 微信/QQ/企业微信 大群 per ~420 members (a WeChat group holds 500), a
  飞书 骨干与管理员群, 企业微信 付费会员群 (one per ~400 paying members) and, from
  3,000 members on, 同城群 for the big cities. A member may be in several groups, with
  a 群昵称 such as "张伟-杭州-产品".
* Members: common surnames weighted by frequency, 1–2 character given names, ~25%
  nicknames ("Amy🌸", "老王", "Kevin李"); unique mainland mobiles and WeChat ids (some
  missing); city, industry, company/title, 自我介绍 (~30% missing), tags, consent.
  Joins grow over two years (4x); sources with inviters (裂变: a few members invite
  many). 1 群主, a few 管理员, ~4% 骨干; ~15–20% 已退出, ~1.5% 已清退; ~7% paying
  (年费/季度/终身会员) with 付费 rows and renewals. ``level`` is left empty.
* Engagement: ~5% core, ~18% active, ~38% lurkers, ~40% silent (many say hello on the
  day they join and never again). 发言 rows are one per member per group per day with
  ``value`` = messages that day, heavy-tailed (the top 10% write most messages);
  weekdays beat weekends, evenings (20–22h) and weekend mornings (9–11h) are busiest,
  Wednesday 20:00 is the weekly 夜聊, 春节/国庆 are quiet, event days are busier.
  Activity fades with tenure and before leaving.
* Events: past talks/live streams/meetups/分享会 with registrations (已签到, 缺席 at a
  15–40% no-show rate by kind, 已取消, and 候补 promoted into freed seats), upcoming
  ones (报名中, 已满 with a waitlist, 筹备), 打卡 campaigns whose 签到 streaks decay, and
  the weekly series "周三夜聊" (``FREQ=WEEKLY;BYDAY=WE``, 20:00).
* 供求: ~0.1 posts per member across the nine categories with keywords
  ("小程序开发", "外包", "天使投资", …), open/matched/closed, and matches between them.
* 群规: a starter set with conditions over the member metrics and actions; each has
  revision 1 valid from the community's first day, and 「长期潜水提醒」 was edited later
  (revision 2, 60 → 30 days) so the published text has a history.

Planted patterns an analyst should find (their ids are in ``DemoSummary.planted``):

* ``churn_cohort`` — the 「21天训练营」 cohort: ~3% of members who joined in one fortnight
  about ten months before ``until`` (source "21天训练营"); ~80% of them left 50–70 days
  after joining. Retention by join month shows the dip.
* ``broadcast_groups`` — the 付费会员群: most of its talk comes from the 群主 (a
  broadcast channel, the opposite of a mesh), so its decentralisation index is low.
* ``silent_core`` — one 骨干 who talked almost daily until exactly 42 days before
  ``until`` and has been silent (no activity at all) since, still 在群.
* ``bad_inviter`` — one member whose invitees (6–40 of them) all left within weeks.

Speed (benchmarks/bench_demo.py, 2 shared cores): 100,000 members — 1.9M activity rows,
a 490 MB file — in 27 s wall (26 s CPU) at load 2, 67 s wall (28 s CPU) at load 5; peak
RSS ~540 MB. On SQLite the rows go through the DBAPI cursor and the big tables' indexes
are rebuilt at the end (see _Sink); PostgreSQL takes the Core path (~12k rows/s).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session
from sqlalchemy.types import Date, DateTime

from sqdesk.core import audit
from sqdesk.core.errors import UserError
from sqdesk.core.roster import derived_columns
from sqdesk.core.text import pinyin_keys
from sqdesk.core.workspace import Workspace
from sqdesk.models import (
    Activity,
    Event,
    Group,
    Match,
    Member,
    Membership,
    Registration,
    Rule,
    RuleVersion,
    SupplyDemand,
    Tag,
    event_groups,
    event_hosts,
    member_tags,
    rule_groups,
)

Progress = Callable[[int, int], None]
_TABLES: dict[str, Table] = {
    m.__name__: cast(Table, m.__table__)
    for m in (Activity, Event, Group, Match, Member, Membership, Registration, Rule, RuleVersion,
              SupplyDemand, Tag)
}
# member_id, group_id, kind, occurred_at, value, note
_Act = tuple[int, int | None, str, dt.datetime | str, float, str]  # str: SQLite's text form
T = TypeVar("T")


class _Pick(Generic[T]):
    """A weighted choice drawn with one random() and a bisect (random.choices is ~5x slower)."""

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        self.items: list[T] = []
        self.cum: list[float] = []
        total = 0.0
        for item, weight in pairs:
            total += weight
            self.items.append(item)
            self.cum.append(total)
        self.total = total
        self.last = len(self.items) - 1

    def __call__(self, rng: random.Random) -> T:
        i = bisect.bisect_right(self.cum, rng.random() * self.total)
        return self.items[i if i < self.last else self.last]

COMMUNITY = "星火创业者社群"
DAYS = 730  # two years, the last day being ``until``
MIN_MEMBERS = 50
MAX_MEMBERS = 1_000_000
SOURCE = "system"
CHUNK = 20_000
RAW_SQLITE = True  # DBAPI executemany on SQLite (tests compare it with the Core path)
SLOTS = 4096  # resolution of the quantile tables for hour of day and messages per day

# ---- vocabulary ---------------------------------------------------------------

SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 7.1), ("李", 7.0), ("张", 6.7), ("刘", 5.4), ("陈", 4.6), ("杨", 3.1), ("黄", 2.2),
    ("赵", 2.0), ("吴", 1.9), ("周", 1.9), ("徐", 1.3), ("孙", 1.2), ("马", 1.1), ("朱", 1.1),
    ("胡", 1.0), ("郭", 0.97), ("何", 0.9), ("林", 0.87), ("高", 0.87), ("罗", 0.86),
    ("郑", 0.7), ("梁", 0.7), ("谢", 0.6), ("宋", 0.55), ("唐", 0.55), ("许", 0.5), ("韩", 0.5),
    ("冯", 0.5), ("邓", 0.5), ("曹", 0.45), ("彭", 0.45), ("曾", 0.43), ("肖", 0.43), ("田", 0.4),
    ("董", 0.4), ("袁", 0.4), ("潘", 0.38), ("于", 0.38), ("蒋", 0.37), ("蔡", 0.37), ("余", 0.36),
    ("杜", 0.35), ("叶", 0.34), ("程", 0.33), ("苏", 0.32), ("魏", 0.32), ("吕", 0.31), ("丁", 0.3),
    ("任", 0.3), ("沈", 0.28), ("姚", 0.28), ("卢", 0.27), ("姜", 0.26), ("崔", 0.25), ("钟", 0.25),
    ("谭", 0.24), ("陆", 0.23), ("汪", 0.23), ("范", 0.22), ("金", 0.22), ("石", 0.21), ("廖", 0.2),
    ("贾", 0.2), ("夏", 0.19), ("韦", 0.19), ("付", 0.18), ("方", 0.18), ("白", 0.17), ("邹", 0.17),
    ("孟", 0.17), ("熊", 0.16), ("秦", 0.16), ("邱", 0.16), ("江", 0.15), ("尹", 0.15), ("薛", 0.14),
    ("闫", 0.14), ("段", 0.13), ("雷", 0.13), ("侯", 0.13), ("龙", 0.12), ("史", 0.12), ("陶", 0.11),
    ("黎", 0.11), ("贺", 0.11), ("顾", 0.1), ("毛", 0.1), ("郝", 0.1), ("龚", 0.1), ("邵", 0.1),
    ("万", 0.09), ("钱", 0.09), ("严", 0.09), ("覃", 0.08), ("武", 0.08), ("戴", 0.08), ("莫", 0.07),
    ("孔", 0.07), ("向", 0.07), ("汤", 0.07), ("欧阳", 0.03), ("上官", 0.005), ("司马", 0.005),
    ("诸葛", 0.004),
)
MALE_CHARS = (
    "伟强磊军洋勇杰涛明超辉鹏华飞刚平斌宇浩凯健俊帆帅旭宁龙林波晨阳鑫博文天子一嘉轩睿泽航然毅峰志建国亮成东海昊哲铭瑞恒远思"
)
FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞秀燕玲婷雪琳晶颖倩慧欣怡佳悦雯萱涵琪璐梦思诗雨晓彤可心妍茜薇月露蕾洁红梅岚瑶楠丹君宁子一嘉"
)
EN_MALE = ("Kevin", "Jason", "Leo", "Tony", "Eric", "Jack", "Alex", "David", "Ryan", "Ben",
           "Sam", "Frank", "Leon", "Max", "Oscar", "Peter", "Vincent", "Tom")
EN_FEMALE = ("Amy", "Cathy", "Vivian", "Lily", "Grace", "Coco", "Sunny", "Nina", "Iris", "Mia",
             "Emma", "Cindy", "Judy", "Ivy", "Zoe", "Echo", "Kiki", "Luna")
EMOJI = ("🌸", "🍀", "☀️", "🐱", "🌈", "✨", "🎈", "🍊", "🌙", "🐳", "🔥", "💫")

CITIES: tuple[tuple[str, float], ...] = (
    ("北京", 14), ("上海", 14), ("杭州", 11), ("深圳", 11), ("广州", 8), ("成都", 7),
    ("南京", 4), ("武汉", 4), ("苏州", 3.5), ("西安", 3), ("重庆", 3), ("长沙", 2.5),
    ("厦门", 2), ("天津", 2), ("郑州", 2), ("青岛", 1.5), ("合肥", 1.5), ("宁波", 1.5),
    ("东莞", 1.2), ("昆明", 1), ("大连", 0.8), ("福州", 0.8), ("济南", 0.8), ("香港", 0.5),
    ("海外", 0.7),
)
CITY_GROUP_CITIES = ("北京", "上海", "杭州", "深圳", "广州", "成都")
DISTRICTS = {
    "北京": ("朝阳区 望京SOHO", "海淀区 中关村创业大街", "东城区 南锣鼓巷"),
    "上海": ("徐汇区 漕河泾", "静安区 南京西路", "杨浦区 五角场"),
    "杭州": ("西湖区 文三路", "余杭区 梦想小镇", "滨江区 网商路"),
    "深圳": ("南山区 科技园", "福田区 车公庙", "宝安区 西乡"),
    "广州": ("天河区 珠江新城", "海珠区 琶洲", "越秀区 北京路"),
    "成都": ("高新区 天府软件园", "锦江区 太古里", "武侯区 玉林路"),
}
VENUES = ("蓝鲸咖啡 2楼", "共享办公空间 会议室", "某书店 活动区", "创业孵化器 路演厅", "茶馆 包间")


@dataclass(frozen=True)
class _Industry:
    name: str
    short: str
    weight: float
    titles: tuple[str, ...]
    skills: tuple[str, ...]
    companies: tuple[str, ...]


INDUSTRIES: tuple[_Industry, ...] = (
    _Industry("互联网", "互联网", 26, ("产品经理", "前端工程师", "后端工程师", "运营经理", "UI设计师", "数据分析师", "技术总监", "测试工程师"),
              ("小程序开发", "前端开发", "Python", "数据分析", "用户增长", "产品设计", "UI设计"),
              ("阿里巴巴", "腾讯", "字节跳动", "美团", "网易", "京东", "百度", "小红书", "快手")),
    _Industry("电商", "电商", 10, ("店铺运营", "电商主播", "供应链经理", "创始人"),
              ("直播带货", "抖音运营", "选品", "供应链", "跨境电商"), ("拼多多", "天猫某品牌店")),
    _Industry("教育", "教育", 9, ("老师", "课程顾问", "教研", "校长"),
              ("课程设计", "少儿编程", "英语教学", "家庭教育"), ("新东方", "好未来")),
    _Industry("金融", "金融", 7, ("投资经理", "理财顾问", "行业分析师", "合伙人"),
              ("天使投资", "财务规划", "融资顾问", "行业研究"), ("招商银行", "中信证券")),
    _Industry("新媒体", "媒体", 8, ("编辑", "主编", "新媒体运营", "自媒体博主"),
              ("文案写作", "短视频剪辑", "公众号运营", "小红书运营"), ()),
    _Industry("设计", "设计", 6, ("平面设计师", "插画师", "品牌设计师", "设计总监"),
              ("UI设计", "品牌设计", "插画", "PPT设计"), ()),
    _Industry("制造业", "制造", 6, ("工程师", "采购经理", "厂长", "外贸业务员"),
              ("供应链", "工厂资源", "外贸"), ("比亚迪", "美的")),
    _Industry("咨询", "咨询", 5, ("咨询顾问", "合伙人", "HRBP", "猎头顾问"),
              ("企业培训", "招聘", "战略咨询"), ()),
    _Industry("医疗健康", "医疗", 4, ("医生", "药剂师", "健康管理师", "医药代表"),
              ("健康咨询", "营养搭配"), ()),
    _Industry("法律", "法律", 3, ("律师", "法务"), ("法律咨询", "知识产权", "合同审核"), ()),
    _Industry("餐饮", "餐饮", 3, ("店长", "主理人", "咖啡师"), ("咖啡", "门店运营"), ()),
    _Industry("房地产", "地产", 3, ("置业顾问", "室内设计师", "项目经理"), ("装修", "室内设计"), ("万科", "碧桂园")),
    _Industry("学生", "学生", 5, ("在读研究生", "大三学生", "应届生"), ("英语翻译", "数据分析"), ()),
    _Industry("自由职业", "自由", 5, ("自由摄影师", "独立开发者", "自由撰稿人"),
              ("摄影", "小程序开发", "文案写作"), ()),
)
COMPANY_WORDS = ("云帆", "星图", "数智", "蓝鲸", "极光", "飞鱼", "青橙", "知行", "矩阵", "微光",
                 "零一", "万象", "启航", "优学", "远山", "拾光", "木棉", "北辰")
COMPANY_SUFFIX = {
    "互联网": ("科技", "网络", "信息技术"), "电商": ("电子商务", "商贸"), "教育": ("教育", "文化"),
    "金融": ("资本", "投资", "财富"), "新媒体": ("文化传媒", "传媒"), "设计": ("设计工作室", "创意"),
    "制造业": ("智能制造", "机械", "实业"), "咨询": ("咨询", "管理咨询"), "医疗健康": ("健康", "医疗科技"),
    "法律": ("律师事务所",), "餐饮": ("餐饮管理", "咖啡"), "房地产": ("置业", "装饰"),
}
HOBBIES = ("喜欢跑步和徒步", "爱读书，在读《置身事内》", "周末常去拍照", "是个咖啡爱好者", "正在学吉他",
           "二胎宝妈，时间碎片化", "爱打羽毛球", "最近迷上了露营", "喜欢研究 AI 工具", "爱做饭")
WANTS = ("做产品", "做内容", "创业", "搞副业", "做投资", "出海", "做社群", "做设计")
TAGS = ("产品经理", "程序员", "设计师", "创业者", "投资人", "宝妈", "学生", "自由职业", "运营", "市场",
        "销售", "HR", "读书", "跑步", "摄影", "徒步", "AI", "出海", "跨境电商", "小红书", "短视频",
        "咖啡", "健身", "育儿", "理财", "同城活动", "讲师", "资源对接")
SOURCES_PLAIN: tuple[tuple[str, float], ...] = (
    ("公众号", 16), ("视频号", 10), ("小红书", 10), ("知乎", 5), ("线下活动", 9), ("直播间", 6), ("其他", 4),
)
SOURCES_INVITED: tuple[tuple[str, float], ...] = (("朋友推荐", 22), ("老成员邀请", 10), ("裂变海报", 8))
COHORT_SOURCE = "21天训练营"
TOPICS = ("私域运营", "小程序增长", "AI提效", "出海跨境电商", "个人品牌", "融资BP", "短视频起号",
          "用户增长", "副业变现", "产品思维", "小红书运营", "数据分析入门", "社群运营", "知识付费", "远程工作")
SHARE_TITLES = ("{t}实操手册", "一篇讲透{t}的长文", "{t}：我踩过的 10 个坑", "{t}工具清单", "{t}案例拆解")
VIOLATIONS = ("发广告", "发二维码", "刷屏", "未经允许拉人进群", "发布砍价链接", "人身攻击")
NOTES = ("线下见过，做事靠谱", "可以请来做分享", "对接过两次资源", "老朋友，创群时就在", "想做同城活动志愿者",
         "对付费群有兴趣")

# Category → (keywords, offer templates, need templates). {kw} keyword, {city} city.
SD: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "技能": (("小程序开发", "UI设计", "前端开发", "Python", "数据分析", "文案写作", "短视频剪辑", "PPT设计", "英语翻译", "插画"),
             ("本人{n}年{kw}经验，可接{kw}相关的小项目，晚上和周末有时间，价格好商量。",
              "擅长{kw}，做过几十个案例，群友优惠，欢迎私聊看作品集。",
              "提供{kw}陪跑/指导，适合刚入门的朋友，{city}可线下聊。"),
             ("找一位靠谱的{kw}，做一个小项目，预算 {budget} 左右，有意私聊。",
              "想学{kw}，求推荐老师或者靠谱的课程～",
              "急需{kw}帮忙，周期两周左右，{city}优先，可远程。")),
    "资源": (("媒体资源", "供应链", "场地", "渠道", "达人资源", "政府补贴申报", "工厂资源", "流量"),
             ("手上有{kw}，可以帮群友对接，{city}本地优先。",
              "{city}有{kw}可以共享，工作日白天空闲，欢迎来聊。"),
             ("求{kw}对接，{city}或周边，有偿。",
              "新项目启动，需要{kw}，有相关资源的朋友请联系我。")),
    "产品": (("SaaS", "智能硬件", "茶叶", "有机农产品", "线上课程", "文创", "护肤品"),
             ("自家{kw}，群友内部价，需要的私聊，可以先寄样品。",
              "我们的{kw}刚上线，招募 20 位种子用户免费试用，欢迎提意见。"),
             ("想采购一批{kw}做员工福利，预算 {budget}，求推荐。",
              "在找好用的{kw}，有在用的朋友说说体验吗？")),
    "服务": (("外包", "财税代理", "知识产权", "法律咨询", "品牌设计", "代运营", "企业培训", "装修"),
             ("提供{kw}服务，{n}年经验，已服务 100+ 家小微企业，群友首单八折。",
              "团队承接{kw}，流程规范可开票，{city}可上门。"),
             ("公司需要{kw}，求靠谱服务商推荐，{city}优先。",
              "预算 {budget}，找{kw}，希望有过同类案例。")),
    "合作": (("联合办活动", "渠道合作", "内容共创", "异业合作", "联合出品", "分销"),
             ("寻找{kw}伙伴，我们有 5 万私域用户，可以一起做点事情。",
              "{city}的朋友有兴趣{kw}吗？场地我来出。"),
             ("想找{kw}的伙伴，我负责内容，你负责渠道，分成好谈。",
              "{kw}：我们在做一个新项目，缺一个懂增长的合伙人。")),
    "招聘": (("前端工程师", "产品经理", "运营实习生", "销售", "设计师", "新媒体运营"),
             ("内推：{city}某公司招{kw}，薪资 {budget}/月，双休，简历私发我。",
              "我们团队招{kw}，远程可，有社群经验加分。"),
             ("有没有朋友在招{kw}？帮朋友问一下，{n}年经验。",)),
    "求职": (("产品经理", "运营", "数据分析", "兼职", "远程工作"),
             ("本人{n}年{kw}经验，目前看机会，{city}或远程，求内推。",
              "可以接{kw}类兼职，晚上和周末有时间。"),
             ("在找{kw}方向的工作，{city}，有合适的岗位麻烦推荐一下！",)),
    "投资": (("天使投资", "种子轮", "融资", "BP", "Pre-A"),
             ("关注早期项目，可做{kw}，消费和 AI 方向优先，欢迎发 BP。",
              "有{kw}额度，看{city}本地的硬科技项目。"),
             ("项目寻求{kw}，已有 MVP 和首批付费用户，求引荐投资人。",
              "准备{kw}，想找人帮忙看看 BP，有偿。")),
    "其他": (("拼车", "租房", "二手", "组队", "读书会"),
             ("{city}有{kw}信息，需要的朋友私聊。", "发起{kw}，{city}的朋友一起呀～"),
             ("求{kw}，{city}，有线索的朋友告诉我一声。",)),
}
SD_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("技能", 20), ("资源", 15), ("服务", 15), ("合作", 15), ("产品", 10), ("招聘", 8), ("求职", 7),
    ("投资", 5), ("其他", 5),
)

SPRING_FESTIVAL = {
    2018: (2, 16), 2019: (2, 5), 2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22),
    2024: (2, 10), 2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13),
    2030: (2, 3), 2031: (1, 23), 2032: (2, 11), 2033: (1, 31), 2034: (2, 19), 2035: (2, 8),
}
WEEKDAY_FACTOR = (1.0, 1.05, 1.15, 1.0, 0.85, 0.6, 0.7)  # Monday first
HOURS_WEEKDAY = (2, 1, 0.5, 0.3, 0.3, 0.5, 1, 3, 5, 6, 6, 6, 8, 6, 4, 4, 4, 5, 5, 7, 10, 11, 8, 4)
HOURS_WEEKEND = (3, 2, 1, 0.5, 0.3, 0.5, 1, 3, 6, 10, 11, 9, 7, 5, 5, 5, 5, 4, 4, 5, 6, 6, 5, 4)

# Engagement classes.
CORE, ACTIVE, LURKER, SILENT = 0, 1, 2, 3
CLASS_SHARE = (0.045, 0.18, 0.38, 0.395)
TALK_RATE = (0.6, 0.2, 0.05, 0.003)  # share of days with messages, at full interest
TALK_MU = (1.5, 0.8, 0.2, 0.0)  # log-normal messages per talking day
TALK_SIGMA = (0.9, 0.8, 0.6, 0.3)
FLOOR = (0.5, 0.3, 0.3, 0.2)  # interest never fades below this share
TAU = ((300, 1500), (90, 600), (30, 240), (10, 30))  # days for interest to fade
LEAVE_PROB = (0.03, 0.10, 0.22, 0.35)
EVENT_WEIGHT = (8.0, 4.0, 1.0, 0.15)
TALK_SCALE = 1.35

_CLASS = _Pick(zip((CORE, ACTIVE, LURKER, SILENT), CLASS_SHARE, strict=True))
_COHORT_CLASS = _Pick(((ACTIVE, 0.5), (LURKER, 0.4), (SILENT, 0.1)))
_GENDER = _Pick((("男", 0.52), ("女", 0.45), ("未知", 0.03)))
_INDUSTRY = _Pick((i, i.weight) for i in INDUSTRIES)
_N_TAGS = _Pick(((0, 0.35), (1, 0.35), (2, 0.2), (3, 0.1)))
_SURNAME = _Pick(SURNAMES)
_CITY = _Pick(CITIES)
_MEETUP_CITY = _Pick(CITIES[:8])
_BIG_CITY = _Pick(CITIES[:4])
_SOURCE_PLAIN = _Pick(SOURCES_PLAIN)
_SOURCE_INVITED = _Pick(SOURCES_INVITED)
_SD_CATEGORY = _Pick(SD_WEIGHTS)
_EVENT_KIND = _Pick((("线上讲座", 35), ("直播", 20), ("线下见面会", 30), ("分享会", 15)))


@dataclass
class DemoSummary:
    """What ``build_demo`` wrote: rows per table, the planted patterns, the time taken."""

    members: int
    seed: int
    until: dt.date
    counts: dict[str, int]
    elapsed: float
    planted: dict[str, list[int]] = field(default_factory=dict)

    def describe(self) -> str:
        c = self.counts
        lines = [
            f"已生成演示社群「{COMMUNITY}」（种子 {self.seed}，截至 {self.until.isoformat()}），"
            f"用时 {self.elapsed:.1f} 秒：",
            f"  成员 {c.get('members', 0):,} 名，群 {c.get('groups', 0):,} 个，群成员关系 {c.get('memberships', 0):,} 条",
            f"  活动 {c.get('events', 0):,} 场，报名 {c.get('registrations', 0):,} 条",
            f"  供求 {c.get('supply_demand', 0):,} 条，匹配 {c.get('matches', 0):,} 对",
            f"  群规 {c.get('rules', 0):,} 条（历史版本 {c.get('rule_versions', 0):,} 条）",
            f"  动态 {c.get('activities', 0):,} 条",
            "  可在分析中找到：训练营批次两个月后流失、付费会员群几乎只有群主在说话、"
            "一位骨干 6 周前起沉默、一位邀请人拉来的人全部退群。",
        ]
        return "\n".join(lines)


# ---- the people ------------------------------------------------------------------


class _Person:
    __slots__ = (
        "idx", "id", "join", "leave", "status", "role", "cls", "cohort", "source", "inviter",
        "surname", "given", "gender", "real_name", "display_name", "city", "industry", "company",
        "title", "intro", "phone", "wechat", "tier", "paid_until", "consent", "notes", "custom",
        "tags", "nickname", "tau", "floor", "quiet", "memberships", "payments", "core_day",
    )

    def __init__(self, idx: int, join: int, cohort: bool) -> None:
        self.idx = idx
        self.id = idx + 1
        self.join = join
        self.leave: int | None = None  # day index of leaving
        self.status = "在群"
        self.role = "成员"
        self.cls = SILENT
        self.cohort = cohort
        self.source = ""
        self.inviter: int | None = None
        self.surname = ""
        self.given = ""
        self.gender = "未知"
        self.real_name = ""
        self.display_name = ""
        self.city = ""
        self.industry: _Industry = INDUSTRIES[0]
        self.company = ""
        self.title = ""
        self.intro = ""
        self.phone: str | None = None
        self.wechat: str | None = None
        self.tier = ""
        self.paid_until: int | None = None
        self.consent = True
        self.notes = ""
        self.custom: dict[str, Any] | None = None  # None: {} (no dict per member)
        self.tags: list[str] = []
        self.nickname = ""
        self.tau = 100.0
        self.floor = 0.2
        self.quiet: int | None = None  # no activity at all from this day on
        self.memberships: list[_Stay] = []
        self.payments: list[tuple[int, float, str]] = []
        self.core_day = 0  # the day a 骨干 became one

    @property
    def end(self) -> int:
        """First day with no activity (exclusive end of the active span)."""
        end = DAYS if self.leave is None else self.leave
        if self.quiet is not None:
            end = min(end, self.quiet)
        return end

    def present(self, day: int) -> bool:
        return self.join <= day and (self.leave is None or day < self.leave)


@dataclass(slots=True)
class _Group:
    idx: int
    name: str
    platform: str
    capacity: int | None
    created: int
    kind: str  # main / core / paid / city
    notes: str = ""
    city: str = ""
    stays: list[_Stay] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.idx + 1


@dataclass(slots=True)
class _Stay:
    person: _Person
    group: _Group
    join: int
    leave: int | None
    nickname: str
    weight: float  # share of the member's talk that goes to this group


@dataclass(slots=True)
class _Event:
    id: int
    title: str
    kind: str
    starts: dt.datetime
    ends: dt.datetime
    location: str
    capacity: int | None
    description: str
    status: str
    rrule: str
    cost: float | None
    hosts: list[int]
    groups: list[_Group]
    day: int


# ---- the writer ------------------------------------------------------------------


def _sqlite_datetime(value: dt.datetime) -> str:
    # Exactly SQLAlchemy's DATETIME storage format on SQLite, ~5x faster to produce.
    return value.isoformat(" ", "microseconds")


def _sqlite_date(value: dt.date) -> str:
    return value.isoformat()


class _Sink:
    """Bulk inserts with explicit ids: Core executemany everywhere, and on SQLite the
    DBAPI cursor's executemany (same transaction) with values pre-converted exactly as
    SQLAlchemy's bind processors would. Measured at 20k members: generating and writing
    the talk rows 1.5 s CPU instead of 4.8 s, the whole build 4.8 s instead of 8.0 s.
    (On PostgreSQL, Core executemany — psycopg's pipeline — beat both a multi-row VALUES
    statement and insertmanyvalues with RETURNING.)"""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect
        self.raw = RAW_SQLITE and self.dialect.name == "sqlite"
        self.counts: dict[str, int] = {}
        self._cursor: Any = None
        self._suspended: list[str] = []

    def suspend_indexes(self, *tables: Table, keep_leading: str | None = None) -> None:
        """Drop the tables' secondary indexes until ``finish`` (raw SQLite path only).

        Building an index once over sorted keys beats updating it row by row: for an
        activity log of 1.6M rows (4 indexes) insert + index + commit measured 34 s
        row by row and 12 s with the indexes rebuilt at the end. Inside the
        write transaction, so a failure rolls the DDL back with everything else; the
        index definitions are re-run verbatim from sqlite_master.
        """
        if not self.raw:
            return
        for table in tables:
            for name, sql in self.session.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t "
                     "AND sql IS NOT NULL ORDER BY name"),
                {"t": table.name},
            ).all():
                first = self.session.execute(text(f'PRAGMA index_info("{name}")')).first()
                if keep_leading is not None and first is not None and first[2] == keep_leading:
                    continue
                self.session.execute(text(f'DROP INDEX "{name}"'))
                self._suspended.append(sql)

    def converters(self, table: Table, columns: Sequence[str]) -> list[Callable[[Any], Any] | None]:
        out: list[Callable[[Any], Any] | None] = []
        for name in columns:
            col_type = table.c[name].type
            if isinstance(col_type, DateTime):
                out.append(_sqlite_datetime)
            elif isinstance(col_type, Date):
                out.append(_sqlite_date)
            else:
                out.append(col_type.dialect_impl(self.dialect).bind_processor(self.dialect))
        return out

    def insert(
        self, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, converted: bool = False
    ) -> None:
        """Insert rows (tuples in ``columns`` order). ``converted``: the raw path's values
        are already what SQLite stores (see _ActivityLog)."""
        if not rows:
            return
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            if self.raw:
                self._raw_insert(table, columns, chunk, converted)
            else:
                self.session.execute(insert(table), [dict(zip(columns, r, strict=True)) for r in chunk])

    def _raw_insert(
        self, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]], converted: bool
    ) -> None:
        if self._cursor is None:
            self._cursor = self.session.connection().connection.cursor()
        prep = self.dialect.identifier_preparer
        conv = [] if converted else self.converters(table, columns)
        active = [(i, c) for i, c in enumerate(conv) if c is not None]
        if active:
            stored: list[Sequence[Any]] = []
            for r in rows:
                lst = list(r)
                for i, c in active:
                    v = lst[i]
                    if v is not None:
                        lst[i] = c(v)
                stored.append(lst)
            rows = stored
        sql = (
            f"INSERT INTO {prep.format_table(table)} ({', '.join(prep.quote(c) for c in columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        self._cursor.executemany(sql, rows)

    def finish(self) -> None:
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None
        for sql in self._suspended:
            self.session.execute(text(sql))
        self._suspended = []
        if self.dialect.name == "postgresql":
            # Explicit ids do not move the sequences; the next normal insert must not collide.
            for table in (_TABLES["Group"], _TABLES["Member"], _TABLES["Tag"], _TABLES["Membership"],
                          _TABLES["Event"], _TABLES["Registration"], _TABLES["SupplyDemand"],
                          _TABLES["Match"], _TABLES["Rule"], _TABLES["RuleVersion"], _TABLES["Activity"]):
                self.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    )
                )


# ---- the builder -----------------------------------------------------------------


class _Builder:
    def __init__(self, members: int, seed: int, until: dt.date) -> None:
        self.n = members
        # Staff of a very small community talk less than a full-time 群主 of 300+ members.
        self.small = min(1.0, math.sqrt(members / 300))
        self.rng = random.Random(seed)
        self.until = until
        self.start = until - dt.timedelta(days=DAYS - 1)
        self.dates = [self.start + dt.timedelta(days=d) for d in range(DAYS + 400)]
        self.midnights = [dt.datetime.combine(d, dt.time()) for d in self.dates]
        self.minutes = [dt.timedelta(minutes=m) for m in range(1440)]
        self.people: list[_Person] = []
        self.groups: list[_Group] = []
        self.events: list[_Event] = []
        self.event_days: dict[int, float] = {}
        self.planted: dict[str, list[int]] = {}
        self.tag_ids: dict[str, int] = {}
        self._phones: set[str] = set()
        self._wechats: set[str] = set()
        # On SQLite talk rows carry their timestamp as the text SQLAlchemy would store.
        self.text_stamps = False
        self.day_text = [d.isoformat() + " " for d in self.dates]
        self.minute_text = [f"{m // 60:02d}:{m % 60:02d}:00.000000" for m in range(1440)]

    # -- small helpers
    def day_of(self, date: dt.date) -> int:
        return (date - self.start).days

    def at(self, day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
        return self.midnights[day] + dt.timedelta(hours=hour, minutes=minute, seconds=second)

    # ---- members -------------------------------------------------------------------

    def make_people(self) -> None:
        rng, n = self.rng, self.n
        # Join days: a founding team in the first three weeks, then growth (4x over two
        # years) with a few 裂变 bursts, plus the 训练营 cohort in one fortnight.
        cohort_size = max(8, round(n * 0.03))
        self.cohort_day = self.day_of(_first_of_month(self.start + dt.timedelta(days=DAYS - 300)))
        seeds = max(5, n // 100)
        weights = [
            math.exp(math.log(4) * d / DAYS) * (1.15 if self.dates[d].weekday() >= 5 else 1.0) for d in range(DAYS)
        ]
        for _ in range(6):
            b = rng.randrange(60, DAYS - 20)
            for d in range(b, b + rng.randint(4, 9)):
                weights[d] *= 3.0
        for d in range(21):
            weights[d] = 0.0
        cum = _cumulative(weights)
        joins: list[tuple[int, float, bool]] = [(0, -1.0, False)]
        joins += [(rng.randrange(0, 21), rng.random(), False) for _ in range(seeds - 1)]
        joins += [(self.cohort_day + rng.randrange(0, 14), rng.random(), True) for _ in range(cohort_size)]
        regular = n - len(joins)
        joins += [(_draw_day(rng, cum, 0, DAYS), rng.random(), False) for _ in range(regular)]
        joins.sort()
        self.people = [_Person(i, d, c) for i, (d, _, c) in enumerate(joins)]
        people = self.people

        # Roles and engagement classes.
        founder = people[0]
        founder.role, founder.cls = "群主", CORE
        n_admins = max(3, round(n / 800))
        early = [p for p in people[1 : max(8, seeds)] if not p.cohort]
        admins = early[:2]
        pool = [p for p in people if p.role == "成员" and not p.cohort and p.join < DAYS - 120 and p not in admins]
        admins += rng.sample(pool, min(len(pool), n_admins - len(admins)))
        for p in admins:
            p.role, p.cls = "管理员", CORE
        for p in people:
            if p.role != "成员":
                continue
            if p.cohort:
                p.cls = _COHORT_CLASS(rng)
            else:
                p.cls = _CLASS(rng)
        n_core = round(n * 0.04)
        cand = [p for p in people if p.role == "成员" and p.cls in (CORE, ACTIVE) and not p.cohort and p.join < DAYS - 30]
        cand_w = [10.0 if p.cls == CORE else 1.2 for p in cand]
        for p in _weighted_sample(rng, cand, cand_w, n_core):
            p.role = "骨干"
            p.core_day = min(DAYS - 1, p.join + rng.randint(20, 200))
        for p in people:
            lo, hi = TAU[p.cls]
            p.tau = rng.uniform(lo, hi)
            p.floor = FLOOR[p.cls]

        # Leaving: silent and lurking members drift away; staff never do. Four in five of
        # the 训练营 cohort leave 50–70 days after joining, once the camp is over.
        cohort = [p for p in people if p.cohort]
        for p in rng.sample(cohort, round(0.8 * len(cohort))):
            p.leave = p.join + rng.randint(50, 70)
        for p in people:
            if p.role != "成员" or p.cohort:
                continue
            if rng.random() < LEAVE_PROB[p.cls]:
                leave = p.join + 3 + int(rng.expovariate(1 / 150))
                if leave < DAYS:
                    p.leave = leave
        for p in people:
            if p.leave is not None:
                p.status = "已退出"
        # 清退: members removed for breaking the 群规 (violations logged before).
        removable = [p for p in people if p.role == "成员" and p.cls != CORE and not p.cohort and p.join < DAYS - 20]
        for p in rng.sample(removable, max(2, round(n * 0.015))):
            p.status = "已清退"
            leave = p.join + rng.randint(10, 300)
            p.leave = leave if leave < DAYS else rng.randint(p.join + 5, DAYS - 1)

        self._plant_silent_core()
        self._plant_bad_inviter()
        self._assign_sources_and_inviters()
        for p in people:
            self._profile(p)
        self._payments()

    def _plant_silent_core(self) -> None:
        cand = [p for p in self.people if p.role == "骨干" and p.join < DAYS - 200 and p.leave is None]
        if not cand:  # tiny communities: promote a long-standing core member
            cand = [p for p in self.people if p.role == "成员" and not p.cohort and p.join < DAYS - 200]
        p = self.rng.choice(cand)
        p.role, p.cls, p.leave, p.status = "骨干", CORE, None, "在群"
        p.core_day = min(p.core_day or p.join + 30, DAYS - 200)
        p.tau, p.floor = 1500.0, 0.6
        p.quiet = DAYS - 42
        self.planted["silent_core"] = [p.id]

    def _plant_bad_inviter(self) -> None:
        rng = self.rng
        k = max(6, min(40, self.n // 100))
        cand = [
            p for p in self.people
            if p.role == "成员" and p.status == "在群" and not p.cohort and p.cls in (ACTIVE, LURKER)
            and 150 < p.join < DAYS - 330
        ]
        x = rng.choice(cand)
        later = [
            p for p in self.people
            if p.role == "成员" and not p.cohort and x.join < p.join <= DAYS - 60 and p.status != "已清退"
        ]
        after = [p for p in later if p.join <= x.join + 200]  # brought in over a few months
        if len(after) < k:
            after = later
        invitees = sorted(rng.sample(after, min(k, len(after))), key=lambda p: p.idx)
        for p in invitees:
            p.inviter = x.idx
            p.source = "朋友推荐"
            p.leave = min(DAYS - 1, p.join + rng.randint(5, 45))
            p.status = "已退出"
            p.cls = rng.choice((LURKER, SILENT, SILENT))
        self.bad_inviter = x
        self.planted["bad_inviter"] = [x.id]
        self.planted["bad_invitees"] = [p.id for p in invitees]

    def _assign_sources_and_inviters(self) -> None:
        rng = self.rng
        # Inviter propensity is heavy-tailed: most members never invite, a few bring dozens.
        pool: list[int] = []
        propensity = _Pick(((0, 0.70), (1, 0.19), (4, 0.07), (15, 0.03), (60, 0.01)))
        for p in self.people:
            if p.cohort and not p.source:
                p.source = COHORT_SOURCE
            if p.inviter is None and not p.source and p.idx > 0:
                if rng.random() < 0.42 and pool:
                    for _ in range(8):
                        cand = self.people[pool[rng.randrange(len(pool))]]
                        if cand.join < p.join and (cand.leave is None or cand.leave > p.join):
                            p.inviter = cand.idx
                            break
                if p.inviter is not None:
                    p.source = _SOURCE_INVITED(self.rng)
                else:
                    p.source = _SOURCE_PLAIN(self.rng)
            elif p.idx == 0:
                p.source = "创始人"
            if p is self.bad_inviter:
                continue
            weight = propensity(rng)
            if p.cls == CORE or p.role != "成员":
                weight *= 3
            pool.extend([p.idx] * weight)

    def _name(self, p: _Person) -> None:
        rng = self.rng
        p.gender = _GENDER(rng)
        p.surname = _SURNAME(self.rng)
        chars = MALE_CHARS if p.gender == "男" else FEMALE_CHARS if p.gender == "女" else MALE_CHARS + FEMALE_CHARS
        length = 1 if rng.random() < 0.2 or len(p.surname) == 2 and rng.random() < 0.5 else 2
        p.given = "".join(rng.choice(chars) for _ in range(length))
        name = p.surname + p.given
        r = rng.random()
        en = rng.choice(EN_MALE if p.gender == "男" else EN_FEMALE)
        if r < 0.75:
            p.display_name = name
            p.real_name = name if rng.random() < 0.5 else ""
            return
        if r < 0.82:
            p.display_name = en + rng.choice(EMOJI)
        elif r < 0.86:
            p.display_name = en
        elif r < 0.89:
            p.display_name = en + p.surname
        elif r < 0.92:
            p.display_name = rng.choice(("小", "阿")) + p.given[-1]
        elif r < 0.94:
            p.display_name = "老" + p.surname
        elif r < 0.96:
            p.display_name = p.surname + "老师"
        elif r < 0.98:
            p.display_name = p.given + "同学" if len(p.given) == 2 else name + rng.choice(EMOJI)
        else:
            p.display_name = name + rng.choice(EMOJI)
        p.real_name = name if rng.random() < 0.7 else ""

    def _profile(self, p: _Person) -> None:
        rng = self.rng
        self._name(p)
        p.city = _CITY(self.rng)
        ind = _INDUSTRY(rng)
        p.industry = ind
        p.title = rng.choice(ind.titles)
        if ind.name in ("学生", "自由职业"):
            p.company = "" if ind.name == "自由职业" or rng.random() < 0.3 else rng.choice(("浙江大学", "复旦大学", "武汉大学", "中山大学", "四川大学"))
        elif ind.companies and rng.random() < 0.35:
            p.company = rng.choice(ind.companies)
        elif rng.random() < 0.9:
            city = p.city if p.city not in ("海外", "香港") else ""
            p.company = city + rng.choice(COMPANY_WORDS) + rng.choice(COMPANY_SUFFIX.get(ind.name, ("科技",)))
        # Phone: unique valid mainland mobile; a few members never gave one.
        if rng.random() < 0.96:
            while True:
                phone = f"1{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(10 ** 8):08d}"
                if phone not in self._phones:
                    self._phones.add(phone)
                    p.phone = phone
                    break
        if rng.random() < 0.8:
            p.wechat = self._wechat(p)
        p.intro = self._intro(p) if rng.random() < (0.55 if p.cls == SILENT else 0.8) or p.role != "成员" else ""
        n_tags = _N_TAGS(rng)
        tags: list[str] = []
        for tag in rng.sample(TAGS, n_tags):
            tags.append(tag)
        if p.role == "骨干" and rng.random() < 0.3:
            tags.append("讲师")
        p.tags = list(dict.fromkeys(tags))
        p.consent = rng.random() < 0.92
        p.notes = rng.choice(NOTES) if rng.random() < 0.05 else ""
        if p.status == "已清退":
            p.notes = f"多次{rng.choice(VIOLATIONS)}，已按群规清退"
        p.custom = {"生日": f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"} if rng.random() < 0.2 else None
        r = rng.random()
        real = p.real_name or p.surname + p.given
        if r < 0.6:
            p.nickname = f"{real}-{p.city}-{p.industry.short if rng.random() < 0.5 else _short_title(p.title)}"
        elif r < 0.85:
            p.nickname = p.display_name
        else:
            p.nickname = ""

    def _wechat(self, p: _Person) -> str:
        rng = self.rng
        full, _ = pinyin_keys(p.surname + p.given)
        for _attempt in range(20):
            r = rng.random()
            if r < 0.05 and p.phone:
                wx = p.phone
            elif r < 0.3:
                wx = "wxid_" + "".join(rng.choice(_WXID_CHARS) for _ in range(14))
            elif r < 0.55:
                wx = f"{full}{rng.randint(1975, 2003)}"
            elif r < 0.75:
                wx = f"{full}_{rng.randrange(100, 10000)}"
            elif r < 0.9:
                en = rng.choice(EN_FEMALE if p.gender == "女" else EN_MALE).lower()
                wx = f"{en}_{full[:6]}{rng.randrange(10, 100)}"
            else:
                wx = f"{full[:10]}{rng.choice(('_sh', '_bj', '_hz', '_sz', '666', '888', '_1'))}"
            if len(wx) < 6:
                wx = wx + str(rng.randrange(1000, 10000))
            wx = wx[:20]
            if wx not in self._wechats:
                self._wechats.add(wx)
                return wx
        raise AssertionError("unreachable: wxid space is huge")

    def _intro(self, p: _Person) -> str:
        rng = self.rng
        name = p.real_name or p.display_name
        skills = list(p.industry.skills)
        s1, s2 = rng.sample(skills, 2) if len(skills) > 1 else (skills[0], skills[0])
        years = rng.randint(1, 15)
        company = p.company or "自由职业"
        want = rng.choice(WANTS)
        t = rng.randrange(5)
        if t == 0:
            return (f"大家好，我是{name}，坐标{p.city}，在{company}做{p.title}，{years}年{p.industry.name}经验。"
                    f"擅长{s1}，{rng.choice(HOBBIES)}。希望在群里认识更多{want}的朋友！")
        if t == 1:
            return f"{name}｜{p.city}｜{p.title}。{s1}、{s2}都可以交流，最近在研究{rng.choice(TOPICS)}，欢迎私聊~"
        if t == 2:
            return (f"hello，我是{name}，{p.industry.name}行业，目前在{company}。"
                    f"可以提供：{s1}；想找：{rng.choice(TOPICS)}方面的伙伴。")
        if t == 3:
            return f"{p.city}{p.title}，{rng.choice(HOBBIES)}"
        return (f"【自我介绍】\n姓名：{name}\n城市：{p.city}\n行业：{p.industry.name}\n"
                f"公司/职位：{company} {p.title}\n能提供：{s1}、{s2}\n想获得：{rng.choice(TOPICS)}的经验")

    def _payments(self) -> None:
        rng = self.rng
        plans = (("年费会员", 365, 699.0, 0.7), ("季度会员", 91, 199.0, 0.25), ("终身会员", 0, 1999.0, 0.05))
        chance = (0.25, 0.12, 0.04, 0.01)
        for p in self.people:
            if p.role in ("群主", "管理员") or rng.random() >= chance[p.cls]:
                continue
            tier, period, price, _ = rng.choices(plans, [pl[3] for pl in plans])[0]
            day = p.join + rng.randint(0, 60)
            end = p.end
            if day >= end:
                continue
            p.tier = tier
            promo = price if rng.random() < 0.8 else round(price * 0.85)
            p.payments.append((day, promo, f"开通{tier}"))
            if period == 0:
                continue
            renew = 0.9 if p.cls == CORE else 0.7
            while day + period < end and rng.random() < renew:
                day += period
                p.payments.append((day, price, f"续费{tier}"))
            p.paid_until = day + period

    # ---- groups and memberships ---------------------------------------------------------

    def make_groups(self) -> None:
        rng, people = self.rng, self.people
        n_main = max(1, math.ceil(self.n / 420))
        quota = math.ceil(self.n / n_main)
        founder = people[0]
        mains: list[_Group] = []
        for k in range(n_main):
            first = people[min(k * quota, self.n - 1)].join
            if k == 1 or k % 5 == 3:
                platform, cap = "QQ", 2000
            elif k % 7 == 5:
                platform, cap = "企业微信", 500
            else:
                platform, cap = "微信", 500
            name = f"星火创业者{k + 1}群" if platform == "微信" else f"星火创业者{k + 1}群（{platform}）"
            mains.append(_Group(len(self.groups), name, platform, cap, first if k else 0, "main"))
            self.groups.append(mains[-1])
        core_group = _Group(len(self.groups), "星火·骨干与管理员", "飞书", 5000, 14, "core",
                            notes="骨干和管理员的工作群：排班、活动筹备、群规讨论")
        self.groups.append(core_group)
        payers = sorted((p for p in people if p.payments), key=lambda p: (p.payments[0][0], p.idx))
        n_paid = max(1, math.ceil(len(payers) / 400))
        paid_quota = math.ceil(max(1, len(payers)) / n_paid)
        paid: list[_Group] = []
        for k in range(n_paid):
            first = payers[k * paid_quota].payments[0][0] if payers else 30
            name = "星火·付费会员群" if k == 0 else f"星火·付费会员{k + 1}群"
            paid.append(_Group(len(self.groups), name, "企业微信", 500, min(first, 30) if k == 0 else first, "paid",
                               notes="年费/季度/终身会员专属，群主每天分享行业动态"))
            self.groups.append(paid[-1])
        cities: list[_Group] = []
        for city in CITY_GROUP_CITIES[: min(6, self.n // 3000)]:
            g = _Group(len(self.groups), f"星火·{city}同城群", "微信", 500, rng.randint(90, 200), "city",
                       notes=f"{city}本地线下活动和资源对接", city=city)
            cities.append(g)
            self.groups.append(g)
        for g in self.groups:
            if g.kind == "main":
                g.notes = f"群主：{founder.display_name}；新人请按「姓名-城市-行业」改群昵称"

        def stay(p: _Person, g: _Group, join: int, weight: float, leave: int | None = None) -> None:
            leave = p.leave if leave is None else leave
            s = _Stay(p, g, join, leave, p.nickname, weight)
            p.memberships.append(s)
            g.stays.append(s)

        admins = [p for p in people if p.role == "管理员"]
        group_admins: dict[int, list[_Person]] = {g.idx: [] for g in mains}
        for k, g in enumerate(mains):
            a = admins[k % len(admins)]
            group_admins[g.idx].append(a)
        for i, a in enumerate(admins):
            if i >= len(mains):
                group_admins[mains[rng.randrange(len(mains))].idx].append(a)
        self.group_admins = group_admins
        for i, p in enumerate(people):
            home = mains[min(i // quota, n_main - 1)]
            if p is founder:
                for g in mains:
                    stay(p, g, g.created, 1.0)
            elif p.role == "管理员":
                mine = [g for g in mains if p in group_admins[g.idx]]
                if home not in mine:
                    mine.insert(0, home)
                for g in mine:
                    stay(p, g, max(p.join, g.created), 1.0)
            else:
                stay(p, home, p.join, 1.0)
            if p.role in ("群主", "管理员"):
                stay(p, core_group, max(p.join, core_group.created), 0.3)
            elif p.role == "骨干":
                stay(p, core_group, max(p.core_day, core_group.created), 0.25)
            # Some members are also in a second 大群.
            if p.role in ("成员", "骨干") and n_main > 1 and rng.random() < 0.05:
                end = p.end
                other = mains[rng.randrange(n_main)]
                day = max(p.join + rng.randint(1, 90), other.created)
                if other is not home and day < end:
                    stay(p, other, day, 0.3)
        for k, p in enumerate(payers):
            g = paid[min(k // paid_quota, n_paid - 1)]
            first = max(p.payments[0][0] + rng.randint(0, 2), g.created)
            if first >= p.end:
                continue
            leave = p.leave
            if p.paid_until is not None and p.tier != "终身会员":
                out = p.paid_until + rng.randint(1, 14)
                if out < DAYS and (leave is None or out < leave):
                    leave = out
            stay(p, g, first, 0.04, leave)
        for g in paid:
            stay(founder, g, g.created, 1.0)
        for g in cities:
            residents = [p for p in people if p.city == g.city and p.role != "群主"]
            share = min(0.3, 380 / max(1, len(residents)))
            for p in residents:
                if rng.random() < share:
                    day = max(p.join + rng.randint(0, 60), g.created)
                    if day < p.end:
                        stay(p, g, day, 0.15)
            stay(founder, g, g.created, 0.2)
        self.mains, self.core_group, self.paid_groups, self.city_groups = mains, core_group, paid, cities
        self.planted["broadcast_groups"] = [g.id for g in paid]
        self.planted["churn_cohort"] = [p.id for p in people if p.cohort]

    # ---- events --------------------------------------------------------------------

    def make_events(self) -> tuple[list[tuple[Any, ...]], list[_Act]]:
        """Events with hosts, target groups and registrations. Returns registration rows
        and the (member_id, group_id, kind, moment, value, note) rows they imply."""
        rng = self.rng
        regs: list[tuple[Any, ...]] = []
        acts: list[_Act] = []
        n_past = min(600, 48 + self.n // 200)
        ev_weights = [math.exp(math.log(3) * d / DAYS) for d in range(DAYS)]
        for d in range(40):
            ev_weights[d] = 0.0
        cum = _cumulative(ev_weights)
        plans: list[tuple[int, str]] = []
        for _ in range(n_past):
            plans.append((_draw_day(rng, cum, 0, DAYS), _EVENT_KIND(rng)))
        n_up = min(40, 6 + self.n // 5000)
        for _ in range(n_up):
            plans.append((DAYS + rng.randint(0, 35), _EVENT_KIND(rng)))
        # One meetup next week is already full, with people on the waitlist.
        plans.append((DAYS + rng.randint(3, 9), "线下见面会*"))
        plans.sort()
        for day, kind in plans:
            self._event(day, kind.rstrip("*"), regs, acts, full=kind.endswith("*"))
        for k, day in enumerate(range(60, DAYS - 25, 75)):
            self._campaign(k, day, regs, acts)
        self._weekly_series()
        return regs, acts

    def _staff_at(self, day: int, city: str | None = None) -> list[_Person]:
        if not hasattr(self, "_staff"):
            self._staff = [p for p in self.people if p.role != "成员"]
        staff = [
            p for p in self._staff
            if (p.role in ("群主", "管理员") or p.role == "骨干" and p.core_day <= day)
            and p.present(day) and (p.quiet is None or p.quiet > day)
        ]
        if city:
            local = [p for p in staff if p.city == city]
            if local:
                return local
        return staff

    def _pool(self, groups: Sequence[_Group], day: int, city: str | None = None) -> list[_Person]:
        seen: dict[int, _Person] = {}
        for g in groups:
            for s in g.stays:
                p = s.person
                if s.join < day - 1 and (s.leave is None or s.leave > day) and (p.quiet is None or p.quiet > day):
                    if city is None or p.city == city:
                        seen.setdefault(p.idx, p)
        return list(seen.values())

    def _event(
        self, day: int, kind: str, regs: list[tuple[Any, ...]], acts: list[_Act], *, full: bool = False
    ) -> None:
        rng = self.rng
        weekday = self.dates[day].weekday()
        topic = rng.choice(TOPICS)
        city: str | None = None
        capacity: int | None
        if kind == "线下见面会":
            while self.dates[day].weekday() < 5 and rng.random() < 0.8 and day + 1 < len(self.dates) - 1:
                day += 1
            city = (_BIG_CITY if full else _MEETUP_CITY)(rng)
            hour, minute, hours = (14, 0, 3.0) if self.dates[day].weekday() >= 5 else (19, 0, 2.5)
            capacity = rng.choice((20, 30, 40, 60, 80))
            district = rng.choice(DISTRICTS.get(city, ("市中心",)))
            location = f"{city}·{district} {rng.choice(VENUES)}"
            title = rng.choice((f"{city}站·{topic}线下交流会", f"{city}创业者咖啡局 · {topic}", f"{city}同城见面会：聊聊{topic}"))
            cost: float | None = rng.choice((None, 0.0, 39.0, 59.0, 99.0))
            targets = [g for g in self.city_groups if g.city == city] + self._some_mains(3)
        else:
            if kind == "直播":
                hour, minute, hours = 20, 0, 1.5
                capacity = None
                location = "视频号「星火创业者社群」直播间"
                title = f"视频号直播｜{topic}：{rng.choice(('实战复盘', '答疑专场', '嘉宾对谈'))}"
            elif kind == "线上讲座":
                hour, minute, hours = (20, 0, 1.5) if weekday < 5 else (10, 0, 1.5)
                capacity = rng.choice((100, 200, 300, 500))
                location = f"腾讯会议 {rng.randrange(100, 1000)}-{rng.randrange(100, 1000)}-{rng.randrange(100, 1000)}"
                title = f"{topic}：{rng.choice(('从0到1的实战经验', '方法论与案例', '新手入门', '我的三年复盘'))}"
            else:
                hour, minute, hours = (20, 30, 1.5) if weekday < 5 else (10, 0, 2.0)
                capacity = rng.choice((50, 100))
                location = f"飞书会议 https://vc.feishu.cn/j/{rng.randrange(10 ** 8, 10 ** 9)}"
                title = f"群友分享会 · {topic}"
            cost = None
            targets = self._some_mains(4)
        starts = self.at(day, hour, minute)
        ends = starts + dt.timedelta(hours=hours)
        staff = self._staff_at(min(day, DAYS - 1), city)
        hosts = _unique(rng.sample(staff, min(len(staff), rng.choice((1, 1, 2)))))
        host_names = "、".join(h.display_name for h in hosts)
        description = (
            f"主讲/主持：{host_names}。本期聊「{topic}」，适合想{rng.choice(WANTS)}的朋友。"
            + ("名额有限，报名后请准时参加，无法参加请提前取消。" if capacity else "直播无需报名，开播前会在群里提醒。")
        )
        past = ends <= self.midnights[DAYS]  # ``until`` counts as a whole day gone by
        cancelled = past and rng.random() < 0.04
        event_id = len(self.events) + 1
        ev = _Event(event_id, title, kind, starts, ends, location, capacity, description, "", "", cost,
                    [h.id for h in hosts], _unique(targets), day)
        self.events.append(ev)
        if past:
            ev.status = "已取消" if cancelled else "已结束"
            self.event_days[day] = self.event_days.get(day, 1.0) * 1.25
            self.event_days[day + 1] = self.event_days.get(day + 1, 1.0) * 1.1
        announce = min(day - rng.randint(10, 14), DAYS - 4) if full else day - rng.randint(7, 21)
        if announce > DAYS - 1:
            ev.status = "筹备"
            return
        pool = [
            p for p in self._pool(ev.groups, announce, city if kind == "线下见面会" else None)
            if p.quiet is None or p.quiet > day
        ]
        if kind == "线下见面会":
            rate = rng.uniform(0.05, 0.15)
        elif kind == "直播":
            rate = rng.uniform(0.05, 0.12)
        elif kind == "线上讲座":
            rate = rng.uniform(0.08, 0.2)
        else:
            rate = rng.uniform(0.05, 0.12)
        if not past:
            rate *= (DAYS - 1 - announce + 1) / max(1, day - announce)  # still open for sign-ups
        wanted = round(len(pool) * rate)
        if full and capacity is not None:
            capacity = ev.capacity = min(capacity, max(4, len(pool) // 2))
            wanted = min(len(pool), capacity + rng.randint(4, 9))
        chosen = _weighted_sample(rng, pool, [EVENT_WEIGHT[p.cls] for p in pool], wanted)
        last_day = day if past else DAYS - 1
        signups: list[tuple[dt.datetime, _Person]] = []
        for p in chosen:
            lo = max(announce, p.join)
            hi = min(last_day, p.end - 1)
            if hi < lo:
                continue
            d = hi - int(rng.triangular(0, hi - lo, 0)) if hi > lo else lo
            moment = self.at(d, rng.randint(8, 23), rng.randrange(60), rng.randrange(60))
            if moment >= starts:
                moment = starts - dt.timedelta(minutes=rng.randint(5, 120))
            signups.append((moment, p))
        signups.sort(key=lambda x: (x[0], x[1].idx))
        no_show = {"线上讲座": 0.33, "直播": 0.38, "线下见面会": 0.15, "分享会": 0.25}[kind]
        seats = capacity if capacity is not None else len(signups)
        status: dict[int, str] = {}
        order = [p for _, p in signups]
        holders = order[:seats]
        waiting = order[seats:]
        for i, p in enumerate(order):
            status[p.idx] = "已报名" if i < seats else "候补"
        if cancelled:
            for p in order:
                status[p.idx] = "已取消"
        else:
            for p in list(holders):
                if rng.random() < 0.06:
                    status[p.idx] = "已取消"
                    if waiting:
                        status[waiting.pop(0).idx] = "已报名"
            if past:
                for p in order:
                    if status[p.idx] == "已报名":
                        status[p.idx] = "缺席" if rng.random() < no_show else "已签到"
            else:
                taken = sum(1 for p in order if status[p.idx] == "已报名")
                ev.status = "已满" if capacity is not None and taken >= capacity else "报名中"
        for moment, p in signups:
            st = status[p.idx]
            checked: dt.datetime | None = None
            if st == "已签到":
                offset = rng.randint(-20, 15) if kind == "线下见面会" else rng.randint(-5, 10)
                checked = starts + dt.timedelta(minutes=offset, seconds=rng.randrange(60))
                group = next((g.id for g in ev.groups if any(s.person is p for s in p.memberships if s.group is g)), None)
                acts.append((p.id, group, "参加活动", checked, 1.0, ev.title))
                if cost:
                    acts.append((p.id, group, "付费", moment, cost, f"活动票：{ev.title}"))
            regs.append((event_id, p.id, st, moment, checked))

    def _some_mains(self, k: int) -> list[_Group]:
        if len(self.mains) <= k:
            return list(self.mains)
        return self.rng.sample(self.mains, self.rng.randint(1, k))

    def _campaign(self, k: int, day: int, regs: list[tuple[Any, ...]], acts: list[_Act]) -> None:
        """A 打卡 campaign: everyone checks in daily until they drop out (streaks decay)."""
        rng = self.rng
        camp = day >= self.cohort_day and not any(e.title.startswith(COHORT_SOURCE) for e in self.events)
        if camp:
            day = self.cohort_day + 14
            title, length, morning = f"{COHORT_SOURCE}·{self.dates[day].month}月班", 21, False
        else:
            title, length, morning = rng.choice(
                (("21天早起打卡", 21, True), ("30天读书打卡", 30, False), ("14天运动打卡", 14, True))
            )
            title = f"{title}·第{k + 1}期"
        starts = self.at(day, 6 if morning else 21)
        ends = self.at(day + length - 1, 23)
        event_id = len(self.events) + 1
        hosts = [self.people[0]] if camp else rng.sample(self._staff_at(day), 1)
        ev = _Event(event_id, title, "打卡", starts, ends, "小打卡小程序 + 群内接龙", None,
                    f"连续{length}天，每天{'早上 6–9 点' if morning else '晚上 9–11 点'}在群里接龙打卡，坚持到最后的有小礼物。",
                    "已结束", "", None, [h.id for h in hosts], list(self.mains), day)
        self.events.append(ev)
        pool = [p for p in self.people if p.present(day - 1) and (p.quiet is None or p.quiet > day + length)]
        if camp:
            chosen = [p for p in pool if p.cohort]
            others = [p for p in pool if not p.cohort]
            chosen += _weighted_sample(rng, others, [EVENT_WEIGHT[p.cls] for p in others], round(len(others) * 0.01))
        else:
            chosen = _weighted_sample(rng, pool, [EVENT_WEIGHT[p.cls] for p in pool], round(len(pool) * 0.035))
        keep = (0.93, 0.9, 0.82, 0.7)
        for p in sorted(chosen, key=lambda p: p.idx):
            streak = 0
            survive = 0.95 if p.cohort else keep[p.cls]
            while streak < length and day + streak < p.end and rng.random() < (survive if streak else 0.9):
                hour = rng.randint(6, 8) if morning else rng.randint(21, 22)
                moment = self.at(day + streak, hour, rng.randrange(60), rng.randrange(60))
                acts.append((p.id, p.memberships[0].group.id, "签到", moment, 1.0, f"{title} 第{streak + 1}天"))
                streak += 1
            registered = self.at(max(p.join, day - rng.randint(1, 5)), rng.randint(9, 22), rng.randrange(60))
            if registered >= starts:
                registered = starts - dt.timedelta(hours=1)
            checked = starts + dt.timedelta(minutes=rng.randint(0, 170)) if streak else None
            regs.append((event_id, p.id, "已签到" if streak else "缺席", registered, checked))

    def _weekly_series(self) -> None:
        rng = self.rng
        first = DAYS - 365
        while self.dates[first].weekday() != 2:
            first += 1
        self.series_day = first
        starts = self.at(first, 20)
        hosts = [p for p in self.people if p.role == "管理员"][:2]
        self.events.append(_Event(
            len(self.events) + 1, "周三夜聊 · 产品人圆桌", "线上讲座", starts, starts + dt.timedelta(minutes=90),
            f"腾讯会议 {rng.randrange(100, 1000)}-{rng.randrange(100, 1000)}-{rng.randrange(100, 1000)}（每周固定）",
            None, "每周三晚 8 点，轮流由骨干主持，聊一个产品/增长话题，无需报名，直接进会。", "报名中",
            "FREQ=WEEKLY;BYDAY=WE", None, [h.id for h in hosts], list(self.mains), first,
        ))

    # ---- supply and demand ------------------------------------------------------------

    def make_supply_demand(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        rng = self.rng
        people = self.people
        total = round(self.n * 0.1)
        weights = [(5.0, 3.0, 1.0, 0.3)[p.cls] for p in people]
        posters = rng.choices(people, weights, k=total)
        kw_picks: dict[str, _Pick[str]] = {}
        items: list[dict[str, Any]] = []
        for p in posters:
            end = min(p.end, DAYS)
            if end <= p.join:
                continue
            day = rng.randrange(p.join, end)
            cat = _SD_CATEGORY(rng)
            kws, offers, needs = SD[cat]
            kind = "供给" if rng.random() < 0.55 else "需求"
            # Keywords are Zipf-like within a category: a few ("小程序开发", "外包") come up
            # again and again, on both sides, which is what makes matching worth doing.
            kw_pick = kw_picks.setdefault(cat, _Pick((k, 1 / (i + 1)) for i, k in enumerate(kws)))
            kw = kw_pick(rng)
            template = rng.choice(offers if kind == "供给" else needs)
            body = template.format(kw=kw, city=p.city, n=rng.randint(2, 12),
                                   budget=rng.choice(("3000", "5000", "1万", "2万", "15-25K", "面议")))
            words = [kw]
            second = kw_pick(rng)
            if second != kw and rng.random() < 0.3:
                words.append(second)
                body += f"{'也能' if kind == '供给' else '也在找'}{second}相关的，可以一起聊。"
            keywords = ",".join(words)
            age = DAYS - 1 - day
            expires = day + rng.choice((30, 60, 90)) if rng.random() < 0.7 else None
            if age > 60:
                status = rng.choices(("closed", "matched", "open"), (0.6, 0.25, 0.15))[0]
            elif age > 14:
                status = rng.choices(("closed", "matched", "open"), (0.2, 0.2, 0.6))[0]
            else:
                status = "open"
            items.append({"member": p, "kind": kind, "cat": cat, "kw": kw, "text": body,
                          "keywords": keywords, "day": day, "expires": expires, "status": status})
        items.sort(key=lambda it: (it["day"], it["member"].idx, it["kind"]))
        rows: list[tuple[Any, ...]] = []
        offers_by_key: dict[tuple[str, str], list[int]] = {}
        offers_by_cat: dict[str, list[dict[str, Any]]] = {}
        for i, it in enumerate(items):
            it["id"] = i + 1
            if it["kind"] == "供给":
                offers_by_key.setdefault((it["cat"], it["kw"]), []).append(i)
                offers_by_cat.setdefault(it["cat"], []).append(it)
        matches: list[tuple[Any, ...]] = []
        proposers = [p.display_name for p in self.people if p.role in ("群主", "管理员")]
        matched_offers: set[int] = set()
        for it in items:
            if it["kind"] != "需求":
                continue
            want = it["status"] in ("matched", "closed") and rng.random() < (1.0 if it["status"] == "matched" else 0.3)
            want = want or (it["status"] == "open" and rng.random() < 0.2)
            if not want:
                continue
            # Same category and keyword first; otherwise an offer of the same category; for a
            # need that did get answered, whatever offer an operator judged close enough.
            cands = [
                items[j] for j in offers_by_key.get((it["cat"], it["kw"]), [])
                if items[j]["member"] is not it["member"] and items[j]["day"] <= it["day"] + 20
            ] or [
                o for o in offers_by_cat.get(it["cat"], [])
                if o["member"] is not it["member"] and o["day"] <= it["day"] + 20
            ] or [
                o for o in items
                if it["status"] == "matched" and o["kind"] == "供给" and o["member"] is not it["member"]
                and o["day"] <= it["day"] + 20
            ]
            if not cands:
                if it["status"] == "matched":
                    it["status"] = "closed"
                continue
            for offer in rng.sample(cands, min(len(cands), rng.choice((1, 1, 2)))):
                same_city = offer["member"].city == it["member"].city
                same_kw = offer["kw"] == it["kw"]
                if offer["cat"] != it["cat"]:
                    score, reason = rng.uniform(0.2, 0.35), f"跨类推荐：对方可提供「{offer['kw']}」"
                else:
                    score = rng.uniform(0.55, 0.9) if same_kw else rng.uniform(0.3, 0.55)
                    reason = f"同属「{it['cat']}」" + (f"，关键词「{it['kw']}」一致" if same_kw else "")
                score = round(min(0.99, score + (0.05 if same_city else 0.0)), 2)
                reason += f"；同在{it['member'].city}" if same_city else ""
                if it["status"] == "matched":
                    outcome = rng.choice(("accepted", "met", "met"))
                elif it["status"] == "closed":
                    outcome = rng.choice(("rejected", "no_result"))
                else:
                    outcome = "proposed"
                day = min(DAYS - 1, max(it["day"], offer["day"]) + rng.randint(1, 10))
                created = self.at(day, rng.randint(9, 22), rng.randrange(60))
                matches.append((len(matches) + 1, offer["id"], it["id"], score, reason, rng.choice(proposers), outcome,
                                "已拉群介绍，双方聊过" if outcome == "met" else "", created))
                if outcome in ("accepted", "met"):
                    matched_offers.add(offer["id"])
        for it in items:
            status = it["status"]
            if it["kind"] == "供给" and it["id"] in matched_offers:
                status = "matched"
            elif it["kind"] == "供给" and status == "matched":
                status = "closed"
            rows.append((it["id"], it["member"].id, it["kind"], it["cat"], it["text"], it["keywords"],
                         self.dates[it["day"]], self.dates[it["expires"]] if it["expires"] is not None else None, status))
        return rows, matches

    # ---- rules ---------------------------------------------------------------------------

    def make_rules(self) -> tuple[list[tuple[Any, ...]], list[dict[str, Any]], list[tuple[int, int]]]:
        founder = self.people[0].display_name
        admin = next(p.display_name for p in self.people if p.role == "管理员")
        begin = self.at(0, 9)
        rules: list[tuple[str, str, str, bool, str, str, str, int, bool]] = [
            ("新人自我介绍", "新成员入群后请在 3 天内按模板发自我介绍（姓名-城市-行业、能提供什么、想获得什么），方便大家认识你。",
             "准入", True, "days_since_join >= 3 and not has_intro", "提醒", "", 0, True),
            ("群昵称格式", "群昵称请改为「姓名-城市-行业」，例如「张伟-杭州-产品」，方便大家称呼和对接。",
             "准入", True, "", "", "", 0, True),
            ("新人标记", "入群 7 天内的新朋友会带上「新人」标签，老成员多多照顾。",
             "准入", True, "days_since_join < 7", "打标签", "新人", 0, True),
            ("禁止广告与二维码", "未经群主同意，禁止发广告、二维码、拉票砍价链接和未经允许拉人；违者警告一次，30 天内三次清退。",
             "言行", True, "violations_30d >= 1", "警告", "", 0, True),
            ("多次违规清退", "30 天内违规 3 次及以上，清退出群，不再邀请。", "清退", True, "violations_30d >= 3", "清退", "", 3, True),
            ("友善交流", "对事不对人，不讨论政治和宗教话题，不刷屏；深夜（23 点后）请尽量少发消息。", "言行", True, "", "", "", 0, True),
            ("长期潜水提醒", "连续 30 天没有发言的成员，管理员会私聊提醒；我们希望每个人都能在群里有所收获。",
             "清退", True, 'inactive_days >= 30 and role == "成员"', "提醒", "", 0, True),
            ("长期潜水清退", "连续 90 天没有发言且提醒后仍无回应的，清退出群，为新朋友腾出位置（可随时重新申请入群）。",
             "清退", True, 'inactive_days >= 90 and role == "成员"', "清退", "", 7, False),
            ("骨干晋升", "近 90 天参加 3 次以上活动、发言 50 条以上的成员，可邀请成为骨干，参与活动筹备。",
             "激励", True, "attended_90d >= 3 and messages_90d >= 50", "升为骨干", "", 0, True),
            ("付费群仅限有效会员", "付费会员群仅限会员有效期内的成员，到期未续费的 14 天后移出付费群（大群不受影响）。",
             "准入", False, "paid_until_days < -14", "提醒", "", 0, True),
        ]
        rule_rows: list[tuple[Any, ...]] = []
        versions: list[dict[str, Any]] = []
        scoped: list[tuple[int, int]] = []
        edited = "长期潜水提醒"
        for i, (title, body, cat, all_groups, cond, action, arg, grace, enabled) in enumerate(rules):
            rid = i + 1
            group_ids = [] if all_groups else [g.id for g in self.paid_groups]
            scoped += [(rid, g) for g in group_ids]
            rule_rows.append((rid, 2 if title == edited else 1, title, body, cat, all_groups, cond, action,
                              arg, grace, enabled, i))
            now = {"rule_id": rid, "revision": 1, "title": title, "body": body, "category": cat,
                   "condition": cond, "action": action, "action_arg": arg, "grace_days": grace,
                   "all_groups": all_groups, "group_ids": group_ids, "position": i,
                   "enabled": enabled, "valid_from": begin, "author": founder}
            if title == edited:
                # First published as a 60-day clear-out; softened to a 30-day reminder later.
                versions.append({**now, "body": "连续 60 天没有发言的成员，清退出群，为新朋友腾出位置。",
                                 "condition": 'inactive_days >= 60 and role == "成员"', "action": "清退",
                                 "grace_days": 7})
                now = {**now, "revision": 2, "valid_from": self.at(DAYS - 180, 10, 30), "author": admin}
            versions.append(now)
        for i, v in enumerate(versions):
            v["id"] = i + 1
        return rule_rows, versions, scoped

    # ---- the activity log ---------------------------------------------------------------

    def rhythm(self) -> None:
        """Day weights (weekday, holidays, events) and hour profiles shared by all talk."""
        w: list[float] = []
        for d in range(DAYS):
            date = self.dates[d]
            f = WEEKDAY_FACTOR[date.weekday()]
            sf = SPRING_FESTIVAL.get(date.year)
            if sf and 0 <= (date - dt.date(date.year, *sf)).days + 1 <= 7:
                f *= 0.5
            if date.month == 10 and date.day <= 7:
                f *= 0.65
            f *= self.event_days.get(d, 1.0)
            w.append(f)
        self.day_weights = w
        self.day_cum = _cumulative(w)
        # Hour of day as a table of SLOTS minute-of-day starts, by quantile: one lookup per row.
        wed = list(HOURS_WEEKDAY)
        wed[20] *= 2.0
        wed[21] *= 1.6
        profiles = [_hour_slots(HOURS_WEEKEND if wd >= 5 else HOURS_WEEKDAY) for wd in range(7)]
        profiles.append(_hour_slots(wed))  # Wednesdays once the weekly 夜聊 runs
        self.day_slots = [
            profiles[7 if self.dates[d].weekday() == 2 and d >= self.series_day else self.dates[d].weekday()]
            for d in range(DAYS)
        ]
        # Messages per talking day, heavy-tailed (log-normal), also as quantile tables.
        normal = NormalDist()
        z = [normal.inv_cdf((i + 0.5) / SLOTS) for i in range(SLOTS)]
        self.talk_values = [
            [min(400.0, float(int(math.exp(mu + sigma * zi)) + 1)) for zi in z]
            for mu, sigma in zip(TALK_MU, TALK_SIGMA, strict=True)
        ]

    def moment(self, day: int) -> dt.datetime:
        rnd = self.rng.random
        minute = self.day_slots[day][int(rnd() * SLOTS)] + int(rnd() * 60)
        return self.midnights[day] + self.minutes[minute]

    def life_rows(self) -> Iterator[_Act]:
        """入群/退群/清退, 邀请, 付费, 违规/警告, 提醒 and 分享 rows."""
        rng = self.rng
        people = self.people
        for p in people:
            for s in p.memberships:
                joined = self.at(s.join, rng.randint(8, 23), rng.randrange(60), rng.randrange(60))
                if s is p.memberships[0] and p.inviter is not None:
                    inviter = people[p.inviter]
                    invite_group = next((x.group.id for x in inviter.memberships if x.join <= s.join and (x.leave is None or x.leave > s.join)), s.group.id)
                    invited_at = joined - dt.timedelta(minutes=rng.randint(1, 30))
                    yield (inviter.id, invite_group, "邀请", invited_at, 1.0, f"邀请「{p.display_name}」入群")
                yield (p.id, s.group.id, "入群", joined, 1.0, p.source if s is p.memberships[0] else "")
                if s.leave is not None:
                    left = self.at(s.leave, rng.randint(8, 23), rng.randrange(60), rng.randrange(60))
                    if p.status == "已清退" and s.leave == p.leave:
                        yield (p.id, s.group.id, "清退", left, 1.0, p.notes)
                    else:
                        yield (p.id, s.group.id, "退群", left, 1.0, "")
            home = p.memberships[0].group.id
            for day, amount, note in p.payments:
                yield (p.id, home, "付费", self.at(day, rng.randint(9, 23), rng.randrange(60)), amount, note)
            # Violations: those later removed broke the rules 2–3 times; a few others once.
            n_viol = rng.randint(2, 3) if p.status == "已清退" else (1 if rng.random() < 0.02 else 0)
            for k in range(n_viol):
                if p.status == "已清退" and p.leave is not None:
                    day = max(p.join, p.leave - 1 - rng.randint(0, 25) - k)
                else:
                    day = rng.randrange(p.join, max(p.join + 1, p.end))
                moment = self.moment(day)
                what = rng.choice(VIOLATIONS)
                yield (p.id, home, "违规", moment, 1.0, what)
                yield (p.id, home, "警告", moment + dt.timedelta(minutes=rng.randint(2, 60)), 1.0, f"{what}，第{k + 1}次警告")
            if not p.intro and p.join + 3 < p.end and rng.random() < 0.5:
                reminded = self.at(p.join + 3, rng.randint(10, 21), rng.randrange(60))
                yield (p.id, home, "提醒", reminded, 1.0, "新人自我介绍：请在群里发一下自我介绍")
            # 分享: articles and resources, mostly from the engaged.
            rate = (0.02, 0.006, 0.001, 0.0)[p.cls] * (1.5 if p.role != "成员" else 1.0)
            if rate:
                for _ in range(_poisson(rng, rate * (p.end - p.join))):
                    day = _draw_day(rng, self.day_cum, p.join, p.end)
                    title = rng.choice(SHARE_TITLES).format(t=rng.choice(TOPICS))
                    yield (p.id, self._talk_group(p, day), "分享", self.moment(day), 1.0, f"分享《{title}》")

    def _talk_group(self, p: _Person, day: int) -> int:
        ms = p.memberships
        if len(ms) == 1:
            return ms[0].group.id
        live = [s for s in ms if s.join <= day and (s.leave is None or s.leave > day)]
        if not live:
            return ms[0].group.id
        u = self.rng.random() * sum(s.weight for s in live)
        for s in live:
            u -= s.weight
            if u < 0:
                return s.group.id
        return live[-1].group.id

    def talk_rows(self, p: _Person, out: list[_Act]) -> None:
        """发言: one row per member per group per talking day, value = messages that day."""
        rng = self.rng
        if p.role == "群主":
            self._founder_talk(p, out)
            return
        start, end = p.join, p.end
        if end <= start:
            return
        cls = p.cls
        days: dict[int, float] = {}
        if cls >= LURKER and rng.random() < 0.55:
            days[start] = float(rng.randint(1, 2))  # "大家好，我是…"
        rate = TALK_RATE[cls] * (1.3 * self.small if p.role == "管理员" else 1.0) * TALK_SCALE
        if p.cohort:
            rate = max(rate, 0.12)
        if rate > 0:
            tau, floor = p.tau, p.floor
            span = end - start
            bend = tau * math.log(1 / floor) if floor > 0 else float("inf")
            eff = tau * (1 - math.exp(-min(span, bend) / tau)) + floor * max(0.0, span - bend)
            spread = rng.gammavariate(2.0, 0.5) if p.quiet is None else 1.0  # the planted 骨干 is steady
            k = min(span, _poisson(rng, rate * eff * spread))
            cum = self.day_cum
            lo, hi = cum[start], cum[end]
            width = hi - lo
            leave = p.leave
            values = self.talk_values[cls]
            got = tries = 0
            rnd = rng.random
            while got < k and tries < 6 * k + 20:
                tries += 1
                d = bisect.bisect_right(cum, lo + rnd() * width) - 1
                if d >= end:
                    continue
                t = d - start
                acc = math.exp(-t / tau)
                if acc < floor:
                    acc = floor
                if leave is not None and leave - d < 30:
                    acc *= 0.4
                if rnd() >= acc:
                    continue
                got += 1
                days[d] = days.get(d, 0.0) + values[int(rnd() * SLOTS)]
        if p.quiet is not None:
            # The planted 骨干 was busy right up to the day they fell silent.
            for back in (1, 2, 4, 5, 7, 9, 12):
                d = p.quiet - back
                if d >= start:
                    days[d] = days.get(d, 0.0) + float(rng.randint(6, 25))
        # The hot loop (1.5M rows at 100k members): moment() and _talk_group() inlined, and on
        # SQLite the timestamp built as text straight away (_ActivityLog passes str through).
        rnd = rng.random
        slots, pid = self.day_slots, p.id
        single = p.memberships[0].group.id if len(p.memberships) == 1 else None
        day_text, minute_text = self.day_text, self.minute_text
        midnights, minutes = self.midnights, self.minutes
        for d in sorted(days):
            minute = slots[d][int(rnd() * SLOTS)] + int(rnd() * 60)
            when: dt.datetime | str = (
                day_text[d] + minute_text[minute] if self.text_stamps else midnights[d] + minutes[minute]
            )
            gid = single if single is not None else self._talk_group(p, d)
            out.append((pid, gid, "发言", when, days[d], ""))

    def _founder_talk(self, p: _Person, out: list[_Act]) -> None:
        rng = self.rng
        n_main = len(self.mains)
        per_group = min(0.35, 4 / n_main) * self.small
        for d in range(DAYS):
            busy = self.day_weights[d]
            for g in self.paid_groups:  # the broadcast: daily industry news, few replies
                if g.created <= d and rng.random() < 0.75 * self.small:
                    out.append((p.id, g.id, "发言", self.moment(d), float(int(rng.lognormvariate(2.4, 0.5)) + 1), ""))
            for g in self.mains:
                if g.created <= d and rng.random() < per_group * busy:
                    out.append((p.id, g.id, "发言", self.moment(d), float(int(rng.lognormvariate(1.8, 0.8)) + 1), ""))
            if rng.random() < 0.3 * self.small:
                out.append((p.id, self.core_group.id, "发言", self.moment(d), float(int(rng.lognormvariate(1.5, 0.7)) + 1), ""))


# ---- small pure helpers ------------------------------------------------------------

_MOBILE_PREFIXES = ("30", "31", "32", "33", "34", "35", "36", "37", "38", "39", "45", "47", "50", "51",
                    "52", "53", "55", "56", "57", "58", "59", "66", "73", "75", "76", "77", "78", "80",
                    "81", "82", "83", "84", "85", "86", "87", "88", "89", "91", "98", "99")
_WXID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _short_title(title: str) -> str:
    for key in ("产品", "设计", "运营", "工程师", "投资", "老师", "律师", "医生", "编辑", "销售"):
        if key in title:
            return "技术" if key == "工程师" else key
    return title[:2]


def _hour_slots(hour_weights: Sequence[float]) -> list[int]:
    """SLOTS minute-of-day values (whole hours) spread over the day by the hour weights."""
    cum = _cumulative(hour_weights)
    return [60 * (bisect.bisect_right(cum, (i + 0.5) / SLOTS * cum[-1]) - 1) for i in range(SLOTS)]


def _cumulative(weights: Sequence[float]) -> list[float]:
    out = [0.0]
    total = 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _draw_day(rng: random.Random, cum: Sequence[float], start: int, end: int) -> int:
    """A day in [start, end) drawn with the weights whose running sums are ``cum``."""
    lo, hi = cum[start], cum[end]
    d = bisect.bisect_right(cum, lo + rng.random() * (hi - lo)) - 1
    return min(max(d, start), end - 1)


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam < 30:
        limit, k, prod = math.exp(-lam), 0, rng.random()
        while prod > limit:
            k += 1
            prod *= rng.random()
        return k
    return max(0, round(rng.gauss(lam, math.sqrt(lam))))


def _weighted_sample(rng: random.Random, items: Sequence[Any], weights: Sequence[float], k: int) -> list[Any]:
    """k distinct items, heavier ones likelier (Efraimidis–Spirakis), in a stable order."""
    if k <= 0 or not items:
        return []
    keyed = sorted(
        ((rng.random() ** (1.0 / w) if w > 0 else 0.0, i) for i, w in enumerate(weights)), reverse=True
    )
    return [items[i] for _, i in keyed[:k]]


def _unique(items: Iterable[Any]) -> list[Any]:
    seen: list[Any] = []
    for it in items:
        if not any(it is s for s in seen):
            seen.append(it)
    return seen


# ---- entry point ---------------------------------------------------------------------


def build_demo(
    ws: Workspace,
    *,
    members: int = 800,
    seed: int = 42,
    until: dt.date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill an empty workspace with the demo community (see the module docstring)."""
    if members < MIN_MEMBERS:
        raise UserError(f"演示社群至少需要 {MIN_MEMBERS} 名成员（收到 {members}）")
    if members > MAX_MEMBERS:
        raise UserError(f"演示社群最多 {MAX_MEMBERS:,} 名成员（收到 {members:,}）")
    until = until or dt.date.today()
    t0 = time.perf_counter()
    report = progress or (lambda done, total: None)
    total = 100
    report(0, total)
    with ws.write() as session:
        _check_empty(session, ws.label)
        b = _Builder(members, seed, until)
        b.make_people()
        report(8, total)
        b.make_groups()
        sink = _Sink(session)
        b.text_stamps = sink.raw
        sink.suspend_indexes(_TABLES["Member"], _TABLES["Membership"], member_tags)
        # Talk rows arrive member by member, so an index led by member_id is appended to,
        # not scattered into: keeping it live beats rebuilding it (measured ~2 s at 100k).
        sink.suspend_indexes(_TABLES["Activity"], keep_leading="member_id")
        _write_people(b, sink, session)
        report(20, total)
        regs, event_acts = b.make_events()
        _write_events(b, sink, regs)
        report(28, total)
        sd_rows, matches = b.make_supply_demand()
        sink.insert(_TABLES["SupplyDemand"], _SD_COLS, sd_rows)
        sink.insert(_TABLES["Match"], _MATCH_COLS, matches)
        rule_rows, versions, scoped = b.make_rules()
        sink.insert(_TABLES["Rule"], _RULE_COLS, rule_rows)
        version_cols = list(versions[0])
        sink.insert(_TABLES["RuleVersion"], version_cols, [tuple(v[c] for c in version_cols) for v in versions])
        sink.insert(rule_groups, ("rule_id", "group_id"), scoped)
        report(32, total)
        b.rhythm()
        log = _ActivityLog(sink)
        log.extend(event_acts)
        log.extend(b.life_rows())
        report(40, total)
        buf: list[_Act] = []
        step = max(1, len(b.people) // 50)
        for i, p in enumerate(b.people):
            b.talk_rows(p, buf)
            if len(buf) >= CHUNK:
                log.extend(buf)
                buf = []
            if i % step == 0:
                report(40 + 57 * i // len(b.people), total)
        log.extend(buf)
        log.flush()
        report(98, total)
        sink.finish()
        report(99, total)
        audit.record(session, ws.operator, "demo", "workspace", None,
                     after={"members": members, "seed": seed, "until": until.isoformat()},
                     note="生成演示数据")
        counts = dict(sink.counts)
    report(total, total)
    return DemoSummary(members, seed, until, counts, time.perf_counter() - t0, dict(b.planted))


def _check_empty(session: Session, label: str) -> None:
    have = session.scalar(select(func.count()).select_from(Member)) or 0
    if have:
        raise UserError(f"工作区「{label}」里已有 {have:,} 名成员，演示数据只能生成到空的工作区，请新建一个工作区再试")
    for model, what in ((Group, "群"), (Event, "活动"), (Rule, "群规"), (SupplyDemand, "供求"), (Activity, "动态")):
        if session.scalar(select(func.count()).select_from(model)):
            raise UserError(f"工作区「{label}」里已有{what}数据，演示数据只能生成到空的工作区，请新建一个工作区再试")


_MEMBER_COLS = (
    "id", "display_name", "real_name", "phone", "wechat_id", "gender", "city", "industry", "company",
    "title", "intro", "joined_on", "source", "inviter_id", "role", "tier", "paid_until", "status",
    "consent", "notes", "custom", "name_pinyin", "name_initials", "search_text", "level", "created_at",
)
_GROUP_COLS = ("id", "name", "platform", "capacity", "created_on", "notes", "created_at")
_MEMBERSHIP_COLS = ("id", "member_id", "group_id", "nickname", "joined_on", "left_on")
_EVENT_COLS = ("id", "title", "kind", "starts_at", "ends_at", "location", "capacity", "description",
               "status", "rrule", "cost")
_REG_COLS = ("id", "event_id", "member_id", "status", "registered_at", "checked_in_at")
_SD_COLS = ("id", "member_id", "kind", "category", "text", "keywords", "created_on", "expires_on", "status")
_MATCH_COLS = ("id", "offer_id", "need_id", "score", "reason", "proposed_by", "outcome", "note", "created_at")
_RULE_COLS = ("id", "version", "title", "body", "category", "all_groups", "condition", "action",
              "action_arg", "grace_days", "enabled", "position")
_ACTIVITY_COLS = ("id", "member_id", "group_id", "kind", "occurred_at", "value", "note", "source")


def _write_people(b: _Builder, sink: _Sink, session: Session) -> None:
    # Tags: reuse any left in the table (members are gone, tags may not be).
    existing: dict[str, int] = {name: tid for name, tid in session.execute(select(Tag.name, Tag.id))}
    next_id = max(existing.values(), default=0) + 1
    new_tags: list[tuple[int, str]] = []
    for name in (*TAGS, "讲师"):
        if name not in existing and name not in b.tag_ids:
            b.tag_ids[name] = next_id
            new_tags.append((next_id, name))
            next_id += 1
        elif name in existing:
            b.tag_ids[name] = existing[name]
    sink.insert(_TABLES["Tag"], ("id", "name"), new_tags)
    sink.insert(_TABLES["Group"], _GROUP_COLS, [
        (g.id, g.name, g.platform, g.capacity, b.dates[g.created], g.notes, b.at(g.created, 9))
        for g in b.groups
    ])
    rows: list[tuple[Any, ...]] = []
    for p in b.people:
        if len(rows) >= CHUNK:
            sink.insert(_TABLES["Member"], _MEMBER_COLS, rows)
            rows = []
        nicknames = list(dict.fromkeys(s.nickname for s in p.memberships if s.nickname))
        derived = derived_columns(p.display_name, p.real_name, p.phone, p.wechat, p.city, nicknames, p.tags)
        rows.append((
            p.id, p.display_name, p.real_name, p.phone, p.wechat, p.gender, p.city, p.industry.name,
            p.company, p.title, p.intro, b.dates[p.join], p.source,
            b.people[p.inviter].id if p.inviter is not None else None, p.role, p.tier,
            b.dates[p.paid_until] if p.paid_until is not None else None, p.status, p.consent, p.notes,
            p.custom or {}, derived["name_pinyin"], derived["name_initials"], derived["search_text"], "",
            b.at(p.join, 12),
        ))
    # Inviters always joined earlier, so ids in join order satisfy the self-reference.
    sink.insert(_TABLES["Member"], _MEMBER_COLS, rows)
    sink.insert(member_tags, ("member_id", "tag_id"),
                [(p.id, b.tag_ids[t]) for p in b.people for t in p.tags])
    stays = sorted((s for g in b.groups for s in g.stays), key=lambda s: (s.join, s.person.idx, s.group.idx))
    sink.insert(_TABLES["Membership"], _MEMBERSHIP_COLS, [
        (i + 1, s.person.id, s.group.id, s.nickname, b.dates[s.join],
         b.dates[s.leave] if s.leave is not None else None)
        for i, s in enumerate(stays)
    ])


def _write_events(b: _Builder, sink: _Sink, regs: list[tuple[Any, ...]]) -> None:
    sink.insert(_TABLES["Event"], _EVENT_COLS, [
        (e.id, e.title, e.kind, e.starts, e.ends, e.location, e.capacity, e.description, e.status,
         e.rrule, e.cost)
        for e in b.events
    ])
    sink.insert(event_hosts, ("event_id", "member_id"),
                [(e.id, h) for e in b.events for h in dict.fromkeys(e.hosts)])
    sink.insert(event_groups, ("event_id", "group_id"),
                [(e.id, g.id) for e in b.events for g in e.groups])
    sink.insert(_TABLES["Registration"], _REG_COLS, [(i + 1, *r) for i, r in enumerate(regs)])


class _ActivityLog:
    """Numbers activity rows and writes them in chunks (the log never sits in memory whole)."""

    def __init__(self, sink: _Sink) -> None:
        self.sink = sink
        self.next_id = 1
        self.pending: list[tuple[Any, ...]] = []

    def extend(self, rows: Iterable[_Act]) -> None:
        nid = self.next_id
        pending = self.pending
        raw = self.sink.raw
        for member_id, group_id, kind, moment, value, note in rows:
            # The one datetime column is converted here, in the loop that builds the row.
            stamp = moment.isoformat(" ", "microseconds") if raw and isinstance(moment, dt.datetime) else moment
            pending.append((nid, member_id, group_id, kind, stamp, value, note, SOURCE))
            nid += 1
            if len(pending) >= CHUNK:
                self.next_id = nid
                self.flush()
                pending = self.pending
        self.next_id = nid

    def flush(self) -> None:
        if self.pending:
            self.sink.insert(_TABLES["Activity"], _ACTIVITY_COLS, self.pending, converted=True)
            self.pending = []
