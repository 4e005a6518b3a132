"""Turn a parsed condition into column operations over a metrics table.

The metrics are computed once for every member (``sqdesk.analytics.metrics``); a
condition then runs column by column: every test becomes one list comprehension
over one column (``[v is not None and v >= 30 for v in inactive_days]``), and
and/or/not combine the resulting lists of booleans. No query per member, no loop
over the activity log, and no Python source is ever generated or evaluated: the
closures below are built from the tree by ordinary code.

Null semantics (documented for operators in the rule editor): a value the metrics
cannot know is ``None`` — e.g. ``paid_until_days`` of a member without a paid-until
date, ``days_since_join`` without a join date. **Every comparison, ``in`` and
``contains`` with a ``None`` value is false**, including ``!=``; ``not`` then turns
false into true. So ``paid_until_days <= 7`` never catches an unpaid member, and
``not (paid_until_days <= 7)`` catches them all. A bare yes/no variable that is
``None`` counts as no.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from sqdesk.rules.lang import (
    And,
    Bool,
    Compare,
    Cond,
    Contains,
    In,
    Not,
    Num,
    Operand,
    Or,
    Str,
    Var,
    parse,
    variables_of,
)

Columns = Mapping[str, Sequence[Any]]
Mask = list[bool]
_Run = Callable[[Columns, int], Mask]


class MetricColumns(Protocol):
    """What the evaluator needs from ``analytics.metrics.MetricsTable``: one list per
    variable, aligned with ``member_ids``."""

    @property
    def member_ids(self) -> Sequence[int]: ...

    @property
    def columns(self) -> Mapping[str, Sequence[Any]]: ...


class MissingColumnError(LookupError):
    """The metrics table lacks a variable the catalogue promises (a bug, not user error)."""


@dataclass(frozen=True)
class CompiledCondition:
    condition: Cond
    variables: tuple[str, ...]
    run: _Run

    def mask(self, table: MetricColumns) -> Mask:
        """One boolean per row of ``table``: does the member meet the condition?"""
        cols = table.columns
        n = len(table.member_ids)
        for name in self.variables:
            if name not in cols:
                raise MissingColumnError(f"metrics table has no column {name!r}")
            if len(cols[name]) != n:
                raise MissingColumnError(f"column {name!r} has {len(cols[name])} rows, expected {n}")
        return self.run(cols, n)

    def matching_ids(self, table: MetricColumns) -> list[int]:
        return [mid for mid, hit in zip(table.member_ids, self.mask(table), strict=True) if hit]


def compile_condition(condition: Cond | str) -> CompiledCondition:
    node = parse(condition) if isinstance(condition, str) else condition
    return CompiledCondition(node, variables_of(node), _compile(node))


def _value(lit: Operand) -> Any:
    if isinstance(lit, Num):
        v: Decimal = lit.value
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(lit, (Str, Bool)):
        return lit.value
    raise TypeError(lit)


_PY_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
}
_FLIPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _constant(value: bool) -> _Run:
    return lambda cols, n: [value] * n


def _column_vs_constant(name: str, op: str, c: Any) -> _Run:
    # One comprehension per operator: no function call per row.
    if op == "==":
        return lambda cols, n: [v is not None and v == c for v in cols[name]]
    if op == "!=":
        return lambda cols, n: [v is not None and v != c for v in cols[name]]
    if op == "<":
        return lambda cols, n: [v is not None and v < c for v in cols[name]]
    if op == "<=":
        return lambda cols, n: [v is not None and v <= c for v in cols[name]]
    if op == ">":
        return lambda cols, n: [v is not None and v > c for v in cols[name]]
    if op == ">=":
        return lambda cols, n: [v is not None and v >= c for v in cols[name]]
    raise ValueError(op)


def _compile(node: Cond) -> _Run:
    if isinstance(node, Bool):
        return _constant(node.value)
    if isinstance(node, Var):
        name = node.name
        return lambda cols, n: [bool(v) for v in cols[name]]
    if isinstance(node, Not):
        inner = _compile(node.operand)
        return lambda cols, n: [not x for x in inner(cols, n)]
    if isinstance(node, And):
        parts = [_compile(i) for i in node.items]

        def run_and(cols: Columns, n: int) -> Mask:
            acc = parts[0](cols, n)
            for part in parts[1:]:
                acc = [a and b for a, b in zip(acc, part(cols, n), strict=True)]
            return acc

        return run_and
    if isinstance(node, Or):
        parts = [_compile(i) for i in node.items]

        def run_or(cols: Columns, n: int) -> Mask:
            acc = parts[0](cols, n)
            for part in parts[1:]:
                acc = [a or b for a, b in zip(acc, part(cols, n), strict=True)]
            return acc

        return run_or
    if isinstance(node, Compare):
        return _compile_compare(node)
    if isinstance(node, In):
        values = frozenset(_value(i) for i in node.items)
        if isinstance(node.left, Var):
            name = node.left.name
            return lambda cols, n: [v is not None and v in values for v in cols[name]]
        return _constant(_value(node.left) in values)
    if isinstance(node, Contains):
        item = _value(node.item)
        if isinstance(node.left, Var):
            name = node.left.name
            return lambda cols, n: [v is not None and item in v for v in cols[name]]
        return _constant(item in _value(node.left))
    raise TypeError(f"not a condition: {node!r}")


def _compile_compare(node: Compare) -> _Run:
    left, right, op = node.left, node.right, node.op
    if isinstance(left, Var) and isinstance(right, Var):
        fn = _PY_OPS[op]
        a_name, b_name = left.name, right.name
        return lambda cols, n: [
            a is not None and b is not None and fn(a, b)
            for a, b in zip(cols[a_name], cols[b_name], strict=True)
        ]
    if isinstance(left, Var):
        return _column_vs_constant(left.name, op, _value(right))
    if isinstance(right, Var):
        return _column_vs_constant(right.name, _FLIPPED[op], _value(left))
    return _constant(_PY_OPS[op](_value(left), _value(right)))


def evaluate_reference(condition: Cond, row: Mapping[str, Any]) -> bool:
    """Row-at-a-time meaning of a condition, written independently of ``_compile`` so
    property tests can check the column code against it (and the UI can explain one
    member). Same null semantics."""

    def val(op: Operand) -> Any:
        return row[op.name] if isinstance(op, Var) else _value(op)

    def ev(n: Cond) -> bool:
        if isinstance(n, Bool):
            return n.value
        if isinstance(n, Var):
            return bool(row[n.name])
        if isinstance(n, Not):
            return not ev(n.operand)
        if isinstance(n, And):
            return all(ev(i) for i in n.items)
        if isinstance(n, Or):
            return any(ev(i) for i in n.items)
        if isinstance(n, Compare):
            a, b = val(n.left), val(n.right)
            return a is not None and b is not None and _PY_OPS[n.op](a, b)
        if isinstance(n, In):
            a = val(n.left)
            return a is not None and a in {_value(i) for i in n.items}
        if isinstance(n, Contains):
            a, b = val(n.left), val(n.item)
            return a is not None and b is not None and b in a
        raise TypeError(n)

    return ev(condition)
