"""供求撮合 benchmark: ``suggest_matches`` over 10,000 open needs × 10,000 open offers.

The workspace (built once into ``benchmarks/out/work/matching_<N>.sqdesk`` and reused)
is a synthetic community with 10,000 open, unexpired needs and as many offers (plus a
tenth more of each, closed or expired, which the matcher must skip): 20,000 members in 10 cities and 12 groups (1–3 each), a
month of 发言 for 40% of them (so the engagement score has something to read), and
posts written from templates with the labelled set's vocabulary — per category a
pool of topics (小程序开发, 小红书投放, 天使轮, 代理记账…), several ways of saying an
offer and a need, cities, budgets, team sizes and an optional second clause — so the
n-gram postings have the long, skewed lists a real community's posts have (topics
Zipf-distributed within a category).

The measurement runs in a fresh process (the build's memory does not count):
wall time of the whole ``suggest_matches`` call (loading, tokenising, engagement
metrics, scoring, reasons) and its parts, the process's peak RSS growth during the
call, and the suggestion count. Target: ≤ 10 s. ``--python`` measures the pure-Python
dot products (what runs when numpy is not installed).

    python -m benchmarks.bench_matching [--needs 10000] [--offers 10000] [--rebuild] [--python] [--pg URL]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from sqdesk.core.roster import derived_columns  # noqa: E402
from sqdesk.core.workspace import open_workspace  # noqa: E402
from sqdesk.models import Activity, Group, Member, Membership, SupplyDemand  # noqa: E402

WORK = Path(__file__).parent / "out" / "work"
TODAY = dt.date(2026, 3, 2)
TARGET_S = 10.0
CITIES = ("杭州", "上海", "北京", "深圳", "广州", "成都", "南京", "武汉", "西安", "苏州")
GROUPS = ("杭州创业者一群", "杭州创业者二群", "上海产品经理交流群", "全国运营人互助群", "深圳硬件与出海群",
          "投融资对接群", "成都自由职业者群", "北京创业交流群", "小红书运营交流群", "AI应用实践群",
          "跨境电商出海群", "宝妈副业群")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞晓东雪梅琳婷宇浩然欣怡子涵思远"

# category → (topics, offer templates, need templates). {t} topic, {c} city, {n} number, {b} budget.
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "技能": (("小程序开发", "UI设计", "前端开发", "Python", "数据分析", "文案写作", "视频剪辑", "PPT设计",
              "英语翻译", "日语翻译", "插画", "摄影", "SQL", "React", "平面设计", "公众号排版", "直播运营"),
             ("{n}年{t}经验，可接{t}相关的小项目，晚上和周末有时间，价格好商量",
              "擅长{t}，做过几十个案例，群友优惠，欢迎私聊看作品集",
              "提供{t}陪跑和指导，适合刚入门的朋友，{c}可线下聊",
              "全职做{t}，团队{n}人，{c}本地，可开票，接长期合作",
              "{t}自由职业者，{c}，可远程，按项目报价"),
             ("找一位靠谱的{t}，做一个小项目，预算{b}左右，有意私聊",
              "想学{t}，求推荐老师或者靠谱的课程",
              "急需{t}帮忙，周期两周左右，{c}优先，可远程",
              "有没有懂{t}的朋友？有个活想外包出去，{c}",
              "公司项目缺一个{t}，兼职也行，预算{b}")),
    "资源": (("媒体资源", "供应链", "场地", "渠道", "达人资源", "政府补贴申报", "工厂资源", "流量", "投资人资源",
              "会议室", "KOL资源", "社群渠道"),
             ("手上有{t}，可以帮群友对接，{c}本地优先",
              "{c}有{t}可以共享，工作日白天空闲，欢迎来聊",
              "积累了不少{t}，{c}及周边都能对接，互惠互利"),
             ("求{t}对接，{c}或周边，有偿",
              "新项目启动，需要{t}，有相关资源的朋友请联系我",
              "下个月在{c}办活动，需要{t}，{n}人左右")),
    "产品": (("SaaS", "智能硬件", "茶叶", "有机农产品", "线上课程", "文创礼盒", "护肤品", "SCRM工具", "AI写作工具",
              "办公软件", "零食礼盒", "咖啡豆"),
             ("自家{t}，群友内部价，需要的私聊，可以先寄样品",
              "我们的{t}刚上线，招募{n}0位种子用户免费试用，欢迎提意见",
              "{c}{t}工厂直供，支持定制，量大从优"),
             ("想采购一批{t}做员工福利，预算{b}，求推荐",
              "在找好用的{t}，有在用的朋友说说体验吗",
              "公司要选一款{t}，{c}，希望能上门演示")),
    "服务": (("外包", "财税代理", "知识产权", "法律咨询", "品牌设计", "代运营", "企业培训", "装修", "小红书投放",
              "抖音代运营", "商标注册", "人力外包", "BP撰写"),
             ("提供{t}服务，{n}年经验，已服务100多家小微企业，群友首单八折",
              "团队承接{t}，流程规范可开票，{c}可上门",
              "{c}{t}，价格透明，先沟通需求再报价"),
             ("公司需要{t}，求靠谱服务商推荐，{c}优先",
              "预算{b}，找{t}，希望有过同类案例",
              "刚注册公司，想了解一下{t}，{c}，有推荐吗")),
    "合作": (("联合办活动", "渠道合作", "内容共创", "异业合作", "联合出品", "分销", "直播带货", "社群联名"),
             ("寻找{t}伙伴，我们有{n}万私域用户，可以一起做点事情",
              "{c}的朋友有兴趣{t}吗？场地我来出",
              "开放{t}，我们擅长内容和运营，分成好谈"),
             ("想找{t}的伙伴，我负责内容，你负责渠道，分成好谈",
              "{t}：我们在做一个新项目，缺一个懂增长的合伙人",
              "{c}，想找伙伴{t}，有社群资源优先")),
    "招聘": (("前端工程师", "产品经理", "运营实习生", "销售", "设计师", "新媒体运营", "数据分析师", "客服主管"),
             ("内推：{c}某公司招{t}，薪资{b}每月，双休，简历私发我",
              "我们团队招{t}，远程可，有社群经验加分",
              "{c}创业公司诚聘{t}，期权+薪资，{n}年以上经验"),
             ("团队在招{t}，{c}，求推荐靠谱的人选",
              "急招{t}，{n}年经验，{c}，朋友推荐有奖")),
    "求职": (("产品经理", "运营", "数据分析", "兼职", "远程工作", "前端开发", "新媒体运营", "销售"),
             ("本人{n}年{t}经验，目前看机会，{c}或远程，求内推",
              "可以接{t}类兼职，晚上和周末有时间",
              "{t}方向，{c}，刚离职，有合适的机会欢迎联系"),
             ("在找{t}方向的工作，{c}，有合适的岗位麻烦推荐一下",
              "{t}，{n}年经验，想换个行业，求内推")),
    "投资": (("天使轮", "种子轮", "融资", "BP", "Pre-A", "A轮", "消费赛道", "AI应用"),
             ("关注早期项目，可做{t}，消费和AI方向优先，欢迎发BP",
              "有{t}额度，看{c}本地的硬科技项目",
              "{t}，单笔{n}0-200万，关注企业服务"),
             ("项目寻求{t}，已有MVP和首批付费用户，求引荐投资人",
              "准备{t}，想找人帮忙看看BP，有偿",
              "{c}的{t}项目，想认识几位早期投资人")),
    "其他": (("拼车", "租房", "二手", "组队", "读书会", "羽毛球", "徒步", "宠物寄养"),
             ("{c}有{t}信息，需要的朋友私聊", "发起{t}，{c}的朋友一起呀",
              "{c}{t}，每周一次，欢迎加入"),
             ("求{t}，{c}，有线索的朋友告诉我一声", "想找{t}的搭子，{c}，周末")),
}
WEIGHTS = (("技能", 20), ("资源", 15), ("服务", 15), ("合作", 12), ("产品", 10), ("招聘", 8), ("求职", 8),
           ("投资", 6), ("其他", 6))
EXTRA = ("做过电商和预约类项目", "可以先免费聊聊需求", "最好有同行案例", "长期合作优先", "周末也可以沟通",
         "杭州可面谈", "支持远程协作", "有相关经验的朋友优先", "预算不多但很有诚意", "可以开发票")


def _pick_category(rng: random.Random) -> str:
    total = sum(w for _, w in WEIGHTS)
    x = rng.uniform(0, total)
    for cat, w in WEIGHTS:
        x -= w
        if x <= 0:
            return cat
    return WEIGHTS[-1][0]


def _post(rng: random.Random, kind: str) -> tuple[str, str, str]:
    cat = _pick_category(rng)
    topics, offers, needs = TOPICS[cat]
    # Zipf popularity (weight 1/rank) within a category: its first topic is in about
    # a third of its posts, the last in a few percent.
    topic = rng.choices(topics, weights=[1 / (r + 1) for r in range(len(topics))])[0]
    template = rng.choice(offers if kind == "供给" else needs)
    text = template.format(t=topic, c=rng.choice(CITIES), n=rng.randint(2, 9), b=f"{rng.randint(1, 30)}万")
    words = [topic]
    if rng.random() < 0.35:
        other = rng.choice(topics)
        if other != topic:
            text += f"，{'也能做' if kind == '供给' else '也在找'}{other}"
            words.append(other)
    if rng.random() < 0.4:
        text += "，" + rng.choice(EXTRA)
    return cat, text, ",".join(words)


def build(path: Path | None, url: str | None, needs: int, offers: int, members: int = 20_000) -> None:
    ws = open_workspace(path, db_url=url, operator="bench")
    rng = random.Random(20260302)
    try:
        with ws.write() as s:
            if s.scalar(select(func.count()).select_from(SupplyDemand)):
                return
            s.execute(insert(Group), [{"name": g, "platform": "微信"} for g in GROUPS])
            gids = list(s.scalars(select(Group.id).order_by(Group.id)))
            rows = []
            for i in range(members):
                name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
                values: dict[str, Any] = {"display_name": name, "city": rng.choice(CITIES), "status": "在群",
                                          "joined_on": TODAY - dt.timedelta(days=rng.randint(30, 900)),
                                          "phone": f"139{i:08d}"}
                values.update(derived_columns(name, "", values["phone"], None, values["city"]))
                rows.append(values)
            for start in range(0, len(rows), 5000):
                s.execute(insert(Member), rows[start : start + 5000])
            mids = list(s.scalars(select(Member.id).order_by(Member.id)))
            ms = [{"member_id": m, "group_id": g, "nickname": "", "joined_on": TODAY - dt.timedelta(days=100)}
                  for m in mids for g in rng.sample(gids, rng.randint(1, 3))]
            s.execute(insert(Membership), ms)
            acts = []
            for m in mids:
                if rng.random() < 0.4:
                    for _ in range(rng.randint(1, 20)):
                        acts.append({"member_id": m, "group_id": rng.choice(gids), "kind": "发言",
                                     "occurred_at": dt.datetime.combine(TODAY - dt.timedelta(days=rng.randint(0, 60)),
                                                                        dt.time(rng.randint(8, 23))),
                                     "value": rng.randint(1, 30), "note": "", "source": "import"})
            for start in range(0, len(acts), 20_000):
                s.execute(insert(Activity), acts[start : start + 20_000])
            items = []
            for kind, count in (("需求", needs), ("供给", offers)):
                for i in range(count + count // 10):
                    cat, text, kw = _post(rng, kind)
                    created = TODAY - dt.timedelta(days=rng.randint(0, 120))
                    # ``count`` open, unexpired posts; a tenth more that the matcher must skip:
                    # half closed, half expired.
                    expires = created + dt.timedelta(days=rng.choice((150, 180, 365))) if rng.random() < 0.5 else None
                    status = "open"
                    if i >= count:
                        status = "closed" if i % 2 else "open"
                        expires = TODAY - dt.timedelta(days=1) if status == "open" else expires
                        created = min(created, TODAY - dt.timedelta(days=30))
                    items.append({"member_id": rng.choice(mids), "kind": kind, "category": cat, "text": text,
                                  "keywords": kw, "created_on": created, "expires_on": expires, "status": status})
            for start in range(0, len(items), 5000):
                s.execute(insert(SupplyDemand), items[start : start + 5000])
    finally:
        ws.close()


def _rss_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def measure(path: Path | None, url: str | None, profile: bool, vectorize: bool) -> dict[str, Any]:
    from sqdesk.analytics.metrics import compute_member_metrics
    from sqdesk.core import matching
    from sqdesk.core.matching import suggest_matches

    matching.VECTORIZE = vectorize

    ws = open_workspace(path, db_url=url, operator="bench")
    try:
        with ws.read() as s:
            counts = dict(s.execute(
                select(SupplyDemand.kind, func.count()).where(SupplyDemand.status == "open").group_by(SupplyDemand.kind)
            ).all())
            unexpired = dict(s.execute(
                select(SupplyDemand.kind, func.count()).where(
                    SupplyDemand.status == "open",
                    (SupplyDemand.expires_on.is_(None)) | (SupplyDemand.expires_on >= TODAY),
                ).group_by(SupplyDemand.kind)
            ).all())
            offerers = list(s.scalars(select(SupplyDemand.member_id).where(SupplyDemand.kind == "供给").distinct()))
            t0 = time.perf_counter()
            compute_member_metrics(s, TODAY, member_ids=offerers)
            metrics_s = time.perf_counter() - t0
        rss_before = _rss_kb()
        peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with ws.read() as s:
            prof = cProfile.Profile() if profile else None
            t0, c0 = time.perf_counter(), time.process_time()
            if prof:
                prof.enable()
            got = suggest_matches(s, today=TODAY)
            if prof:
                prof.disable()
            total, cpu = time.perf_counter() - t0, time.process_time() - c0
        peak_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if prof:
            pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        per_need: dict[int, int] = {}
        firsts = []
        for x in got:
            if x.need_id not in per_need:
                firsts.append(x)
            per_need[x.need_id] = per_need.get(x.need_id, 0) + 1
        return {
            "backend": "postgresql" if url else "sqlite",
            "dot_products": "numpy" if vectorize else "pure Python",
            "open_needs": counts.get("需求", 0), "open_offers": counts.get("供给", 0),
            "unexpired_needs": unexpired.get("需求", 0), "unexpired_offers": unexpired.get("供给", 0),
            "suggest_matches_s": round(total, 2), "suggest_matches_cpu_s": round(cpu, 2), "target_s": TARGET_S,
            "load_average_1min": round(os.getloadavg()[0], 1), "cpus": os.cpu_count(),
            "engagement_metrics_alone_s": round(metrics_s, 2),
            "suggestions": len(got), "needs_with_suggestions": len(per_need),
            # Sanity at scale: the first suggestion shares a typed keyword with the need.
            "top1_shares_keyword": round(sum(1 for x in firsts if x.matched_keywords) / max(1, len(firsts)), 3),
            "rss_before_mb": round(rss_before / 1024, 1),
            "peak_rss_growth_mb": round(max(0, peak_after - max(peak_before, rss_before)) / 1024, 1),
            "peak_rss_mb": round(peak_after / 1024, 1),
            "example": {"need": got[0].need_text, "offer": got[0].offer_text, "score": got[0].score,
                        "reason": got[0].reason} if got else None,
        }
    finally:
        ws.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--needs", type=int, default=10_000)
    ap.add_argument("--offers", type=int, default=10_000)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--pg", metavar="URL", help="measure on this (empty) PostgreSQL database instead of SQLite")
    ap.add_argument("--profile", action="store_true", help="cProfile of the call to stderr")
    ap.add_argument("--python", action="store_true", help="pure-Python dot products even if numpy is there")
    ap.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    path = None if args.pg else WORK / f"matching_{args.needs}x{args.offers}.sqdesk"
    if args.measure_only:
        print(json.dumps(measure(path, args.pg, args.profile, not args.python), ensure_ascii=False))
        return 0
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if args.rebuild and path.exists():
            path.unlink()
    t0 = time.perf_counter()
    build(path, args.pg, args.needs, args.offers)
    print(f"workspace ready in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    cmd = [sys.executable, "-m", "benchmarks.bench_matching", "--needs", str(args.needs), "--offers",
           str(args.offers), "--measure-only"] + (["--pg", args.pg] if args.pg else []) + (["--profile"] if args.profile else []) + (["--python"] if args.python else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    if args.profile:
        print(out.stderr, file=sys.stderr)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    return 0 if figures["suggest_matches_s"] <= TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
