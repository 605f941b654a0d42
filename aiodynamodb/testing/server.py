"""The in-memory DynamoDB on a loopback port, for any language or tool.

::

    python -m aiodynamodb.testing.server --port 8000      # or: aiodynamodb-server
    endpoint: http://127.0.0.1:8000

Point any DynamoDB client at the printed endpoint (any access key and secret; the region
in the request's signature picks the tables' region, else ``--region``). Every request
runs through the same interceptor chain as the in-process mock: DynamoDB's rules
(``--no-strict`` for moto's own behaviour), the response fixes, and, when the server runs
inside a test process (the plugin's ``server`` backend), that process's request recorder
and fault injector. A small threaded WSGI server (werkzeug, which moto already needs)
feeds it; no Flask, no Java, no Docker. ``Ctrl-C`` or ``SIGTERM`` stops it cleanly.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from http import HTTPStatus
from types import FrameType, TracebackType
from typing import Any, Self

from aiodynamodb.testing import _moto
from aiodynamodb.testing._call import DynamoCall, DynamoResponse
from aiodynamodb.testing._chain import SyncAsyncContext, crash_response, moto_terminal, run_chain
from aiodynamodb.testing._entries import LOCAL_SERVERS
from aiodynamodb.testing.environment import FAKE_REGION

TARGET_PREFIX = "DynamoDB_20120810."
"""The ``X-Amz-Target`` of DynamoDB's JSON protocol, before the operation name."""

HEALTH_TEXT = "aiodynamodb in-memory DynamoDB: POST DynamoDB API requests here\n"

_SCOPE = re.compile(r"Credential=[^/,]+/\d{8}/([^/,]+)/")

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def _region(authorization: str, default: str) -> str:
    match = _SCOPE.search(authorization)
    return match.group(1) if match else default


def _read_body(environ: dict[str, Any]) -> bytes:
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    if length:
        return bytes(stream.read(int(length)))
    # Chunked bodies: werkzeug hands a stream that ends with the request.
    return bytes(stream.read()) if environ.get("wsgi.input_terminated") else b""


def _answer(call: DynamoCall | None, body: bytes) -> DynamoResponse:
    if call is None:
        return DynamoResponse.error("UnknownOperationException", "")
    try:
        json.loads(body or b"{}")
    except ValueError:
        return DynamoResponse.error("SerializationException", "Malformed JSON")
    try:
        return run_chain(call)
    except Exception as error:  # a user's interceptor: another process cannot see it raised
        return crash_response(call, "an interceptor", error)


def wsgi_app(default_region: str = FAKE_REGION) -> Callable[..., Iterable[bytes]]:
    """The WSGI application: DynamoDB's JSON protocol (``POST /``), answered by the chain.

    Args:
        default_region: The region of requests whose signature names none.
    """

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method != "POST":  # a health check: the server is up
            text = HEALTH_TEXT.encode()
            start_response(
                "200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(text)))]
            )
            return [text]
        body = _read_body(environ)
        authorization = str(environ.get("HTTP_AUTHORIZATION", ""))
        headers = {
            "Authorization": authorization,
            "x-moto-account-id": str(environ.get("HTTP_X_MOTO_ACCOUNT_ID", "")),
        }
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        region = _region(authorization, default_region)
        call = None
        if target.startswith(TARGET_PREFIX):
            call = DynamoCall(
                target[len(TARGET_PREFIX) :],
                body,
                region=region,
                account=_moto.account_for(headers),
                source="http",
                terminal=moto_terminal,
            )
        response = _answer(call, body)
        status = f"{response.status_code} {HTTPStatus(response.status_code).phrase}"
        start_response(status, response.http_headers())
        return [response.raw]

    return app


class DynamoDBServer(SyncAsyncContext):
    """The in-memory DynamoDB served over HTTP in a thread of this process.

    Use it as ``with`` / ``async with``, or :meth:`start` and :meth:`stop`. Requests from
    clients in this process that point at it are left to it, so the chain sees each
    request once.

    Args:
        host: The address to listen on (loopback by default).
        port: The port; 0 picks a free one (see :attr:`endpoint_url`).
        region: The region of requests whose signature names none.
        strict: Apply DynamoDB's rules (the strict layer) while running. Leave it False
            when a strict layer is already active in this process (``MemoryDynamoDB``).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        region: str = FAKE_REGION,
        strict: bool = True,
    ) -> None:
        self.host = host
        self.port = port
        self.region = region
        self.strict = strict
        self.endpoint_url: str | None = None
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._stack: ExitStack | None = None
        self._urls: list[str] = []

    def start(self) -> Self:
        """Listen and serve in a daemon thread (idempotent)."""
        if self._server is not None:
            return self
        from werkzeug.serving import WSGIRequestHandler, make_server

        class QuietHandler(WSGIRequestHandler):
            # Keep-alive: SDKs reuse their connection (every response has a length).
            protocol_version = "HTTP/1.1"

            def log_request(self, *args: Any, **kwargs: Any) -> None:
                """One line per request would drown the test output."""

        stack = ExitStack()
        if self.strict:
            from aiodynamodb.testing.strict import strict_layer

            stack.enter_context(strict_layer())
        try:
            server = make_server(
                self.host,
                self.port,
                wsgi_app(self.region),
                threaded=True,
                request_handler=QuietHandler,
            )
        except BaseException:
            stack.close()
            raise
        self._server, self._stack = server, stack
        self.port = int(server.server_port)
        shown = f"[{self.host}]" if ":" in self.host else self.host
        self.endpoint_url = f"http://{shown}:{self.port}"
        self._urls = [self.endpoint_url]
        if self.host in ("127.0.0.1", "0.0.0.0"):
            self._urls.append(f"http://localhost:{self.port}")
        for url in self._urls:
            LOCAL_SERVERS.add(url)
        self._thread = threading.Thread(
            target=server.serve_forever, name=f"aiodynamodb-server-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port (idempotent)."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        for url in self._urls:
            LOCAL_SERVERS.remove(url)
        if self._stack is not None:
            self._stack.close()
            self._stack = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aiodynamodb-server",
        description="Serve aiodynamodb's in-memory DynamoDB on a port, for any client.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port; 0 picks one (8000)")
    parser.add_argument(
        "--region",
        default=FAKE_REGION,
        help=f"region of requests whose signature names none (default: {FAKE_REGION})",
    )
    parser.add_argument(
        "--no-strict",
        dest="strict",
        action="store_false",
        help="moto's own behaviour instead of DynamoDB's rules",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server until SIGINT or SIGTERM; print its endpoint once listening.

    Returns:
        The exit status: 0 after a clean stop.
    """
    args = _parser().parse_args(argv)
    stopping = threading.Event()

    def on_signal(number: int, frame: FrameType | None) -> None:
        stopping.set()

    previous = {
        number: signal.signal(number, on_signal) for number in (signal.SIGINT, signal.SIGTERM)
    }
    server = DynamoDBServer(args.host, args.port, region=args.region, strict=args.strict)
    try:
        server.start()
        mode = "strict" if args.strict else "moto's own rules (--no-strict)"
        print(f"endpoint: {server.endpoint_url}", flush=True)
        print(f"region: {args.region}; {mode}; stop with Ctrl-C", file=sys.stderr, flush=True)
        while not stopping.wait(0.5):
            pass
    finally:
        server.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
    print("stopped", file=sys.stderr, flush=True)
    return 0


__all__ = ["HEALTH_TEXT", "TARGET_PREFIX", "DynamoDBServer", "main", "wsgi_app"]


if __name__ == "__main__":
    sys.exit(main())
