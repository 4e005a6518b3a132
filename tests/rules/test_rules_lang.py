"""The 群规 condition language: parsing, errors with positions, printing, evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sqdesk.core.errors import UserError
from sqdesk.rules.catalogue import ALIASES, MEMBER_VARIABLES
from sqdesk.rules.evaluate import compile_condition, evaluate_reference
from sqdesk.rules.lang import (
    And,
    Bool,
    Compare,
    ConditionError,
    Contains,
    In,
    Not,
    Num,
    Or,
    Str,
    Var,
    parse,
    to_text,
)

# ---- examples --------------------------------------------------------------------


def test_reads_the_design_examples() -> None:
    assert parse('inactive_days >= 30 and role == "成员"') == And(
        (Compare(">=", Var("inactive_days"), Num(Decimal(30))),
         Compare("==", Var("role"), Str("成员")))
    )
    assert parse("days_since_join >= 3 and not has_intro") == And(
        (Compare(">=", Var("days_since_join"), Num(Decimal(3))), Not(Var("has_intro")))
    )
    assert parse("未发言天数 >= 30") == parse("inactive_days >= 30")
    assert parse('tags contains "VIP"') == Contains(Var("tags"), Str("VIP"))
    assert parse("所在群 包含 “杭州一群”") == Contains(Var("groups"), Str("杭州一群"))
    assert parse("role in ['群主', '管理员',]") == In(Var("role"), (Str("群主"), Str("管理员")))
    assert parse('role not in ["群主"]') == Not(In(Var("role"), (Str("群主"),)))
    assert parse("paid_until_days <= -3.5") == Compare("<=", Var("paid_until_days"), Num(Decimal("-3.5")))


def test_chinese_spelling_and_full_width_punctuation() -> None:
    assert parse("未发言天数＞＝30且非有自我介绍") == parse("inactive_days >= 30 and not has_intro")
    assert parse("（近30天违规 ≥ 3 或 标签包含「黑名单」）") == parse(
        'violations_30d >= 3 or tags contains "黑名单"'
    )
    assert parse("有自我介绍 = 否") == Compare("==", Var("has_intro"), Bool(False))
    assert parse("Inactive_Days >= 1 AND Has_Intro") == parse("inactive_days >= 1 and has_intro")


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("inactive_days >= ", 1, 18, "这里缺少一个数值"),
        ('role == "成员" and inactive_days >', 1, 33, "这里缺少一个数值"),
        ("not inactiv_days >= 3", 1, 5, "未知的变量「inactiv_days」，是不是「inactive_days」？"),
        ("未发言天 >= 3", 1, 1, "未知的变量「未发言天」，是不是「未发言天数」？"),
        ('role == "成员', 1, 9, "引号 \" 没有闭合"),
        ("(inactive_days >= 3\n and has_intro", 1, 1, "这个左括号「(」没有对应的右括号「)」"),
        ("has_intro)", 1, 10, "多余的右括号"),
        ("has_intro and\n  role == 成员", 2, 11, "「成员」是文字，要用引号括起来"),
        ('role == "会员"', 1, 9, "没有「会员」"),
        ('inactive_days >= "30"', 1, 18, "「未发言天数」是数值，不能和文字「30」比较"),
        ("inactive_days", 1, 1, "要写成比较"),
        ('tags == "VIP"', 1, 1, "请用 contains"),
        ('role > "成员"', 1, 1, "只能用 == 或 != 比较"),
        ("has_intro has_intro", 1, 11, "是不是少了 and / or"),
        ("", 1, 1, "条件是空的"),
        ("has_intro @ 3", 1, 11, "无法识别的字符「@」"),
        ("has_intro && has_intro", 1, 11, "请用 and / or"),
        ("role in [\"成员\"\n", 1, 9, "左方括号「[」没有对应的右方括号"),
    ],
)
def test_errors_point_at_line_and_column(text: str, line: int, col: int, message: str) -> None:
    with pytest.raises(ConditionError) as info:
        parse(text)
    err = info.value
    assert isinstance(err, UserError)
    assert (err.line, err.col) == (line, col), str(err)
    assert message in err.detail
    assert str(err).startswith(f"第 {line} 行第 {col} 列：")
    lines = text.split("\n")
    assert err.offset == sum(len(x) + 1 for x in lines[: line - 1]) + col - 1


def test_nesting_is_bounded_not_a_crash() -> None:
    with pytest.raises(ConditionError, match="嵌套太深"):
        parse("(" * 500 + "has_intro" + ")" * 500)
    with pytest.raises(ConditionError, match="嵌套太深"):
        parse("not " * 500 + "has_intro")
    long_chain = " and ".join(["has_intro"] * 250)
    assert len(parse(long_chain).items) == 250  # type: ignore[union-attr]
    with pytest.raises(ConditionError, match="条件太长"):
        parse(long_chain * 2)


def test_printer_is_canonical() -> None:
    node = parse("未发言天数>=30 且 (角色=='成员' 或 非 标签 包含 'VIP') ")
    assert to_text(node) == 'inactive_days >= 30 and (role == "成员" or not tags contains "VIP")'
    assert to_text(node, chinese=True) == '未发言天数 >= 30 and (角色 == "成员" or not 标签 contains "VIP")'
    assert to_text(parse("(has_intro and has_intro) and has_intro")) == "(has_intro and has_intro) and has_intro"
    assert to_text(parse(r'tags contains "a\"b\\c"')) == r'tags contains "a\"b\\c"'
    assert parse(r'tags contains "a\"b\\c"') == Contains(Var("tags"), Str('a"b\\c'))


# ---- strategies --------------------------------------------------------------------

NUMBER_VARS = sorted(n for n, v in MEMBER_VARIABLES.items() if v.type == "number")
TEXT_VARS = sorted(n for n, v in MEMBER_VARIABLES.items() if v.type == "text")
BOOL_VARS = sorted(n for n, v in MEMBER_VARIABLES.items() if v.type == "bool")
LIST_VARS = sorted(n for n, v in MEMBER_VARIABLES.items() if v.type == "list")

numbers = st.decimals(
    min_value=-100000, max_value=100000, allow_nan=False, allow_infinity=False, places=2
).map(lambda d: Num(d))
small_numbers = st.integers(-5, 40).map(lambda i: Num(Decimal(i)))
any_text = st.text(max_size=8)


def text_literal_for(var: str) -> st.SearchStrategy[Str]:
    return st.sampled_from(MEMBER_VARIABLES[var].choices).map(Str)


@st.composite
def number_test(draw: st.DrawFn) -> Any:
    var = Var(draw(st.sampled_from(NUMBER_VARS)))
    op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]))
    other = draw(st.one_of(numbers, small_numbers, st.sampled_from(NUMBER_VARS).map(Var)))
    if draw(st.booleans()):
        return Compare(op, other, var)
    return Compare(op, var, other)


@st.composite
def text_test(draw: st.DrawFn) -> Any:
    var = draw(st.sampled_from(TEXT_VARS))
    kind = draw(st.sampled_from(["cmp", "in", "contains"]))
    if kind == "cmp":
        op = draw(st.sampled_from(["==", "!="]))
        return Compare(op, Var(var), draw(text_literal_for(var)))
    if kind == "in":
        return In(Var(var), tuple(draw(st.lists(text_literal_for(var), max_size=3))))
    return Contains(Var(var), Str(draw(any_text)))


@st.composite
def other_test(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["bare", "boolcmp", "contains", "in_num", "literal"]))
    if kind == "bare":
        return Var(draw(st.sampled_from(BOOL_VARS)))
    if kind == "boolcmp":
        return Compare(draw(st.sampled_from(["==", "!="])), Var(draw(st.sampled_from(BOOL_VARS))),
                       Bool(draw(st.booleans())))
    if kind == "contains":
        return Contains(Var(draw(st.sampled_from(LIST_VARS))), Str(draw(any_text)))
    if kind == "in_num":
        return In(Var(draw(st.sampled_from(NUMBER_VARS))), tuple(draw(st.lists(small_numbers, max_size=4))))
    return Bool(draw(st.booleans()))


leaves = st.one_of(number_test(), text_test(), other_test())
conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        inner.map(Not),
        st.lists(inner, min_size=2, max_size=4).map(lambda xs: And(tuple(xs))),
        st.lists(inner, min_size=2, max_size=4).map(lambda xs: Or(tuple(xs))),
    ),
    max_leaves=12,
)


@given(conditions)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_random_trees_round_trip_through_print_and_parse(cond: Any) -> None:
    text = to_text(cond)
    assert parse(text) == cond, text
    assert parse(to_text(cond, chinese=True)) == cond
    assert to_text(parse(text)) == text


@given(conditions)
def test_parse_print_parse_is_stable(cond: Any) -> None:
    first = parse(to_text(cond, chinese=True))
    assert parse(to_text(first)) == first


TOKENS = [
    "inactive_days", "未发言天数", "has_intro", "role", "tags", "and", "or", "not", "且", "或",
    "非", "in", "contains", "包含", "(", ")", "[", "]", ",", "==", "=", "!=", "<", "<=", ">=",
    ">", "≥", "-", "3", "2.5", '"成员"', "'VIP'", "“杭州”", '"', "“", "true", "否", "\n", " ",
    "＞", "（", "!", "&", "@", "x", "近7天发言", "入群天数", ".", "\\",
]


@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join),
                 st.lists(st.sampled_from(TOKENS), max_size=25).map("".join)))
@settings(max_examples=600)
def test_random_text_never_crashes(text: str) -> None:
    try:
        cond = parse(text)
    except ConditionError as err:
        assert err.line >= 1 and err.col >= 1
        lines = text.split("\n")
        assert err.line <= len(lines)
        assert err.col <= len(lines[err.line - 1]) + 1
        assert err.offset == sum(len(x) + 1 for x in lines[: err.line - 1]) + err.col - 1
        return
    assert parse(to_text(cond)) == cond
    mask = compile_condition(cond).mask(SMALL_TABLE)  # whatever parses also evaluates
    assert len(mask) == len(SMALL_TABLE.member_ids)


@given(leaves, leaves, leaves)
def test_precedence_not_over_and_over_or(a: Any, b: Any, c: Any) -> None:
    ta, tb, tc = to_text(a), to_text(b), to_text(c)
    assert parse(f"{ta} or {tb} and {tc}") == Or((a, And((b, c))))
    assert parse(f"{ta} and {tb} or {tc}") == Or((And((a, b)), c))
    assert parse(f"not {ta} and {tb}") == And((Not(a), b))
    assert parse(f"not {ta} or {tb}") == Or((Not(a), b))
    assert parse(f"({ta} or {tb}) and {tc}") == And((Or((a, b)), c))
    assert parse(f"not ({ta} or {tb})") == Not(Or((a, b)))


def test_aliases_are_unique_and_every_variable_has_one() -> None:
    assert len(ALIASES) == len(MEMBER_VARIABLES)
    for name, var in MEMBER_VARIABLES.items():
        assert parse(f"{var.alias} != {var.alias}" if var.type != "list" else f'{var.alias} contains "x"')
        assert name.isascii()


# ---- evaluation ------------------------------------------------------------------


@dataclass
class Table:
    member_ids: list[int]
    columns: dict[str, list[Any]] = field(default_factory=dict)


SMALL_TABLE = Table(
    [1, 2],
    {name: ([3, None] if v.type == "number" else ["成员", None] if v.type == "text"
            else [True, None] if v.type == "bool" else [["VIP"], None])
     for name, v in MEMBER_VARIABLES.items()},
)


def _value_for(name: str, draw: st.DrawFn) -> Any:
    var = MEMBER_VARIABLES[name]
    if var.type == "number":
        return draw(st.one_of(st.none(), st.integers(-5, 40), st.floats(-5, 40, allow_nan=False)))
    if var.type == "text":
        return draw(st.one_of(st.none(), st.sampled_from(var.choices)))
    if var.type == "bool":
        return draw(st.one_of(st.none(), st.booleans()))
    return draw(st.one_of(st.none(), st.lists(st.sampled_from(["VIP", "杭州一群", "x", ""]), max_size=3)))


@st.composite
def tables(draw: st.DrawFn) -> Table:
    n = draw(st.integers(0, 12))
    rows = [{name: _value_for(name, draw) for name in MEMBER_VARIABLES} for _ in range(n)]
    return Table(list(range(1, n + 1)), {name: [r[name] for r in rows] for name in MEMBER_VARIABLES})


@given(conditions, tables())
@settings(max_examples=300)
def test_column_evaluation_agrees_with_row_by_row_meaning(cond: Any, table: Table) -> None:
    compiled = compile_condition(cond)
    rows = [{k: col[i] for k, col in table.columns.items()} for i in range(len(table.member_ids))]
    assert compiled.mask(table) == [evaluate_reference(cond, r) for r in rows]


def test_evaluation_examples_and_null_semantics() -> None:
    table = Table(
        [10, 11, 12, 13],
        {
            "inactive_days": [45, 3, 31, None],
            "role": ["成员", "成员", "骨干", "成员"],
            "has_intro": [False, True, None, True],
            "tags": [["VIP"], [], None, ["VIP", "杭州"]],
            "paid_until_days": [5, None, -2, 30],
        },
    )
    ids = lambda text: compile_condition(text).matching_ids(table)  # noqa: E731
    assert ids('inactive_days >= 30 and role == "成员"') == [10]
    assert ids("inactive_days >= 30") == [10, 12]
    assert ids("not inactive_days >= 30") == [11, 13]  # None: the comparison is false
    assert ids("inactive_days != 3") == [10, 12]  # None is not "different from 3" either
    assert ids("not has_intro") == [10, 12]
    assert ids("has_intro == false") == [10]  # an unknown is not false
    assert ids('tags contains "VIP"') == [10, 13]
    assert ids('role in ["骨干", "群主"] or paid_until_days <= 7') == [10, 12]
    assert ids("paid_until_days >= 0 and paid_until_days <= 7") == [10]
    assert ids("paid_until_days < inactive_days") == [10, 12]  # 13: None
    assert compile_condition("has_intro").variables == ("has_intro",)
    assert compile_condition("inactive_days > 1 or role == '成员' and inactive_days < 9").variables == (
        "inactive_days", "role",
    )
