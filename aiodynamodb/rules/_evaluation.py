"""DynamoDB's evaluation of conditions and filters, over stored items.

moto evaluates ``ConditionExpression`` and ``FilterExpression`` with Python operators on its
own values, so a comparison between different types raises ``TypeError``, ``size()`` of a
missing attribute or a number raises ``ValueError``, and ``begins_with``/``contains`` never
match binary values. DynamoDB's rules (API reference, "Comparison operator and function
reference"; ScyllaDB Alternator's ``test_condition_expression.py``/``test_filter_expression.py``,
which run against DynamoDB):

- a comparison (``<``, ``<=``, ``>``, ``>=``, ``BETWEEN``) is true only between two values of
  the same type among S, N and B (strings and binaries by their bytes); anything else is false;
- ``=`` is true only for two values of the same type and value; ``<>`` is its negation, so a
  missing attribute is "not equal" to everything;
- ``size()`` of a missing attribute, a number, a boolean or a null has no value: comparisons
  with it are false (as with a missing attribute);
- ``begins_with`` works on S and B; ``contains`` on S (substring), B (bytes), sets (member of
  the set's type) and lists (an equal element); every other pairing is false.

The trees come from the rules' parser (already checked against the request by the rules), so
this module only evaluates. Items are mappings of attribute name to AttributeValue in any of
the forms the in-memory backend holds: DynamoDB JSON (binary in base64, as on the wire), the
same with ``bytes``, or moto's ``DynamoType`` objects (``.type``/``.value``).

Legacy conditions (``Expected``, ``QueryFilter``, ``ScanFilter``) are rewritten as
expressions by :func:`legacy_expression`, so one evaluator answers both. The in-memory
backend evaluates with it (``aiodynamodb.testing._fidelity_conditions``).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from aiodynamodb.rules._grammar import parse_condition
from aiodynamodb.rules._syntax import (
    Between,
    Call,
    Compare,
    Condition,
    FunctionCondition,
    In,
    Logical,
    Operand,
    Path,
    Value,
)

__all__ = ["ConditionEvaluator", "legacy_expression"]

_ORDERED = frozenset({"S", "N", "B"})


def _typed(node: Any) -> tuple[str, Any] | None:
    """``(type, raw value)`` of an AttributeValue in any held form; None if it is none."""
    if node is None:
        return None
    kind = getattr(node, "type", None)
    if isinstance(kind, str) and hasattr(node, "value"):
        return kind, node.value
    if isinstance(node, Mapping) and len(node) == 1:
        ((kind, value),) = node.items()
        return str(kind), value
    return None


def _bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        return str(value).encode()


def _number(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _native(typed: tuple[str, Any]) -> tuple[str, Any]:
    """A value in a form Python compares as DynamoDB does (numbers by value, binaries by
    bytes, sets unordered, lists and maps deeply)."""
    kind, value = typed
    if kind == "N":
        return kind, _number(value)
    if kind == "B":
        return kind, _bytes(value)
    if kind == "NS":
        return kind, frozenset(_number(v) for v in value)
    if kind == "BS":
        return kind, frozenset(_bytes(v) for v in value)
    if kind == "SS":
        return kind, frozenset(value)
    if kind == "L":
        return kind, tuple(_native(t) for t in map(_typed, value) if t is not None)
    if kind == "M":
        members = {}
        for name, member in value.items():
            typed_member = _typed(member)
            if typed_member is not None:
                members[name] = _native(typed_member)
        return kind, tuple(sorted(members.items()))
    if kind == "NULL":
        return kind, True
    return kind, value


def _size(typed: tuple[str, Any] | None) -> tuple[str, Any] | None:
    if typed is None:
        return None
    kind, value = typed
    if kind == "S":
        return "N", Decimal(len(str(value).encode()))
    if kind == "B":
        return "N", Decimal(len(_bytes(value)))
    if kind in ("SS", "NS", "BS", "L", "M"):
        return "N", Decimal(len(value))
    return None  # N, BOOL, NULL: size() has no value, like a missing attribute


def _equal(left: tuple[str, Any] | None, right: tuple[str, Any] | None) -> bool:
    if left is None or right is None or left[0] != right[0]:
        return False
    return _native(left) == _native(right)


def _order(left: tuple[str, Any] | None, right: tuple[str, Any] | None) -> int | None:
    """-1, 0 or 1 for two values of one orderable type; None when they do not compare."""
    if left is None or right is None or left[0] != right[0] or left[0] not in _ORDERED:
        return None
    a, b = _native(left)[1], _native(right)[1]
    if a is None or b is None:
        return None
    return int(a > b) - int(a < b)


_COMPARE = {
    "<": lambda order: order < 0,
    "<=": lambda order: order <= 0,
    ">": lambda order: order > 0,
    ">=": lambda order: order >= 0,
}


def _begins_with(subject: tuple[str, Any] | None, prefix: tuple[str, Any] | None) -> bool:
    if subject is None or prefix is None or subject[0] != prefix[0]:
        return False
    if subject[0] == "S":
        return str(subject[1]).startswith(str(prefix[1]))
    if subject[0] == "B":
        return _bytes(subject[1]).startswith(_bytes(prefix[1]))
    return False


def _contains(subject: tuple[str, Any] | None, operand: tuple[str, Any] | None) -> bool:
    if subject is None or operand is None:
        return False
    kind, value = subject
    if kind == "S":
        return operand[0] == "S" and str(operand[1]) in str(value)
    if kind == "B":
        return operand[0] == "B" and _bytes(operand[1]) in _bytes(value)
    if kind in ("SS", "NS", "BS"):
        if operand[0] != kind[0]:
            return False
        member = _native(operand)[1]
        return member in _native(subject)[1]
    if kind == "L":
        wanted = _native(operand)
        return any(_native(t) == wanted for t in map(_typed, value) if t is not None)
    return False


class ConditionEvaluator:
    """A parsed condition with its placeholders, evaluated against items.

    Args:
        expression: The condition or filter expression (already checked by the rules).
        names: ``ExpressionAttributeNames``.
        values: ``ExpressionAttributeValues``.
    """

    def __init__(
        self,
        expression: str,
        names: Mapping[str, str] | None,
        values: Mapping[str, Any] | None,
    ) -> None:
        self.root: Condition = parse_condition(expression).root
        self.names = names or {}
        self.values = values or {}

    def matches(self, item: Mapping[str, Any] | None) -> bool:
        """Whether the condition holds for ``item`` (None: there is no item)."""
        return self._condition(self.root, item or {})

    # -- Conditions --------------------------------------------------------------------------

    def _condition(self, node: Condition, item: Mapping[str, Any]) -> bool:
        if isinstance(node, Logical):
            if node.op == "NOT":
                return not self._condition(node.operands[0], item)
            if node.op == "AND":
                return all(self._condition(operand, item) for operand in node.operands)
            return any(self._condition(operand, item) for operand in node.operands)
        if isinstance(node, Compare):
            left, right = self._operand(node.left, item), self._operand(node.right, item)
            if node.op == "=":
                return _equal(left, right)
            if node.op == "<>":
                return not _equal(left, right)
            order = _order(left, right)
            return order is not None and bool(_COMPARE[node.op](order))
        if isinstance(node, Between):
            subject = self._operand(node.subject, item)
            low = _order(self._operand(node.low, item), subject)
            high = _order(subject, self._operand(node.high, item))
            return low is not None and high is not None and low <= 0 and high <= 0
        if isinstance(node, In):
            subject = self._operand(node.subject, item)
            return any(_equal(subject, self._operand(option, item)) for option in node.options)
        if isinstance(node, FunctionCondition):
            return self._function(node.call, item)
        return False

    def _function(self, call: Call, item: Mapping[str, Any]) -> bool:
        name, args = call.name, call.args
        if name == "attribute_exists":
            return self._operand(args[0], item) is not None
        if name == "attribute_not_exists":
            return self._operand(args[0], item) is None
        if name == "attribute_type":
            found = self._operand(args[0], item)
            wanted = self._operand(args[1], item)
            return found is not None and wanted is not None and found[0] == wanted[1]
        if name == "begins_with":
            return _begins_with(self._operand(args[0], item), self._operand(args[1], item))
        if name == "contains":
            return _contains(self._operand(args[0], item), self._operand(args[1], item))
        return False

    # -- Operands ----------------------------------------------------------------------------

    def _operand(self, operand: Operand, item: Mapping[str, Any]) -> tuple[str, Any] | None:
        if isinstance(operand, Value):
            return _typed(self.values.get(operand.name))
        if isinstance(operand, Path):
            return self._path(operand, item)
        if operand.name == "size" and len(operand.args) == 1:
            return _size(self._operand(operand.args[0], item))
        return None

    def _path(self, path: Path, item: Mapping[str, Any]) -> tuple[str, Any] | None:
        current: tuple[str, Any] | None = None
        for position, (kind, element) in enumerate(path.elements):
            if kind == "idx":
                if current is None or current[0] != "L":
                    return None
                members = current[1]
                index = int(element)
                if index >= len(members):
                    return None
                current = _typed(members[index])
                continue
            name = self.names.get(str(element), str(element)) if kind == "ph" else str(element)
            if position == 0:
                current = _typed(item.get(name))
            elif current is None or current[0] != "M" or name not in current[1]:
                return None
            else:
                current = _typed(current[1][name])
            if current is None:
                return None
        return current


# -- Legacy conditions ----------------------------------------------------------------------

_LEGACY_COMPARATORS = {"EQ": "=", "NE": "<>", "LE": "<=", "LT": "<", "GE": ">=", "GT": ">"}


def legacy_expression(
    conditions: Mapping[str, Any], operator: str | None, prefix: str
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """A legacy ``Expected``/``QueryFilter``/``ScanFilter`` map as an expression.

    DynamoDB documents each legacy form as the expression it stands for (Developer Guide,
    "Legacy conditional parameters"): ``Exists: false`` is ``attribute_not_exists``, a
    ``Value`` alone is ``=``, ``NOT_NULL``/``NULL`` are ``attribute_exists``/
    ``attribute_not_exists``, ``NOT_CONTAINS`` is ``NOT contains`` (true on a missing
    attribute is *not* what the legacy form means: it needs the attribute, so the rewrite
    asks for it), the rest map one to one; ``ConditionalOperator`` joins them.

    Args:
        conditions: The legacy map (checked by the rules: operators, value counts).
        operator: ``ConditionalOperator`` (``AND`` when None).
        prefix: Placeholder prefix, so the names cannot clash with the request's own.

    Returns:
        The expression, its ``ExpressionAttributeNames`` and ``ExpressionAttributeValues``.
    """
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    parts: list[str] = []
    for position, (attribute, condition) in enumerate(conditions.items()):
        name = f"#{prefix}{position}"
        names[name] = attribute

        def value(av: Any, _position: int = position) -> str:
            key = f":{prefix}{_position}_{len(values)}"
            values[key] = av
            return key

        operator_name = condition.get("ComparisonOperator")
        arguments = list(condition.get("AttributeValueList") or ())
        if operator_name is None:
            if condition.get("Exists", True) is False:
                parts.append(f"attribute_not_exists({name})")
            else:
                parts.append(f"{name} = {value(condition.get('Value'))}")
            continue
        if condition.get("Value") is not None and not arguments:
            arguments = [condition["Value"]]
        if operator_name in _LEGACY_COMPARATORS:
            parts.append(f"{name} {_LEGACY_COMPARATORS[operator_name]} {value(arguments[0])}")
        elif operator_name == "NOT_NULL":
            parts.append(f"attribute_exists({name})")
        elif operator_name == "NULL":
            parts.append(f"attribute_not_exists({name})")
        elif operator_name == "CONTAINS":
            parts.append(f"contains({name}, {value(arguments[0])})")
        elif operator_name == "NOT_CONTAINS":
            parts.append(
                f"(attribute_exists({name}) AND NOT contains({name}, {value(arguments[0])}))"
            )
        elif operator_name == "BEGINS_WITH":
            parts.append(f"begins_with({name}, {value(arguments[0])})")
        elif operator_name == "IN":
            options = ", ".join(value(argument) for argument in arguments)
            parts.append(f"{name} IN ({options})")
        elif operator_name == "BETWEEN":
            parts.append(f"{name} BETWEEN {value(arguments[0])} AND {value(arguments[1])}")
    joiner = " OR " if operator == "OR" else " AND "
    return joiner.join(parts), names, values
