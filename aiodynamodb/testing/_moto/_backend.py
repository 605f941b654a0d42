"""Where every other request reaches moto's DynamoDB, and moto's backends and mock."""

from __future__ import annotations

import binascii
import threading
from collections.abc import Callable
from typing import Any

from aiodynamodb.testing._moto._common import _JSON_CONTENT_TYPE, BackendHook
from aiodynamodb.testing._moto._dispatch import _moto

# -- Where every other request reaches the backend ---------------------------------------


class _HookPatch:
    """The installed ``DynamoHandler._dispatch`` replacement (one at a time)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hook: BackendHook | None = None
        self.original: Any = None


_HOOK = _HookPatch()


def install_backend_hook(hook: BackendHook) -> Callable[[], None]:
    """Answer every DynamoDB request that reaches moto's backend with ``hook``.

    Requests reach moto's DynamoDB backend, whatever the client, through
    ``DynamoHandler._dispatch``: from moto's ``botocore_stubber`` (sync boto3 clients
    under ``mock_aws``, aiobotocore clients under plain aiomoto) and from moto's
    werkzeug/Flask server app (``ThreadedMotoServer``, any process or language). While
    installed, each such request is turned into ``hook(operation, body, region, account)``
    (region and account worked out exactly as moto does from the URL and headers) and its
    answer sent back as DynamoDB's HTTP response. Requests without an ``X-Amz-Target``
    (not DynamoDB's JSON protocol) still go to moto.

    Args:
        hook: ``(operation, body, region, account) -> (status, body)``; it usually ends
            in :func:`dispatch`.

    Returns:
        A function that uninstalls the hook (idempotent).

    Raises:
        RuntimeError: A hook is already installed.
    """
    moto = _moto()
    handler_class = moto.handler_class
    with _HOOK.lock:
        if _HOOK.hook is not None:
            raise RuntimeError("a DynamoDB backend hook is already installed")
        original = handler_class.__dict__.get("_dispatch")
        _HOOK.hook, _HOOK.original = hook, original

        def _dispatch(self: Any, request: Any, full_url: Any = None, headers: Any = None) -> Any:
            active = _HOOK.hook
            headers = request.headers if headers is None else headers
            target = headers.get("X-Amz-Target") or headers.get("x-amz-target")
            if active is None or not target:
                return moto.base_response._dispatch(self, request, full_url, headers)
            url = full_url if full_url is not None else _request_url(request)
            region = moto.base_response.get_region_from_url(self, request, url)
            answer = active(
                str(target).rsplit(".", 1)[-1],
                _request_body(request),
                region,
                _account_of(self, headers),
            )
            status, body = answer[0], answer[1]
            extra = answer[2] if len(answer) > 2 else {}
            return status, {**_response_headers(body), **extra}, body

        handler_class._dispatch = _dispatch

    def uninstall() -> None:
        with _HOOK.lock:
            if handler_class.__dict__.get("_dispatch") is not _dispatch:
                return
            if _HOOK.original is None:
                del handler_class._dispatch
            else:  # pragma: no cover - moto defines _dispatch on BaseResponse only
                handler_class._dispatch = _HOOK.original
            _HOOK.hook = _HOOK.original = None

    return uninstall


def _request_url(request: Any) -> str:
    return str(getattr(request, "raw_url", None) or request.url)


def _request_body(request: Any) -> bytes:
    # botocore's AWSPreparedRequest (moto < 5.2's stubber) has .body; werkzeug requests
    # (moto >= 5.2 everywhere, Flask in every version) have get_data().
    body: Any = getattr(request, "body", None)
    if body is None and hasattr(request, "get_data"):
        body = request.get_data()
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode()
    return bytes(body or b"")


def _account_of(handler: Any, headers: Any) -> str:
    # BaseResponse.get_current_account reads these two attributes (MOTO_ACCOUNT_ID,
    # x-moto-account-id, then the access key in the Authorization header).
    handler.headers = headers
    handler.querystring = {}
    return str(handler.get_current_account())


def _response_headers(body: bytes) -> dict[str, str]:
    from moto.utilities.aws_headers import gen_amzn_requestid_long

    return {
        "Content-Type": _JSON_CONTENT_TYPE,
        "x-amz-crc32": str(binascii.crc32(body) & 0xFFFFFFFF),
        "x-amzn-RequestId": gen_amzn_requestid_long(),
        "server": "amazon.com",
    }


def _header_text(headers: Any, name: str) -> str:
    value = headers.get(name) or ""
    return value.decode() if isinstance(value, bytes) else str(value)


_ACCESS_KEY: Any = None


def account_for(headers: Any) -> str:
    """The account moto files a request with these headers under, as moto's
    ``get_current_account`` decides: ``$MOTO_ACCOUNT_ID``, the ``x-moto-account-id``
    header, the account of the access key in the ``Authorization`` header, else moto's
    default account."""
    import os

    if "MOTO_ACCOUNT_ID" in os.environ:
        return os.environ["MOTO_ACCOUNT_ID"]
    chosen = _header_text(headers, "x-moto-account-id")
    if chosen:
        return chosen
    global _ACCESS_KEY
    if _ACCESS_KEY is None:
        _ACCESS_KEY = _moto().base_response.access_key_regex
    match = _ACCESS_KEY.search(_header_text(headers, "Authorization"))
    return current_account(match.group("access_key") if match else None)


_URL_PATTERNS: Any = None
_SERVED: dict[str, bool] = {}


def serves_url(url: str) -> bool:
    """Whether moto's mock answers DynamoDB requests sent to ``url`` (AWS's own DynamoDB
    URLs: moto's ``url_bases``); a mock blocks the others."""
    found = _SERVED.get(url)
    if found is None:
        global _URL_PATTERNS
        if _URL_PATTERNS is None:
            import re

            from moto.dynamodb.urls import url_bases

            _URL_PATTERNS = [re.compile(base) for base in url_bases]
        found = any(pattern.match(url) for pattern in _URL_PATTERNS)
        if len(_SERVED) < 1024:
            _SERVED[url] = found
    return found


def current_account(access_key: str | None = None) -> str:
    """The account moto files a request under: ``$MOTO_ACCOUNT_ID``, else the account
    of ``access_key`` (moto's default account for keys it does not know)."""
    import os

    if "MOTO_ACCOUNT_ID" in os.environ:
        return os.environ["MOTO_ACCOUNT_ID"]
    import sys

    iam = sys.modules.get("moto.iam.models")
    if iam is None:
        # No IAM backend has been loaded, so no access key belongs to an account of its own
        # yet: get_account_id_from would answer moto's default account after importing
        # moto.iam (and cryptography), ~90 ms of a cold start.
        from moto.core.models import DEFAULT_ACCOUNT_ID

        return str(DEFAULT_ACCOUNT_ID)
    return str(iam.get_account_id_from(access_key or "AKIAEXAMPLE"))


# -- The backends and the mock ------------------------------------------------------------


def reset_backends() -> None:
    """Discard the state of every moto backend (all services, accounts, regions)."""
    from moto.core.base_backend import BackendDict

    BackendDict.reset()


def dynamodb_tables(account: str, region: str) -> dict[str, Any]:
    """moto's table objects of one account and region, by name (live: changes apply)."""
    from moto.dynamodb.models import dynamodb_backends

    # Plain dict look-ups first: moto's __getitem__ takes its lock and lists the keys on
    # every call (the plugin asks for each test), and is only needed to create a backend.
    regions = dict.get(dynamodb_backends, account)
    backend = None if regions is None else dict.get(regions, region)
    if backend is None:
        backend = dynamodb_backends[account][region]
    tables: dict[str, Any] = backend.tables
    return tables


def moto_stubber() -> Any:
    """moto's ``botocore_stubber`` if moto's core is imported, else None (never imports)."""
    import sys

    module = sys.modules.get("moto.core.models")
    return getattr(module, "botocore_stubber", None) if module is not None else None


def is_moto_handler(handler: Any, stubber: Any) -> bool:
    """Whether a client's ``before-send`` handler is moto's stubber or aiomoto's wrapper
    around it (a closure over the stubber)."""
    if handler is stubber:
        return True
    target = getattr(handler, "__func__", handler)
    for cell in getattr(target, "__closure__", None) or ():
        try:
            if cell.cell_contents is stubber:
                return True
        except ValueError:  # an empty cell
            continue
    return False
