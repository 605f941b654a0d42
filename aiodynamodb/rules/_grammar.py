"""The parser of DynamoDB's expression languages, and its cache.

Precedence in conditions, loosest first: ``OR``, ``AND``, ``NOT``, then comparisons,
``BETWEEN``, ``IN``, function calls and parentheses. The trees (:mod:`._syntax`) are frozen,
because :func:`parse` hands the same cached tree to every caller.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._syntax import (
    COMPARATORS,
    CONDITION_KEYWORDS,
    SECTIONS,
    Action,
    Between,
    Call,
    Compare,
    Condition,
    ExpressionSyntaxError,
    FunctionCondition,
    In,
    Logical,
    Operand,
    ParsedCondition,
    ParsedProjection,
    ParsedUpdate,
    Path,
    Token,
    Value,
    tokenize,
)


class _Fail(Exception):
    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


# -- Parser ---------------------------------------------------------------------------------


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.pos = 0
        self.furthest = 0
        self.redundant = False

    # token helpers
    def peek(self, offset: int = 0) -> Token:
        index = min(self.pos + offset, len(self.tokens) - 1)
        return self.tokens[index]

    def fail(self) -> _Fail:
        self.furthest = max(self.furthest, self.pos)
        return _Fail(self.pos)

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind != "eof":
            self.pos += 1
        return token

    def expect_op(self, text: str) -> None:
        token = self.peek()
        if token.kind != "op" or token.text != text:
            raise self.fail()
        self.advance()

    def is_op(self, text: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.text == text

    def is_keyword(self, word: str) -> bool:
        token = self.peek()
        return token.kind == "ident" and token.text.upper() == word

    def syntax_error(self) -> ExpressionSyntaxError:
        index = min(self.furthest, len(self.tokens) - 1)
        token = self.tokens[index]
        start = self.tokens[index - 1].start if index > 0 else token.start
        following = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
        end = following.end if following is not None and following.kind != "eof" else token.end
        if token.kind == "eof":
            end = len(self.source)
        near = self.source[start:end]
        return ExpressionSyntaxError(msg.SYNTAX.format(token=token.text, near=near))

    # operands
    def path(self, keywords: frozenset[str]) -> Path:
        token = self.peek()
        if token.kind == "ident" and token.text.upper() not in keywords:
            elements: list[tuple[str, str | int]] = [("id", token.text)]
        elif token.kind == "name":
            elements = [("ph", token.text)]
        else:
            raise self.fail()
        self.advance()
        while True:
            if self.is_op("."):
                self.advance()
                token = self.peek()
                if token.kind == "ident" and token.text.upper() not in keywords:
                    elements.append(("id", token.text))
                elif token.kind == "name":
                    elements.append(("ph", token.text))
                else:
                    raise self.fail()
                self.advance()
            elif self.is_op("["):
                self.advance()
                token = self.peek()
                if token.kind != "int":
                    raise self.fail()
                self.advance()
                self.expect_op("]")
                elements.append(("idx", int(token.text)))
            else:
                return Path(tuple(elements))

    def operand(self, keywords: frozenset[str]) -> Operand:
        token = self.peek()
        if token.kind == "op" and token.text == "(":
            self.advance()
            inner = self.operand(keywords)
            self.expect_op(")")
            if inner.wrapped:
                self.redundant = True
            return replace(inner, wrapped=inner.wrapped + 1)
        if token.kind == "value":
            self.advance()
            return Value(token.text)
        following = self.peek(1)
        if (
            token.kind == "ident"
            and token.text.upper() not in keywords
            and following.kind == "op"
            and following.text == "("
        ):
            self.advance()
            self.advance()
            args = [self.operand(keywords)]
            while self.is_op(","):
                self.advance()
                args.append(self.operand(keywords))
            self.expect_op(")")
            return Call(token.text, tuple(args))
        return self.path(keywords)

    # conditions
    def condition(self) -> Condition:
        left = self.conjunction()
        while self.is_keyword("OR"):
            self.advance()
            left = Logical("OR", (left, self.conjunction()))
        return left

    def conjunction(self) -> Condition:
        left = self.negation()
        while self.is_keyword("AND"):
            self.advance()
            left = Logical("AND", (left, self.negation()))
        return left

    def negation(self) -> Condition:
        if self.is_keyword("NOT"):
            self.advance()
            return Logical("NOT", (self.negation(),))
        return self.primary()

    def primary(self) -> Condition:
        if self.is_op("("):
            start = self.pos
            try:
                self.advance()
                inner_start = self.pos
                inner = self.condition()
                self.expect_op(")")
                following = self.peek()
                if not (
                    (following.kind == "op" and following.text in COMPARATORS)
                    or self.is_keyword("BETWEEN")
                    or self.is_keyword("IN")
                ):
                    if self._is_wrapped(inner_start, self.pos - 1):
                        self.redundant = True
                    return inner
            except _Fail:
                pass
            self.pos = start
        return self.comparison()

    def _is_wrapped(self, start: int, end: int) -> bool:
        """Whether tokens ``start..end`` (exclusive) are one parenthesized group."""
        tokens = self.tokens
        if end - start < 2 or tokens[start].text != "(" or tokens[end - 1].text != ")":
            return False
        depth = 0
        for index in range(start, end):
            token = tokens[index]
            if token.kind == "op" and token.text == "(":
                depth += 1
            elif token.kind == "op" and token.text == ")":
                depth -= 1
                if depth == 0 and index != end - 1:
                    return False
        return True

    def comparison(self) -> Condition:
        left = self.operand(CONDITION_KEYWORDS)
        token = self.peek()
        if token.kind == "op" and token.text in COMPARATORS:
            self.advance()
            return Compare(token.text, left, self.operand(CONDITION_KEYWORDS))
        if self.is_keyword("BETWEEN"):
            self.advance()
            low = self.operand(CONDITION_KEYWORDS)
            if not self.is_keyword("AND"):
                raise self.fail()
            self.advance()
            return Between(left, low, self.operand(CONDITION_KEYWORDS))
        if self.is_keyword("IN"):
            self.advance()
            self.expect_op("(")
            options = [self.operand(CONDITION_KEYWORDS)]
            while self.is_op(","):
                self.advance()
                options.append(self.operand(CONDITION_KEYWORDS))
            self.expect_op(")")
            return In(left, tuple(options))
        if isinstance(left, Call):
            return FunctionCondition(left)
        raise self.fail()

    # update
    def update(self) -> ParsedUpdate:
        actions: list[Action] = []
        seen: set[str] = set()
        repeated: str | None = None
        keywords = frozenset(SECTIONS)
        if self.peek().kind == "eof":
            raise self.fail()
        while self.peek().kind != "eof":
            token = self.peek()
            section = token.text.upper() if token.kind == "ident" else ""
            if section not in SECTIONS:
                raise self.fail()
            self.advance()
            if section in seen and repeated is None:
                repeated = section
            seen.add(section)
            while True:
                actions.append(self.action(section, keywords))
                if not self.is_op(","):
                    break
                self.advance()
        return ParsedUpdate(tuple(actions), repeated)

    def action(self, section: str, keywords: frozenset[str]) -> Action:
        target = self.path(keywords)
        if section == "REMOVE":
            return Action(section, target)
        if section in ("ADD", "DELETE"):
            token = self.peek()
            if token.kind != "value":
                raise self.fail()
            self.advance()
            return Action(section, target, Value(token.text))
        self.expect_op("=")
        return Action(section, target, self.set_value(keywords))

    def set_value(self, keywords: frozenset[str]) -> Operand:
        if self.is_op("("):
            start = self.pos
            try:
                self.advance()
                inner = self.set_value(keywords)
                self.expect_op(")")
                if not (self.is_op("+") or self.is_op("-")):
                    return inner
            except _Fail:
                pass
            self.pos = start
        left = self.operand(keywords)
        if self.is_op("+") or self.is_op("-"):
            op = self.advance().text
            return Call(op, (left, self.operand(keywords)))
        return left

    # projection
    def projection(self) -> ParsedProjection:
        paths = [self.path(frozenset())]
        while self.is_op(","):
            self.advance()
            paths.append(self.path(frozenset()))
        return ParsedProjection(tuple(paths))

    def finish(self) -> None:
        if self.peek().kind != "eof":
            raise self.fail()


def _run(source: str, kind: str) -> ParsedCondition | ParsedUpdate | ParsedProjection:
    parser = _Parser(source)
    try:
        result: ParsedCondition | ParsedUpdate | ParsedProjection
        if kind == "update":
            result = parser.update()
        elif kind == "projection":
            result = parser.projection()
        else:
            root = parser.condition()
            parser.finish()
            return ParsedCondition(root, parser.redundant)
        parser.finish()
        return result
    except _Fail:
        raise parser.syntax_error() from None
    except RecursionError:
        # Only parentheses nest this deep within 4 KB and 300 operators (both checked
        # before parsing): balanced, some of them are redundant; unbalanced, a syntax error.
        if source.count("(") == source.count(")"):
            raise ExpressionSyntaxError(msg.REDUNDANT_PARENS) from None
        raise ExpressionSyntaxError(msg.SYNTAX.format(token="<EOF>", near=source[-2:])) from None


@lru_cache(maxsize=2048)
def _cached(source: str, kind: str) -> ParsedCondition | ParsedUpdate | ParsedProjection | str:
    try:
        return _run(source, kind)
    except ExpressionSyntaxError as error:
        return error.message


def parse(source: str, kind: str) -> ParsedCondition | ParsedUpdate | ParsedProjection:
    """Parse an expression (cached by text).

    Args:
        source: The expression text.
        kind: ``"condition"``, ``"update"`` or ``"projection"``.

    Raises:
        ExpressionSyntaxError: It does not parse (or is empty).
    """
    if source == "":
        raise ExpressionSyntaxError(msg.EMPTY_EXPRESSION)
    result = _cached(source, kind)
    if isinstance(result, str):
        raise ExpressionSyntaxError(result)
    return result


def parse_condition(source: str) -> ParsedCondition:
    """Parse a condition, filter or key condition expression."""
    result = parse(source, "condition")
    assert isinstance(result, ParsedCondition)
    return result


def parse_update(source: str) -> ParsedUpdate:
    """Parse an update expression."""
    result = parse(source, "update")
    assert isinstance(result, ParsedUpdate)
    return result


def parse_projection(source: str) -> ParsedProjection:
    """Parse a projection expression."""
    result = parse(source, "projection")
    assert isinstance(result, ParsedProjection)
    return result


__all__ = ["parse", "parse_condition", "parse_projection", "parse_update"]
