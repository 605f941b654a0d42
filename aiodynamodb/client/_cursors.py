"""Page cursors: a page's ``last_evaluated_key`` as an opaque, URL-safe string, optionally signed.

A cursor holds the key DynamoDB returned and the scope it belongs to (the model, its table and
the index), as compact JSON in unpadded URL-safe base64. With a signing key the text is
followed by ``.`` and an HMAC-SHA256 of it, so a client of an HTTP API cannot make up a key
that reads another customer's partition. Unsigned cursors are opaque, not secret: anyone can
decode them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any, Final

from aiodynamodb.errors import ArgumentError, ValidationError
from aiodynamodb.item_types import Item

CURSOR_FORMAT: Final = 1  # bump when the payload changes; older cursors are then refused

BAD_CURSOR: Final = (
    "{operation}(): after= takes a page's cursor (page.cursor), unchanged; this one cannot be "
    "read ({problem})"
)
NOT_A_CURSOR: Final = "{operation}(): after= takes a page's cursor (a str); got {got!r} ({type})"
BAD_SIGNATURE: Final = (
    "{operation}(): the after= cursor's signature does not match cursor_key: it was altered, or "
    "made with another key"
)
UNSIGNED_CURSOR: Final = (
    "{operation}(): the after= cursor is not signed, but cursor_key= is given: only cursors "
    "made with that key are accepted"
)
SIGNED_CURSOR: Final = (
    "{operation}(): the after= cursor is signed; pass the cursor_key= it was made with"
)
FOREIGN_CURSOR: Final = (
    "{operation}(): the after= cursor belongs to {theirs}, not to this {operation} of {ours}; "
    "start this one without after="
)
BAD_CURSOR_KEY: Final = (
    "{operation}(): cursor_key takes bytes or a str (a secret of your application); got {type}"
)
AFTER_AND_START_KEY: Final = (
    "{operation}(): pass after= (a page's cursor) or exclusive_start_key= (a page's "
    "last_evaluated_key), not both"
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _describe(scope: list[Any]) -> str:
    model, table, index = scope
    where = f"index {index!r} of table {table!r}" if index else f"table {table!r}"
    return f"{model} ({where})"


class CursorCodec:
    """Turns keys into cursors and back for one query or scan.

    Args:
        operation: ``"query"`` or ``"scan"``, for messages.
        scope: The model's name, its table (without prefix) and the index, or None.
        signing_key: The ``cursor_key`` argument, or None for unsigned cursors.
    """

    __slots__ = ("_key", "_operation", "_scope")

    def __init__(
        self, operation: str, scope: tuple[str, str, str | None], signing_key: Any
    ) -> None:
        if signing_key is not None and not isinstance(signing_key, bytes | str):
            raise ArgumentError(
                BAD_CURSOR_KEY.format(operation=operation, type=type(signing_key).__name__)
            )
        self._operation = operation
        self._scope = list(scope)
        self._key = signing_key.encode() if isinstance(signing_key, str) else signing_key

    def _signature(self, payload: str) -> str:
        assert self._key is not None
        return _b64(hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest())

    def encode(self, key: Item) -> str:
        """The cursor for ``key`` (a ``LastEvaluatedKey`` in DynamoDB's wire format)."""
        wire = {
            name: {"B": _b64(bytes(value["B"]))} if "B" in value else value
            for name, value in key.items()
        }
        document = {"v": CURSOR_FORMAT, "s": self._scope, "k": wire}
        payload = _b64(json.dumps(document, separators=(",", ":")).encode())
        if self._key is None:
            return payload
        return f"{payload}.{self._signature(payload)}"

    def decode(self, cursor: Any) -> Item:
        """The key ``cursor`` holds, after checking its signature and its scope.

        Raises:
            ArgumentError: ``cursor`` is not a str.
            ValidationError: It was altered, is signed differently, cannot be read, or
                belongs to another model, table or index.
        """
        operation = self._operation
        if not isinstance(cursor, str):
            raise ArgumentError(
                NOT_A_CURSOR.format(operation=operation, got=cursor, type=type(cursor).__name__)
            )
        payload, dot, signature = cursor.partition(".")
        if self._key is not None:
            if not dot:
                raise ValidationError(UNSIGNED_CURSOR.format(operation=operation))
            if not hmac.compare_digest(signature, self._signature(payload)):
                raise ValidationError(BAD_SIGNATURE.format(operation=operation))
        elif dot:
            raise ValidationError(SIGNED_CURSOR.format(operation=operation))
        try:
            document = json.loads(_unb64(payload))
            scope, wire = document["s"], document["k"]
            if document["v"] != CURSOR_FORMAT:
                raise ValueError(f"format {document['v']!r}, this version reads {CURSOR_FORMAT}")
            key: Item = {
                name: {"B": _unb64(value["B"])} if "B" in value else dict(value)
                for name, value in wire.items()
            }
        except (ValueError, TypeError, KeyError, AttributeError, binascii.Error) as error:
            problem = f"{type(error).__name__}: {error}"
            raise ValidationError(BAD_CURSOR.format(operation=operation, problem=problem)) from None
        if scope != self._scope:
            theirs = _describe(scope) if isinstance(scope, list) and len(scope) == 3 else "?"
            raise ValidationError(
                FOREIGN_CURSOR.format(
                    operation=operation, theirs=theirs, ours=_describe(self._scope)
                )
            )
        return key


__all__ = ["AFTER_AND_START_KEY", "CursorCodec"]
