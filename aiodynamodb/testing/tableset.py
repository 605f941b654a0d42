"""The tables a test declares: one per name, and a clear error when one is missing.

Single-table design puts several models on one table (``Customer`` and ``Invoice`` both on
``app``, same keys). :func:`table_models` turns the models a test names into one model per
table, after checking that models sharing a table agree on everything ``CreateTable`` and
``UpdateTimeToLive`` would set; the mock, every backend of the pytest plugin and its
collection-time marker check all call it, so they agree on what a conflict is.

:class:`MissingTableHint` is an interceptor that keeps DynamoDB's
``ResourceNotFoundException`` (code and class) but says which table the test did not
declare and how to declare it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from aiodynamodb.codec import create_table_params
from aiodynamodb.errors import ModelDefinitionError
from aiodynamodb.model import DynamoModel, check_kinds, table_meta
from aiodynamodb.testing.intercept import ChainMember, DynamoCall, DynamoResponse, SyncProceed

__all__ = [
    "HINT_PRIORITY",
    "MISSING_TABLE_MESSAGE",
    "TABLE_CONFLICT_MESSAGE",
    "MissingTableHint",
    "TableConflictError",
    "table_models",
]

TABLE_CONFLICT_MESSAGE = (
    "{first} and {second} both use table {table!r} but disagree on its {differences}. "
    "Models that share a table (single-table design) must declare the same keys, key "
    "types, indexes, billing mode, tags, TTL attribute and stream: make the declarations match, "
    "or give the models different table names."
)
"""The message of :class:`TableConflictError`."""

MISSING_TABLE_MESSAGE = (
    "{message}: table {table!r} was not created for this test. Add its model to "
    "@pytest.mark.dynamodb_tables(...) on the test, its class or its module (or return it "
    "from the pytest_aiodynamodb_default_models hook)."
)
"""The message :class:`MissingTableHint` gives a ``ResourceNotFoundException``."""

HINT_PRIORITY = 500
""":class:`MissingTableHint`'s place in the chain: after injected faults (which may mean to
raise ``ResourceNotFoundException`` as is), before the strict layer (whose answers it sees)."""

# What each CreateTable member is called in the error, in the order differences are listed.
_ASPECTS = {
    "KeySchema": "keys",
    "AttributeDefinitions": "key attribute types",
    "BillingMode": "billing mode",
    "ProvisionedThroughput": "provisioned throughput",
    "GlobalSecondaryIndexes": "global secondary indexes",
    "LocalSecondaryIndexes": "local secondary indexes",
    "Tags": "tags",
    "TimeToLive": "TTL attribute",
    "StreamSpecification": "stream view",
}
_SORT_KEYS = {
    "AttributeDefinitions": "AttributeName",
    "GlobalSecondaryIndexes": "IndexName",
    "LocalSecondaryIndexes": "IndexName",
    "Tags": "Key",
}


class TableConflictError(ModelDefinitionError):
    """Two models name the same table but declare different schemas for it."""


def _schema(model: type[DynamoModel]) -> dict[str, Any]:
    params = create_table_params(model)
    del params["TableName"]
    for member, key in _SORT_KEYS.items():
        if member in params:  # declaration order is not part of the schema
            params[member] = sorted(params[member], key=lambda entry: str(entry[key]))
    params["TimeToLive"] = table_meta(model).ttl_attribute
    return params


def _name(model: type[DynamoModel]) -> str:
    return f"{model.__module__}.{model.__qualname__}"


def table_models(models: Iterable[type[DynamoModel]]) -> list[type[DynamoModel]]:
    """One model per table: the first of ``models`` for each table name, in order.

    Models that share a table must agree on its schema (keys and their types, indexes,
    billing mode and throughput, tags, TTL attribute) and on its discriminator, each with a
    value of its own; then the table is created once, from the first of them.

    Args:
        models: ``@table`` model classes (repeats are fine).

    Returns:
        The first model of each distinct table name.

    Raises:
        TableConflictError: Two models share a table name but not its schema or its
            discriminator; the message names both models and every difference.
        TypeError: An argument is not a ``@table`` model class.
    """
    # Schemas are built only for a name seen twice: the plugin calls this for every test.
    chosen: dict[str, type[DynamoModel]] = {}
    shared: dict[str, list[type[DynamoModel]]] = {}
    for model in models:
        name = table_meta(model).name
        first = chosen.setdefault(name, model)
        if model is first:
            continue
        shared.setdefault(name, [first]).append(model)
        schema, other = _schema(first), _schema(model)
        differences = [
            f"{label} ({_name(first)}: {schema.get(member)!r}; "
            f"{_name(model)}: {other.get(member)!r})"
            for member, label in _ASPECTS.items()
            if schema.get(member) != other.get(member)
        ]
        if differences:
            raise TableConflictError(
                TABLE_CONFLICT_MESSAGE.format(
                    first=_name(first),
                    second=_name(model),
                    table=name,
                    differences=", ".join(differences),
                )
            )
    for group in shared.values():
        try:
            check_kinds(group)  # the one agreement rule the client's reads also apply
        except ModelDefinitionError as error:
            raise TableConflictError(str(error)) from None
    return list(chosen.values())


class MissingTableHint(ChainMember):
    """Says which undeclared table a ``ResourceNotFoundException`` is about.

    The error keeps its code (botocore raises the same class, so ``except`` clauses and
    ``pytest.raises`` still match); only its message gains the table's name and the marker
    that creates it, when the request names a table outside ``known()``.

    Args:
        known: Returns the names (prefix included) of the tables the test declared, or
            None when no test is running (errors then pass unchanged), so one hint can
            stay in the chain from test to test.
    """

    priority = HINT_PRIORITY

    def __init__(self, known: Callable[[], Iterable[str] | None]) -> None:
        self._known = known

    def __call__(self, call: DynamoCall, proceed: SyncProceed) -> DynamoResponse:
        """Pass ``call`` on; reword a ``ResourceNotFoundException`` about an undeclared table."""
        response = proceed()
        if response.error_code != "ResourceNotFoundException":
            return response
        declared = self._known()
        if declared is None:
            return response
        known = set(declared)
        missing = [table for table in call.tables if table not in known]
        if missing:
            body = dict(response.body)
            member = "Message" if "Message" in body and "message" not in body else "message"
            body[member] = MISSING_TABLE_MESSAGE.format(
                message=response.error_message or "Requested resource not found",
                table=missing[0],
            )
            response.body = body
        return response
