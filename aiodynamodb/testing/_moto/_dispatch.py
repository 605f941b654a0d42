"""The direct dispatch into moto's ``DynamoHandler`` (see the package docstring)."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiodynamodb.testing._moto._common import (
    DIRECT_AUTH_MESSAGE,
    FAST_OPERATIONS,
    UNKNOWN_OPERATION_MESSAGE,
    DirectAuthError,
    UnknownOperationError,
    _broken,
    moto_version,
    responses_module,
)
from aiodynamodb.testing._moto._parse import CompiledParser, Parse, mirrors_moto
from aiodynamodb.testing._moto._snapshot import CHANGES

# -- The direct dispatch ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Operation:
    """What moto works out per request for one operation, worked out once."""

    name: str
    method: Callable[[Any], Any]
    parser: Any  # moto >= 5.2: a JSONParser for the operation's input shape
    parse: Parse | None  # moto >= 5.2: the same parse, compiled (None: moto's runs)
    input_shape: Any
    operation_model: Any  # moto >= 5.2: for moto's serializer
    output_members: frozenset[str]  # moto >= 5.2: the top-level members DynamoDB answers
    fast: bool


def _share_region_session() -> None:
    """Let moto list a service's regions with the clients' botocore loader.

    Before a backend's first use moto builds its list of regions
    (``AccountSpecificBackend._generate_regions``) from a boto3 session of its own
    (``AccountSpecificBackend.get_session``), whose fresh loader lists botocore's ~400
    service folders and decodes ``endpoints.json`` (1.2 MB) and DynamoDB's model again:
    ~40 ms of the first test. A plain botocore session reading through the loader
    :func:`~aiodynamodb.client.default_session` already filled gives the same regions (the
    two methods moto calls exist on it with the same signatures, and the data is the
    same files), so the replacement changes no answer and stays for the process.
    """
    try:
        from moto.core.base_backend import AccountSpecificBackend
    except ImportError as error:
        raise _broken("moto.core.base_backend.AccountSpecificBackend", str(error)) from error
    if not callable(getattr(AccountSpecificBackend, "get_session", None)):
        raise _broken("AccountSpecificBackend.get_session", "attribute missing")
    backends: Any = AccountSpecificBackend
    backends.get_session = classmethod(_region_session)


_REGION_SESSIONS: list[Any] = []


def _region_session(_cls: Any) -> Any:
    if not _REGION_SESSIONS:
        import botocore.session

        from aiodynamodb.client import default_session

        session = botocore.session.Session()
        loader = default_session().get_component("data_loader")
        session.register_component("data_loader", loader)
        _REGION_SESSIONS.append(session)
    return _REGION_SESSIONS[0]


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
        _share_region_session()

    def _load_serialization(self) -> None:
        try:
            from moto.core.exceptions import ServiceException
            from moto.core.model import ServiceModel
            from moto.core.parse import PROTOCOL_PARSERS
            from moto.core.responses import ActionContext, ActionResult
            from moto.core.serialize import get_serializer_class
        except ImportError as error:
            raise _broken("parameter parsing and response serialization", str(error)) from error
        self.service_exception = ServiceException
        self.action_result = ActionResult
        # DynamoResult (moto >= 5.2.x) is an ActionResult whose result dynamo_to_dict has
        # already turned into plain dicts; either is JSON apart from binary values.
        dynamo_result = getattr(responses_module(), "DynamoResult", ActionResult)
        self.plain_results = (ActionResult, dynamo_result)
        self.action_context = ActionContext
        # The model moto.core.utils.get_service_model builds (moto ships no extras for
        # DynamoDB), over the description the clients' shared session has decoded already.
        from aiodynamodb.client import dynamodb_service_description

        self.service_model = ServiceModel(dynamodb_service_description(), "dynamodb")
        self.parser_class = PROTOCOL_PARSERS["json"]
        self.serializer_class = get_serializer_class("dynamodb", "json")
        self.parser_map_type = getattr(self.handler_class, "PROTOCOL_PARSER_MAP_TYPE", dict)
        self.compiled: CompiledParser | None = None

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
        parser = input_shape = operation_model = parse = None
        members: frozenset[str] = frozenset()
        if self.parses_parameters:
            operation_model = self.service_model.operation_model(name)
            parser = self.parser_class(operation_model, map_type=self.parser_map_type)
            input_shape = operation_model.input_shape
            if input_shape is not None and mirrors_moto(parser):
                if self.compiled is None:
                    self.compiled = CompiledParser(parser)
                parse = self.compiled.compile(input_shape)
            output = operation_model.output_shape
            members = frozenset(output.members) if output is not None else frozenset()
        fast = name in FAST_OPERATIONS
        return _Operation(name, method, parser, parse, input_shape, operation_model, members, fast)

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
    operation: str,
    body: bytes | Mapping[str, Any],
    *,
    region: str,
    account: str,
    params: Mapping[str, Any] | None = None,
) -> tuple[int, bytes]:
    """Run one DynamoDB operation on moto's in-memory backend, without HTTP.

    Args:
        operation: The operation name, as in DynamoDB's API (``"PutItem"``).
        body: The request: its JSON bytes (what an SDK sends) or the parsed dict. A dict
            is not kept or changed.
        region: The region whose tables to use (``"us-east-1"``).
        account: The AWS account id whose tables to use (moto's default is
            ``"123456789012"``; see :func:`current_account`).
        params: ``json.loads(body)``, when the caller holds it already (not kept or
            changed): moto >= 5.2 then parses it instead of the bytes.

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
            return _dispatch_parsed(moto, spec, handler, body if params is None else params)
        return _dispatch_json(moto, spec, handler, body)


def _dispatch_json(moto: _Moto, spec: _Operation, handler: Any, body: Any) -> tuple[int, bytes]:
    # moto < 5.2: call_action's ``json.loads(self.body or "{}")``, then the method's JSON text.
    if isinstance(body, Mapping):
        # moto keeps and changes parts of the request it is given (items it stores);
        # a copy keeps the caller's dict (which a recorder may hold) as it was.
        handler.body = json.loads(json.dumps(body))
    else:
        handler.body = json.loads(body or b"{}")
    CHANGES.note(spec.name, handler.body)
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
    # A given dict is never kept: the parse builds new maps and lists throughout.
    if spec.parse is not None:
        if not isinstance(body, Mapping):
            body = spec.parser._parse_body_as_json(body or b"{}")
        params = spec.parse(body)
    elif isinstance(body, Mapping):
        params = spec.parser._parse_shape(spec.input_shape, body)
    else:
        params = spec.parser.parse({"body": body or b"{}", "headers": {}, "method": "POST"})
    handler.params = params
    handler.body = params
    CHANGES.note(spec.name, params)
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
