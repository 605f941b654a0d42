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

Both are installed only on clients that ``DynamoDB`` creates itself with ``validate=True``
(their requests are checked by the codec and :mod:`aiodynamodb.rules` instead of botocore).
"""

from __future__ import annotations

import base64
import json
from contextvars import ContextVar
from typing import Any

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

    Args:
        fallback: botocore's serializer, used for every other operation.
    """

    def __init__(self, fallback: Any) -> None:
        self.fallback = fallback
        self._headers: dict[str, dict[str, str]] = {}

    def serialize_to_request(self, parameters: Any, operation_model: Any) -> dict[str, Any]:
        """The request dict botocore's JSON serializer would build for ``parameters``."""
        name = operation_model.name
        if name not in DIRECT_OPERATIONS or operation_model.endpoint is not None:
            return dict(self.fallback.serialize_to_request(parameters, operation_model))
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
"""True while ``DynamoDB`` awaits one of its own item operations (see :func:`own_call`)."""


def _decode_blobs(node: Any) -> None:
    """Turn every ``{"B": text}`` / ``{"BS": [text]}`` AttributeValue into bytes, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "B" and isinstance(value, str):
                node[key] = base64.b64decode(value)
            elif key == "BS" and isinstance(value, list) and value and isinstance(value[0], str):
                node[key] = [base64.b64decode(member) for member in value]
            elif isinstance(value, dict | list):
                _decode_blobs(value)
    elif isinstance(node, list):
        for member in node:
            if isinstance(member, dict | list):
                _decode_blobs(member)


_FACTORY: Any = None


def _parser_factory_class() -> Any:
    """The parser factory class, built on first use (aiobotocore is imported only then)."""
    global _FACTORY
    if _FACTORY is not None:
        return _FACTORY
    from aiobotocore.parsers import PROTOCOL_PARSERS, AioResponseParserFactory

    base: Any = PROTOCOL_PARSERS["json"]

    class ItemResponseParser(base):  # type: ignore[misc]
        """aiobotocore's JSON parser, keeping the parsed JSON of a successful response."""

        def _handle_json_body(self, raw_body: bytes, shape: Any) -> Any:
            parsed = self._parse_body_as_json(raw_body)
            if b'"B"' in raw_body or b'"BS"' in raw_body:  # not "BOOL"
                _decode_blobs(parsed)
            return parsed

    class ParserFactory(AioResponseParserFactory):  # type: ignore[misc]
        """Hands out :class:`ItemResponseParser` during ``DynamoDB``'s own item calls."""

        def create_parser(self, protocol_name: str) -> Any:
            if protocol_name == "json" and OWN_CALL.get():
                return ItemResponseParser(**self._defaults)
            return super().create_parser(protocol_name)

    _FACTORY = ParserFactory
    return _FACTORY


def install(client: Any) -> None:
    """Give an aiobotocore DynamoDB ``client`` the direct serializer and the item response
    parser (idempotent)."""
    current = client._serializer
    if not isinstance(current, DirectJSONSerializer):
        client._serializer = DirectJSONSerializer(current)
    endpoint: Any = getattr(client, "_endpoint", None)
    factory = getattr(endpoint, "_response_parser_factory", None)
    factory_class = _parser_factory_class()
    if factory is not None and not isinstance(factory, factory_class):
        replacement = factory_class()
        replacement._defaults = dict(factory._defaults)
        endpoint._response_parser_factory = replacement


__all__ = ["DIRECT_OPERATIONS", "OWN_CALL", "DirectJSONSerializer", "install"]
