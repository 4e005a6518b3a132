"""The plain-text brief, the privacy helpers and the ``sqdesk brief`` command."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from sqdesk.core.errors import UserError
from sqdesk.core.roster import MemberInput, create_member
from sqdesk.core.supply_demand import SupplyDemandInput, create_supply_demand
from sqdesk.io import brief_text as T
from sqdesk.io.privacy import Privacy, mask_phone, mask_wechat, scrub_text, shorten_name
from sqdesk.models import AuditEntry
from tests.io.test_brief import END, PEOPLE, START, TODAY, world


def test_masks() -> None:
    assert mask_phone("13800138000") == "138****8000"
    assert mask_wechat("wxid_abc88") == "wx****88" and mask_wechat("abc") == "a**" and mask_wechat(None) == ""
    assert shorten_name("张三") == "张*" and shorten_name("欧阳娜娜") == "欧***" and shorten_name("张") == "张*"
    text = "加我 WX_abc123 或 138 0013 8000、+86-139-0013-9000；wx_abc1234 不是同一个"
    assert scrub_text(text, ["wx_abc123"]) == "加我 WX****23 或 138****8000、139****9000；wx_abc1234 不是同一个"
    assert Privacy(mask=False, known_wechat=frozenset({"wx_abc123"})).text(text) == text
    assert Privacy(short_names=True).name("李四") == "李*" and Privacy().name("李四") == "李四"


@given(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.sampled_from(["", " ", "-"]),
    st.text(alphabet="加微信号码联系我 ，。abcXYZ_", max_size=20),
    st.text(alphabet="加微信号码联系我 ，。abcXYZ_", max_size=20),
)
def test_a_phone_in_text_never_survives(phone: str, sep: str, before: str, after: str) -> None:
    written = f"{phone[:3]}{sep}{phone[3:7]}{sep}{phone[7:]}"
    out = scrub_text(f"{before}{written}{after}", ["abcxyz"])
    assert phone not in out.replace(sep, "") if sep else phone not in out
    assert mask_phone(phone) in out


def test_text_brief_sections_masked_and_short(ws: Any) -> None:
    world(ws)
    with ws.read() as s:
        text = T.brief_text(s, START, END, today=TODAY)
    assert T.DIVIDER not in text and len(text) <= T.MAX_CHARS
    for section in ("▍本期供给", "▍本期需求", "▍推荐对接", "▍近期活动"):
        assert section in text
    assert text.index("▍本期供给") < text.index("▍本期需求") < text.index("▍推荐对接") < text.index("▍近期活动")
    assert "〔技能〕" in text and "〔其他〕" in text
    for phone, wx, *_ in PEOPLE.values():
        assert phone not in text and wx not in text
    assert "138****8000" in text and "zh****01" in text
    assert "王五" not in text  # no consent
    assert "线上分享：增长复盘" in text and "11/25 周三 20:00" in text
    assert "杭州小程序沙龙" not in text  # already over by TODAY
    # emoji-light: nothing outside the BMP
    assert all(ord(c) < 0x10000 for c in text)


def test_long_text_brief_is_split_into_numbered_messages(sqlite_ws: Any) -> None:
    with sqlite_ws.write() as s:
        for i in range(42):  # 7 per kind and category: more than PER_CATEGORY
            m = create_member(s, MemberInput(f"成员{i:02d}", {"consent": True, "city": "杭州"})).id
            create_supply_demand(s, SupplyDemandInput(
                m, "供给" if i % 2 else "需求", f"第 {i} 条：" + "可以提供社群运营咨询与活动策划服务，" * 3,
                category=("技能", "服务", "资源")[i % 3], created_on=dt.date(2026, 11, 10)))
    with sqlite_ws.read() as s:
        messages = T.brief_messages(s, START, END, today=TODAY, max_chars=400)
        joined = T.brief_text(s, START, END, today=TODAY, max_chars=400)
        whole = T.brief_messages(s, START, END, today=TODAY, max_chars=100_000)
    n = len(messages)
    assert n >= 3 and joined.split(T.DIVIDER) == messages
    for i, m in enumerate(messages, start=1):
        assert len(m) <= 400 and m.startswith(f"（{i}/{n}）\n")
    # nothing lost: the parts are the whole text cut at line boundaries
    body = [line for m in messages for line in m.split("\n")[1:]]
    assert [line for line in body if line] == [line for line in whole[0].split("\n") if line]
    assert "另有" in whole[0]  # more than PER_CATEGORY in a category


@given(st.lists(st.text(alphabet="供求简报abc ，。", max_size=120), max_size=40), st.integers(60, 500))
def test_split_keeps_order_and_limit(lines: list[str], limit: int) -> None:
    parts = T._split(lines, limit)
    assert all(len(p) <= limit for p in parts)
    if len(parts) == 1 and not parts[0].startswith("（1/"):
        assert parts[0] == "\n".join(lines)
    else:
        got = [line for p in parts for line in p.split("\n")[1:] if line]
        want = [line if len(line) <= limit - len("（99/99）\n") else None for line in lines if line]
        assert len(got) == len(want)
        assert all(w is None or g == w for g, w in zip(got, want, strict=True))


# ---- the command ----------------------------------------------------------------------------

def run_cli(argv: list[str]) -> int:
    """``sqdesk brief …`` through the real entry point once it is wired, else through the
    parser this module adds (same handler, same error handling)."""
    from sqdesk import cli
    from sqdesk.io.brief_cli import add_brief_parser

    if "brief" in cli.COMMANDS:
        return cli.main(argv)
    parser = cli.build_parser()
    add_brief_parser(parser._subparsers._group_actions[0])  # type: ignore[union-attr]
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


def test_cli_brief(sqlite_ws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    world(sqlite_ws)
    path = str(sqlite_ws.path)
    sqlite_ws.close()
    out = tmp_path / "brief.xlsx"
    base = ["brief", "--workspace", path, "--from", "2026-11-09", "--to", "2026-11-15", "--today", "2026-11-20"]
    assert run_cli([*base, "--out", str(out), "--groups", "杭州群"]) == 0
    printed = capsys.readouterr().out
    assert "已导出供求简报" in printed and "手机、微信已打码" in printed and out.exists()
    from openpyxl import load_workbook

    assert load_workbook(out)["概览"]["A2"].value.startswith("范围：杭州群")

    assert run_cli([*base, "--text", "--short-names"]) == 0
    text = capsys.readouterr().out
    assert "▍本期供给" in text and "张*" in text and "13800138000" not in text

    assert run_cli([*base, "--out", str(tmp_path / "plain.xlsx"), "--no-mask"]) == 0
    assert "未打码" in capsys.readouterr().out
    from sqdesk.core.workspace import open_workspace

    ws = open_workspace(path)
    try:
        with ws.read() as s:
            assert [e.entity for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "export_unmasked"))] == ["brief"]
    finally:
        ws.close()

    assert run_cli([*base, "--out", str(out), "--groups", "不存在的群"]) == 2
    assert "没有名为「不存在的群」的群" in capsys.readouterr().err
    assert run_cli(["brief", "--workspace", path, "--from", "2026-11-15", "--to", "2026-11-09", "--text"]) == 2
    assert "晚于" in capsys.readouterr().err
