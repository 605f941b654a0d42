"""One request being checked: its parameters, wording style and table schemas."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aiodynamodb.limits import MAX_ITEM_SIZE
from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._attribute_values import attributes_facts, value_problem
from aiodynamodb.rules._expression_checks import Placeholders
from aiodynamodb.rules._key_schema import TableSchema, constraint, constraint_problem
from aiodynamodb.rules._problems import Problem
from aiodynamodb.rules._sizes import item_size

Describe = Callable[[str], "dict[str, Any] | None"]

# DynamoDB validates attribute values in one of two layers depending on the operation, and
# the layers word a bad number or a duplicate set member differently. PutItem, UpdateItem
# and DeleteItem also wrap request-validation messages in "1 validation error detected: ".
_ENVELOPED = frozenset({"PutItem", "UpdateItem", "DeleteItem"})
_OLDER = frozenset({"BatchWriteItem", "TransactWriteItems", "TransactGetItems", "Scan"})

_NAME_KEY = "#"
_VALUE_KEY = ":"


def _placeholder_ok(key: Any, prefix: str) -> bool:
    return (
        isinstance(key, str)
        and len(key) > 1
        and key[0] == prefix
        and all(c.isascii() and (c.isalnum() or c == "_") for c in key[1:])
    )


class Request:
    """The request under check.

    Args:
        operation: The DynamoDB operation name.
        params: The request parameters.
        describe: Returns a table's description, or None when unknown.
    """

    def __init__(self, operation: str, params: Mapping[str, Any], describe: Describe) -> None:
        self.operation = operation
        self.params = params
        self.describe = describe
        self.envelope = operation in _ENVELOPED
        self.older = operation in _OLDER
        self._schemas: dict[str, TableSchema | None] = {}

    def schema(self, table: Any) -> TableSchema | None:
        """The schema of a table, or None when its description is unknown."""
        if not isinstance(table, str):
            return None
        if table not in self._schemas:
            name = table.rsplit("/", 1)[-1] if table.startswith("arn:") else table
            description = self.describe(name)
            self._schemas[table] = TableSchema(description) if description is not None else None
        return self._schemas[table]

    def check_values(self, attributes: Any) -> None:
        """Check every AttributeValue of an item or key (request validation)."""
        if not isinstance(attributes, Mapping):
            return
        for av in attributes.values():
            problem = value_problem(av, self.older)
            if problem is not None:
                raise Problem(problem, envelope=True)

    def check_item_values(self, item: Any) -> int | None:
        """Check every AttributeValue of an item, as :meth:`check_values` does, and return
        its size for :meth:`check_item_size` (None when it is not a map), from one walk."""
        if not isinstance(item, Mapping):
            return None
        facts = attributes_facts(item, self.older)
        if isinstance(facts, str):
            raise Problem(facts, envelope=True)
        return facts

    def check_item_size(
        self, item: Any, message: str = msg.ITEM_TOO_LARGE, size: int | None = None
    ) -> None:
        """Check an item against the 400 KB limit.

        Args:
            item: The item.
            message: DynamoDB's message for this operation's refusal.
            size: The item's size from :meth:`check_item_values`, when known.
        """
        if not isinstance(item, Mapping):
            return
        if size is None or size > MAX_ITEM_SIZE:
            # Over the limit by the walk's count: count again, which also raises for a name
            # or string without a UTF-8 form (the walk counts those as too large).
            size = item_size(item)
        if size > MAX_ITEM_SIZE:
            raise Problem(message)

    def check_item(self, item: Any, message: str = msg.ITEM_TOO_LARGE) -> None:
        """:meth:`check_item_values` then :meth:`check_item_size`, from one walk."""
        self.check_item_size(item, message, self.check_item_values(item))

    def check_limit(self, params: Mapping[str, Any]) -> None:
        """``Limit`` must be at least 1."""
        limit = params.get("Limit")
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise constraint_problem([constraint(limit, "limit", msg.VALUE_AT_LEAST.format(n=1))])

    def placeholders(
        self,
        params: Mapping[str, Any],
        expressions: Sequence[str],
        legacy: Sequence[str],
    ) -> Placeholders:
        """Check the expression parameters of a request (or transaction action).

        Mixing expressions with the legacy parameters they replace, placeholders without an
        expression, and malformed placeholder maps are refused here; the expressions
        themselves are checked by the caller.

        Args:
            params: The request (or one action of a transaction).
            expressions: The expression parameters this operation takes.
            legacy: The legacy parameters this operation takes.
        """
        used = [name for name in expressions if params.get(name) is not None]
        if used:
            dropped = legacy
            if params.get("KeyConditions") is not None and "KeyConditionExpression" not in used:
                dropped = [name for name in legacy if name != "KeyConditions"]
            mixed = [name for name in dropped if params.get(name) is not None]
            if mixed:
                raise Problem(
                    msg.MIXED_PARAMETERS.format(
                        legacy=", ".join(mixed), expressions=", ".join(used)
                    ),
                    envelope=True,
                )
        names = params.get("ExpressionAttributeNames")
        values = params.get("ExpressionAttributeValues")
        if names is not None and not used:
            raise Problem(msg.NAMES_WITHOUT_EXPRESSION, envelope=True)
        value_expressions = [name for name in used if name != "ProjectionExpression"]
        if values is not None and not value_expressions:
            raise Problem(msg.VALUES_WITHOUT_EXPRESSION, envelope=True)
        if names is not None:
            if not names:
                raise Problem(msg.NAMES_EMPTY, envelope=True)
            for key in names:
                if not _placeholder_ok(key, _NAME_KEY):
                    raise Problem(msg.NAMES_BAD_KEY.format(key=key), envelope=True)
        if values is not None:
            if not values:
                raise Problem(msg.VALUES_EMPTY, envelope=True)
            for key in values:
                if not _placeholder_ok(key, _VALUE_KEY):
                    raise Problem(msg.VALUES_BAD_KEY.format(key=key), envelope=True)
            for key, av in values.items():
                problem = value_problem(av, self.older)
                if problem is not None:
                    if self.older:
                        problem = msg.EAV_INVALID.format(message=problem, key=key)
                    raise Problem(problem, envelope=True)
        return Placeholders(names, values)


__all__ = ["Describe", "Request"]
