"""Request serializer and response parser for DynamoDB's item operations, without
botocore's shape walks.

botocore's JSON serializer walks every parameter against the operation's input shape to
copy it into a new dict before ``json.dumps``. For DynamoDB's item operations that walk only
copies: the protocol is plain JSON, no member is renamed, and the one non-JSON type is
``bytes`` (``B``/``BS`` values, sent as base64 text). The codec already builds requests in
exactly that form, so :class:`DirectJSONSerializer` produces the identical HTTP request with
a single ``json.dumps``; every other operation goes to botocore's own serializer.

The same holds for responses: botocore parses the JSON, then walks it against the output
shape to copy it and turn ``B``/``BS`` values from base64 text into bytes. For the item
operations ``DynamoDB`` itself calls, :class:`ItemResponseParser` keeps the parsed JSON and
decodes just the binary values (walking the response only when its text has any). Calls a
user makes on the low-level client go through botocore's own parser as always: the fast path
is chosen per call, through :data:`OWN_CALL`.

Both are installed on the clients ``DynamoDB`` creates itself when its ``direct_wire``
setting is on (by default, when ``validate`` is), and on the in-memory backend's shared
client. The private botocore/aiobotocore APIs this needs (a client's serializer, its
endpoint's parser factory, the JSON parser's body hook) are reached through
:mod:`aiodynamodb.client._botocore`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from aiodynamodb.client import _botocore

DIRECT_OPERATIONS = frozenset(
    {
        "BatchGetItem",
        "BatchWriteItem",
        "DeleteItem",
        "GetItem",
        "PutItem",
        "Query",
        "Scan",
        "TransactGetItems",
        "TransactWriteItems",
        "UpdateItem",
    }
)
"""Operations whose inputs hold only JSON values and blobs (no timestamps)."""


def _blob(value: Any) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not a DynamoDB wire value")


class DirectJSONSerializer:
    """``serialize_to_request`` for DynamoDB's item operations, without the shape walk.

    botocore validates parameters inside its serializer (a ``ParamValidationDecorator``
    around it when ``parameter_validation`` is on), so this one validates too when given a
    validator: the fast path never turns botocore's validation off by itself.

    Args:
        fallback: botocore's serializer, used for every other operation.
        validator: botocore's ``ParamValidator`` when the client validates parameters.
    """

    def __init__(self, fallback: Any, validator: Any = None) -> None:
        self.fallback = fallback
        self.validator = validator
        self._headers: dict[str, dict[str, str]] = {}

    def serialize_to_request(self, parameters: Any, operation_model: Any) -> dict[str, Any]:
        """The request dict botocore's JSON serializer would build for ``parameters``."""
        name = operation_model.name
        if name not in DIRECT_OPERATIONS or operation_model.endpoint is not None:
            return dict(self.fallback.serialize_to_request(parameters, operation_model))
        if self.validator is not None:
            report = self.validator.validate(parameters, operation_model.input_shape)
            if report.has_errors():
                from botocore.exceptions import ParamValidationError

                raise ParamValidationError(report=report.generate_report())
        headers = self._headers.get(name)
        if headers is None:
            metadata = operation_model.metadata
            headers = self._headers[name] = {
                "X-Amz-Target": f"{metadata['targetPrefix']}.{name}",
                "Content-Type": f"application/x-amz-json-{metadata['jsonVersion']}",
            }
        return {
            "url_path": "/",
            "query_string": "",
            "method": "POST",
            "headers": dict(headers),
            "body": json.dumps(parameters, default=_blob, separators=(",", ":")).encode(),
        }


OWN_CALL: ContextVar[bool] = ContextVar("aiodynamodb_own_call", default=False)
"""True while ``DynamoDB`` awaits one of its own item operations (parsed by the item parser)."""


def decode_blobs(node: Any) -> None:
    """Turn every ``{"B": text}`` / ``{"BS": [text]}`` AttributeValue into bytes, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "B" and isinstance(value, str):
                node[key] = base64.b64decode(value)
            elif key == "BS" and isinstance(value, list) and value and isinstance(value[0], str):
                node[key] = [base64.b64decode(member) for member in value]
            elif isinstance(value, dict | list):
                decode_blobs(value)
    elif isinstance(node, list):
        for member in node:
            if isinstance(member, dict | list):
                decode_blobs(member)


def _keep_json(parse_json: Callable[[bytes], Any], raw_body: bytes) -> Any:
    parsed = parse_json(raw_body)
    if b'"B"' in raw_body or b'"BS"' in raw_body:  # not "BOOL"
        decode_blobs(parsed)
    return parsed


_FACTORY: Any = None


def _parser_factory_class() -> Any:
    """The response parser factory class of the fast path, built on first use (aiobotocore
    is imported only then): its JSON parser keeps the parsed JSON during :data:`OWN_CALL`."""
    global _FACTORY
    if _FACTORY is None:
        _FACTORY = _botocore.json_parser_factory_class(_keep_json, OWN_CALL.get)
    return _FACTORY


def install(client: Any) -> None:
    """Give an aiobotocore DynamoDB ``client`` the direct serializer and the item response
    parser (idempotent)."""
    current = _botocore.client_serializer(client)
    if not isinstance(current, DirectJSONSerializer):
        validator = None
        if _botocore.validates_parameters(current):
            from botocore.validate import ParamValidator

            validator = ParamValidator()
        _botocore.set_client_serializer(client, DirectJSONSerializer(current, validator))
    endpoint = _botocore.client_endpoint(client)
    factory_class = _parser_factory_class()
    if not isinstance(_botocore.response_parser_factory(endpoint), factory_class):
        _botocore.set_response_parser_factory(endpoint, factory_class())


__all__ = [
    "DIRECT_OPERATIONS",
    "OWN_CALL",
    "DirectJSONSerializer",
    "decode_blobs",
    "install",
]
