"""A request serializer for DynamoDB's item operations that skips botocore's shape walk.

botocore's JSON serializer walks every parameter against the operation's input shape to
copy it into a new dict before ``json.dumps``. For DynamoDB's item operations that walk only
copies: the protocol is plain JSON, no member is renamed, and the one non-JSON type is
``bytes`` (``B``/``BS`` values, sent as base64 text). The codec already builds requests in
exactly that form, so :class:`DirectJSONSerializer` produces the identical HTTP request with
a single ``json.dumps``; every other operation goes to botocore's own serializer.

It is installed only on clients that ``DynamoDB`` creates itself with ``validate=True`` (their
requests are checked by the codec and :mod:`aiodynamodb.rules` instead of botocore).
"""

from __future__ import annotations

import base64
import json
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


def install(client: Any) -> None:
    """Give an aiobotocore DynamoDB ``client`` the direct serializer (idempotent)."""
    current = client._serializer
    if not isinstance(current, DirectJSONSerializer):
        client._serializer = DirectJSONSerializer(current)


__all__ = ["DIRECT_OPERATIONS", "DirectJSONSerializer", "install"]
