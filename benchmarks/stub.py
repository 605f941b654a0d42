"""A transport that answers at once: canned DynamoDB responses through ``before-send``.

botocore emits ``before-send.dynamodb.<Operation>`` after the request has been validated,
serialized and signed, just before it would go on the wire; the first handler that returns
a response object ends the send. :class:`CannedTransport` registers such a handler and
returns a ready ``AioAWSResponse`` (built as aiomoto builds its own, see
``aiomoto/patches/core.py``), so everything the client does on its side of the wire
(parameters, serialization, endpoint resolution, signing, retries bookkeeping, the
``x-amz-crc32`` check, parsing) still runs, and no network or mock does.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping
from typing import Any

from aiobotocore.awsrequest import AioAWSResponse
from botocore.compat import HTTPHeaders

DEAD_ENDPOINT = "http://127.0.0.1:9"
"""Endpoint both sides use: if a canned answer were ever missing, nothing leaves the box."""


class _Body:
    """The part of ``aiohttp.ClientResponse`` that ``AioAWSResponse.content`` reads."""

    __slots__ = ("_data",)

    def __init__(self, data: bytes) -> None:
        self._data = data

    async def read(self) -> bytes:
        return self._data


def canned_response(body: bytes, url: str = DEAD_ENDPOINT) -> AioAWSResponse:
    """A 200 response carrying ``body``, with the headers DynamoDB sends."""
    headers = HTTPHeaders()
    headers["x-amzn-requestid"] = "BENCHREQUEST0000000000000000000000000000000000000000"
    headers["content-type"] = "application/x-amz-json-1.0"
    headers["content-length"] = str(len(body))
    headers["x-amz-crc32"] = str(zlib.crc32(body) & 0xFFFFFFFF)
    return AioAWSResponse(url, 200, headers, _Body(body))


Answer = Callable[[Any], bytes]
"""Builds a response body from the prepared request (``request.body`` is the JSON sent)."""


class CannedTransport:
    """Answers a client's requests from canned bodies, per operation.

    Args:
        answers: Operation name (``"PutItem"``) -> body bytes, or a function of the
            request returning them.
    """

    def __init__(self, answers: Mapping[str, bytes | Answer]) -> None:
        self.answers = dict(answers)
        self.sent = 0

    def install(self, client: Any) -> None:
        """Register on ``client`` (an aiobotocore DynamoDB client)."""
        for operation in self.answers:
            client.meta.events.register(f"before-send.dynamodb.{operation}", self._handler)

    def _handler(self, request: Any, event_name: str, **_: Any) -> AioAWSResponse:
        operation = event_name.rsplit(".", 1)[1]
        answer = self.answers[operation]
        body = answer(request) if callable(answer) else answer
        self.sent += 1
        return canned_response(body)


def body_of(request: Any) -> dict[str, Any]:
    """The JSON a prepared request carries."""
    data = request.body
    if isinstance(data, bytes | bytearray):
        data = data.decode()
    result: dict[str, Any] = json.loads(data)
    return result


__all__ = ["DEAD_ENDPOINT", "CannedTransport", "body_of", "canned_response"]
