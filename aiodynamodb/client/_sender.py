"""The small interface the operation modules need from a connection: :class:`Sender`.

``_items``, ``_pages``, ``_batch``, ``_transactions`` and ``_tables`` build requests from
models and read the responses; sending them (the checks before sending, the low-level client
of the running event loop, the wire fast path) is the connection's job
(:class:`aiodynamodb.client._connection.Connection`). They see it only through this
protocol, so none of them imports the connection or the ``DynamoDB`` class.
"""

from __future__ import annotations

from typing import Any, Protocol

from aiodynamodb.codec import ModelCodec


class Sender(Protocol):
    """Sends low-level DynamoDB requests for the operation modules."""

    async def send(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Check ``params`` (when the client validates) and call the low-level client's
        ``operation`` (``"put_item"``, ...) with them; return its response."""
        ...

    def table_name(self, codec: ModelCodec[Any]) -> str:
        """The table name of ``codec``'s model through this client (prefix included)."""
        ...


__all__ = ["Sender"]
