"""The tokens and syntax trees of DynamoDB's expression languages (parsed by ``_grammar``).

Condition (also filter and key condition), update and projection expressions parse to
small syntax trees that keep placeholders unresolved, so one parse serves every request
that reuses the expression text (parses are cached). The trees are immutable (frozen
dataclasses and tuples): the cache hands the same tree to every caller, so none may change
it. :mod:`aiodynamodb.rules._expression_checks` checks a tree against a request's
``ExpressionAttributeNames`` and ``...Values``.

Precedence in conditions, loosest first: ``OR``, ``AND``, ``NOT``, then comparisons,
``BETWEEN``, ``IN``, function calls and parentheses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeAlias

_TOKEN = re.compile(
    r"\s*(?:(?P<name>#[0-9A-Za-z_]+)|(?P<value>:[0-9A-Za-z_]+)"
    r"|(?P<ident>[A-Za-z][0-9A-Za-z_]*)|(?P<int>[0-9]+)"
    r"|(?P<op><>|<=|>=|[=<>()\[\],.+\-])|(?P<other>\S))"
)
CONDITION_KEYWORDS = frozenset({"AND", "OR", "NOT", "BETWEEN", "IN"})
SECTIONS = ("SET", "REMOVE", "ADD", "DELETE")
COMPARATORS = frozenset({"=", "<>", "<", "<=", ">", ">="})


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind (``name``, ``value``, ``ident``, ``int``, ``op``, ``other``,
    ``eof``), text and span in the source."""

    kind: str
    text: str
    start: int
    end: int


def tokenize(source: str) -> list[Token]:
    """Split an expression into tokens, ending with an ``eof`` token."""
    tokens = []
    position = 0
    length = len(source)
    while True:
        match = _TOKEN.match(source, position)
        if match is None:
            break
        kind = match.lastgroup or "other"
        start = match.start(kind)
        tokens.append(Token(kind, match.group(kind), start, match.end()))
        position = match.end()
        if position >= length:
            break
    tokens.append(Token("eof", "<EOF>", length, length))
    return tokens


# -- Syntax tree ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Path:
    """A document path. Elements: ``("id", name)``, ``("ph", "#name")`` or ``("idx", n)``."""

    elements: tuple[tuple[str, str | int], ...]
    wrapped: int = 0


@dataclass(frozen=True, slots=True)
class Value:
    """An ``ExpressionAttributeValues`` placeholder such as ``:v``."""

    name: str
    wrapped: int = 0


@dataclass(frozen=True, slots=True)
class Call:
    """A function call (``size(a)``, ``if_not_exists(a, :v)``) or ``+``/``-`` in updates."""

    name: str
    args: tuple[Operand, ...]
    wrapped: int = 0


Operand: TypeAlias = Path | Value | Call


@dataclass(frozen=True, slots=True)
class Compare:
    """``left <op> right``."""

    op: str
    left: Operand
    right: Operand


@dataclass(frozen=True, slots=True)
class Between:
    """``subject BETWEEN low AND high``."""

    subject: Operand
    low: Operand
    high: Operand


@dataclass(frozen=True, slots=True)
class In:
    """``subject IN (option, ...)``."""

    subject: Operand
    options: tuple[Operand, ...]


@dataclass(frozen=True, slots=True)
class Logical:
    """``AND``/``OR`` (two operands) or ``NOT`` (one)."""

    op: str
    operands: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class FunctionCondition:
    """A function used as a whole condition (``attribute_exists(a)``)."""

    call: Call


Condition: TypeAlias = Compare | Between | In | Logical | FunctionCondition


@dataclass(frozen=True, slots=True)
class Action:
    """One update action: ``SET path = value``, ``REMOVE path``, ``ADD``/``DELETE path :v``."""

    section: str
    path: Path
    value: Operand | None = None


@dataclass(frozen=True, slots=True)
class ParsedCondition:
    """A parsed condition expression."""

    root: Condition
    redundant_parens: bool


@dataclass(frozen=True, slots=True)
class ParsedUpdate:
    """A parsed update expression: its actions in order and any repeated section."""

    actions: tuple[Action, ...]
    repeated_section: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedProjection:
    """A parsed projection expression."""

    paths: tuple[Path, ...] = ()


class ExpressionSyntaxError(Exception):
    """The expression does not parse; ``message`` is DynamoDB's wording."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


__all__ = [
    "COMPARATORS",
    "SECTIONS",
    "Action",
    "Between",
    "Call",
    "Compare",
    "Condition",
    "ExpressionSyntaxError",
    "FunctionCondition",
    "In",
    "Logical",
    "Operand",
    "ParsedCondition",
    "ParsedProjection",
    "ParsedUpdate",
    "Path",
    "Token",
    "Value",
    "tokenize",
]
