"""DynamoDB's limits on one expression: its size, its operators, the operands of ``IN``.

From the Developer Guide ("Service, account, and table quotas", *Expression parameters*) and
ScyllaDB Alternator's ``test_limits.py``/``test_condition_expression.py`` (run against
DynamoDB, which they quote):

- an expression string is at most 4 KB; a longer one is refused before it is parsed, even
  when it would not parse (``Expression size has exceeded the maximum allowed size``);
- a condition has at most 300 operators (comparators, ``AND``/``OR``/``NOT``, ``BETWEEN``,
  ``IN`` and functions; parentheses do not count);
- ``IN`` takes at most 100 operands, the one on its left included (so 99 values).

The size and operator checks run on the tokens, before parsing, so a pathological
expression (``not not not ... a < b``) never reaches the recursive parser.
"""

from __future__ import annotations

from typing import Final

from aiodynamodb.limits import MAX_EXPRESSION_LENGTH, MAX_IN_OPERANDS
from aiodynamodb.rules._syntax import COMPARATORS, Condition, In, Logical, tokenize

MAX_OPERATORS: Final = 300
"""Operators and functions in one condition expression."""

EXPRESSION_TOO_LARGE: Final = (
    "Expression size has exceeded the maximum allowed size; expression size: {size}"
)
TOO_MANY_OPERATORS: Final = "The expression contains too many operators; operator count: {count}"
TOO_MANY_IN_OPERANDS: Final = (
    "The IN operator is provided with too many operands; number of operands: {count}"
)

_WORD_OPERATORS = frozenset({"AND", "OR", "NOT", "BETWEEN", "IN"})
CONDITION_KINDS = frozenset({"ConditionExpression", "FilterExpression", "KeyConditionExpression"})


def size_problem(text: str) -> str | None:
    """DynamoDB's message when an expression is over 4 KB (by its UTF-8 bytes), else None."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_EXPRESSION_LENGTH:
        return EXPRESSION_TOO_LARGE.format(size=size)
    return None


def operator_problem(text: str) -> str | None:
    """DynamoDB's message when a condition has more than 300 operators, else None."""
    tokens = tokenize(text)
    count = 0
    betweens = 0
    for position, token in enumerate(tokens):
        if token.kind == "op" and token.text in COMPARATORS:
            count += 1
        elif token.kind == "ident":
            word = token.text.upper()
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            if word in _WORD_OPERATORS:
                count += 1
                betweens += word == "BETWEEN"
            elif following is not None and following.kind == "op" and following.text == "(":
                count += 1  # a function call
    # The AND of ``x BETWEEN a AND b`` belongs to BETWEEN: one operator, not two.
    count -= betweens
    if count > MAX_OPERATORS:
        return TOO_MANY_OPERATORS.format(count=count)
    return None


def in_operands_problem(root: Condition) -> str | None:
    """DynamoDB's message when an ``IN`` has more than 100 operands, else None."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Logical):
            stack.extend(node.operands)
        elif isinstance(node, In) and len(node.options) + 1 > MAX_IN_OPERANDS:
            return TOO_MANY_IN_OPERANDS.format(count=len(node.options) + 1)
    return None


__all__ = [
    "CONDITION_KINDS",
    "EXPRESSION_TOO_LARGE",
    "MAX_OPERATORS",
    "TOO_MANY_IN_OPERANDS",
    "TOO_MANY_OPERATORS",
    "in_operands_problem",
    "operator_problem",
    "size_problem",
]
