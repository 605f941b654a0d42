"""Every private botocore/aiobotocore API aiodynamodb relies on, in one place.

Modelled on PynamoDB's ``pynamodb/connection/_botocore_private.py``: each private attribute,
method or class of botocore or aiobotocore that the package reads, calls, overrides or
patches is reached through a function here, named for what it does. When a release moves
one, the function raises :class:`BotocoreContractError` naming the API and the installed
versions instead of the fast path quietly turning itself off (or moto running twice); the
contract tests (``tests/integration/test_botocore_contract.py``) check each one on every
aiobotocore line ``make test`` runs (2.24.1 in ``test-lowest``, 2.25.1 in
``test-aioboto3``, 3.9.2 in the other stages).

Why this module belongs to the client layer, with a small public surface for testing: the
client is the lowest layer that talks to botocore (``DynamoDB`` shares a session, the wire
fast path swaps a client's serializer and response parser), and :mod:`aiodynamodb.testing`
sits above it. A module shared below both would have to be imported by the testing layer
under a private name, which the layers contract forbids (the testing layer and the plugin use
only public names of the layers below them). So the module is private to
``aiodynamodb.client``, and the package re-exports the few functions the in-memory backend
needs (:data:`TESTING_SURFACE`): creating a client without opening its HTTP session,
patching ``AioSession._create_client``, listing a client's event handlers and sending a
prepared request through a client's endpoint. They are documented as support for
``aiodynamodb.testing``, not as API for applications.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from importlib import metadata
from typing import Any, Final

SUPPORTED: Final = "aiobotocore>=2.24.1,<=3.9.2"
"""The aiobotocore releases this module was read against (pyproject's dependency range)."""

CONTRACT_MESSAGE: Final = (
    "aiodynamodb relies on {api}, private to {owner}, which {versions} no longer provides "
    "as expected ({detail}); aiodynamodb supports {supported}. Pin aiobotocore to that "
    "range, or report these versions so aiodynamodb/client/_botocore.py can be updated."
)

TESTING_SURFACE: Final = (
    "client_access_key",
    "client_endpoint",
    "create_unbound_client",
    "event_handlers",
    "handler_by_id",
    "http_response",
    "send_prepared",
    "session_client_factory",
    "set_session_client_factory",
)
"""The functions :mod:`aiodynamodb.client` re-exports for :mod:`aiodynamodb.testing`."""


class BotocoreContractError(RuntimeError):
    """A private botocore/aiobotocore API aiodynamodb relies on is missing or has changed.

    Args:
        api: The API, as ``module.Class.attribute``.
        owner: ``"botocore"`` or ``"aiobotocore"``.
        detail: What was found instead.
    """

    def __init__(self, api: str, owner: str, detail: str) -> None:
        super().__init__(
            CONTRACT_MESSAGE.format(
                api=api, owner=owner, versions=versions(), detail=detail, supported=SUPPORTED
            )
        )
        self.api = api


def versions() -> str:
    """The installed versions, as ``"aiobotocore X, botocore Y"`` (for error messages)."""
    found = []
    for name in ("aiobotocore", "botocore"):
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:  # pragma: no cover - both are dependencies
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def _attribute(obj: Any, name: str, api: str, owner: str = "botocore") -> Any:
    try:
        return getattr(obj, name)
    except AttributeError:
        raise BotocoreContractError(
            api, owner, f"{type(obj).__name__} has no attribute {name!r}"
        ) from None


# -- Sessions ---------------------------------------------------------------------------------


def forget_credentials(session: Any) -> None:
    """Drop the credentials a botocore session cached (``Session._credentials``), so the
    next client resolves them again from the environment."""
    _attribute(session, "_credentials", "botocore.session.Session._credentials")
    session._credentials = None


async def create_unbound_client(session: Any, service_name: str, **kwargs: Any) -> Any:
    """An aiobotocore client made by ``AioSession._create_client``.

    Unlike ``create_client`` (an async context manager that opens an aiohttp session on the
    running loop), the client is bound to no event loop; aiomoto patches this method to
    route clients to moto, which the in-memory backend's shared client relies on.
    """
    create = _attribute(
        session, "_create_client", "aiobotocore.session.AioSession._create_client", "aiobotocore"
    )
    return await create(service_name, **kwargs)


def session_client_factory() -> Any:
    """``AioSession._create_client`` as it is now (possibly patched by aiomoto or us)."""
    from aiobotocore.session import AioSession

    return _attribute(
        AioSession, "_create_client", "aiobotocore.session.AioSession._create_client", "aiobotocore"
    )


def set_session_client_factory(factory: Any) -> None:
    """Replace ``AioSession._create_client`` (every aiobotocore client is made by it)."""
    from aiobotocore.session import AioSession

    session_client_factory()  # refuse to patch a method that is not there
    AioSession._create_client = factory


# -- Clients and endpoints --------------------------------------------------------------------


def client_serializer(client: Any) -> Any:
    """The request serializer of a client (``BaseClient._serializer``)."""
    return _attribute(client, "_serializer", "botocore.client.BaseClient._serializer")


def set_client_serializer(client: Any, serializer: Any) -> None:
    """Give a client another request serializer (``BaseClient._serializer``)."""
    client_serializer(client)
    client._serializer = serializer


def validates_parameters(serializer: Any) -> bool:
    """Whether a client's serializer validates parameters first.

    botocore wraps the serializer in a ``validate.ParamValidationDecorator`` when the
    client's ``parameter_validation`` is on; that wrapper, not ``client.meta.config`` (which
    does not keep the setting), says whether the client validates.
    """
    from botocore import validate

    decorator = _attribute(
        validate, "ParamValidationDecorator", "botocore.validate.ParamValidationDecorator"
    )
    return isinstance(serializer, decorator)


def client_endpoint(client: Any) -> Any:
    """The endpoint a client sends through (``BaseClient._endpoint``)."""
    return _attribute(client, "_endpoint", "botocore.client.BaseClient._endpoint")


async def send_prepared(endpoint: Any, request: Any) -> Any:
    """Send a prepared request through an endpoint, without botocore's retries and events
    (``AioEndpoint._send``); returns the HTTP response."""
    send = _attribute(endpoint, "_send", "aiobotocore.endpoint.AioEndpoint._send", "aiobotocore")
    return await send(request)


def response_parser_factory(endpoint: Any) -> Any:
    """The factory an endpoint makes response parsers with
    (``Endpoint._response_parser_factory``)."""
    return _attribute(
        endpoint, "_response_parser_factory", "botocore.endpoint.Endpoint._response_parser_factory"
    )


def set_response_parser_factory(endpoint: Any, factory: Any) -> None:
    """Give an endpoint another response parser factory, with the old one's defaults
    (``ResponseParserFactory._defaults``)."""
    current = response_parser_factory(endpoint)
    defaults = _attribute(current, "_defaults", "botocore.parsers.ResponseParserFactory._defaults")
    factory._defaults = dict(defaults)
    endpoint._response_parser_factory = factory


def event_handlers(client: Any, event_name: str) -> list[Any]:
    """The handlers a client's event emitter runs for ``event_name``, in order
    (``EventAliaser._emitter`` and ``HierarchicalEmitter._handlers.prefix_search``)."""
    events = client.meta.events
    emitter = getattr(events, "_emitter", events)  # EventAliaser wraps the emitter
    handlers = _attribute(emitter, "_handlers", "botocore.hooks.HierarchicalEmitter._handlers")
    search = _attribute(handlers, "prefix_search", "botocore.hooks._PrefixTrie.prefix_search")
    return list(search(event_name))


def handler_by_id(client: Any, unique_id: str) -> Any:
    """The handler a client's emitter registered under ``unique_id``, or None
    (``HierarchicalEmitter._unique_id_handlers``; botocore's retry handler is
    ``retry-config-<service>``)."""
    events = client.meta.events
    emitter = getattr(events, "_emitter", events)  # EventAliaser wraps the emitter
    entries = _attribute(
        emitter, "_unique_id_handlers", "botocore.hooks.HierarchicalEmitter._unique_id_handlers"
    )
    entry = entries.get(unique_id)
    return entry.get("handler") if isinstance(entry, dict) else None


# -- The direct transport (in-process backends) ----------------------------------------------


def client_access_key(client: Any) -> str | None:
    """The access key a client signs with (``BaseClient._request_signer._credentials``),
    or None for an unsigned client: the in-memory backend files requests by it."""
    signer = _attribute(client, "_request_signer", "botocore.client.BaseClient._request_signer")
    credentials = _attribute(signer, "_credentials", "botocore.signers.RequestSigner._credentials")
    if credentials is None:
        return None
    key = getattr(credentials, "access_key", None)
    return None if key is None else str(key)


def http_response(url: str, status: int, headers: Any, body: bytes) -> Any:
    """An ``AioAWSResponse`` over bytes already in hand (what botocore's retry handlers and
    error parser read)."""
    from aiobotocore.awsrequest import AioAWSResponse
    from botocore.compat import HTTPHeaders

    fields = HTTPHeaders()
    for key, value in headers:
        fields[key] = value
    return AioAWSResponse(url, status, fields, _BytesStream(body))


class _BytesStream:
    """The raw stream of an ``AioAWSResponse`` over bytes (aiohttp's ``content`` shape)."""

    __slots__ = ("_data", "content")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self.content = self

    async def read(self, amount: int = -1) -> bytes:
        data, self._data = self._data, b""
        return data

    def at_eof(self) -> bool:
        return not self._data

    def close(self) -> None:
        self._data = b""


async def parse_error_response(endpoint: Any, operation_model: Any, response: Any) -> Any:
    """The dict botocore's endpoint parses an error ``response`` into: ``Error``,
    ``ResponseMetadata`` and the error shape's modeled fields (``CancellationReasons``,
    ``Item``) (``Endpoint._response_parser_factory`` and
    ``AioEndpoint._add_modeled_error_fields``)."""
    factory = response_parser_factory(endpoint)
    add_fields = _attribute(
        endpoint,
        "_add_modeled_error_fields",
        "aiobotocore.endpoint.AioEndpoint._add_modeled_error_fields",
        "aiobotocore",
    )
    response_dict = {
        "headers": response.headers,
        "status_code": response.status_code,
        "context": {"operation_name": operation_model.name},
        "body": await response.content,
    }
    parser = factory.create_parser(operation_model.service_model.resolved_protocol)
    parsed = parser.parse(response_dict, operation_model.output_shape)
    if inspect.isawaitable(parsed):
        parsed = await parsed
    await add_fields(response_dict, parsed, operation_model, parser)
    return parsed


async def needs_retry(
    endpoint: Any, attempts: int, operation_model: Any, request_dict: Any, response: Any
) -> bool:
    """Ask the client's retry handlers (``needs-retry`` event) whether to send again after
    ``response``, sleeping the delay they return, as botocore's endpoint does between
    attempts (``AioEndpoint._needs_retry``)."""
    decide = _attribute(
        endpoint, "_needs_retry", "aiobotocore.endpoint.AioEndpoint._needs_retry", "aiobotocore"
    )
    return bool(await decide(attempts, operation_model, request_dict, response, None))


def quota_releasers(client: Any, operation_name: str) -> list[Any]:
    """The standard retry mode's quota refill handlers on a client's ``after-call`` event
    (``RetryQuotaChecker.release_retry_quota``): every successful call gives retry quota
    back, which the direct transport must do too or a long run of injected throttling
    would drain it. Empty for the legacy mode."""
    service = client.meta.service_model.service_id.hyphenize()
    handlers = event_handlers(client, f"after-call.{service}.{operation_name}")
    return [h for h in handlers if getattr(h, "__name__", "") == "release_retry_quota"]


# -- Response parsing --------------------------------------------------------------------------


def json_parser_factory_class(
    handle_body: Callable[[Callable[[bytes], Any], bytes], Any], active: Callable[[], bool]
) -> type[Any]:
    """A response parser factory class whose JSON parsers hand the body to ``handle_body``
    while ``active()``, instead of walking it against the output shape.

    ``handle_body(parse_json, raw_body)`` gets botocore's JSON decoding of the body
    (``BaseJSONParser._parse_body_as_json``) and returns the parsed result; it replaces
    ``BaseJSONParser._handle_json_body``, which aiobotocore's JSON parser (its
    ``PROTOCOL_PARSERS["json"]``) calls for a successful response. Errors are parsed by
    botocore as always (``BaseJSONParser._do_modeled_error_parse`` keeps the shape walk).
    """
    from aiobotocore import parsers

    protocol_parsers = _attribute(
        parsers, "PROTOCOL_PARSERS", "aiobotocore.parsers.PROTOCOL_PARSERS", "aiobotocore"
    )
    base: Any = protocol_parsers.get("json")
    if base is None:
        raise BotocoreContractError(
            "aiobotocore.parsers.PROTOCOL_PARSERS['json']", "aiobotocore", "no 'json' parser"
        )
    for name in ("_handle_json_body", "_parse_body_as_json", "_do_modeled_error_parse"):
        _attribute(base, name, f"botocore.parsers.BaseJSONParser.{name}")
    factory_base: Any = _attribute(
        parsers,
        "AioResponseParserFactory",
        "aiobotocore.parsers.AioResponseParserFactory",
        "aiobotocore",
    )

    class KeptJSONParser(base):  # type: ignore[misc]
        """aiobotocore's JSON parser, keeping the parsed JSON of a successful response."""

        def _handle_json_body(self, raw_body: bytes, shape: Any) -> Any:
            return handle_body(self._parse_body_as_json, raw_body)

        def _do_modeled_error_parse(self, response: Any, shape: Any) -> Any:
            # An error's modeled fields (CancellationReasons, a failed condition's Item)
            # through the error shape, as botocore parses them: the kept JSON would add
            # the body's "__type" to the exception's response.
            return base._handle_json_body(self, response["body"], shape)

    class ParserFactory(factory_base):  # type: ignore[misc]
        """Hands out :class:`KeptJSONParser` while ``active()``."""

        def create_parser(self, protocol_name: str) -> Any:
            if protocol_name == "json" and active():
                return KeptJSONParser(**self._defaults)
            return super().create_parser(protocol_name)

    return ParserFactory


__all__ = [
    "CONTRACT_MESSAGE",
    "SUPPORTED",
    "TESTING_SURFACE",
    "BotocoreContractError",
    "client_access_key",
    "client_endpoint",
    "client_serializer",
    "create_unbound_client",
    "event_handlers",
    "forget_credentials",
    "handler_by_id",
    "http_response",
    "json_parser_factory_class",
    "needs_retry",
    "parse_error_response",
    "quota_releasers",
    "response_parser_factory",
    "send_prepared",
    "session_client_factory",
    "set_client_serializer",
    "set_response_parser_factory",
    "set_session_client_factory",
    "validates_parameters",
    "versions",
]
