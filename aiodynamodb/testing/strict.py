"""The strict layer: the in-memory backend answers as DynamoDB does.

moto accepts many requests DynamoDB refuses and answers some differently. The strict layer
is an interceptor (see :mod:`aiodynamodb.testing.intercept`) right before moto that

- refuses a body whose JSON types do not fit the operation (``SerializationException``);
- refuses what DynamoDB refuses, with DynamoDB's error code and message, by running
  :func:`aiodynamodb.rules.check_request` with each table's schema read from moto;
- keeps the state-dependent rules: a batch or transaction naming a missing table writes
  nothing; a second ``UpdateTimeToLive`` within the hour is refused;
- fixes moto's answers: numbers in canonical form (``0010.500`` reads back ``10.5``), a
  ``LastEvaluatedKey`` when ``Limit`` ends exactly on the last item (DynamoDB then returns
  an empty last page), ``ProjectionExpression`` honoured by ``TransactGetItems``.

Switch it off with ``mock_dynamodb(strict=False)`` (or the plugin's option), for a block
with :func:`relaxed`, or by not entering :func:`strict_layer` when building a mock by hand.

Longer than 400 lines because the strict layer's request checks and response
normalisation answer for the same operations; the rules themselves live in aiodynamodb.rules.
"""

from __future__ import annotations

import re
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import Any

from aiodynamodb.errors import ValidationError
from aiodynamodb.rules import (
    CHECKED_OPERATIONS,
    Placeholders,
    TableSchema,
    canonical_number,
    check_condition,
    check_request,
    is_canonical_number,
    name_first_key_condition,
    projection_paths,
)
from aiodynamodb.rules import messages as msg
from aiodynamodb.testing import _capacity, _fidelity_update, _moto
from aiodynamodb.testing._fidelity_conditions import moto_condition, rewrite_legacy
from aiodynamodb.testing._fidelity_reads import fix_read, rewrite_read
from aiodynamodb.testing._fidelity_tables import (
    TABLE_OPERATIONS,
    TableStates,
    table_not_found,
    table_transition,
)
from aiodynamodb.testing._fidelity_transactions import RequestTokens
from aiodynamodb.testing._shapes import serialization_problem
from aiodynamodb.testing._update_eval import value_at
from aiodynamodb.testing.intercept import (
    DynamoCall,
    DynamoResponse,
    InterceptorHandle,
    SyncAsyncContext,
    SyncProceed,
    add_interceptor,
    intercepting,
)

__all__ = [
    "STRICT_PRIORITY",
    "TTL_INTERVAL",
    "StrictLayer",
    "relaxed",
    "strict_layer",
    "table_transition",
]

STRICT_PRIORITY = 1000
"""The strict layer's place in the interceptor chain: last, right before the backend."""

TTL_INTERVAL = 3600.0
"""Seconds during which a table's TTL setting cannot be changed again."""

_NOT_FOUND = "Requested resource not found"
_MOTO_TRANSACT_GET = 25  # moto keeps DynamoDB's limit before 2022; DynamoDB's is now 100
_WRITES_ALL_OR_NOTHING = frozenset({"BatchWriteItem", "TransactWriteItems"})
_PAGED = frozenset({"Query", "Scan"})
# An ``N`` value that is not in is_canonical_number's form (-?(0|[1-9]\d*)(\.\d*[1-9])?, not
# -0); the rules' _CANONICAL pattern, kept in step by tests/unit/test_strict_numbers.py.
_NON_CANONICAL_NUMBER = re.compile(rb'"N"\s*:\s*"(?!(?!-0")-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?")')
_NUMBER_SET = re.compile(rb'"NS"\s*:\s*\[([^\]]*)\]')
_SET_MEMBER = re.compile(rb'"([^"]*)"')
_PAGE_ONLY = (
    "FilterExpression",
    "QueryFilter",
    "ScanFilter",
    "ConditionalOperator",
    "ProjectionExpression",
    "AttributesToGet",
    "Select",
)

_relaxed: ContextVar[bool] = ContextVar("aiodynamodb_strict_relaxed", default=False)
_sized: ContextVar[bool] = ContextVar("aiodynamodb_strict_sized", default=False)
_WHOLE_ITEM_WRITES = frozenset({"PutItem", "BatchWriteItem", "TransactWriteItems"})


class _MotoItemLimit:
    """Lifts moto's own item size limit for writes the strict layer has measured.

    moto refuses an item above 405,000 bytes by its own count (no list or map overheads,
    numbers by their text); DynamoDB's limit is 409,600 bytes by DynamoDB's count, which
    the rules check. Reference counted: installed by the first strict layer, removed by
    the last.
    """

    def __init__(self) -> None:
        self.depth = 0
        self.original: Any = None

    def enter(self) -> None:
        self.depth += 1
        if self.depth > 1:
            return
        from moto.dynamodb.models.dynamo_type import LimitedSizeDict

        original = LimitedSizeDict.__setitem__

        def setitem(self: Any, key: str, value: Any) -> None:
            if _sized.get():
                dict.__setitem__(self, key, value)
            else:
                original(self, key, value)

        self.original = original
        LimitedSizeDict.__setitem__ = setitem  # type: ignore[method-assign]

    def exit(self) -> None:
        if self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            from moto.dynamodb.models.dynamo_type import LimitedSizeDict

            LimitedSizeDict.__setitem__ = self.original  # type: ignore[method-assign]
            self.original = None


_ITEM_LIMIT = _MotoItemLimit()


@contextmanager
def relaxed() -> Iterator[None]:
    """Let requests in this block (this task) through to moto unchecked and unfixed."""
    token = _relaxed.set(True)
    try:
        yield
    finally:
        _relaxed.reset(token)


def _not_relaxed() -> bool:
    return not _relaxed.get()


class _Backend:
    """moto's DynamoDB tables for one call (looked up only when a rule needs it)."""

    def __init__(self, call: DynamoCall) -> None:
        self.call = call
        self._tables: dict[str, Any] | None = None

    @property
    def tables(self) -> dict[str, Any]:
        if self._tables is None:
            self._tables = _moto.dynamodb_tables(self.call.account, self.call.region)
        return self._tables

    def table(self, name: Any) -> Any:
        if not isinstance(name, str):
            return None
        if name.startswith("arn:"):
            name = name.rsplit("/", 1)[-1]
        return self.tables.get(name)

    def describe(self, name: str) -> dict[str, Any] | None:
        table = self.table(name)
        if table is None:
            return None
        return {
            "TableName": table.name,
            "KeySchema": table.schema,
            "AttributeDefinitions": table.attr,
            "BillingModeSummary": {"BillingMode": getattr(table, "billing_mode", None)},
            "GlobalSecondaryIndexes": [
                {"IndexName": i.name, "KeySchema": i.schema, "Projection": i.projection}
                for i in table.global_indexes
            ],
            "LocalSecondaryIndexes": [
                {"IndexName": i.name, "KeySchema": i.schema, "Projection": i.projection}
                for i in table.indexes
            ],
        }


class StrictLayer:
    """The strict interceptor (see the module docstring).

    It sits last in the chain (:data:`STRICT_PRIORITY`). Two fixes ask moto directly
    (``DynamoCall.send_direct``), skipping interceptors placed after it: a TransactGetItems
    of more than 25 reads (moto's old limit) is sent to moto in parts, and the page that
    ends on ``Limit`` is read again to find its last key when the filter dropped that item.

    Args:
        clock: Seconds as a float, for the once-an-hour TTL rule (``time.monotonic``).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._ttl_changes: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        self.tables = TableStates(clock)
        self.tokens = RequestTokens(clock)

    def __call__(self, call: DynamoCall, proceed: SyncProceed) -> DynamoResponse:
        """Check the request, send it on, and fix the response."""
        operation = call.operation
        if operation not in CHECKED_OPERATIONS or _relaxed.get():
            return proceed()
        # DynamoDB parses the body against the operation's shape before any rule runs.
        problem = serialization_problem(operation, call.params)
        if problem is not None:
            return DynamoResponse.error("SerializationException", problem)
        backend = _Backend(call)
        try:
            check_request(operation, call.params, backend.describe)
        except ValidationError as error:
            return DynamoResponse.from_client_error(error)
        if operation in _WRITES_ALL_OR_NOTHING and any(
            backend.table(name) is None for name in call.tables
        ):
            return DynamoResponse.error("ResourceNotFoundException", _NOT_FOUND)
        if operation == "UpdateTimeToLive":
            return self._update_ttl(call, proceed, backend)
        # Legacy conditions and filters go to moto as expressions (one evaluator for both).
        legacy = rewrite_legacy(operation, call.params)
        forward = proceed if legacy is None else lambda: call.send_direct(legacy)
        before = self.tables.before(call, backend) if operation in TABLE_OPERATIONS else None
        if operation == "TransactWriteItems":
            replayed = self.tokens.replay(call)
            if replayed is not None:
                return replayed
        meter = _capacity.start(call, backend.describe)
        rewritten = rewrite_read(call, backend) if operation in _PAGED else None
        if rewritten is not None:
            response = call.send_direct(rewritten)
        elif operation == "TransactGetItems" and _transact_size(call) > _MOTO_TRANSACT_GET:
            response = _transact_get_in_parts(call)
        elif operation in _WHOLE_ITEM_WRITES or operation == "UpdateItem":
            token = _sized.set(True)
            try:
                if _fidelity_update.evaluates(call):
                    response = _fidelity_update.answer(call, backend.describe, legacy)
                else:
                    response = forward()
            finally:
                _sized.reset(token)
        else:
            response = forward()
        if response.is_error:
            return table_not_found(call, response)
        if meter is not None:
            meter.settle(response)
        if operation in TABLE_OPERATIONS:
            self.tables.fix(call, response, backend, before)
        elif operation == "TransactWriteItems":
            self.tokens.remember(call, response, backend)
        if operation in _PAGED:
            _end_of_page(call, response, backend)
        elif operation == "TransactGetItems":
            _project_transact_get(call, response)
        fix_read(call, response, backend)
        _canonical_numbers(response)
        return response

    def _update_ttl(
        self, call: DynamoCall, proceed: SyncProceed, backend: _Backend
    ) -> DynamoResponse:
        params = call.params
        table = backend.table(params.get("TableName"))
        if table is None:
            return DynamoResponse.error(
                "ResourceNotFoundException",
                msg.TABLE_NOT_FOUND.format(name=params.get("TableName")),
            )
        # DynamoDB's order: a change that changes nothing (or another attribute's TTL) is
        # refused before the once-an-hour rule (Alternator's test_ttl_enable).
        spec = params.get("TimeToLiveSpecification") or {}
        enabled = bool(spec.get("Enabled"))
        ttl = getattr(table, "ttl", None) or {}
        status = ttl.get("TimeToLiveStatus", "DISABLED")
        if status == "ENABLED" and spec.get("AttributeName") != ttl.get("AttributeName"):
            return DynamoResponse.validation_error(msg.TTL_OTHER_ATTRIBUTE)
        if enabled and status == "ENABLED":
            return DynamoResponse.validation_error(msg.TTL_ALREADY_ENABLED)
        if not enabled and status == "DISABLED":
            return DynamoResponse.validation_error(msg.TTL_ALREADY_DISABLED)
        last = self._ttl_changes.get(table)
        now = self.clock()
        if last is not None and now - last < TTL_INTERVAL:
            return DynamoResponse.validation_error(msg.TTL_TOO_SOON)
        response = proceed()
        if not response.is_error:
            self._ttl_changes[table] = now
        return response


# -- Response fixes -------------------------------------------------------------------------


def _needs_canonical(raw: bytes) -> bool:
    # One scan in C for an ``N`` value that is not canonical (the common answer: none).
    if _NON_CANONICAL_NUMBER.search(raw) is not None:
        return True
    if b'"NS"' not in raw:
        return False
    for match in _NUMBER_SET.finditer(raw):
        for member in _SET_MEMBER.finditer(match.group(1)):
            if not is_canonical_number(member.group(1).decode()):
                return True
    return False


def _canonicalize(node: Any) -> None:
    if isinstance(node, dict):
        if len(node) == 1:
            number = node.get("N")
            if isinstance(number, str):
                node["N"] = canonical_number(number)
                return
            members = node.get("NS")
            if isinstance(members, list) and all(isinstance(m, str) for m in members):
                node["NS"] = [canonical_number(m) for m in members]
                return
        for value in node.values():
            _canonicalize(value)
    elif isinstance(node, list):
        for value in node:
            _canonicalize(value)


def _canonical_numbers(response: DynamoResponse) -> None:
    """Numbers as DynamoDB stores them: moto keeps the text it was sent."""
    if not response.changed and not _needs_canonical(response.raw):
        return
    body = response.body
    _canonicalize(body)
    response.body = body


def _end_of_page(call: DynamoCall, response: DynamoResponse, backend: _Backend) -> None:
    """A page that stops because of ``Limit`` has a ``LastEvaluatedKey``, even at the end.

    moto leaves it out when the limit falls on the last item; DynamoDB does not (the next
    page is then empty).
    """
    params = call.params
    limit = params.get("Limit")
    if not isinstance(limit, int) or (
        not response.changed and b'"LastEvaluatedKey"' in response.raw
    ):
        return
    body = response.body
    if "LastEvaluatedKey" in body or body.get("ScannedCount") != limit:
        return
    description = backend.describe(params.get("TableName", ""))
    if description is None:
        return
    schema = TableSchema(description)
    names = schema.start_key_names(params.get("IndexName"))
    items = body.get("Items")
    last = items[-1] if items and body.get("Count") == limit else None
    if last is None or any(name not in last for name in names):
        last = _last_evaluated(call, schema)
    if last is None:
        return
    body["LastEvaluatedKey"] = {name: last[name] for name in names if name in last}
    response.body = body


def _last_evaluated(call: DynamoCall, schema: TableSchema) -> dict[str, Any] | None:
    """The last item the page evaluated: the same page, unfiltered and unprojected."""
    params = {k: v for k, v in call.params.items() if k not in _PAGE_ONLY}
    names = params.pop("ExpressionAttributeNames", None)
    values = params.pop("ExpressionAttributeValues", None)
    if params.get("KeyConditionExpression") is not None:
        # moto takes key conditions name first only (``:v = pk`` is valid DynamoDB).
        name_first = name_first_key_condition(params["KeyConditionExpression"])
        if name_first is not None:
            params["KeyConditionExpression"] = name_first
        holders = Placeholders(names, values)
        check_condition("KeyConditionExpression", params["KeyConditionExpression"], holders)
        if holders.used_names:
            params["ExpressionAttributeNames"] = {k: holders.names[k] for k in holders.used_names}
        if holders.used_values:
            params["ExpressionAttributeValues"] = {
                k: holders.values[k] for k in holders.used_values
            }
    response = call.send_direct(params)
    if response.is_error:
        return None
    items = response.body.get("Items") or []
    return items[-1] if items else None


def _transact_size(call: DynamoCall) -> int:
    items = call.params.get("TransactItems")
    return len(items) if isinstance(items, list) else 0


def _transact_get_in_parts(call: DynamoCall) -> DynamoResponse:
    """A TransactGetItems of 26 to 100 reads, as moto's parts of at most 25 (reads only:
    nothing runs between the parts but other tasks' requests, as on DynamoDB)."""
    params = call.params
    items = params["TransactItems"]
    responses: list[Any] = []
    capacity: dict[str, float] = {}
    for start in range(0, len(items), _MOTO_TRANSACT_GET):
        part = dict(params, TransactItems=items[start : start + _MOTO_TRANSACT_GET])
        response = call.send_direct(part)
        if response.is_error:
            return response
        body = response.body
        responses.extend(body.get("Responses") or [])
        for entry in body.get("ConsumedCapacity") or []:
            name = entry.get("TableName", "")
            capacity[name] = capacity.get(name, 0.0) + float(entry.get("CapacityUnits", 0))
    merged: dict[str, Any] = {"Responses": responses}
    if capacity:
        merged["ConsumedCapacity"] = [
            {"TableName": name, "CapacityUnits": units, "ReadCapacityUnits": units}
            for name, units in capacity.items()
        ]
    return DynamoResponse(200, merged)


def _project(item: Mapping[str, Any], paths: list[list[str | int]]) -> dict[str, Any]:
    """Keep only ``paths`` of an item; list elements keep their relative order."""
    result: dict[str, Any] = {}
    for path in paths:
        head = path[0]
        if not isinstance(head, str) or head not in item:
            continue
        found = value_at(item[head], path[1:])
        if found is None:
            continue
        result[head] = _merge(result.get(head), item[head], path[1:])
    return {name: _finish(value) for name, value in result.items()}


def _merge(into: Any, value: Any, rest: list[str | int]) -> Any:
    """Merge the sub-tree of ``value`` at ``rest`` into a partial projection."""
    if not rest:
        return value
    element, tail = rest[0], rest[1:]
    if isinstance(element, int):
        partial = into if isinstance(into, dict) and "_list" in into else {"_list": {}}
        members = value["L"]
        partial["_list"][element] = _merge(partial["_list"].get(element), members[element], tail)
        return partial
    partial = into if isinstance(into, dict) and "_map" in into else {"_map": {}}
    members = value["M"]
    partial["_map"][element] = _merge(partial["_map"].get(element), members[element], tail)
    return partial


def _finish(partial: Any) -> Any:
    if isinstance(partial, dict) and "_list" in partial:
        return {"L": [_finish(partial["_list"][i]) for i in sorted(partial["_list"])]}
    if isinstance(partial, dict) and "_map" in partial:
        return {"M": {k: _finish(v) for k, v in partial["_map"].items()}}
    return partial


def _project_transact_get(call: DynamoCall, response: DynamoResponse) -> None:
    """``ProjectionExpression`` of each ``Get``: moto returns whole items."""
    actions = call.params.get("TransactItems") or []
    if not any("ProjectionExpression" in (a.get("Get") or {}) for a in actions):
        return
    body = response.body
    responses = body.get("Responses") or []
    for action, entry in zip(actions, responses, strict=False):
        get = action.get("Get") or {}
        expression = get.get("ProjectionExpression")
        item = entry.get("Item") if isinstance(entry, dict) else None
        if expression is None or item is None:
            continue
        paths = projection_paths(expression, get.get("ExpressionAttributeNames"))
        entry["Item"] = _project(item, paths)
    response.body = body


# -- Activation -----------------------------------------------------------------------------


class strict_layer(SyncAsyncContext):  # lower case: used like a function
    """Intercept DynamoDB clients and run the strict interceptor (sync or async ``with``).

    Enter it inside ``aiomoto.mock_aws()``; clients created inside are strict.

    Args:
        clock: Seconds as a float, for the once-an-hour TTL rule.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.layer = StrictLayer(clock)
        self._interception = intercepting()
        self._handle: InterceptorHandle | None = None

    def __enter__(self) -> StrictLayer:
        self._interception.__enter__()
        _ITEM_LIMIT.enter()
        _moto.CONDITION_PATCH.enter(moto_condition, _not_relaxed)
        _moto.ORDER_PATCH.enter()
        self._handle = add_interceptor(self.layer, priority=STRICT_PRIORITY)
        return self.layer

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._handle is not None:
            self._handle.remove()
            self._handle = None
            _ITEM_LIMIT.exit()
            _moto.CONDITION_PATCH.exit()
            _moto.ORDER_PATCH.exit()
        self._interception.__exit__(exc_type, exc, traceback)
