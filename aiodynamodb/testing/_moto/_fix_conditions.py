"""moto's condition evaluation replaced by ours while a strict layer is active.

Every condition and filter expression moto evaluates (PutItem, UpdateItem, DeleteItem,
TransactWriteItems, Query and Scan filters) is built by one internal,
``moto.dynamodb.comparisons.ConditionExpressionParser.parse``, whose result moto asks
``.expr(item)``. While installed, ``parse`` returns an object that answers ``.expr`` with
DynamoDB's semantics (:mod:`aiodynamodb.testing._fidelity_conditions`): moto keeps doing
the reads, the writes and the locking, so a conditional write stays atomic for every
client. Reference counted like the strict layer's other moto patches; the contract test
``tests/integration/test_moto_contract.py::test_condition_parser_internal`` names it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aiodynamodb.testing._moto._common import _broken

Factory = Callable[[str, "Mapping[str, str] | None", "Mapping[str, Any] | None"], Any]


class _ConditionPatch:
    def __init__(self) -> None:
        self.depth = 0
        self.original: Any = None

    def enter(self, factory: Factory, enabled: Callable[[], bool]) -> None:
        self.depth += 1
        if self.depth > 1:
            return
        try:
            from moto.dynamodb.comparisons import ConditionExpressionParser
        except ImportError as error:
            raise _broken(
                "moto.dynamodb.comparisons.ConditionExpressionParser", str(error)
            ) from error
        original = ConditionExpressionParser.parse

        def parse(parser: Any) -> Any:
            expression = parser.condition_expression
            if not expression or not enabled():
                return original(parser)
            names = parser.expression_attribute_names
            values = parser.expression_attribute_values
            try:
                condition = factory(expression, names, values)
            except Exception:
                # Not an expression the rules let through (a relaxed or unchecked request):
                # moto's parser gives moto's answer.
                return original(parser)
            # moto's request handlers report names and values no parse marked as found; the
            # strict rules have already refused unused ones, for the whole request.
            parser.expr_attr_names_found = list(names or ())
            parser.expr_attr_values_found = list(values or ())
            return condition

        self.original = original
        ConditionExpressionParser.parse = parse  # type: ignore[method-assign,assignment]

    def exit(self) -> None:
        if self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            from moto.dynamodb.comparisons import ConditionExpressionParser

            ConditionExpressionParser.parse = self.original  # type: ignore[method-assign]
            self.original = None


CONDITION_PATCH = _ConditionPatch()
"""The process-wide patch (entered by each strict layer, removed by the last)."""

__all__ = ["CONDITION_PATCH", "Factory"]
