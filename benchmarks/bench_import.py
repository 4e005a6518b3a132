"""Import benchmarks: sqdesk's importers against the raw tools they are built on.

Roster: a realistic 100,000-row .xlsx (Chinese names, phones, WeChat ids, cities,
industries, join dates, tags) generated with xlsxwriter.
  sqdesk    = preview_roster_import + commit_roster_import (validation, pinyin keys,
              duplicate detection, batch + audit rows)
  baseline  = python-calamine parse of the same sheet + raw sqlite3 executemany of
              the same rows into ``members`` in one transaction (no validation, no
              pinyin), same file pragmas as sqdesk's engine.

Activity: a 1,000,000-row chat-statistics CSV (time to the second, group, 群昵称 or
WeChat id, kind word as exports write it, count).
  sqdesk    = preview_activity_import + commit_activity_import (member matching,
              time/kind/value parsing, duplicate check, batch + audit rows)
  baseline  = csv.reader parse of the same file + raw sqlite3 executemany of the same
              rows into ``activities`` in one transaction, where the only per-row work
              is one dict lookup (group, nickname) → ids and the kind word as written.

Both sides write into fresh copies of the same prepared workspace (same schema, same
indexes, same members), so the comparison is the per-row work only.

    python -m benchmarks.bench_import [--quick] [--only roster|activity]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from sqdesk.core.roster import derived_columns  # noqa: E402
from sqdesk.core.workspace import open_workspace  # noqa: E402
from sqdesk.models import Group, Member, Membership  # noqa: E402

# ---- realistic Chinese community data -------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强晓东海燕婷玉兰雪梅丹辉鹏飞宇浩然子涵欣怡梓萱一诺"
    "雨桐思远嘉怡俊杰佳琪文博晨曦天佑诗涵若曦瑞泽可馨明轩雅琴晓峰建华永红春梅国庆红梅立新振华"
)
NICK_PARTS = ("小", "阿", "大", "老", "")
NICK_TAILS = ("🌸", "😀", "_", "·", "", "", "", "", "酱", "哥", "姐", "同学")
CITIES = (
    "北京", "上海", "广州", "深圳", "杭州", "成都", "南京", "武汉", "西安", "重庆", "苏州", "天津",
    "长沙", "郑州", "青岛", "厦门", "合肥", "宁波", "东莞", "佛山", "昆明", "大连", "福州", "济南",
)
INDUSTRIES = ("互联网", "教育", "金融", "医疗", "制造", "零售", "餐饮", "设计", "法律", "咨询", "媒体", "房地产", "物流", "农业")
TITLES = ("产品经理", "工程师", "设计师", "创始人", "运营", "销售总监", "老师", "律师", "会计", "自由职业", "学生", "医生")
COMPANIES = ("科技", "文化传媒", "教育咨询", "贸易", "网络", "信息技术", "餐饮管理", "设计工作室")
TAGS = ("设计", "创业", "投资", "读书", "跑步", "摄影", "AI", "宝妈", "HR", "出海", "短视频", "咖啡")
PHONE_PREFIXES = ("138", "139", "137", "136", "135", "150", "151", "152", "158", "159", "186", "187", "188", "177", "199", "133", "153", "189")
GROUP_NAMES = tuple(f"{c}创业交流{n}群" for c in ("杭州", "上海", "深圳", "北京") for n in "一二")


def chinese_name(rnd: random.Random) -> str:
    n = 1 if rnd.random() < 0.3 else 2
    return rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(n))


def phone_number(rnd: random.Random, serial: int) -> str:
    # Unique per serial: prefix + 8 digits derived from the serial (shuffled by a multiplier).
    return rnd.choice(PHONE_PREFIXES) + f"{(serial * 7_919_177 + 1_234_567) % 100_000_000:08d}"


def formatted_phone(rnd: random.Random, phone: str) -> str:
    r = rnd.random()
    if r < 0.6:
        return phone
    if r < 0.75:
        return f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
    if r < 0.85:
        return f"+86 {phone}"
    if r < 0.95:
        return f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    return ""


def roster_rows(n: int, seed: int) -> Iterator[list[Any]]:
    rnd = random.Random(seed)
    start = dt.date(2019, 1, 1)
    for i in range(n):
        name = chinese_name(rnd)
        phone = phone_number(rnd, i)
        joined = start + dt.timedelta(days=rnd.randrange(0, 5 * 365))
        yield [
            name,
            formatted_phone(rnd, phone),
            f"wx_{phone[-6:]}{i:06d}" if rnd.random() < 0.7 else "",
            rnd.choice(("男", "女", "男", "女", "")),
            rnd.choice(CITIES),
            rnd.choice(INDUSTRIES),
            rnd.choice(CITIES) + rnd.choice(COMPANIES) + "有限公司" if rnd.random() < 0.6 else "",
            rnd.choice(TITLES),
            joined if rnd.random() < 0.8 else joined.strftime("%Y年%-m月%-d日"),
            rnd.choice(("成员",) * 40 + ("骨干",) * 4 + ("管理员",)),
            "、".join(rnd.sample(TAGS, rnd.randrange(0, 3))),
            f"我是{name}，在{rnd.choice(CITIES)}做{rnd.choice(INDUSTRIES)}，欢迎交流" if rnd.random() < 0.5 else "",
        ]


ROSTER_HEADER = ["姓名", "手机号", "微信号", "性别", "城市", "行业", "公司", "职位", "入群时间", "角色", "标签", "自我介绍"]


def write_roster_xlsx(path: Path, n: int, seed: int) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("成员名单")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ROSTER_HEADER)
    for r, row in enumerate(roster_rows(n, seed), start=1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_fmt)
            elif value != "":
                ws.write_string(r, c, value)
    wb.close()


# ---- the activity export ----------------------------------------------------------

ACTIVITY_HEADER = ["发言时间", "群名称", "群昵称", "微信号", "类型", "消息数"]
KIND_WORDS = ("消息",) * 16 + ("发言",) * 4 + ("打卡", "打卡", "转发", "分享", "")


def build_activity_workspace(path: Path, members: int, seed: int) -> dict[tuple[str, str], tuple[int, int, str]]:
    """A workspace with ``members`` members spread over the groups, each with a 群昵称 in
    every group they are in. Returns (group name, nickname) → (member id, group id, wechat)."""
    rnd = random.Random(seed)
    ws = open_workspace(path, operator="bench")
    directory: dict[tuple[str, str], tuple[int, int, str]] = {}
    try:
        with ws.write() as s:
            s.execute(insert(Group), [{"name": g, "platform": "微信", "notes": ""} for g in GROUP_NAMES])
            gids = dict(s.execute(Group.__table__.select().with_only_columns(Group.name, Group.id)).all())
            rows = []
            for i in range(members):
                name = chinese_name(rnd)
                phone = phone_number(rnd, i)
                wx = f"wx{i:07d}"
                rows.append({
                    "id": i + 1, "display_name": name, "phone": phone, "wechat_id": wx,
                    **derived_columns(name, "", phone, wx, ""),
                })
            s.execute(insert(Member), rows)
            mships = []
            for m in rows:
                used: set[str] = set()
                for g in rnd.sample(GROUP_NAMES, rnd.randrange(1, 4)):
                    nick = rnd.choice(NICK_PARTS) + m["display_name"][-2:] + rnd.choice(NICK_TAILS) + str(m["id"] % 97)
                    if (g, nick) in directory or nick in used:
                        continue
                    used.add(nick)
                    mships.append({"member_id": m["id"], "group_id": gids[g], "nickname": nick})
                    directory[(g, nick)] = (m["id"], gids[g], m["wechat_id"])
            s.execute(insert(Membership), mships)
    finally:
        ws.close()
    return directory


def write_activity_csv(
    path: Path, n: int, seed: int, directory: dict[tuple[str, str], tuple[int, int, str]]
) -> None:
    rnd = random.Random(seed)
    pairs = list(directory.items())
    # A few members talk a lot, most rarely (Zipf-like weights).
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(pairs))]
    chosen = rnd.choices(range(len(pairs)), weights=weights, k=n)
    start = dt.datetime(2023, 1, 1)
    span = 2 * 365 * 86400
    offsets = sorted(rnd.randrange(span) for _ in range(n))
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(ACTIVITY_HEADER)
        for off, idx in zip(offsets, chosen, strict=True):
            (gname, nick), (_mid, _gid, wx) = pairs[idx]
            by_wechat = rnd.random() < 0.1
            w.writerow([
                (start + dt.timedelta(seconds=off)).strftime("%Y-%m-%d %H:%M:%S"),
                gname, "" if by_wechat else nick, wx if by_wechat else "",
                rnd.choice(KIND_WORDS), rnd.randrange(1, 30),
            ])


# ---- timing helpers ----------------------------------------------------------------

def best_of(runs: int, fn: Callable[[], float]) -> list[float]:
    return [fn() for _ in range(runs)]


def sqlite_connect(path: Path) -> sqlite3.Connection:
    """A raw connection with the pragmas sqdesk's engine sets (see sqdesk/db/engine.py)."""
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL", "cache_size=-65536", "temp_store=MEMORY"):
        con.execute(f"PRAGMA {pragma}")
    return con


def current_base(base: Path) -> Path:
    """Bring a prepared base workspace to the current schema once, before any timed run.

    Every run writes into a copy of the base; a base left at an older revision made each
    sqdesk run upgrade its copy first (and leave a ``*.before-000N-….sqdesk.bak`` beside
    it) while the baseline wrote into the old schema. Upgraded here instead, the copies of
    both sides are at head from the start and byte-identical. The upgrade's own backup of
    the base is deleted (the base is generated: delete the folder to rebuild it)."""
    ws = open_workspace(base, operator="bench")
    backup = ws.backup_made
    ws.close()
    if backup is not None:
        Path(backup).unlink(missing_ok=True)
    # everything in the main file, so that copying that one file copies the workspace
    con = sqlite3.connect(base)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    return base


def fresh_copy(base: Path, dest: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(dest) + suffix).unlink(missing_ok=True)
    shutil.copyfile(base, dest)
    return dest


def figure(name: str, value: float, baseline_name: str, baseline: float, target: float | None, unit: str = "s") -> dict[str, Any]:
    ratio = value / baseline if baseline else float("inf")
    return {
        "name": name, "value": round(value, 4), "unit": unit, "baseline": baseline_name,
        "baseline_value": round(baseline, 4), "ratio": round(ratio, 3), "target_ratio": target,
        "ok": None if target is None else ratio <= target,
    }


# ---- activity -------------------------------------------------------------------

def activity_baseline(csv_path: Path, db: Path, directory: dict[tuple[str, str], tuple[int, int, str]]) -> float:
    by_wechat = {wx: (mid, gid) for (_g, _n), (mid, gid, wx) in directory.items()}
    by_nick = {key: (mid, gid) for key, (mid, gid, _wx) in directory.items()}
    t0 = time.perf_counter()
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        rows = list(reader)
    params = []
    for t, g, nick, wx, kind, value in rows:
        mid, gid = by_nick[(g, nick)] if nick else by_wechat[wx]
        params.append((mid, gid, kind or "发言", t, float(value), ""))
    con = sqlite_connect(db)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute(
            "INSERT INTO import_batches (id, kind, file_name, file_sha256, operator, created_at, rows_created, rows_updated, status, summary)"
            " VALUES (999999, 'activity', 'x', '', 'bench', '2024-01-01 00:00:00.000000', 0, 0, 'committed', '{}')"
        )
        con.executemany(
            "INSERT INTO activities (member_id, group_id, kind, occurred_at, value, note, source, batch_id) "
            "VALUES (?, ?, ?, ?, ?, ?, 'import', 999999)",
            params,
        )
        con.execute("COMMIT")
    finally:
        con.close()
    return time.perf_counter() - t0


def activity_sqdesk(csv_path: Path, db: Path, *, profile: Path | None = None) -> tuple[float, dict[str, float]]:
    from sqdesk.io.activity_import import commit_activity_import, preview_activity_import

    ws = open_workspace(db, operator="bench")
    try:
        prof = None
        if profile is not None:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        t0 = time.perf_counter()
        with ws.read() as s:
            preview = preview_activity_import(s, csv_path)
        t1 = time.perf_counter()
        with ws.write() as s:
            result = commit_activity_import(s, preview, operator="bench")
        t2 = time.perf_counter()
        if prof is not None:
            prof.disable()
            prof.dump_stats(str(profile))
        if preview.problem_count or result.created != preview.total_rows:
            raise SystemExit(f"activity import did not take every row:\n{preview.describe()}")
    finally:
        ws.close()
    return t2 - t0, {"preview": t1 - t0, "commit": t2 - t1}


def bench_activity(work: Path, *, rows: int, members: int, runs: int, profile: bool = False) -> list[dict[str, Any]]:
    base = work / "activity_base.sqdesk"
    csv_path = work / f"activity_{rows}.csv"
    meta = work / f"activity_{rows}.json"
    if not (base.exists() and csv_path.exists() and meta.exists()):
        for f in (base, csv_path, meta):
            f.unlink(missing_ok=True)
        print(f"  building workspace ({members} members) and a {rows:,}-row CSV …", flush=True)
        directory = build_activity_workspace(base, members, seed=7)
        write_activity_csv(csv_path, rows, seed=11, directory=directory)
        meta.write_text(json.dumps([[g, n, *v] for (g, n), v in directory.items()], ensure_ascii=False))
    directory = {(g, n): (mid, gid, wx) for g, n, mid, gid, wx in json.loads(meta.read_text())}
    current_base(base)
    db = work / "activity_run.sqdesk"
    base_times, ours, parts = [], [], []
    for i in range(runs):
        base_times.append(activity_baseline(csv_path, fresh_copy(base, db), directory))
        took, split = activity_sqdesk(
            csv_path, fresh_copy(base, db), profile=work / "activity.prof" if profile and i == 0 else None
        )
        ours.append(took)
        parts.append(split)
        print(f"  run {i + 1}: sqdesk {took:.2f}s (preview {split['preview']:.2f}s, commit {split['commit']:.2f}s)"
              f" vs baseline {base_times[-1]:.2f}s", flush=True)
    best = min(range(runs), key=lambda k: ours[k])
    fig = figure(
        f"activity import, {rows:,} CSV rows", ours[best],
        "csv.reader + sqlite3 executemany", min(base_times), 2.0,
    )
    fig["detail"] = {k: round(v, 3) for k, v in parts[best].items()}
    return [fig]


# ---- roster -----------------------------------------------------------------------

def roster_baseline(xlsx: Path, db: Path) -> float:
    import python_calamine

    t0 = time.perf_counter()
    wb = python_calamine.CalamineWorkbook.from_path(str(xlsx))
    data = wb.get_sheet_by_name(wb.sheet_names[0]).to_python()
    params = []
    for r in data[1:]:
        joined = r[8]
        params.append((
            r[0], str(r[1]) or None, r[2] or None, r[3] or "未知", r[4], r[5], r[6], r[7],
            joined.isoformat() if isinstance(joined, dt.date) else None, r[9] or "成员", r[11],
        ))
    con = sqlite_connect(db)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.executemany(
            "INSERT INTO members (display_name, phone, wechat_id, gender, city, industry, company, title, joined_on,"
            " role, intro, real_name, source, tier, status, consent, notes, custom, name_pinyin, name_initials,"
            " search_text, level) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', '', '在群', 0, '', '{}', '', '', '', '')",
            params,
        )
        con.execute("COMMIT")
    finally:
        con.close()
    return time.perf_counter() - t0


def roster_sqdesk(xlsx: Path, db: Path, *, profile: Path | None = None) -> tuple[float, dict[str, float]]:
    from sqdesk.io.roster_import import commit_roster_import, preview_roster_import

    ws = open_workspace(db, operator="bench")
    try:
        prof = None
        if profile is not None:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        t0 = time.perf_counter()
        with ws.read() as s:
            preview = preview_roster_import(s, xlsx)
        t1 = time.perf_counter()
        with ws.write() as s:
            result = commit_roster_import(s, preview, operator="bench")
        t2 = time.perf_counter()
        if prof is not None:
            prof.disable()
            prof.dump_stats(str(profile))
        created = getattr(result, "created", None)
    finally:
        ws.close()
    print(f"    roster import created {created} members", flush=True)
    return t2 - t0, {"preview": t1 - t0, "commit": t2 - t1}


def bench_roster(work: Path, *, rows: int, runs: int, profile: bool = False) -> list[dict[str, Any]]:
    xlsx = work / f"roster_{rows}.xlsx"
    base = work / "roster_base.sqdesk"
    if not xlsx.exists():
        print(f"  writing a {rows:,}-row roster .xlsx …", flush=True)
        write_roster_xlsx(xlsx, rows, seed=3)
    current_base(base)  # created at head if missing
    db = work / "roster_run.sqdesk"
    base_times, ours, parts = [], [], []
    for i in range(runs):
        base_times.append(roster_baseline(xlsx, fresh_copy(base, db)))
        took, split = roster_sqdesk(
            xlsx, fresh_copy(base, db), profile=work / "roster.prof" if profile and i == 0 else None
        )
        ours.append(took)
        parts.append(split)
        print(f"  run {i + 1}: sqdesk {took:.2f}s (preview {split['preview']:.2f}s, commit {split['commit']:.2f}s)"
              f" vs baseline {base_times[-1]:.2f}s", flush=True)
    best = min(range(runs), key=lambda k: ours[k])
    fig = figure(
        f"roster import, {rows:,}-row xlsx", ours[best],
        "python-calamine + sqlite3 executemany", min(base_times), 1.5,
    )
    fig["detail"] = {k: round(v, 3) for k, v in parts[best].items()}
    return [fig]


def run(work: Path, *, quick: bool, only: str | None = None, runs: int | None = None) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = []
    n_runs = runs or (1 if quick else 2)
    if only in (None, "roster"):
        print("roster import:", flush=True)
        figures += bench_roster(work, rows=5_000 if quick else 100_000, runs=n_runs)
    if only in (None, "activity"):
        print("activity import:", flush=True)
        figures += bench_activity(
            work, rows=50_000 if quick else 1_000_000, members=2_000 if quick else 5_000, runs=n_runs
        )
    return figures


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", choices=("roster", "activity"))
    ap.add_argument("--runs", type=int)
    ap.add_argument("--profile", action="store_true",
                    help="cProfile the first sqdesk run of the activity import (of the roster import with --only roster)")
    ap.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / "out" / "work")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.profile and args.only == "roster":
        figs = bench_roster(args.work, rows=5_000 if args.quick else 100_000, runs=1, profile=True)
        print(f"profile written to {args.work / 'roster.prof'}")
    elif args.profile:
        figs = bench_activity(args.work, rows=50_000 if args.quick else 1_000_000,
                              members=2_000 if args.quick else 5_000, runs=1, profile=True)
        print(f"profile written to {args.work / 'activity.prof'}")
    else:
        figs = run(args.work, quick=args.quick, only=args.only, runs=args.runs)
    for f in figs:
        print(f"{f['name']}: {f['value']:.2f}s vs {f['baseline']} {f['baseline_value']:.2f}s → ×{f['ratio']:.2f}"
              f" (target ≤ {f['target_ratio']})")


if __name__ == "__main__":
    main()
