"""The strict layer's fixes of reads: what moto is sent, and what it answers.

- ``AttributesToGet`` (GetItem, Query, Scan): DynamoDB returns only the named attributes;
  moto returns whole items (it honours the parameter only in BatchGetItem).
- An LSI whose projection is not ``ALL``, asked for attributes it does not project
  (``Select=ALL_ATTRIBUTES``, a ``ProjectionExpression`` or ``AttributesToGet``): DynamoDB
  fetches them from the table ("If any of the requested attributes are not projected into
  the local secondary index, DynamoDB fetches each of these attributes from the parent
  table", API_Query); moto answers with the index's projection only. The strict layer asks
  moto for the index's items without the projection, reads each item from the table, and
  projects it as asked. (A GSI is refused instead: ``rules._read_bounds``.)
- A key condition written value first (``:v = pk``, ``:c < c``, which means ``c > :c``) is
  valid DynamoDB; moto refuses it ("Multiple attribute names used in one condition"), so
  moto is sent the same condition written name first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from aiodynamodb.rules import (
    Placeholders,
    TableSchema,
    check_condition,
    name_first_key_condition,
)
from aiodynamodb.testing._call import DynamoCall, DynamoResponse

_PROJECTING = ("ProjectionExpression", "AttributesToGet", "Select")
_READS = frozenset({"GetItem", "Query", "Scan"})
_NAME = re.compile(r"#[A-Za-z0-9_]+")
_VALUE_FIRST = re.compile(r":[A-Za-z0-9_]+\s*[<>=]")


def _schema(backend: Any, params: Mapping[str, Any]) -> TableSchema | None:
    description = backend.describe(params.get("TableName", ""))
    return None if description is None else TableSchema(description)


def _lsi_fetch(params: Mapping[str, Any], schema: TableSchema | None) -> bool:
    """Whether a Query/Scan reads attributes its LSI does not project."""
    index = params.get("IndexName")
    if schema is None or not isinstance(index, str) or index not in schema.indexes:
        return False
    if schema.indexes[index].is_global:
        return False
    projected = schema.projected(index)
    if projected is None:
        return False
    if params.get("Select") == "ALL_ATTRIBUTES":
        return True
    names = params.get("AttributesToGet")
    if isinstance(names, list) and any(name not in projected for name in names):
        return True
    expression = params.get("ProjectionExpression")
    if isinstance(expression, str):
        from aiodynamodb.rules import projection_paths

        try:
            paths = projection_paths(expression, params.get("ExpressionAttributeNames"))
        except ValueError:
            return False
        return any(path and path[0] not in projected for path in paths)
    return False


def _used_placeholders(params: dict[str, Any]) -> None:
    """Keep only the names and values the remaining expressions use (moto refuses others)."""
    names = params.pop("ExpressionAttributeNames", None)
    values = params.pop("ExpressionAttributeValues", None)
    holders = Placeholders(names, values)
    for kind in ("KeyConditionExpression", "FilterExpression"):
        if params.get(kind) is not None:
            check_condition(kind, params[kind], holders)
    if holders.used_names and names:
        params["ExpressionAttributeNames"] = {k: names[k] for k in holders.used_names}
    if holders.used_values and values:
        params["ExpressionAttributeValues"] = {k: values[k] for k in holders.used_values}


def rewrite_read(call: DynamoCall, backend: Any) -> dict[str, Any] | None:
    """The parameters moto must be sent instead of the request's, or None (send as is)."""
    if call.operation not in ("Query", "Scan"):
        return None
    params = call.params
    rewritten: dict[str, Any] | None = None
    expression = params.get("KeyConditionExpression")
    if isinstance(expression, str) and _VALUE_FIRST.search(expression):
        name_first = name_first_key_condition(expression)
        if name_first is not None:
            rewritten = dict(params, KeyConditionExpression=name_first)
    if params.get("IndexName") is not None and _lsi_fetch(params, _schema(backend, params)):
        rewritten = {k: v for k, v in (rewritten or params).items() if k not in _PROJECTING}
        _used_placeholders(rewritten)
    return rewritten


def _fetch(
    call: DynamoCall, table: str, key: dict[str, Any], params: Mapping[str, Any]
) -> dict[str, Any] | None:
    """One item from the table, with the request's ``ProjectionExpression`` if any."""
    get: dict[str, Any] = {"TableName": table, "Key": key, "ConsistentRead": True}
    expression = params.get("ProjectionExpression")
    if isinstance(expression, str):
        get["ProjectionExpression"] = expression
        names = params.get("ExpressionAttributeNames") or {}
        used = {k: v for k, v in names.items() if k in set(_NAME.findall(expression))}
        if used:
            get["ExpressionAttributeNames"] = used
    request = DynamoCall(
        "GetItem",
        json.dumps(get).encode(),
        region=call.region,
        account=call.account,
        source=call.source,
        terminal=call._terminal,
    )
    response = request.terminal()
    if response.is_error:
        return None
    item = response.body.get("Item")
    return item if isinstance(item, dict) else {}


def _select(item: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """An item with only the ``AttributesToGet`` of the request (if any)."""
    names = params.get("AttributesToGet")
    if isinstance(names, list):
        return {name: item[name] for name in names if name in item}
    return dict(item)


def fix_read(call: DynamoCall, response: DynamoResponse, backend: Any) -> None:
    """Fix a successful GetItem, Query or Scan answer (see the module docstring)."""
    if call.operation not in _READS:
        return
    params = call.params
    if params.get("Select") == "COUNT":
        return
    schema: TableSchema | None = None
    fetch = call.operation != "GetItem" and params.get("IndexName") is not None
    if fetch:
        schema = _schema(backend, params)
        fetch = _lsi_fetch(params, schema)
    if not fetch and not isinstance(params.get("AttributesToGet"), list):
        return
    body = response.body
    if call.operation == "GetItem":
        item = body.get("Item")
        if isinstance(item, dict):
            body["Item"] = _select(item, params)
        response.body = body
        return
    items = body.get("Items")
    if not isinstance(items, list):
        return
    if fetch and schema is not None:
        table = schema.name or params["TableName"]
        fetched = []
        for item in items:
            key = {k: item[k] for k in schema.key_names if k in item}
            full = _fetch(call, table, key, params)
            fetched.append(full if full is not None else item)
        items = fetched
    body["Items"] = [_select(item, params) for item in items]
    response.body = body


__all__ = ["fix_read", "rewrite_read"]
