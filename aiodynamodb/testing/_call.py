"""The values the interceptor chain passes around: one request, one response.

Neither depends on botocore: a :class:`DynamoCall` is an operation name and its JSON body
with the region and moto account it is for, whichever way it arrived (an aiobotocore or
boto3 client in this process, or an HTTP request to the server command).
"""

from __future__ import annotations

import json
import uuid
from binascii import crc32
from collections.abc import Callable, Mapping
from typing import Any, Literal

from botocore.exceptions import ClientError

ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#"
"""The ``__type`` prefix of DynamoDB's JSON error bodies (botocore keeps what follows ``#``)."""

CONTENT_TYPE = "application/x-amz-json-1.0"
_TABLE_LISTS = ("RequestItems",)

Source = Literal["aiobotocore", "boto3", "http", "hook", "direct"]
"""Where a call entered the chain: an in-process aiobotocore/aioboto3 client, a sync
boto3/botocore client, the HTTP server, moto's own request path, or our client directly."""

Terminal = Callable[["DynamoCall"], "DynamoResponse"]


class DynamoCall:
    """One DynamoDB request on its way to the backend.

    Attributes:
        operation: The operation name (``"PutItem"``).
        body: The request's JSON body, as sent.
        region: The region whose tables the request is for.
        account: The moto account id whose tables the request is for.
        source: Where the request came from (``"aiobotocore"``, ``"boto3"``, ``"http"``,
            ``"hook"``, ``"direct"``: a ``DynamoDB`` client on the in-memory backend, which
            sends no HTTP request).
        request: botocore's prepared HTTP request on the client paths (treat as
            read-only); None for HTTP, hook and direct calls. Deprecated: use ``params``.
    """

    __slots__ = (
        "_params",
        "_tables",
        "_terminal",
        "account",
        "body",
        "operation",
        "region",
        "request",
        "source",
    )

    def __init__(
        self,
        operation: str,
        body: bytes,
        *,
        region: str,
        account: str,
        source: Source,
        terminal: Terminal,
        request: Any = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.operation = operation
        self.body = body
        self.region = region
        self.account = account
        self.source = source
        self.request = request
        self._terminal = terminal
        # Given when the caller already holds the body parsed (the direct transport):
        # exactly ``json.loads(body)``.
        self._params: dict[str, Any] | None = params
        self._tables: tuple[str, ...] | None = None

    @property
    def params(self) -> dict[str, Any]:
        """The request parameters (the JSON body, parsed once). Treat as read-only."""
        if self._params is None:
            parsed = json.loads(self.body) if self.body else {}
            self._params = parsed if isinstance(parsed, dict) else {}
        return self._params

    @property
    def parsed(self) -> dict[str, Any] | None:
        """The parameters if the body was parsed already, else None: no parsing."""
        return self._params

    @property
    def tables(self) -> tuple[str, ...]:
        """Names of the tables the request involves, in request order."""
        if self._tables is None:
            self._tables = _table_names(self.params)
        return self._tables

    def derive(self, params: Mapping[str, Any]) -> DynamoCall:
        """A call of the same operation, region and account with other parameters."""
        body = json.dumps(params, separators=(",", ":")).encode()
        request = None if self.request is None else _derive_request(self.request, body)
        return DynamoCall(
            self.operation,
            body,
            region=self.region,
            account=self.account,
            source=self.source,
            terminal=self._terminal,
            request=request,
        )

    def send_direct(self, params: Mapping[str, Any]) -> DynamoResponse:
        """Send a derived request of the same operation straight to the backend.

        The interceptors are skipped; useful to an interceptor that needs to ask the
        backend something (the strict layer uses it to find where a page ended).
        """
        call = self.derive(params)
        return call._terminal(call)

    def terminal(self) -> DynamoResponse:
        """Send this call to the backend, skipping the interceptors."""
        return self._terminal(self)


def _table_names(params: Mapping[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    table = params.get("TableName")
    if isinstance(table, str):
        names.append(table)
    for field in _TABLE_LISTS:
        value = params.get(field)
        if isinstance(value, Mapping):
            names.extend(str(name) for name in value)
    for action in params.get("TransactItems") or ():
        if isinstance(action, Mapping):
            for body in action.values():
                if isinstance(body, Mapping) and isinstance(body.get("TableName"), str):
                    names.append(body["TableName"])
    return tuple(dict.fromkeys(names))


def _derive_request(request: Any, body: bytes) -> Any:
    from botocore.awsrequest import AWSPreparedRequest

    headers = request.headers.copy() if hasattr(request.headers, "copy") else dict(request.headers)
    headers["Content-Length"] = str(len(body))
    return AWSPreparedRequest(request.method, request.url, headers, body, request.stream_output)


class DynamoResponse:
    """A DynamoDB response: HTTP status, headers and JSON body.

    The body is parsed from the raw bytes only when read. To change a response, assign
    ``response.body`` (also after changing the dict in place): the bytes are then
    re-encoded, with a fresh ``x-amz-crc32``.

    Args:
        status_code: HTTP status (200 for success, 400 for client errors).
        body: The JSON body as a dict (or give ``raw``).
        headers: Response headers.
        raw: The body's bytes, as received.
    """

    __slots__ = ("_body", "_raw", "capacity", "headers", "status_code")

    def __init__(
        self,
        status_code: int = 200,
        body: dict[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        raw: bytes | None = None,
    ) -> None:
        self.status_code = status_code
        self.headers: dict[str, str] = dict(headers or {})
        self._body = body
        self._raw = raw if body is None else None
        # What the request consumed, measured by the in-memory backend (testing._capacity).
        self.capacity: list[Any] | None = None
        if body is None and raw is None:
            self._body = {}

    @property
    def body(self) -> dict[str, Any]:
        """The parsed JSON body."""
        if self._body is None:
            raw = self._raw or b""
            parsed = json.loads(raw) if raw.strip() else {}
            self._body = parsed if isinstance(parsed, dict) else {"": parsed}
        return self._body

    @body.setter
    def body(self, value: dict[str, Any]) -> None:
        self._body = value
        self._raw = None

    @property
    def parsed(self) -> dict[str, Any] | None:
        """The body if it was parsed (or assigned) already, else None: no parsing."""
        return self._body

    @property
    def raw(self) -> bytes:
        """The body's bytes (re-encoded when the body was assigned)."""
        if self._raw is None:
            self._raw = json.dumps(self._body, separators=(",", ":")).encode()
        return self._raw

    @property
    def changed(self) -> bool:
        """Whether the body was assigned since the response was received."""
        return self._body is not None and self._raw is None

    @property
    def is_error(self) -> bool:
        """Whether this is an error response."""
        return self.status_code >= 300

    @property
    def error_code(self) -> str | None:
        """The error code (``"ValidationException"``) of an error response, else None."""
        if not self.is_error:
            return None
        kind = self.body.get("__type")
        return str(kind).rsplit("#", 1)[-1] if kind else None

    @property
    def error_message(self) -> str | None:
        """The message of an error response, else None."""
        if not self.is_error:
            return None
        body = self.body
        message = body.get("message", body.get("Message"))
        return None if message is None else str(message)

    @classmethod
    def error(
        cls, code: str, message: str, status_code: int = 400, **fields: Any
    ) -> DynamoResponse:
        """An error response exactly as DynamoDB's JSON protocol sends one.

        Args:
            code: The error code (``"ConditionalCheckFailedException"``).
            message: The message.
            status_code: 400 for client errors, 500 for ``InternalServerError``.
            **fields: More body members (``CancellationReasons=[...]``).
        """
        body: dict[str, Any] = {"__type": ERROR_PREFIX + code, "message": message}
        body.update(fields)
        return cls(status_code, body)

    @classmethod
    def validation_error(cls, message: str) -> DynamoResponse:
        """A ``ValidationException`` response."""
        return cls.error("ValidationException", message)

    @classmethod
    def from_client_error(cls, error: ClientError) -> DynamoResponse:
        """The response that makes botocore raise ``error`` again (code, message, extras)."""
        response: Mapping[str, Any] = error.response
        details = response.get("Error") or {}
        status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or 400
        extra = {k: v for k, v in response.items() if k not in ("Error", "ResponseMetadata")}
        return cls.error(
            str(details.get("Code", "ValidationException")),
            str(details.get("Message", "")),
            int(status),
            **extra,
        )

    def http_headers(self) -> list[tuple[str, str]]:
        """The headers DynamoDB sends with this response: ours, plus Content-Type,
        a request id, ``Content-Length`` and ``x-amz-crc32`` over the body."""
        raw = self.raw
        headers: list[tuple[str, str]] = []
        seen: set[str] = set()
        for key, value in self.headers.items():
            lowered = key.lower()
            if lowered not in ("content-length", "x-amz-crc32"):
                headers.append((key, value))
                seen.add(lowered)
        if "content-type" not in seen:
            headers.append(("Content-Type", CONTENT_TYPE))
        if "x-amzn-requestid" not in seen:
            headers.append(("x-amzn-RequestId", uuid.uuid4().hex.upper()))
        headers.append(("Content-Length", str(len(raw))))
        headers.append(("x-amz-crc32", str(crc32(raw) & 0xFFFFFFFF)))
        return headers

    def to_http(self, url: str) -> Any:
        """This response as the ``AioAWSResponse`` aiobotocore parses."""
        from aiodynamodb.client import http_response

        return http_response(url, self.status_code, self.http_headers(), self.raw)

    def to_botocore(self, url: str) -> Any:
        """This response as the ``AWSResponse`` (sync) botocore parses."""
        from botocore.awsrequest import AWSResponse
        from botocore.compat import HTTPHeaders

        headers = HTTPHeaders()
        for key, value in self.http_headers():
            headers[key] = value
        return AWSResponse(url, self.status_code, headers, _SyncBody(self.raw))


class _SyncBody:
    """The raw stream of a botocore ``AWSResponse`` over bytes we already hold."""

    __slots__ = ("_data",)

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **kwargs: Any) -> Any:
        data, self._data = self._data, b""
        if data:
            yield data

    def read(self, amount: int | None = None) -> bytes:
        data, self._data = self._data, b""
        return data

    def close(self) -> None:
        self._data = b""


__all__ = ["CONTENT_TYPE", "ERROR_PREFIX", "DynamoCall", "DynamoResponse", "Source", "Terminal"]
