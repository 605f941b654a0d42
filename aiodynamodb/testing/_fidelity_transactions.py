"""The strict layer's memory of TransactWriteItems request tokens.

A ``ClientRequestToken`` makes TransactWriteItems idempotent for 10 minutes
(API_TransactWriteItems): the same token with the same request again succeeds without
applying it a second time and answers as the first did; the same token with other
parameters is an ``IdempotentParameterMismatchException`` (also on another table:
Alternator's ``test_transact.py``, run on AWS). moto ignores the token and applies the
transaction again.

Tokens are remembered per account and region with the tables the transaction touched, and
forgotten when one of those tables is gone (a reset of the in-memory backend).
"""

from __future__ import annotations

import json
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiodynamodb.rules import messages as msg
from aiodynamodb.testing._call import DynamoCall, DynamoResponse

TOKEN_WINDOW = 600.0
"""Seconds a ``ClientRequestToken`` is remembered (DynamoDB's 10 minutes)."""


@dataclass
class _Entry:
    fingerprint: str
    at: float
    answer: bytes
    tables: list[weakref.ReferenceType[Any]]


def _fingerprint(params: dict[str, Any]) -> str:
    return json.dumps(
        {k: v for k, v in params.items() if k != "ClientRequestToken"},
        sort_keys=True,
        separators=(",", ":"),
    )


class RequestTokens:
    """Remembered TransactWriteItems tokens.

    Args:
        clock: Seconds as a float.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._entries: dict[tuple[str, str, str], _Entry] = {}

    def _key(self, call: DynamoCall) -> tuple[str, str, str] | None:
        token = call.params.get("ClientRequestToken")
        if not isinstance(token, str):
            return None
        return (call.account, call.region, token)

    def replay(self, call: DynamoCall) -> DynamoResponse | None:
        """The answer to a request whose token was seen (None: send it to the backend)."""
        key = self._key(call)
        if key is None or not self._entries:
            return None
        now = self.clock()
        for stale in [k for k, e in self._entries.items() if now - e.at >= TOKEN_WINDOW]:
            del self._entries[stale]
        entry = self._entries.get(key)
        if entry is None:
            return None
        if any(ref() is None for ref in entry.tables):
            del self._entries[key]
            return None
        if entry.fingerprint != _fingerprint(call.params):
            return DynamoResponse.error("IdempotentParameterMismatchException", msg.TOKEN_MISMATCH)
        return DynamoResponse(200, raw=entry.answer)

    def remember(self, call: DynamoCall, response: DynamoResponse, backend: Any) -> None:
        """Remember a successful transaction's token and answer."""
        key = self._key(call)
        if key is None:
            return
        tables = [backend.table(name) for name in call.tables]
        self._entries[key] = _Entry(
            _fingerprint(call.params),
            self.clock(),
            response.raw,
            [weakref.ref(table) for table in tables if table is not None],
        )


__all__ = ["TOKEN_WINDOW", "RequestTokens"]
