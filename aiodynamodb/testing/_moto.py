"""Every moto internal aiodynamodb relies on, in one place (like PynamoDB's
``connection/_botocore_private.py``).

moto's public surface is the mock (``mock_aws``) and its HTTP server; everything the
in-memory DynamoDB needs beyond that (calling the DynamoDB handler directly, resetting
and reading the backends, finding moto's handler on a client) is private to moto and
lives here, named and typed, with a contract test per internal
(``tests/integration/test_moto_contract.py``) that names the moto version and the
internal when an upgrade breaks one.

The centre is :func:`dispatch`: one DynamoDB operation straight into moto's
``DynamoHandler``, with what moto sets up per request (service model, parser, serializer,
handler method) done once. No werkzeug request, no URL matching over every service, no
HTTP headers, no signature: the answer is the JSON body DynamoDB would send (for moto's
errors ``{"__type": "com.amazonaws.dynamodb.v20120810#Code", "message": ...}``) with its
HTTP status.

:func:`install_backend_hook` is the other half: the one place every other request for
DynamoDB reaches moto's backend (moto's ``botocore_stubber`` for sync boto3 and plain
aiomoto clients, and moto's werkzeug/Flask server app for HTTP clients from any process)
is ``DynamoHandler._dispatch``; the hook replaces it while installed, so the same chain
answers every client.

Two families of moto are supported (pyproject pins the range):

- moto < 5.2: ``DynamoHandler.call_action`` runs ``json.loads`` on the body and the
  handler methods return JSON strings;
- moto >= 5.2: moto's protocol parser turns the body into parameters (binary values
  become ``bytes``), and handler methods return ``ActionResult`` objects for moto's
  response serializer.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

__all__ = [
    "ERROR_PREFIX",
    "FAST_OPERATIONS",
    "SUPPORTED_MOTO",
    "BackendHook",
    "DirectAuthError",
    "MotoContractError",
    "UnknownOperationError",
    "account_for",
    "current_account",
    "dispatch",
    "dynamodb_tables",
    "install_backend_hook",
    "is_moto_handler",
    "moto_stubber",
    "moto_version",
    "reset_backends",
    "serves_url",
]

ERROR_PREFIX: Final = "com.amazonaws.dynamodb.v20120810#"
"""The ``__type`` prefix of DynamoDB's JSON error bodies."""

SUPPORTED_MOTO: Final = ">=5.1.5,<=5.2.4"
"""The moto versions this module was read against (pyproject's ``testing`` extra)."""

CONTRACT_MESSAGE: Final = (
    "aiodynamodb's in-memory DynamoDB relies on moto's private {internal}, which moto "
    "{version} no longer provides as expected ({detail}); aiodynamodb supports moto "
    "{supported}. Pin moto to that range, or report the moto version so "
    "aiodynamodb/testing/_moto.py can be updated."
)

UNKNOWN_OPERATION_MESSAGE: Final = (
    "moto's DynamoDB has no operation {operation!r} (moto {version}); the operation name "
    "is the one in DynamoDB's API reference, such as 'PutItem'"
)

DIRECT_AUTH_MESSAGE: Final = (
    "moto's IAM simulation is on (INITIAL_NO_AUTH_ACTION_COUNT / "
    "set_initial_no_auth_action_count), which checks signatures and policies on moto's "
    "HTTP request path; aiodynamodb's direct path sends no HTTP request. Use the server "
    "backend or a plain moto mock for IAM tests."
)

FAST_OPERATIONS: Final = frozenset(
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
"""Operations whose moto results are JSON as they stand, apart from binary values.

For these, moto >= 5.2's response serializer (which walks the output shape member by
member, ~10 look-ups per AttributeValue) is replaced by ``json.dumps`` with binary values
base64-encoded: the same JSON (a contract test compares the two on every kind of value).
Other operations (table descriptions carry timestamps and enums) keep moto's serializer.
"""

_JSON_CONTENT_TYPE: Final = "application/x-amz-json-1.0"

BackendHook = Callable[
    [str, bytes, str, str], tuple[int, bytes] | tuple[int, bytes, Mapping[str, str]]
]
"""``(operation, body, region, account) -> (status, body[, headers])``: answers a request
that reached moto's DynamoDB backend from any client (see :func:`install_backend_hook`)."""


class MotoContractError(RuntimeError):
    """A moto internal aiodynamodb relies on is missing or changed shape."""


class DirectAuthError(RuntimeError):
    """moto's IAM simulation is on, which the direct path cannot honour."""


class UnknownOperationError(ValueError):
    """:func:`dispatch` was given an operation moto's DynamoDB does not have."""


def moto_version() -> str:
    """The imported moto's version."""
    import moto

    return str(moto.__version__)


def responses_module() -> Any:
    """``moto.dynamodb.responses``."""
    from moto.dynamodb import responses

    return responses


def _broken(internal: str, detail: str) -> MotoContractError:
    return MotoContractError(
        CONTRACT_MESSAGE.format(
            internal=internal, version=moto_version(), detail=detail, supported=SUPPORTED_MOTO
        )
    )


# -- The direct dispatch ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Operation:
    """What moto works out per request for one operation, worked out once."""

    name: str
    method: Callable[[Any], Any]
    parser: Any  # moto >= 5.2: a JSONParser for the operation's input shape
    input_shape: Any
    operation_model: Any  # moto >= 5.2: for moto's serializer
    output_members: frozenset[str]  # moto >= 5.2: the top-level members DynamoDB answers
    fast: bool


class _Moto:
    """moto's DynamoDB machinery, imported and inspected once (on first dispatch)."""

    def __init__(self) -> None:
        try:
            from moto.core.responses import BaseResponse
            from moto.core.utils import camelcase_to_underscores
            from moto.dynamodb.responses import DynamoHandler
            from moto.utilities.utils import get_partition
            from werkzeug.exceptions import HTTPException
        except ImportError as error:
            raise _broken("module layout", str(error)) from error
        self.handler_class: type[Any] = DynamoHandler
        self.base_response: type[Any] = BaseResponse
        self.http_exception: type[BaseException] = HTTPException
        self.to_method_name: Callable[[str], str] = camelcase_to_underscores
        self.partition_of: Callable[[str], str] = get_partition
        self.lock = threading.RLock()
        self.operations: dict[str, _Operation] = {}
        # moto >= 5.2 sets automated_parameter_parsing in DynamoHandler.__init__ and reads
        # the parsed parameters in call_action; older moto json.loads the body there.
        self.parses_parameters = bool(
            getattr(DynamoHandler(), "automated_parameter_parsing", False)
        )
        self.service_exception: type[BaseException] | None = None
        self.action_result: type[Any] | None = None
        self.plain_results: tuple[type[Any], ...] = ()
        if self.parses_parameters:
            self._load_serialization()
        self._load_auth()

    def _load_serialization(self) -> None:
        try:
            from moto.core.exceptions import ServiceException
            from moto.core.parse import PROTOCOL_PARSERS
            from moto.core.responses import ActionContext, ActionResult
            from moto.core.serialize import get_serializer_class
            from moto.core.utils import get_service_model
        except ImportError as error:
            raise _broken("parameter parsing and response serialization", str(error)) from error
        self.service_exception = ServiceException
        self.action_result = ActionResult
        # DynamoResult (moto >= 5.2.x) is an ActionResult whose result dynamo_to_dict has
        # already turned into plain dicts; either is JSON apart from binary values.
        dynamo_result = getattr(responses_module(), "DynamoResult", ActionResult)
        self.plain_results = (ActionResult, dynamo_result)
        self.action_context = ActionContext
        self.service_model = get_service_model("dynamodb")
        self.parser_class = PROTOCOL_PARSERS["json"]
        self.serializer_class = get_serializer_class("dynamodb", "json")
        self.parser_map_type = getattr(self.handler_class, "PROTOCOL_PARSER_MAP_TYPE", dict)

    def _load_auth(self) -> None:
        from moto import settings
        from moto.core import responses

        self.settings = settings
        # moto < 5.2 defines it in core.responses; later moto imports it there too.
        self.authenticator: Any = getattr(responses, "ActionAuthenticatorMixin", None)
        if not hasattr(self.authenticator, "request_count"):
            raise _broken("ActionAuthenticatorMixin.request_count", "attribute missing")

    def operation(self, name: str) -> _Operation:
        found = self.operations.get(name)
        if found is None:
            found = self.operations[name] = self._build_operation(name)
        return found

    def _build_operation(self, name: str) -> _Operation:
        method_name = self.to_method_name(name)
        method = getattr(self.handler_class, method_name, None)
        if method is None or not callable(method) or method_name.startswith("_"):
            raise UnknownOperationError(
                UNKNOWN_OPERATION_MESSAGE.format(operation=name, version=moto_version())
            )
        parser = input_shape = operation_model = None
        members: frozenset[str] = frozenset()
        if self.parses_parameters:
            operation_model = self.service_model.operation_model(name)
            parser = self.parser_class(operation_model, map_type=self.parser_map_type)
            input_shape = operation_model.input_shape
            output = operation_model.output_shape
            members = frozenset(output.members) if output is not None else frozenset()
        fast = name in FAST_OPERATIONS
        return _Operation(name, method, parser, input_shape, operation_model, members, fast)

    def new_handler(self, region: str, account: str) -> Any:
        # DynamoHandler's operation methods read only body, region, current_account and
        # dynamodb_backend (a property over the last two); the rest of setup_class (URL,
        # headers, querystring, werkzeug request, IAM bookkeeping) is HTTP's business.
        handler: Any = object.__new__(self.handler_class)
        handler.service_name = "dynamodb"
        handler.automated_parameter_parsing = self.parses_parameters
        handler.region = region
        handler.current_account = account
        handler.partition = self.partition_of(region)
        handler.headers = {}
        handler.response_headers = {}
        handler.querystring = {}
        handler.method = "POST"
        handler.uri_match = None
        return handler

    def check_auth(self) -> None:
        # What BaseResponse.call_action does before every action: count requests while
        # moto's IAM simulation is off, check signatures once it is on.
        authenticator = self.authenticator
        if authenticator.request_count >= self.settings.INITIAL_NO_AUTH_ACTION_COUNT:
            raise DirectAuthError(DIRECT_AUTH_MESSAGE)
        authenticator.request_count += 1


_STATE: _Moto | None = None
_STATE_LOCK = threading.Lock()


def _moto() -> _Moto:
    global _STATE
    state = _STATE
    if state is None:
        with _STATE_LOCK:
            if _STATE is None:
                _STATE = _Moto()
            state = _STATE
    return state


def dispatch(
    operation: str, body: bytes | Mapping[str, Any], *, region: str, account: str
) -> tuple[int, bytes]:
    """Run one DynamoDB operation on moto's in-memory backend, without HTTP.

    Args:
        operation: The operation name, as in DynamoDB's API (``"PutItem"``).
        body: The request: its JSON bytes (what an SDK sends) or the parsed dict. A dict
            is not kept or changed.
        region: The region whose tables to use (``"us-east-1"``).
        account: The AWS account id whose tables to use (moto's default is
            ``"123456789012"``; see :func:`current_account`).

    Returns:
        The HTTP status and the JSON body DynamoDB's protocol answers with: 200 and the
        operation's output, or 400 and ``{"__type": ..., "message": ...}`` for an error
        moto raises as DynamoDB does. A raw Python exception from inside moto (a moto
        bug) propagates unchanged; what becomes of it is the caller's decision.

    Raises:
        UnknownOperationError: moto's DynamoDB has no such operation.
        MotoContractError: The installed moto does not have an internal this relies on.
    """
    moto = _moto()
    spec = moto.operation(operation)
    handler = moto.new_handler(region, account)
    with moto.lock:
        moto.check_auth()
        if moto.parses_parameters:
            return _dispatch_parsed(moto, spec, handler, body)
        return _dispatch_json(moto, spec, handler, body)


def _dispatch_json(moto: _Moto, spec: _Operation, handler: Any, body: Any) -> tuple[int, bytes]:
    # moto < 5.2: call_action's ``json.loads(self.body or "{}")``, then the method's JSON text.
    if isinstance(body, Mapping):
        # moto keeps and changes parts of the request it is given (items it stores);
        # a copy keeps the caller's dict (which a recorder may hold) as it was.
        handler.body = json.loads(json.dumps(body))
    else:
        handler.body = json.loads(body or b"{}")
    try:
        result = spec.method(handler)
    except moto.http_exception as error:
        return _error_response(error)
    if isinstance(result, str):
        return 200, result.encode()
    status, _headers, text = moto.base_response._transform_response({}, result)
    return status, text.encode() if isinstance(text, str) else bytes(text)


def _dispatch_parsed(moto: _Moto, spec: _Operation, handler: Any, body: Any) -> tuple[int, bytes]:
    # moto >= 5.2: parse_parameters (moto's JSON protocol parser over the input shape:
    # unknown members dropped, blobs decoded), call_action, then serialized().
    if isinstance(body, Mapping):
        params = spec.parser._parse_shape(spec.input_shape, body)
    else:
        params = spec.parser.parse({"body": body or b"{}", "headers": {}, "method": "POST"})
    handler.params = params
    handler.body = params
    assert moto.service_exception is not None
    assert moto.action_result is not None
    try:
        result = spec.method(handler)
    except moto.http_exception as error:
        return _error_response(error)
    except moto.service_exception as error:
        result = moto.action_result(error)
    if isinstance(result, str):
        return 200, result.encode()
    if spec.fast and type(result) in moto.plain_results:
        return 200, _fast_json(result.result, spec.output_members)
    if isinstance(result, moto.action_result):
        context = _context_for(moto, spec, handler)
        status, _headers, text = result.execute_result(context)
    else:
        status, _headers, text = moto.base_response._transform_response({}, result)
    return int(status), text.encode() if isinstance(text, str) else bytes(text)


def _context_for(moto: _Moto, spec: _Operation, handler: Any) -> Any:
    return moto.action_context(
        moto.service_model, spec.operation_model, moto.serializer_class, handler
    )


def _error_response(error: Any) -> tuple[int, bytes]:
    # BaseResponse.call_action: an HTTPException's description is the body, its code
    # the status (moto's DynamoDB errors are JsonRESTError, which is one).
    text = error.description
    return int(error.code), text.encode() if isinstance(text, str) else bytes(text)


def _encode_binary(value: object) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(value).decode()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _fast_json(result: Any, members: frozenset[str]) -> bytes:
    # moto's serializer writes only the output shape's members that are not None (moto
    # adds others: DeleteItem's ConsumedCapacityUnits); below the top level, moto's item
    # operations hold AttributeValues and capacities, which serialize as they are.
    shown = {key: value for key, value in result.items() if key in members and value is not None}
    return json.dumps(shown, default=_encode_binary).encode()


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
    from moto.iam.models import get_account_id_from

    return str(get_account_id_from(access_key or "AKIAEXAMPLE"))


# -- The backends and the mock ------------------------------------------------------------


def reset_backends() -> None:
    """Discard the state of every moto backend (all services, accounts, regions)."""
    from moto.core.base_backend import BackendDict

    BackendDict.reset()


def dynamodb_tables(account: str, region: str) -> dict[str, Any]:
    """moto's table objects of one account and region, by name (live: changes apply)."""
    from moto.dynamodb.models import dynamodb_backends

    tables: dict[str, Any] = dynamodb_backends[account][region].tables
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
