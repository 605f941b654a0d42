"""Retries of an injected fault happen at once: botocore's decisions, not its waiting.

A fault planned with :class:`~aiodynamodb.testing.faults.FaultInjector` is answered
locally, so botocore's back-off between attempts only makes a test slow: about 25 s per
call for a persistent throttling fault (ten attempts with exponential back-off under the
legacy retry mode). Every attempt still happens, so a test sees the attempt count botocore
would make with real errors.

The narrowest hook: aiobotocore's ``AioEndpoint._needs_retry`` emits
``needs-retry.<service>``, and sleeps for the number the retry handler returns (None: no
retry). Both the legacy and the standard retry modes register that handler under the same
unique id, ``retry-config-<service>``. :func:`skip_injected_retry_delays` puts a wrapper
in its place on one client: the handler decides as before (attempt limits, retry quota,
which errors are retryable), and when the response it judged carries
:data:`INJECTED_HEADER`, a delay becomes 0. Responses from a real server (or moto) are
retried with botocore's own delays.
"""

from __future__ import annotations

import inspect
from typing import Any

from aiodynamodb.client import handler_by_id

INJECTED_HEADER = "x-aiodynamodb-injected-fault"
"""Header on every response a fault made up (botocore shows it in ``ResponseMetadata``)."""

CRASH_HEADER = "x-aiodynamodb-crash"
"""Header on the ``InternalServerError`` a crash of the in-memory DynamoDB becomes: not
retried (the same request would crash again, after repeating its side effects)."""


def _has_header(response: Any, name: str) -> bool:
    if not isinstance(response, tuple) or not response:
        return False
    headers = getattr(response[0], "headers", None)
    return headers is not None and name in headers


def _decide(delay: Any, response: Any) -> Any:
    if delay is None:
        return None
    if _has_header(response, CRASH_HEADER):
        return None
    if _has_header(response, INJECTED_HEADER):
        return 0
    return delay


def skip_injected_retry_delays(client: Any) -> None:
    """Retry injected faults on ``client`` without botocore's back-off delay, and never
    retry a crash of the in-memory DynamoDB.

    Args:
        client: An aiobotocore or (sync) botocore client, just created.

    Raises:
        BotocoreContractError: This botocore keeps its event handlers where we cannot see them.
    """
    events = client.meta.events
    service = client.meta.service_model.service_id.hyphenize()
    event = f"needs-retry.{service}"
    unique_id = f"retry-config-{service}"
    original = handler_by_id(client, unique_id)
    if original is None:  # no retry handler: nothing waits
        return

    async def needs_retry(**kwargs: Any) -> Any:
        delay = original(**kwargs)
        if inspect.isawaitable(delay):
            delay = await delay
        return _decide(delay, kwargs.get("response"))

    def needs_retry_sync(**kwargs: Any) -> Any:
        return _decide(original(**kwargs), kwargs.get("response"))

    synchronous = not any(base.__name__ == "AioBaseClient" for base in type(client).__mro__)
    events.unregister(event, unique_id=unique_id)
    events.register(event, needs_retry_sync if synchronous else needs_retry, unique_id=unique_id)


__all__ = ["CRASH_HEADER", "INJECTED_HEADER", "skip_injected_retry_delays"]
