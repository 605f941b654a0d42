"""The in-memory backend's conditions and filters, evaluated as DynamoDB does.

The evaluator is :class:`aiodynamodb.rules.ConditionEvaluator`; this module connects it to
moto (:func:`moto_condition`, installed by the strict layer through
``aiodynamodb.testing._moto.CONDITION_PATCH``) and turns a request's legacy ``Expected``,
``QueryFilter`` or ``ScanFilter`` into the expression it stands for (:func:`rewrite_legacy`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiodynamodb.rules import ConditionEvaluator, legacy_expression

__all__ = ["MotoCondition", "moto_condition", "rewrite_legacy"]


_LEGACY_TARGETS = {
    "PutItem": ("Expected", "ConditionExpression"),
    "DeleteItem": ("Expected", "ConditionExpression"),
    "UpdateItem": ("Expected", "ConditionExpression"),
    "Query": ("QueryFilter", "FilterExpression"),
    "Scan": ("ScanFilter", "FilterExpression"),
}
_LEGACY_PREFIX = "legacy"


def rewrite_legacy(operation: str, params: Mapping[str, Any]) -> dict[str, Any] | None:
    """The request with its legacy condition or filter as an expression; None if it has none.

    moto ignores ``ConditionalOperator``, evaluates ``QueryFilter`` wrongly (an item once per
    condition it meets) and crashes on mismatched types in ``Expected``/``ScanFilter``; as
    expressions, the one evaluator of this module answers them. The rules have refused
    requests that mix the legacy parameters with expressions, so the placeholders added here
    are the request's only ones.
    """
    target = _LEGACY_TARGETS.get(operation)
    if target is None:
        return None
    legacy, expression = target
    conditions = params.get(legacy)
    if not isinstance(conditions, Mapping):
        return None
    rewritten = {k: v for k, v in params.items() if k not in (legacy, "ConditionalOperator")}
    if not conditions:
        return rewritten
    text, names, values = legacy_expression(
        conditions, params.get("ConditionalOperator"), _LEGACY_PREFIX
    )
    rewritten[expression] = text
    rewritten["ExpressionAttributeNames"] = names
    if values:
        rewritten["ExpressionAttributeValues"] = values
    return rewritten


class MotoCondition:
    """What moto's condition parser returns, evaluated by :class:`ConditionEvaluator`.

    moto calls ``.expr(item)`` with its ``Item`` (``.attrs``: name to ``DynamoType``) or None.
    """

    def __init__(self, evaluator: ConditionEvaluator) -> None:
        self.evaluator = evaluator

    def expr(self, item: Any) -> bool:
        """Whether moto's ``item`` (or None) meets the condition."""
        return self.evaluator.matches(None if item is None else item.attrs)


def moto_condition(
    expression: str, names: Mapping[str, str] | None, values: Mapping[str, Any] | None
) -> MotoCondition:
    """The object moto's ``ConditionExpressionParser.parse`` returns, from our evaluator.

    Raises:
        ExpressionSyntaxError: The expression does not parse (moto's own parser then runs).
    """
    return MotoCondition(ConditionEvaluator(expression, names, values))
