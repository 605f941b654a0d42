"""Checks of parsed expressions against a request's placeholders, in DynamoDB's order.

Each ``check_*`` function returns nothing or raises :class:`~aiodynamodb.rules._problems.Problem`
with DynamoDB's message (``Invalid ConditionExpression: ...``). A :class:`Placeholders`
object tracks which names and values the request's expressions used, so the unused ones
can be reported once every expression is checked.

Longer than 400 lines because the condition, update and projection checks share one
resolver of placeholders and one order of findings, which is DynamoDB's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._attribute_values import compare_scalars, render_value, scalar_type
from aiodynamodb.rules._expression_limits import (
    CONDITION_KINDS,
    in_operands_problem,
    operator_problem,
    size_problem,
)
from aiodynamodb.rules._grammar import parse_condition, parse_projection, parse_update
from aiodynamodb.rules._path_limits import path_depth_problem
from aiodynamodb.rules._problems import Problem
from aiodynamodb.rules._reserved_words import is_reserved
from aiodynamodb.rules._syntax import (
    Between,
    Call,
    Compare,
    Condition,
    ExpressionSyntaxError,
    FunctionCondition,
    In,
    Logical,
    Operand,
    Path,
    Value,
)

CONDITION_FUNCTIONS = {
    "attribute_exists": 1,
    "attribute_not_exists": 1,
    "attribute_type": 2,
    "begins_with": 2,
    "contains": 2,
    "size": 1,
}
UPDATE_FUNCTIONS = {"if_not_exists": 2, "list_append": 2, "+": 2, "-": 2}
TYPE_NAMES = frozenset({"S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"})
ORDERED_TYPES = frozenset({"S", "N", "B"})
UPDATE_TYPE_NAMES = {
    "S": "STRING",
    "N": "NUMBER",
    "B": "BINARY",
    "NULL": "NULL",
    "BOOL": "BOOLEAN",
    "L": "LIST",
    "M": "MAP",
}

ResolvedPath = list[str | int]


class Placeholders:
    """A request's ``ExpressionAttributeNames``/``...Values`` and which of them were used."""

    def __init__(self, names: Mapping[str, str] | None, values: Mapping[str, Any] | None) -> None:
        self.names: Mapping[str, str] = names or {}
        self.values: Mapping[str, Any] = values or {}
        self.used_names: set[str] = set()
        self.used_values: set[str] = set()

    def name(self, placeholder: str) -> str | None:
        """Resolve (and mark used) a ``#name``; None when undefined."""
        resolved = self.names.get(placeholder)
        if resolved is not None:
            self.used_names.add(placeholder)
        return resolved

    def value(self, placeholder: str) -> Any:
        """Resolve (and mark used) a ``:value``; None when undefined."""
        resolved = self.values.get(placeholder)
        if resolved is not None:
            self.used_values.add(placeholder)
        return resolved

    def check_unused(self) -> None:
        """Raise for names or values no expression used."""
        unused = [key for key in self.names if key not in self.used_names]
        if unused:
            raise Problem(msg.UNUSED_NAMES.format(keys=", ".join(unused)), envelope=True)
        unused = [key for key in self.values if key not in self.used_values]
        if unused:
            raise Problem(msg.UNUSED_VALUES.format(keys=", ".join(unused)), envelope=True)


def render_path(path: ResolvedPath) -> str:
    """A resolved path as DynamoDB prints it: ``[a, b, [0]]``."""
    return "[" + ", ".join(f"[{e}]" if isinstance(e, int) else e for e in path) + "]"


class _Findings:
    """First problem of each category, reported in a fixed priority order."""

    def __init__(self, order: tuple[str, ...]) -> None:
        self.order = order
        self.found: dict[str, str] = {}

    def add(self, category: str, message: str) -> None:
        self.found.setdefault(category, message)

    def first(self) -> str | None:
        for category in self.order:
            if category in self.found:
                return self.found[category]
        return None


def _fail(kind: str, message: str) -> Problem:
    return Problem(msg.EXPRESSION.format(kind=kind, message=message), envelope=True)


def _parse(kind: str, text: Any, parser: Callable[[str], Any]) -> Any:
    text = text if isinstance(text, str) else str(text)
    # DynamoDB measures an expression, and counts a condition's operators, before parsing.
    problem = size_problem(text) or (operator_problem(text) if kind in CONDITION_KINDS else None)
    if problem is not None:
        raise _fail(kind, problem)
    try:
        return parser(text)
    except ExpressionSyntaxError as error:
        raise _fail(kind, error.message) from None


def _resolve(
    path: Path,
    holders: Placeholders,
    undefined: _Findings,
    undefined_key: str,
    reserved: _Findings,
) -> ResolvedPath:
    """Resolve a path's placeholders, noting undefined names and bare reserved words."""
    resolved: ResolvedPath = []
    for kind, element in path.elements:
        if kind == "idx":
            resolved.append(element)
            continue
        text = str(element)
        if kind == "ph":
            name = holders.name(text)
            if name is None:
                undefined.add(undefined_key, msg.UNDEFINED_NAME.format(name=text))
                name = text
            resolved.append(name)
        else:
            if is_reserved(text):
                reserved.add("reserved", msg.RESERVED.format(name=text))
            resolved.append(text)
    return resolved


# -- Conditions -----------------------------------------------------------------------------


class ConditionFacts:
    """What a checked condition refers to (used by the key-condition and filter rules)."""

    def __init__(self) -> None:
        self.heads: list[str] = []
        self.nested: list[str] = []


class _ConditionChecker:
    def __init__(self, holders: Placeholders) -> None:
        self.holders = holders
        self.findings = _Findings(("parens", "unknown", "misused", "reserved", "condition"))
        self.facts = ConditionFacts()
        self.local: _Findings | None = None

    # operand helpers
    def operand_type(self, operand: Operand) -> str | None:
        """Type of a value operand (or of ``size()``); None for paths and unknowns."""
        if isinstance(operand, Value):
            return scalar_type(self.holders.values.get(operand.name))
        if isinstance(operand, Call) and operand.name == "size":
            return "N"
        return None

    def resolve_operand(self, operand: Operand) -> Any:
        assert self.local is not None
        if isinstance(operand, Path):
            resolved = _resolve(operand, self.holders, self.local, "undefined", self.findings)
            head = resolved[0]
            if isinstance(head, str):
                self.facts.heads.append(head)
                if len(resolved) > 1:
                    self.facts.nested.append(head)
            return resolved
        if isinstance(operand, Value):
            value = self.holders.value(operand.name)
            if value is None:
                self.local.add("undefined", msg.UNDEFINED_VALUE.format(name=operand.name))
            return value
        self.call(operand, as_operand=True)
        return operand

    def call(self, call: Call, as_operand: bool) -> None:
        assert self.local is not None
        arity = CONDITION_FUNCTIONS.get(call.name)
        if arity is None and call.name in UPDATE_FUNCTIONS:
            # An update function is a known name, misused in a condition (Alternator's
            # test_update_condition_other_funcs, run against DynamoDB: "not allowed").
            self.findings.add("misused", msg.MISUSED_FUNCTION.format(name=call.name))
        elif arity is None:
            self.findings.add("unknown", msg.UNKNOWN_FUNCTION.format(name=call.name))
        if as_operand and call.name != "size" and arity is not None:
            self.findings.add("misused", msg.MISUSED_FUNCTION.format(name=call.name))
        for arg in call.args:
            if isinstance(arg, Call) and arg.name != "size":
                self.findings.add("misused", msg.MISUSED_FUNCTION.format(name=arg.name))
        resolved = [self.resolve_operand(arg) for arg in call.args]
        if arity is None:
            return
        if arity != len(call.args):
            self.local.add("count", msg.OPERAND_COUNT.format(name=call.name, count=len(call.args)))
            return
        self.distinct(call.name, call.args, resolved)
        name = call.name
        if name in ("attribute_exists", "attribute_not_exists"):
            if not isinstance(call.args[0], Path):
                self.local.add("function", msg.NEEDS_PATH.format(name=name))
        elif name == "begins_with":
            for arg in call.args:
                kind = self.operand_type(arg)
                if kind is not None and kind not in ("S", "B"):
                    self.local.add("function", msg.OPERAND_TYPE.format(name=name, type=kind))
                    break
        elif name == "attribute_type":
            kind = self.operand_type(call.args[1])
            if kind != "S":
                shown = kind or "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"
                self.local.add("function", msg.OPERAND_TYPE.format(name=name, type=shown))
            else:
                value = self.holders.values.get(call.args[1].name)  # type: ignore[union-attr]
                if value is not None and value.get("S") not in TYPE_NAMES:
                    self.local.add("function", msg.BAD_TYPE_NAME.format(name=value.get("S")))
        elif name == "size":
            kind = self.operand_type(call.args[0])
            if kind in ("N", "BOOL", "NULL"):
                self.local.add("function", msg.OPERAND_TYPE.format(name=name, type=kind))

    def distinct(self, name: str, operands: Sequence[Operand], resolved: list[Any]) -> None:
        assert self.local is not None
        paths = len(operands) == 2 and all(isinstance(o, Path) for o in operands)
        if paths and resolved[0] == resolved[1]:
            self.local.add(
                "distinct", msg.NOT_DISTINCT.format(name=name, path=render_path(resolved[0]))
            )

    def leaf(self, node: Condition) -> None:
        self.local = _Findings(("undefined", "count", "distinct", "function"))
        if isinstance(node, FunctionCondition):
            if node.call.name == "size":
                self.findings.add("misused", msg.MISUSED_FUNCTION.format(name="size"))
            self.call(node.call, as_operand=False)
        elif isinstance(node, Compare):
            operands = [node.left, node.right]
            resolved = [self.resolve_operand(operand) for operand in operands]
            self.misused(operands)
            self.distinct(node.op, operands, resolved)
            if node.op not in ("=", "<>"):
                self.ordered(node.op, operands)
        elif isinstance(node, Between):
            operands = [node.subject, node.low, node.high]
            resolved = [self.resolve_operand(operand) for operand in operands]
            self.misused(operands)
            if not self.ordered("BETWEEN", operands):
                self.between(resolved[1], resolved[2])
        elif isinstance(node, In):
            operands = [node.subject, *node.options]
            for operand in operands:
                self.resolve_operand(operand)
            self.misused(operands)
        message = self.local.first()
        if message is not None:
            self.findings.add("condition", message)

    def misused(self, operands: list[Operand]) -> None:
        for operand in operands:
            if isinstance(operand, Call) and operand.name != "size":
                self.findings.add("misused", msg.MISUSED_FUNCTION.format(name=operand.name))

    def ordered(self, name: str, operands: list[Operand]) -> bool:
        """Check operands of an ordering operator; True when one has the wrong type."""
        assert self.local is not None
        for operand in operands:
            kind = self.operand_type(operand)
            if kind is not None and kind not in ORDERED_TYPES:
                self.local.add("function", msg.OPERAND_TYPE.format(name=name, type=kind))
                return True
        return False

    def between(self, low: Any, high: Any) -> None:
        assert self.local is not None
        if not isinstance(low, Mapping) or not isinstance(high, Mapping):
            return
        low_type, high_type = scalar_type(low), scalar_type(high)
        if low_type is None or high_type is None:
            return
        shown = {"low": render_value(low), "high": render_value(high)}
        if low_type != high_type:
            self.local.add("function", msg.BETWEEN_TYPES.format(**shown))
            return
        order = compare_scalars(low, high)
        if order is not None and order > 0:
            self.local.add("function", msg.BETWEEN_ORDER.format(**shown))

    def walk(self, node: Condition) -> None:
        if isinstance(node, Logical):
            for operand in node.operands:
                self.walk(operand)
        else:
            self.leaf(node)


def check_condition(
    kind: str, text: Any, holders: Placeholders
) -> tuple[Condition, ConditionFacts]:
    """Check a condition, filter or key condition expression.

    Args:
        kind: ``"ConditionExpression"``, ``"FilterExpression"`` or ``"KeyConditionExpression"``.
        text: The expression.
        holders: The request's placeholders (marks the ones used).

    Returns:
        The parsed tree and the attributes it names.
    """
    parsed = _parse(kind, text, parse_condition)
    too_many = in_operands_problem(parsed.root)
    if too_many is not None:
        raise _fail(kind, too_many)
    checker = _ConditionChecker(holders)
    if parsed.redundant_parens:
        checker.findings.add("parens", msg.REDUNDANT_PARENS)
    checker.walk(parsed.root)
    message = checker.findings.first()
    if message is not None:
        raise _fail(kind, message)
    return parsed.root, checker.facts


# -- Updates --------------------------------------------------------------------------------


class UpdateFacts:
    """What a checked update expression writes."""

    def __init__(self) -> None:
        self.targets: list[tuple[str, ResolvedPath, Any]] = []
        """``(section, path, value)`` per action; the value is the AttributeValue written
        directly (``SET a = :v``) or None."""


def _paths_clash(one: ResolvedPath, two: ResolvedPath) -> str | None:
    for a, b in zip(one, two, strict=False):
        if isinstance(a, int) != isinstance(b, int):
            return msg.PATHS_CONFLICT.format(one=render_path(one), two=render_path(two))
        if a != b:
            return None
    return msg.PATHS_OVERLAP.format(one=render_path(one), two=render_path(two))


def _clashes(paths: list[ResolvedPath], findings: _Findings) -> None:
    for position, path in enumerate(paths):
        for earlier in paths[:position]:
            clash = _paths_clash(earlier, path)
            if clash is not None:
                category = "overlap" if "overlap" in clash else "conflict"
                findings.add(category, clash)
                return


class _UpdateChecker:
    def __init__(self, holders: Placeholders) -> None:
        self.holders = holders
        self.findings = _Findings(
            (
                "reserved",
                "unknown",
                "section",
                "undefined_name",
                "undefined_value",
                "overlap",
                "conflict",
                "operand",
                "function",
            )
        )

    def value_type(self, operand: Operand) -> str | None:
        if isinstance(operand, Value):
            return scalar_type(self.holders.values.get(operand.name))
        if isinstance(operand, Call):
            if operand.name in ("+", "-"):
                return "N"
            if operand.name == "list_append":
                return "L"
        return None

    def operand(self, operand: Operand) -> Any:
        if isinstance(operand, Path):
            return _resolve(operand, self.holders, self.findings, "undefined_name", self.findings)
        if isinstance(operand, Value):
            value = self.holders.value(operand.name)
            if value is None:
                self.findings.add("undefined_value", msg.UNDEFINED_VALUE.format(name=operand.name))
            return value
        arity = UPDATE_FUNCTIONS.get(operand.name)
        if arity is None:
            self.findings.add("unknown", msg.UNKNOWN_FUNCTION.format(name=operand.name))
        for arg in operand.args:
            self.operand(arg)
            if operand.name == "list_append" and isinstance(arg, Call) and arg.name == operand.name:
                # DynamoDB parses list_append(list_append(...), ...) but refuses it
                # (Alternator's test_update_expression_function_nesting, run against it).
                self.findings.add("function", msg.MISUSED_FUNCTION.format(name=arg.name))
        if arity is None:
            return None
        if arity != len(operand.args):
            self.findings.add(
                "function", msg.OPERAND_COUNT.format(name=operand.name, count=len(operand.args))
            )
            return None
        if operand.name == "if_not_exists":
            if not isinstance(operand.args[0], Path):
                self.findings.add("function", msg.NEEDS_PATH.format(name=operand.name))
            return None
        wanted = "L" if operand.name == "list_append" else "N"
        for arg in operand.args:
            kind = self.value_type(arg) if not isinstance(arg, Call) else None
            if kind is not None and kind != wanted:
                self.findings.add("function", msg.OPERAND_TYPE.format(name=operand.name, type=kind))
                break
        return None


def check_update(text: Any, holders: Placeholders) -> UpdateFacts:
    """Check an update expression; returns what it writes."""
    kind = "UpdateExpression"
    parsed = _parse(kind, text, parse_update)
    checker = _UpdateChecker(holders)
    facts = UpdateFacts()
    paths: list[ResolvedPath] = []
    for action in parsed.actions:
        path = _resolve(action.path, holders, checker.findings, "undefined_name", checker.findings)
        paths.append(path)
        written = None
        if action.value is not None:
            value = checker.operand(action.value)
            if action.section in ("ADD", "DELETE"):
                kind_of = scalar_type(value) if isinstance(value, Mapping) else None
                allowed = kind_of == "N" and action.section == "ADD"
                if kind_of in UPDATE_TYPE_NAMES and not allowed:
                    checker.findings.add(
                        "operand",
                        msg.UPDATE_OPERAND_TYPE.format(
                            name=action.section, type=UPDATE_TYPE_NAMES[kind_of]
                        ),
                    )
            if isinstance(action.value, Value) and isinstance(value, Mapping):
                written = value
            elif (
                isinstance(action.value, Call)
                and action.value.name == "if_not_exists"
                and len(action.value.args) == 2
                and isinstance(action.value.args[1], Value)
            ):
                written = holders.values.get(action.value.args[1].name)
        facts.targets.append((action.section, path, written))
    if parsed.repeated_section is not None:
        checker.findings.add("section", msg.SECTION_TWICE.format(section=parsed.repeated_section))
    _clashes(paths, checker.findings)
    message = checker.findings.first()
    if message is not None:
        raise _fail(kind, message)
    return facts


# -- Projections ----------------------------------------------------------------------------


def check_projection(text: Any, holders: Placeholders) -> list[ResolvedPath]:
    """Check a projection expression; returns its resolved paths."""
    kind = "ProjectionExpression"
    parsed = _parse(kind, text, parse_projection)
    findings = _Findings(("reserved", "undefined_name", "overlap", "conflict"))
    paths = [_resolve(path, holders, findings, "undefined_name", findings) for path in parsed.paths]
    _clashes(paths, findings)
    message = findings.first() or path_depth_problem(paths)
    if message is not None:
        raise _fail(kind, message)
    return paths


__all__ = [
    "ConditionFacts",
    "Placeholders",
    "ResolvedPath",
    "UpdateFacts",
    "check_condition",
    "check_projection",
    "check_update",
    "render_path",
]
