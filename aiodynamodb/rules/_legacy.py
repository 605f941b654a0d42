"""Rules of the legacy conditional parameters and ``ReturnValuesOnConditionCheckFailure``.

``Expected``, ``QueryFilter``, ``ScanFilter`` and ``KeyConditions`` take a
``ComparisonOperator`` and an ``AttributeValueList`` per attribute. DynamoDB's rules (API
reference, ``Condition`` and ``ExpectedAttributeValue``; dynalite's ``validations/index.js``
and ScyllaDB Alternator's ``test_expected.py``/``test_query_filter.py``, both checked against
DynamoDB):

- the operator is one of thirteen (enum constraint);
- ``NULL``/``NOT_NULL`` take no value, ``BETWEEN`` two, ``IN`` one or more, the others one;
- several values are of one type; ordering operators take S, N or B, ``BEGINS_WITH`` S or B,
  ``CONTAINS``/``NOT_CONTAINS`` and ``IN`` S, N or B (``EQ``/``NE`` take any type);
- ``Exists`` and ``ComparisonOperator`` do not go together, nor does an
  ``AttributeValueList`` without an operator;
- ``ConditionalOperator`` is ``AND`` or ``OR``;
- ``AttributesToGet`` holds 1 to 255 names, none twice.

A type the operator does not take is refused only when it is in the *request*; a stored value
of another type makes the condition false (see ``aiodynamodb.testing._fidelity_conditions``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._attribute_values import compare_scalars
from aiodynamodb.rules._key_schema import constraint, constraint_problem
from aiodynamodb.rules._problems import Problem

COMPARISON_OPERATORS: Final = (
    "IN",
    "NULL",
    "BETWEEN",
    "LT",
    "NOT_CONTAINS",
    "EQ",
    "GT",
    "NOT_NULL",
    "NE",
    "LE",
    "BEGINS_WITH",
    "GE",
    "CONTAINS",
)
CONDITIONAL_OPERATORS: Final = ("OR", "AND")
RETURN_VALUES_ON_FAILURE: Final = ("ALL_OLD", "NONE")
MAX_ATTRIBUTES_TO_GET: Final = 255

EXISTS_WITH_OPERATOR: Final = (
    msg.INVALID + "Exists and ComparisonOperator cannot be used together for Attribute: {name}"
)
LIST_WITHOUT_OPERATOR: Final = (
    msg.INVALID
    + "AttributeValueList can only be used with a ComparisonOperator for Attribute: {name}"
)
MIXED_TYPES: Final = msg.INVALID + "AttributeValues inside AttributeValueList must be of same type"
OPERATOR_TYPE: Final = (
    msg.INVALID + "ComparisonOperator {operator} is not valid for {type} AttributeValue type"
)
OPERATOR_WITHOUT_EXPECTED: Final = (
    msg.INVALID + "ConditionalOperator can only be used together with a non-empty Expected"
)
"""Our wording (DynamoDB's exact text is not published) for a write's ``ConditionalOperator``
without ``Expected``."""
DUPLICATE_ATTRIBUTE_TO_GET: Final = msg.INVALID + "Duplicate value in attribute name: {name}"

_SCALARS = ("S", "N", "B")
_TYPES: dict[str, tuple[str, ...]] = {
    "LE": _SCALARS,
    "LT": _SCALARS,
    "GE": _SCALARS,
    "GT": _SCALARS,
    "BETWEEN": _SCALARS,
    "CONTAINS": _SCALARS,
    "NOT_CONTAINS": _SCALARS,
    "IN": _SCALARS,
    "BEGINS_WITH": ("S", "B"),
}


def _arity_ok(operator: str, count: int) -> bool:
    if operator in ("NULL", "NOT_NULL"):
        return count == 0
    if operator == "BETWEEN":
        return count == 2
    if operator == "IN":
        return count >= 1
    return count == 1


def _type_of(av: Any) -> str | None:
    return next(iter(av)) if isinstance(av, Mapping) and len(av) == 1 else None


def check_operator(operator: Any, values: list[Any], path: str) -> None:
    """Check one ``ComparisonOperator`` with its values.

    Args:
        operator: The operator.
        values: Its ``AttributeValueList`` (or ``Value``).
        path: Where it sits in the request, for an enum constraint message
            (``queryFilter.a.member.comparisonOperator``).
    """
    if operator not in COMPARISON_OPERATORS:
        shown = operator if isinstance(operator, str) or operator is None else str(operator)
        raise constraint_problem(
            [constraint(shown, path, msg.ENUM.format(values=", ".join(COMPARISON_OPERATORS)))]
        )
    if not _arity_ok(operator, len(values)):
        raise Problem(msg.LEGACY_ARGUMENT_COUNT.format(operator=operator))
    types = [_type_of(av) for av in values]
    if len(set(types)) > 1:
        raise Problem(MIXED_TYPES)
    allowed = _TYPES.get(operator)
    if allowed is not None:
        for kind in types:
            if kind is not None and kind not in allowed:
                raise Problem(OPERATOR_TYPE.format(operator=operator, type=kind))
    if operator == "BETWEEN":
        order = compare_scalars(values[0], values[1])
        if order is not None and order > 0:
            raise Problem(msg.LEGACY_BETWEEN_ORDER)


def check_filter_conditions(conditions: Any, parameter: str) -> None:
    """Check a ``QueryFilter``, ``ScanFilter`` or ``KeyConditions`` map."""
    if not isinstance(conditions, Mapping):
        return
    field = parameter[0].lower() + parameter[1:]
    for name, condition in conditions.items():
        if not isinstance(condition, Mapping):
            continue
        operator = condition.get("ComparisonOperator")
        if operator is None:
            raise constraint_problem(
                [
                    constraint(
                        None, f"{field}.{name}.member.comparisonOperator", "Member must not be null"
                    )
                ]
            )
        values = list(condition.get("AttributeValueList") or ())
        check_operator(operator, values, f"{field}.{name}.member.comparisonOperator")


def check_expected_operators(expected: Any) -> None:
    """Check the ``ComparisonOperator`` forms of an ``Expected`` map (the ``Exists``/``Value``
    forms are checked by ``_items.check_expected``)."""
    if not isinstance(expected, Mapping):
        return
    for name, condition in expected.items():
        if not isinstance(condition, Mapping):
            continue
        operator = condition.get("ComparisonOperator")
        if operator is None:
            if "AttributeValueList" in condition:
                raise Problem(LIST_WITHOUT_OPERATOR.format(name=name), envelope=True)
            continue
        if "Exists" in condition:
            raise Problem(EXISTS_WITH_OPERATOR.format(name=name), envelope=True)
        values = list(condition.get("AttributeValueList") or ())
        if not values and condition.get("Value") is not None:
            values = [condition["Value"]]
        check_operator(operator, values, f"expected.{name}.member.comparisonOperator")


def check_conditional_operator(params: Mapping[str, Any]) -> None:
    """``ConditionalOperator`` is AND or OR."""
    operator = params.get("ConditionalOperator")
    if operator is not None and operator not in CONDITIONAL_OPERATORS:
        raise constraint_problem(
            [
                constraint(
                    operator,
                    "conditionalOperator",
                    msg.ENUM.format(values=", ".join(CONDITIONAL_OPERATORS)),
                )
            ]
        )


def check_operator_has_expected(params: Mapping[str, Any]) -> None:
    """A write's ``ConditionalOperator`` needs a non-empty ``Expected`` (Alternator's
    ``test_expected.py``, run against DynamoDB: refused without one, or with an empty one)."""
    if params.get("ConditionalOperator") is not None and not params.get("Expected"):
        raise Problem(OPERATOR_WITHOUT_EXPECTED)


def check_attributes_to_get(names: Any, path: str = "attributesToGet") -> None:
    """``AttributesToGet``: 1 to 255 names, none twice."""
    if not isinstance(names, list):
        return
    if not names:
        raise constraint_problem([constraint("[]", path, msg.LENGTH_AT_LEAST.format(n=1))])
    if len(names) > MAX_ATTRIBUTES_TO_GET:
        shown = "[" + ", ".join(str(n) for n in names) + "]"
        raise constraint_problem(
            [constraint(shown, path, msg.LENGTH_AT_MOST.format(n=MAX_ATTRIBUTES_TO_GET))]
        )
    seen: set[Any] = set()
    for name in names:
        if name in seen:
            raise Problem(DUPLICATE_ATTRIBUTE_TO_GET.format(name=name))
        seen.add(name)


def check_return_values_on_failure(params: Mapping[str, Any], path: str) -> None:
    """``ReturnValuesOnConditionCheckFailure`` is ALL_OLD or NONE.

    Args:
        params: The request (or one action of a transaction).
        path: Where it sits, for the message (``returnValuesOnConditionCheckFailure``).
    """
    value = params.get("ReturnValuesOnConditionCheckFailure")
    if value is not None and value not in RETURN_VALUES_ON_FAILURE:
        raise constraint_problem(
            [constraint(value, path, msg.ENUM.format(values=", ".join(RETURN_VALUES_ON_FAILURE)))]
        )


__all__ = [
    "COMPARISON_OPERATORS",
    "CONDITIONAL_OPERATORS",
    "DUPLICATE_ATTRIBUTE_TO_GET",
    "EXISTS_WITH_OPERATOR",
    "LIST_WITHOUT_OPERATOR",
    "MIXED_TYPES",
    "OPERATOR_TYPE",
    "OPERATOR_WITHOUT_EXPECTED",
    "RETURN_VALUES_ON_FAILURE",
    "check_attributes_to_get",
    "check_conditional_operator",
    "check_expected_operators",
    "check_filter_conditions",
    "check_operator",
    "check_operator_has_expected",
    "check_return_values_on_failure",
]
