"""The 群规 condition language: tokenizer, recursive-descent parser, type checker and
canonical printer. Nothing here evaluates Python: the text becomes a tree of frozen
dataclasses, and ``sqdesk.rules.evaluate`` turns that tree into column operations.

Grammar (lowest precedence first; ``not`` binds tighter than ``and``, ``and`` tighter
than ``or``)::

    condition  := or_expr EOF
    or_expr    := and_expr ( ("or" | "或") and_expr )*
    and_expr   := not_expr ( ("and" | "且") not_expr )*
    not_expr   := ("not" | "非") not_expr | primary
    primary    := "(" or_expr ")" | test
    test       := operand [ compare_op operand
                          | ["not"] "in" "[" [literal ("," literal)* [","]] "]"
                          | ("contains" | "包含") operand ]
    operand    := number | "-" number | string | "true" | "false" | variable
    compare_op := "==" | "=" | "!=" | "<" | "<=" | ">" | ">=" | "≥" | "≤" | "≠"

Variables are the English names or Chinese aliases of ``catalogue.MEMBER_VARIABLES``.
Strings take "…", '…', “…”, ‘…’ or 「…」; inside "…" and '…' a backslash escapes
the quote or a backslash. Full-width ASCII punctuation typed with a Chinese input
method (＞＝、（）…) counts as its ASCII twin. Keywords are case-insensitive; 且/或/非
and 包含 are the Chinese spellings of and/or/not and contains, and 是/否/真/假 of
true/false. ``a not in [..]`` is read as ``not (a in [..])``.

Every error is a ``ConditionError`` naming the 1-based line and column.
"""

from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Union

from sqdesk.core.errors import UserError
from sqdesk.rules.catalogue import ALIASES, MEMBER_VARIABLES, TYPE_NAMES, Variable, lookup

MAX_LENGTH = 4000
MAX_DEPTH = 60


class ConditionError(UserError):
    """A condition that cannot be read; ``line`` and ``col`` are 1-based, ``offset`` is
    the 0-based character index into the text (for an editor to put its cursor there;
    Qt counts UTF-16 units, so convert when the text holds characters beyond U+FFFF)."""

    def __init__(self, message: str, line: int, col: int, offset: int | None = None) -> None:
        self.line = line
        self.col = col
        self.offset = offset if offset is not None else col - 1
        self.detail = message
        super().__init__(message)

    def __str__(self) -> str:
        return f"第 {self.line} 行第 {self.col} 列：{self.detail}"


# ---- the tree -----------------------------------------------------------------------

Pos = tuple[int, int]
_POS = field(default=(1, 1), compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Num:
    value: Decimal
    pos: Pos = _POS


@dataclass(frozen=True)
class Str:
    value: str
    pos: Pos = _POS


@dataclass(frozen=True)
class Bool:
    value: bool
    pos: Pos = _POS


@dataclass(frozen=True)
class Var:
    name: str
    pos: Pos = _POS


Literal = Union[Num, Str, Bool]  # noqa: UP007 (a runtime alias used in isinstance)
Operand = Union[Num, Str, Bool, Var]  # noqa: UP007

COMPARE_OPS = ("==", "!=", "<", "<=", ">", ">=")
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


@dataclass(frozen=True)
class Compare:
    op: str
    left: Operand
    right: Operand
    pos: Pos = _POS


@dataclass(frozen=True)
class In:
    left: Operand
    items: tuple[Literal, ...]
    pos: Pos = _POS


@dataclass(frozen=True)
class Contains:
    left: Operand
    item: Operand
    pos: Pos = _POS


@dataclass(frozen=True)
class Not:
    operand: Cond
    pos: Pos = _POS


@dataclass(frozen=True)
class And:
    items: tuple[Cond, ...]
    pos: Pos = _POS


@dataclass(frozen=True)
class Or:
    items: tuple[Cond, ...]
    pos: Pos = _POS


Cond = Union[Compare, In, Contains, Not, And, Or, Var, Bool]  # noqa: UP007


# ---- tokens -----------------------------------------------------------------------

@dataclass(frozen=True)
class Token:
    kind: str  # num, str, ident, op, kw, eof
    text: str  # canonical spelling for op/kw; the source text otherwise
    offset: int
    value: object = None


_KEYWORDS = {
    "and": "and", "or": "or", "not": "not", "in": "in", "contains": "contains",
    "true": "true", "false": "false",
    "且": "and", "或": "or", "非": "not", "包含": "contains",
    "是": "true", "真": "true", "否": "false", "假": "false",
}
_BREAKERS = "且或非"  # single-character keywords that end a Chinese word
_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "「": "」", "『": "』"}
_OPS2 = {"==": "==", "!=": "!=", "<=": "<=", ">=": ">=", "<>": "!="}
_OPS1 = {"<": "<", ">": ">", "=": "==", "≥": ">=", "≤": "<=", "≠": "!=",
         "(": "(", ")": ")", "[": "[", "]": "]", ",": ",", "、": ",", "-": "-"}


def _halfwidth(text: str) -> str:
    """Same length as ``text``; full-width ASCII (U+FF01–FF5E) and U+3000 mapped."""
    return "".join(
        chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else (" " if c == "\u3000" else c)
        for c in text
    )


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff"


def _word_start(c: str) -> bool:
    return c == "_" or ("a" <= c.lower() <= "z") or _is_cjk(c)


def _word_char(c: str) -> bool:
    return _word_start(c) or c.isascii() and c.isdigit()


class _Source:
    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def where(self, offset: int) -> Pos:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def error(self, message: str, offset: int) -> ConditionError:
        line, col = self.where(offset)
        return ConditionError(message, line, col, offset)


def tokenize(text: str) -> list[Token]:
    src = _Source(text)
    return _tokenize(src)


def _tokenize(src: _Source) -> list[Token]:
    raw = src.text
    norm = _halfwidth(raw)
    tokens: list[Token] = []
    i, n = 0, len(raw)
    while i < n:
        c = norm[i]
        if c.isspace():
            i += 1
            continue
        if c in _QUOTES:
            i = _string(src, norm, i, tokens)
            continue
        if c.isascii() and c.isdigit():
            j = i
            while j < n and norm[j].isascii() and norm[j].isdigit():
                j += 1
            if j + 1 < n and norm[j] == "." and norm[j + 1].isascii() and norm[j + 1].isdigit():
                j += 1
                while j < n and norm[j].isascii() and norm[j].isdigit():
                    j += 1
            digits = norm[i:j]
            try:
                value = Decimal(digits)
            except InvalidOperation as exc:  # pragma: no cover - digits only
                raise src.error(f"「{digits}」不是数字", i) from exc
            tokens.append(Token("num", digits, i, value))
            i = j
            continue
        if c in _BREAKERS:
            tokens.append(Token("kw", _KEYWORDS[c], i))
            i += 1
            continue
        if norm.startswith("包含", i):
            tokens.append(Token("kw", "contains", i))
            i += 2
            continue
        if _word_start(c):
            j = i + 1
            while j < n and _word_char(norm[j]) and norm[j] not in _BREAKERS and not norm.startswith("包含", j):
                j += 1
            word = norm[i:j]
            kw = _KEYWORDS.get(word.lower())
            if kw is not None:
                tokens.append(Token("kw", kw, i))
            else:
                tokens.append(Token("ident", word, i))
            i = j
            continue
        two = norm[i : i + 2]
        if two in _OPS2:
            tokens.append(Token("op", _OPS2[two], i))
            i += 2
            continue
        if c in _OPS1:
            tokens.append(Token("op", _OPS1[c], i))
            i += 1
            continue
        if c == "!":
            raise src.error("「!」要和「=」连用写成「!=」，表示“不等于”；取反请用 not", i)
        if c in "&|":
            raise src.error(f"请用 and / or（且 / 或）连接条件，而不是「{raw[i]}」", i)
        if c in _QUOTES.values():
            raise src.error(f"多余的引号「{raw[i]}」", i)
        raise src.error(f"无法识别的字符「{raw[i]}」", i)
    tokens.append(Token("eof", "", n))
    return tokens


def _string(src: _Source, norm: str, start: int, tokens: list[Token]) -> int:
    raw = src.text
    close = _QUOTES[norm[start]]
    escapes = norm[start] in "\"'"
    out: list[str] = []
    i = start + 1
    while i < len(raw):
        c = norm[i]
        if escapes and c == "\\" and i + 1 < len(raw) and (norm[i + 1] == "\\" or norm[i + 1] == close):
            out.append(raw[i + 1])
            i += 2
            continue
        if c == close:
            tokens.append(Token("str", raw[start : i + 1], start, "".join(out)))
            return i + 1
        out.append(raw[i])
        i += 1
    raise src.error(f"引号 {raw[start]} 没有闭合：文字要用一对引号括起来", start)


# ---- parser -----------------------------------------------------------------------

def parse(text: str) -> Cond:
    """Parse and type-check a condition; raise ConditionError pointing at the problem."""
    src = _Source(text)
    if len(text) > MAX_LENGTH:
        raise src.error(f"条件太长（最多 {MAX_LENGTH} 个字符）", MAX_LENGTH)
    tokens = _tokenize(src)
    if tokens[0].kind == "eof":
        raise ConditionError("条件是空的", 1, 1)
    return _Parser(src, tokens).parse()


def validate_condition(text: str) -> None:
    """Raise ConditionError if ``text`` is not a valid condition (the rule store's
    ``validate_condition`` hook)."""
    parse(text)


def variables_of(node: Cond | Operand) -> tuple[str, ...]:
    """The variables a condition mentions, in order of first mention."""
    seen: dict[str, None] = {}

    def walk(n: object) -> None:
        if isinstance(n, Var):
            seen.setdefault(n.name, None)
        elif isinstance(n, Compare):
            walk(n.left)
            walk(n.right)
        elif isinstance(n, In):
            walk(n.left)
        elif isinstance(n, Contains):
            walk(n.left)
            walk(n.item)
        elif isinstance(n, Not):
            walk(n.operand)
        elif isinstance(n, (And, Or)):
            for item in n.items:
                walk(item)

    walk(node)
    return tuple(seen)


def _describe(tok: Token) -> str:
    return "结尾" if tok.kind == "eof" else f"「{tok.text}」"


class _Parser:
    def __init__(self, src: _Source, tokens: list[Token]) -> None:
        self.src = src
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    # helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != "eof":
            self.i += 1
        return tok

    def at(self, kind: str, text: str | None = None) -> bool:
        tok = self.tok
        return tok.kind == kind and (text is None or tok.text == text)

    def pos(self, tok: Token) -> Pos:
        return self.src.where(tok.offset)

    def error(self, message: str, tok: Token) -> ConditionError:
        return self.src.error(message, tok.offset)

    def error_at(self, message: str, pos: Pos) -> ConditionError:
        offset = self.src.line_starts[pos[0] - 1] + pos[1] - 1
        return ConditionError(message, pos[0], pos[1], offset)

    # grammar
    def parse(self) -> Cond:
        node = self.or_expr()
        tok = self.tok
        if tok.kind != "eof":
            if tok.kind == "op" and tok.text == ")":
                raise self.error("多余的右括号「)」：前面没有对应的左括号", tok)
            raise self.error(f"这里多了{_describe(tok)}：前面的条件已经完整，是不是少了 and / or？", tok)
        return node

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"条件嵌套太深（括号或 not 超过 {MAX_DEPTH} 层）", self.tok)

    def or_expr(self) -> Cond:
        first = self.tok
        items = [self.and_expr()]
        while self.at("kw", "or"):
            self.advance()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items), pos=self.pos(first))

    def and_expr(self) -> Cond:
        first = self.tok
        items = [self.not_expr()]
        while self.at("kw", "and"):
            self.advance()
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else And(tuple(items), pos=self.pos(first))

    def not_expr(self) -> Cond:
        if self.at("kw", "not"):
            tok = self.advance()
            self.enter()
            operand = self.not_expr()
            self.depth -= 1
            return Not(operand, pos=self.pos(tok))
        return self.primary()

    def primary(self) -> Cond:
        if self.at("op", "("):
            open_tok = self.advance()
            self.enter()
            node = self.or_expr()
            self.depth -= 1
            if not self.at("op", ")"):
                if self.tok.kind == "eof":
                    raise self.error("这个左括号「(」没有对应的右括号「)」", open_tok)
                raise self.error(f"这里应该是右括号「)」，却是{_describe(self.tok)}", self.tok)
            self.advance()
            return node
        return self.test()

    def test(self) -> Cond:
        start = self.tok
        if start.kind == "eof":
            raise self.error("这里缺少一个条件", start)
        if start.kind == "op" and start.text == ")":
            raise self.error("这里缺少一个条件：右括号「)」前面是空的", start)
        left = self.operand(None)
        ltype = self.type_of(left)
        tok = self.tok
        if tok.kind == "op" and tok.text in COMPARE_OPS:
            self.advance()
            right = self.operand(ltype, after=tok)
            return self.check_compare(Compare(tok.text, left, right, pos=self.pos(start)))
        if tok.kind == "kw" and tok.text == "not" and self.tokens[self.i + 1].text == "in" \
                and self.tokens[self.i + 1].kind == "kw":
            not_tok = self.advance()
            self.advance()
            items = self.list_items(left, ltype)
            return Not(In(left, items, pos=self.pos(start)), pos=self.pos(not_tok))
        if tok.kind == "kw" and tok.text == "in":
            self.advance()
            return In(left, self.list_items(left, ltype), pos=self.pos(start))
        if tok.kind == "kw" and tok.text == "contains":
            self.advance()
            if ltype not in ("list", "text"):
                raise self.error_at(
                    f"{self.name_of(left)}是{TYPE_NAMES[ltype]}，contains（包含）只能用于标签、所在群这类列表或文字",
                    left.pos,
                )
            item = self.operand("text", after=tok)
            if not isinstance(item, Str):
                raise self.error_at("contains（包含）后面要写一段用引号括起来的文字，如 \"VIP\"", item.pos)
            return Contains(left, item, pos=self.pos(start))
        # a bare operand is a condition only if it is a yes/no value
        if ltype != "bool":
            if isinstance(left, Var):
                example = {"number": " >= 30", "text": ' == "成员"', "list": ' contains "VIP"'}[ltype]
                hint = f"，如「{self.name_text(left)}{example}」"
                raise self.error_at(f"{self.name_of(left)}是{TYPE_NAMES[ltype]}，要写成比较{hint}", left.pos)
            lit = self.literal_text(left)
            gap = " " if lit[-1].isascii() else ""
            raise self.error_at(f"{lit}{gap}不是条件：缺少变量和比较，如「未发言天数 >= 30」", left.pos)
        assert isinstance(left, (Var, Bool))
        return left

    def list_items(self, left: Operand, ltype: str) -> tuple[Literal, ...]:
        if ltype not in ("number", "text"):
            raise self.error_at(f"{self.name_of(left)}是{TYPE_NAMES[ltype]}，不能用 in [..]", left.pos)
        if not self.at("op", "["):
            raise self.error(f"in 后面要写一个方括号列表，如 [\"群主\", \"管理员\"]，却是{_describe(self.tok)}", self.tok)
        open_tok = self.advance()
        items: list[Literal] = []
        while not self.at("op", "]"):
            if self.tok.kind == "eof":
                raise self.error("这个左方括号「[」没有对应的右方括号「]」", open_tok)
            item = self.operand(ltype, after=open_tok if not items else self.tokens[self.i - 1])
            if isinstance(item, Var):
                raise self.error_at("列表里只能写数值或文字，不能写变量", item.pos)
            self.check_same(left, item, "in")
            items.append(item)
            if self.at("op", ","):
                self.advance()
            elif not self.at("op", "]"):
                if self.tok.kind == "eof":
                    raise self.error("这个左方括号「[」没有对应的右方括号「]」", open_tok)
                raise self.error(f"列表的各项之间要用逗号隔开，这里却是{_describe(self.tok)}", self.tok)
        self.advance()
        return tuple(items)

    def operand(self, expect: str | None, after: Token | None = None) -> Operand:
        tok = self.tok
        if tok.kind == "num":
            self.advance()
            assert isinstance(tok.value, Decimal)
            return Num(tok.value, pos=self.pos(tok))
        if tok.kind == "op" and tok.text == "-" and self.tokens[self.i + 1].kind == "num":
            self.advance()
            num = self.advance()
            assert isinstance(num.value, Decimal)
            return Num(-num.value, pos=self.pos(tok))
        if tok.kind == "str":
            self.advance()
            assert isinstance(tok.value, str)
            return Str(tok.value, pos=self.pos(tok))
        if tok.kind == "kw" and tok.text in ("true", "false"):
            self.advance()
            return Bool(tok.text == "true", pos=self.pos(tok))
        if tok.kind == "ident":
            var = lookup(tok.text)
            if var is None:
                raise self.unknown(tok, expect)
            self.advance()
            return Var(var.name, pos=self.pos(tok))
        raise self.error(self.missing(expect, after), tok)

    def missing(self, expect: str | None, after: Token | None) -> str:
        if expect == "number":
            what = "一个数值"
        elif expect == "text":
            what = "一段用引号括起来的文字"
        elif expect == "bool":
            what = "true 或 false（是 或 否）"
        elif expect == "list":
            what = "一段用引号括起来的文字"
        elif after is None:
            what = "一个变量，如「未发言天数」"
        else:
            what = "一个值"
        got = "" if self.tok.kind == "eof" else f"，却是{_describe(self.tok)}"
        return f"这里缺少{what}{got}"

    def unknown(self, tok: Token, expect: str | None) -> ConditionError:
        word = tok.text
        if expect == "text" and any(word in v.choices for v in MEMBER_VARIABLES.values()):
            return self.error(f"「{word}」是文字，要用引号括起来：\"{word}\"", tok)
        names = list(MEMBER_VARIABLES) + list(ALIASES)
        close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
        if not close:
            close = difflib.get_close_matches(word.lower(), names, n=1, cutoff=0.6)
        hint = f"，是不是「{close[0]}」？" if close else "（可用的变量见变量表）"
        return self.error(f"未知的变量「{word}」{hint}", tok)

    # types
    def type_of(self, node: Operand) -> str:
        if isinstance(node, Var):
            return MEMBER_VARIABLES[node.name].type
        if isinstance(node, Num):
            return "number"
        if isinstance(node, Str):
            return "text"
        return "bool"

    def name_text(self, node: Var) -> str:
        return MEMBER_VARIABLES[node.name].alias

    def name_of(self, node: Operand) -> str:
        if isinstance(node, Var):
            return f"「{MEMBER_VARIABLES[node.name].alias}」"
        return self.literal_text(node)

    def literal_text(self, node: Operand) -> str:
        if isinstance(node, Str):
            return f"文字「{node.value}」"
        if isinstance(node, Num):
            return f"数值 {_number_text(node.value)}"
        if isinstance(node, Bool):
            return "true" if node.value else "false"
        return f"「{MEMBER_VARIABLES[node.name].alias}」"

    def check_same(self, left: Operand, right: Operand, op: str) -> None:
        lt, rt = self.type_of(left), self.type_of(right)
        if lt == "list" or rt == "list":
            lst = left if lt == "list" else right
            raise self.error_at(
                f"{self.name_of(lst)}是列表，请用 contains（包含）判断，如「{self.name_of(lst).strip('「」')} contains \"VIP\"」",
                lst.pos,
            )
        if lt != rt:
            other = self.literal_text(right) if not isinstance(right, Var) else (
                f"{TYPE_NAMES[rt]}{self.name_of(right)}"
            )
            gap = " " if other[-1].isascii() else ""
            raise self.error_at(f"{self.name_of(left)}是{TYPE_NAMES[lt]}，不能和{other}{gap}比较", right.pos)
        for var, lit in ((left, right), (right, left)):
            if isinstance(var, Var) and isinstance(lit, Str):
                choices = MEMBER_VARIABLES[var.name].choices
                if choices and lit.value not in choices:
                    shown = "、".join(c if c else "（空）" for c in choices)
                    raise self.error_at(
                        f"{self.name_of(var)}只能是 {shown}，没有「{lit.value}」", lit.pos
                    )

    def check_compare(self, node: Compare) -> Compare:
        self.check_same(node.left, node.right, node.op)
        kind = self.type_of(node.left)
        if node.op not in ("==", "!=") and kind != "number":
            raise self.error_at(
                f"{self.name_of(node.left)}是{TYPE_NAMES[kind]}，只能用 == 或 != 比较，不能用「{node.op}」",
                node.pos,
            )
        return node


# ---- printing -----------------------------------------------------------------------

def _number_text(value: Decimal) -> str:
    return format(value, "f")


def _string_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _operand_text(node: Operand, chinese: bool) -> str:
    if isinstance(node, Var):
        return MEMBER_VARIABLES[node.name].alias if chinese else node.name
    if isinstance(node, Num):
        return _number_text(node.value)
    if isinstance(node, Str):
        return _string_text(node.value)
    return "true" if node.value else "false"


def to_text(node: Cond, *, chinese: bool = False) -> str:
    """Canonical text of a condition: ``parse(to_text(c)) == c`` for every condition.
    ``chinese=True`` writes variables by their Chinese aliases (keywords stay English,
    so the text reads the same in any input method)."""

    def cond(n: Cond, parent: int) -> str:
        # precedence: or 1, and 2, not 3, tests 4; wrap when the child binds looser
        # than (or, for n-ary nodes, as loosely as) its context requires.
        if isinstance(n, Or):
            text = " or ".join(cond(i, 1) for i in n.items)
            return f"({text})" if parent >= 1 else text
        if isinstance(n, And):
            text = " and ".join(cond(i, 2) for i in n.items)
            return f"({text})" if parent >= 2 else text
        if isinstance(n, Not):
            return "not " + cond(n.operand, 2)
        if isinstance(n, Compare):
            return f"{_operand_text(n.left, chinese)} {n.op} {_operand_text(n.right, chinese)}"
        if isinstance(n, In):
            items = ", ".join(_operand_text(i, chinese) for i in n.items)
            return f"{_operand_text(n.left, chinese)} in [{items}]"
        if isinstance(n, Contains):
            return f"{_operand_text(n.left, chinese)} contains {_operand_text(n.item, chinese)}"
        return _operand_text(n, chinese)

    return cond(n=node, parent=0)


def describe_variable(var: Variable) -> str:
    return f"{var.alias}（{var.name}，{TYPE_NAMES[var.type]}）：{var.description}"
