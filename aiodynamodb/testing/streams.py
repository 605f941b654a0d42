"""DynamoDB Streams records of a test's writes, as a Lambda handler would receive them.

A table declared with ``@table(..., stream="NEW_AND_OLD_IMAGES")`` (or ``"NEW_IMAGE"``,
``"OLD_IMAGE"``, ``"KEYS_ONLY"``) gets a stream. While a :class:`StreamRecorder` is in the
interceptor chain, every successful write to such a table by any intercepted client
produces the records DynamoDB would put on the stream::

    with intercepting(), StreamRecorder(models=[User]) as stream:
        await db.put(User(user_id="u1", name="Ann"))
        handler(stream.lambda_event(), None)         # {"Records": [{... "eventName": "INSERT"}]}
        assert stream.records(User)[0].new == User(user_id="u1", name="Ann")

DynamoDB's rules, applied per item (one record per item a batch or transaction changed):

- a write that failed (a condition, a cancelled transaction, a refused request, an injected
  fault) or that changed nothing (deleting a missing item, a put or update that leaves the
  item as it was) produces no record;
- ``INSERT`` when the item did not exist, ``MODIFY`` when it did and still does, ``REMOVE``
  when it is gone; ``Keys`` always, ``NewImage`` / ``OldImage`` as the view type says;
- a deletion by the TTL clock (:mod:`aiodynamodb.testing.ttl`) carries
  ``userIdentity = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}``.

Images are read from the in-memory backend (moto's tables) right before and right after the
write, so the recorder works on the memory and server backends; it has no records to read on
the endpoint backend (dynalite has no Streams API; see :data:`ENDPOINT_UNSUPPORTED`).
``SequenceNumber`` is a 21-digit decimal string that grows with every record, so records sort
by it as they do on a shard; ``SizeBytes`` is DynamoDB's item size of the keys and images.

Longer than 400 lines because the recorder (what a write changed) and the records it
hands a test (the Lambda shape and the decoded view) describe one stream and change together.
"""

from __future__ import annotations

import base64
import copy
import json
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from aiodynamodb.codec import codec_for, decode_value
from aiodynamodb.model import DynamoModel, table_meta
from aiodynamodb.rules import canonical_number, item_size
from aiodynamodb.testing import _moto
from aiodynamodb.testing.intercept import ChainMember, DynamoCall, DynamoResponse, SyncProceed
from aiodynamodb.testing.ttl import sweep_time

__all__ = [
    "ENDPOINT_UNSUPPORTED",
    "SERVICE_IDENTITY",
    "STREAM_PRIORITY",
    "StreamRecord",
    "StreamRecorder",
]

STREAM_PRIORITY = 999
"""Before the strict layer (1000) and the fault injector (1001): a refused or faulted write
comes back as an error and produces no record; a partial batch produces records for the
items it wrote only (the others are unchanged)."""

SERVICE_IDENTITY: Mapping[str, str] = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
"""The ``userIdentity`` of a record of a TTL deletion, as DynamoDB sets it."""

ENDPOINT_UNSUPPORTED = (
    "dynamodb_stream records the writes the in-memory DynamoDB applies (memory and server "
    "backends); on the endpoint backend the tables live in another server ({endpoint}), and "
    "the servers we test against have no DynamoDB Streams API (dynalite has none). Run this "
    "test with --dynamodb-backend=memory (or server), or skip it on the endpoint backend."
)
NO_STREAM = (
    "{what}: table {table!r} has no stream, so DynamoDB sends no records for it; declare it "
    "with @table(..., stream='NEW_AND_OLD_IMAGES') (or 'NEW_IMAGE', 'OLD_IMAGE', 'KEYS_ONLY')"
)
NO_MODEL = (
    "stream record of table {table!r}: no model is known for this table, so its images "
    "cannot be decoded; filter with records(Model), or call record.decode(Model)"
)
BAD_EVENT = "event={event!r}: a stream record's eventName is 'INSERT', 'MODIFY' or 'REMOVE'"
BAD_EXPECTED = (
    "assert_records() takes event names ('INSERT') or (event name, keys) pairs, such as "
    "('MODIFY', {{'user_id': 'u1'}}); got {got!r}"
)
RECORDS_DIFFER = (
    "the stream records differ from those expected\nexpected:\n{expected}\nactual:\n{actual}"
)

_WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})
_TABLE_CHANGES = frozenset({"CreateTable", "DeleteTable", "UpdateTable"})
_EVENTS = ("INSERT", "MODIFY", "REMOVE")
_NEW_VIEWS = frozenset({"NEW_IMAGE", "NEW_AND_OLD_IMAGES"})
_OLD_VIEWS = frozenset({"OLD_IMAGE", "NEW_AND_OLD_IMAGES"})
_FIRST_SEQUENCE = 10**20  # 21 digits, like DynamoDB's; one more digit only after 9e20 records


@dataclass(frozen=True, slots=True)
class _Stream:
    """A stream-enabled table as the backend describes it."""

    name: str
    view: str
    arn: str
    key_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Pending:
    """One item a write is about to touch, with its image before the write."""

    stream: _Stream
    key: dict[str, Any]
    old: dict[str, Any] | None


# -- Wire values ----------------------------------------------------------------------------


def _canonical(node: Any) -> Any:
    """Numbers as DynamoDB stores them (moto keeps the text it was sent)."""
    if isinstance(node, dict):
        if len(node) == 1:
            ((tag, value),) = node.items()
            if tag == "N" and isinstance(value, str):
                return {"N": canonical_number(value)}
            if tag == "NS" and isinstance(value, list):
                return {"NS": [canonical_number(str(member)) for member in value]}
        return {key: _canonical(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_canonical(value) for value in node]
    return node


def _with_bytes(node: Any) -> Any:
    """A wire (JSON) value with ``B``/``BS`` as bytes, as botocore and the codec hold them."""
    if isinstance(node, dict):
        if len(node) == 1:
            ((tag, value),) = node.items()
            if tag == "B" and isinstance(value, str):
                return {"B": base64.b64decode(value)}
            if tag == "BS" and isinstance(value, list):
                return {"BS": [base64.b64decode(member) for member in value]}
        return {key: _with_bytes(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_bytes(value) for value in node]
    return node


def _item_writes(operation: str, params: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """``(table, item or key)`` for every item the write request touches, in request order."""
    if operation == "PutItem":
        return [(params["TableName"], params["Item"])]
    if operation in ("UpdateItem", "DeleteItem"):
        return [(params["TableName"], params["Key"])]
    writes: list[tuple[str, Mapping[str, Any]]] = []
    if operation == "BatchWriteItem":
        for table, requests in params["RequestItems"].items():
            for request in requests:
                if "PutRequest" in request:
                    writes.append((table, request["PutRequest"]["Item"]))
                elif "DeleteRequest" in request:
                    writes.append((table, request["DeleteRequest"]["Key"]))
        return writes
    for action in params["TransactItems"]:  # ConditionCheck changes nothing
        for kind, member in (("Put", "Item"), ("Update", "Key"), ("Delete", "Key")):
            if kind in action:
                writes.append((action[kind]["TableName"], action[kind][member]))
    return writes


def _account(call: DynamoCall) -> str:
    """The moto account the call's tables live in (every entry of the chain sets it; a call
    without one, e.g. to a real endpoint, falls back to moto's choice)."""
    if call.account:
        return call.account
    request = call.request
    return _moto.account_for(request.headers) if request is not None else _moto.current_account()


# -- Records --------------------------------------------------------------------------------


class StreamRecord:
    """One stream record: the Lambda shape (:attr:`wire`) and a decoded view.

    Attributes:
        wire: The record exactly as a Lambda handler receives it (wire images).
        table: The table name (with the client's prefix).
        model: The model its images decode to, if known.
    """

    __slots__ = ("model", "table", "wire")

    def __init__(
        self, wire: dict[str, Any], table: str, model: type[DynamoModel] | None = None
    ) -> None:
        self.wire = wire
        self.table = table
        self.model = model

    @property
    def event_name(self) -> str:
        """``"INSERT"``, ``"MODIFY"`` or ``"REMOVE"``."""
        return str(self.wire["eventName"])

    @property
    def keys(self) -> dict[str, Any]:
        """The item's key as Python values (``{"user_id": "u1"}``)."""
        keys = _with_bytes(self.wire["dynamodb"]["Keys"])
        return {name: decode_value(value) for name, value in keys.items()}

    @property
    def new_image(self) -> dict[str, Any] | None:
        """``NewImage`` in wire form, if the view type carries it."""
        image: dict[str, Any] | None = self.wire["dynamodb"].get("NewImage")
        return image

    @property
    def old_image(self) -> dict[str, Any] | None:
        """``OldImage`` in wire form, if the view type carries it."""
        image: dict[str, Any] | None = self.wire["dynamodb"].get("OldImage")
        return image

    @property
    def new(self) -> DynamoModel | None:
        """``NewImage`` decoded to :attr:`model` (None when the record has none)."""
        return self._decode(self.new_image)

    @property
    def old(self) -> DynamoModel | None:
        """``OldImage`` decoded to :attr:`model` (None when the record has none)."""
        return self._decode(self.old_image)

    @property
    def sequence_number(self) -> str:
        """The record's ``SequenceNumber``."""
        return str(self.wire["dynamodb"]["SequenceNumber"])

    @property
    def by_service(self) -> bool:
        """Whether DynamoDB itself made the change (a TTL deletion)."""
        return "userIdentity" in self.wire

    def decode(self, model: type[DynamoModel]) -> StreamRecord:
        """The same record, its images decoded to ``model``."""
        return StreamRecord(self.wire, self.table, model)

    def _decode(self, image: dict[str, Any] | None) -> DynamoModel | None:
        if image is None:
            return None
        if self.model is None:
            raise LookupError(NO_MODEL.format(table=self.table))
        return codec_for(self.model).decode(_with_bytes(image))

    def describe(self) -> str:
        """One line: ``INSERT users {'user_id': 'u1'}`` (``by TTL`` for TTL deletions)."""
        line = f"{self.event_name} {self.table} {self.keys!r}"
        return line + " (by TTL)" if self.by_service else line

    def __repr__(self) -> str:
        return f"<StreamRecord {self.describe()}>"


class StreamRecorder(ChainMember):
    """Records stream records while in the chain (``with`` / ``async with``, start/stop).

    ``len(recorder)``, ``recorder[0]`` and iteration give every record in order.

    Args:
        table_prefix: The clients' table-name prefix (to find a model's table).
        models: Models whose images the records decode to (one per table; a filter by
            model decodes with that model).
    """

    priority = STREAM_PRIORITY

    def __init__(self, *, table_prefix: str = "", models: Iterable[type[DynamoModel]] = ()) -> None:
        self.table_prefix = table_prefix
        self._records: list[StreamRecord] = []
        self._models: dict[str, type[DynamoModel]] = {}
        self._streams: dict[tuple[str, str, str], _Stream | None] = {}
        self._sequence = _FIRST_SEQUENCE
        # Calls can arrive from several threads (the server answers on its own).
        self._lock = threading.Lock()
        self.register(*models)

    def register(self, *models: type[DynamoModel]) -> None:
        """Decode records of these models' tables to them (the first model of a table wins)."""
        for model in models:
            self._models.setdefault(self.table_prefix + table_meta(model).name, model)

    # -- the interceptor ---------------------------------------------------------------------

    def __call__(self, call: DynamoCall, proceed: SyncProceed) -> DynamoResponse:
        pending = self._before(call)
        response = proceed()
        if pending and not response.is_error:
            self._after(call, pending)
        return response

    def _before(self, call: DynamoCall) -> list[_Pending] | None:
        operation = call.operation
        if operation not in _WRITES:
            if operation in _TABLE_CHANGES:
                self._streams.clear()
            return None
        try:
            writes = _item_writes(operation, call.params)
        except (KeyError, TypeError, AttributeError):
            return None  # a malformed request: DynamoDB refuses it, nothing is written
        where = (_account(call), call.region or "us-east-1")
        pending: list[_Pending] = []
        for table, source in writes:
            stream = self._stream(where, table)
            if stream is None or not isinstance(source, Mapping):
                continue
            key = {name: source[name] for name in stream.key_names if name in source}
            if len(key) == len(stream.key_names):
                pending.append(_Pending(stream, key, _read(where, stream.name, key)))
        return pending

    def _stream(self, where: tuple[str, str], table: str) -> _Stream | None:
        if not isinstance(table, str):
            return None
        name = table.rsplit("/", 1)[-1] if table.startswith("arn:") else table
        cache_key = (*where, name)
        if cache_key not in self._streams:
            self._streams[cache_key] = _describe(where, name)
        return self._streams[cache_key]

    def _after(self, call: DynamoCall, pending: list[_Pending]) -> None:
        account, region = where = (_account(call), call.region or "us-east-1")
        del account
        swept = sweep_time() if call.operation == "DeleteItem" else None
        created = int(time.time() if swept is None else swept)
        for item in pending:
            new = _read(where, item.stream.name, item.key)
            if new == item.old:
                continue  # nothing changed: DynamoDB writes no record
            self._append(item, new, region, created, by_service=swept is not None)

    def _append(
        self,
        item: _Pending,
        new: dict[str, Any] | None,
        region: str,
        created: int,
        *,
        by_service: bool,
    ) -> None:
        old, stream = item.old, item.stream
        event = "INSERT" if old is None else "REMOVE" if new is None else "MODIFY"
        image = new if new is not None else old
        assert image is not None  # old != new, so one of them is an item
        keys = {name: image[name] for name in stream.key_names}
        change: dict[str, Any] = {"ApproximateCreationDateTime": created, "Keys": keys}
        size = item_size(_with_bytes(keys))
        if new is not None and stream.view in _NEW_VIEWS:
            change["NewImage"] = new
            size += item_size(_with_bytes(new))
        if old is not None and stream.view in _OLD_VIEWS:
            change["OldImage"] = old
            size += item_size(_with_bytes(old))
        with self._lock:
            self._sequence += 1
            change["SequenceNumber"] = str(self._sequence)
            change["SizeBytes"] = size
            change["StreamViewType"] = stream.view
            wire: dict[str, Any] = {
                "eventID": uuid.uuid4().hex,
                "eventName": event,
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": region,
                "dynamodb": change,
                "eventSourceARN": stream.arn,
            }
            if by_service:
                wire["userIdentity"] = dict(SERVICE_IDENTITY)
            self._records.append(StreamRecord(wire, stream.name, self._models.get(stream.name)))

    # -- reading -----------------------------------------------------------------------------

    def _table_of(self, target: type[DynamoModel] | str) -> str:
        if isinstance(target, str):
            if any(r.table == target for r in self._records):
                return target
            return self.table_prefix + target
        meta = table_meta(target)
        if meta.stream is None:
            raise ValueError(NO_STREAM.format(what=target.__name__, table=meta.name))
        return self.table_prefix + meta.name

    def records(
        self, target: type[DynamoModel] | str | None = None, *, event: str | None = None
    ) -> list[StreamRecord]:
        """The records so far, in order: of one table (a model or a table name) and/or one
        event name. Filtering by a model decodes the images to that model.

        Raises:
            ValueError: ``event`` is not an event name, or the model's table has no stream.
        """
        if event is not None and event not in _EVENTS:
            raise ValueError(BAD_EVENT.format(event=event))
        with self._lock:
            found = list(self._records)
        if target is not None:
            table = self._table_of(target)
            found = [r for r in found if r.table == table]
            if not isinstance(target, str):
                found = [r if r.model is target else r.decode(target) for r in found]
        if event is not None:
            found = [r for r in found if r.event_name == event]
        return found

    def lambda_event(
        self, target: type[DynamoModel] | str | None = None, *, event: str | None = None
    ) -> dict[str, list[dict[str, Any]]]:
        """``{"Records": [...]}`` exactly as DynamoDB Streams hands them to a Lambda handler
        (copies: the handler may change them)."""
        return {"Records": [copy.deepcopy(r.wire) for r in self.records(target, event=event)]}

    def events(
        self, target: type[DynamoModel] | str | None = None
    ) -> list[tuple[str, dict[str, Any]]]:
        """``(event name, keys)`` of each record, e.g. ``[("INSERT", {"user_id": "u1"})]``."""
        return [(r.event_name, r.keys) for r in self.records(target)]

    def assert_records(
        self, *expected: str | tuple[str, Mapping[str, Any]], target: Any = None
    ) -> None:
        """Fail unless the records (of ``target``'s table) are exactly ``expected``, in order.

        Each expected record is an event name (``"INSERT"``) or an ``(event name, keys)``
        pair; the failure lists both sides.

        Raises:
            AssertionError: The records differ.
        """
        __tracebackhide__ = True
        actual = self.records(target)
        for entry in expected:
            if not (isinstance(entry, str) or (isinstance(entry, tuple) and len(entry) == 2)):
                raise TypeError(BAD_EXPECTED.format(got=entry))
        matches = len(actual) == len(expected) and all(
            want == (r.event_name if isinstance(want, str) else (r.event_name, r.keys))
            for want, r in zip(expected, actual, strict=True)
        )
        if not matches:
            wanted = "\n".join(f"  {n}. {want!r}" for n, want in enumerate(expected, 1))
            seen = "\n".join(f"  {n}. {r.describe()}" for n, r in enumerate(actual, 1))
            raise AssertionError(
                RECORDS_DIFFER.format(expected=wanted or "  (none)", actual=seen or "  (none)")
            )

    def clear(self) -> None:
        """Forget the records so far (sequence numbers keep growing)."""
        with self._lock:
            self._records.clear()

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[StreamRecord]:
        return iter(self.records())

    def __getitem__(self, position: int) -> StreamRecord:
        return self._records[position]


# -- The backend ----------------------------------------------------------------------------


def _backend(where: tuple[str, str], operation: str, params: dict[str, Any]) -> Any:
    account, region = where
    status, body = _moto.dispatch(operation, params, region=region, account=account)
    return json.loads(body) if status == 200 else None


def _describe(where: tuple[str, str], name: str) -> _Stream | None:
    answer = _backend(where, "DescribeTable", {"TableName": name})
    table = (answer or {}).get("Table") or {}
    spec = table.get("StreamSpecification") or {}
    if not spec.get("StreamEnabled"):
        return None
    keys = tuple(k["AttributeName"] for k in table["KeySchema"])
    return _Stream(name, str(spec["StreamViewType"]), str(table["LatestStreamArn"]), keys)


def _read(where: tuple[str, str], table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    params = {"TableName": table, "Key": key, "ConsistentRead": True}
    answer = _backend(where, "GetItem", params)
    item = (answer or {}).get("Item")
    return _canonical(item) if item else None
