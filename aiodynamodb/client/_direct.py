"""The direct transport: a ``DynamoDB`` client's requests handed straight to an in-process
backend, without an HTTP request.

On the in-memory backend the HTTP round trip is most of a call's cost: botocore resolves
the endpoint, serializes, signs and builds a request; the backend parses it again, and
botocore parses the answer. When a backend in this process gives a low-level client a
:class:`DirectTransport` (:func:`install`), :meth:`Connection.send
<aiodynamodb.client._connection.Connection.send>` hands that transport the operation name
and the parameters instead, and this module gives the caller what botocore would have:

- the same result dict (the item operations' JSON as the wire fast path parses it, other
  operations through botocore's parser for the output shape) with ``ResponseMetadata``
  (``RequestId``, ``HTTPStatusCode``, ``HTTPHeaders``, ``RetryAttempts``);
- the same exceptions: the class from ``client.exceptions`` for the error code, with the
  ``response`` botocore's parser builds (``Error``, modeled fields such as
  ``CancellationReasons`` or the ``Item`` of a failed condition, ``ResponseMetadata``);
- the same retries: after each error the client's own retry handlers decide (legacy or
  standard mode, its configured attempts; the ``needs-retry`` event, so a handler that
  waives the back-off of injected faults keeps working), and the standard mode's retry
  quota is refilled by successes as botocore's ``after-call`` handler does;
- botocore's parameter validation when the client validates, and its idempotency tokens
  (``ClientRequestToken`` of ``TransactWriteItems``).

What the direct path does not do: fire botocore's request events (``before-send``,
``before-call``, ``after-call`` handlers other than the retry quota's), sign, or build an
HTTP request. The transport is installed by the in-memory backend only (never for a real
endpoint); the private botocore APIs involved live in :mod:`._botocore`.
"""

from __future__ import annotations

import base64
import json
import uuid
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiodynamodb.client import _botocore
from aiodynamodb.client._wire import DIRECT_OPERATIONS, decode_blobs


@dataclass(frozen=True, slots=True)
class DirectReply:
    """A backend's answer to one direct request.

    Attributes:
        status: The HTTP status DynamoDB would answer with (200, 400, 500).
        headers: The response headers, as (name, value) pairs.
        raw: The JSON body's bytes.
        body: The same body already parsed (binary values as base64 text), or None. It may
            be shared with the backend's interceptors: treated as read-only.
    """

    status: int
    headers: Iterable[tuple[str, str]]
    raw: bytes
    body: dict[str, Any] | None = None


class DirectTransport(Protocol):
    """Sends one request to an in-process backend, skipping HTTP."""

    def __call__(self, operation: str, params: dict[str, Any]) -> DirectReply:
        """Answer ``operation`` (``"PutItem"``) with ``params`` (the parameters as the
        caller passed them to botocore: binary values are ``bytes``; not changed)."""
        ...


@dataclass(eq=False, slots=True)
class _Installed:
    """A transport and what the direct path caches about its client."""

    transport: DirectTransport
    url: str
    validator: Any
    models: dict[str, Any] = field(default_factory=dict)
    releasers: dict[str, list[Any]] = field(default_factory=dict)


_INSTALLED: weakref.WeakKeyDictionary[Any, _Installed] = weakref.WeakKeyDictionary()


def install(client: Any, transport: DirectTransport) -> None:
    """Answer ``client``'s requests made through ``DynamoDB`` with ``transport``.

    Calls made on the low-level client itself (``client.put_item(...)``) still go through
    botocore as always; only :class:`~aiodynamodb.DynamoDB` uses the transport.
    """
    serializer = _botocore.client_serializer(client)
    validator = getattr(serializer, "validator", None)  # the wire fast path's
    if validator is None and _botocore.validates_parameters(serializer):
        from botocore.validate import ParamValidator

        validator = ParamValidator()
    _INSTALLED[client] = _Installed(transport, str(client.meta.endpoint_url), validator)


def uninstall(client: Any) -> None:
    """Send ``client``'s requests over HTTP again (no-op when nothing is installed)."""
    _INSTALLED.pop(client, None)


def installed(client: Any) -> _Installed | None:
    """The transport installed on ``client``, or None."""
    try:
        return _INSTALLED.get(client)
    except TypeError:  # pragma: no cover - an object that cannot be weakly referenced
        return None


def _blob(value: Any) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not a DynamoDB wire value")


async def send(client: Any, direct: _Installed, name: str, params: dict[str, Any]) -> Any:
    """Send ``name`` (``"PutItem"``) with ``params`` through ``direct``'s transport, with
    botocore's parameter checks, retries, results and exceptions (see the module)."""
    model = direct.models.get(name)
    if model is None:
        model = direct.models[name] = client.meta.service_model.operation_model(name)
    if direct.validator is not None:
        report = direct.validator.validate(params, model.input_shape)
        if report.has_errors():
            from botocore.exceptions import ParamValidationError

            raise ParamValidationError(report=report.generate_report())
    if model.idempotent_members:
        from botocore.handlers import generate_idempotent_uuid

        generate_idempotent_uuid(params=params, model=model)
    attempts = 1
    context: dict[str, Any] = {
        "client_region": client.meta.region_name,
        "client_config": client.meta.config,
        "retries": {"attempt": 1},
    }
    while True:
        reply = direct.transport(name, params)
        if reply.status < 300:
            return _success(client, direct, model, reply, attempts, context)
        response = _botocore.http_response(direct.url, reply.status, reply.headers, reply.raw)
        endpoint = _botocore.client_endpoint(client)
        parsed = await _botocore.parse_error_response(endpoint, model, response)
        request_dict = {"context": context}
        if not await _botocore.needs_retry(
            endpoint, attempts, model, request_dict, (response, parsed)
        ):
            break
        attempts += 1
        context["retries"]["attempt"] = attempts
    metadata = parsed.get("ResponseMetadata")
    if isinstance(metadata, dict):
        metadata["RetryAttempts"] = attempts - 1
    error = parsed.get("Error", {})
    raise client.exceptions.from_code(error.get("Code"))(parsed, name)


def _success(
    client: Any,
    direct: _Installed,
    model: Any,
    reply: DirectReply,
    attempts: int,
    context: dict[str, Any],
) -> Any:
    raw = reply.raw
    headers = {key.lower(): value for key, value in reply.headers}
    if model.name in DIRECT_OPERATIONS:
        blobs = b'"B"' in raw or b'"BS"' in raw  # not "BOOL"
        if reply.body is not None and not blobs:
            parsed = dict(reply.body)  # a new top level: ResponseMetadata goes in it
        else:
            parsed = json.loads(raw) if raw else {}
            if blobs:
                decode_blobs(parsed)
    else:  # timestamps, enums: botocore's shape walk
        from botocore.parsers import create_parser

        response_dict = {"headers": headers, "status_code": reply.status, "body": raw}
        parsed = create_parser("json").parse(response_dict, model.output_shape)
        parsed.pop("ResponseMetadata", None)
    parsed["ResponseMetadata"] = {
        "RequestId": headers.get("x-amzn-requestid") or uuid.uuid4().hex.upper(),
        "HTTPStatusCode": reply.status,
        "HTTPHeaders": headers,
        "RetryAttempts": attempts - 1,
    }
    releasers = direct.releasers.get(model.name)
    if releasers is None:
        releasers = direct.releasers[model.name] = _botocore.quota_releasers(client, model.name)
    if releasers:
        status = _Status(reply.status)
        for release in releasers:
            release(context=context, http_response=status)
    return parsed


class _Status:
    """What the retry quota's refill reads of an HTTP response: its status."""

    __slots__ = ("status_code",)

    def __init__(self, status_code: int) -> None:
        self.status_code = status_code


__all__ = ["DirectReply", "DirectTransport", "install", "installed", "send", "uninstall"]
