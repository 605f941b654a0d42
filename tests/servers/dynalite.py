"""Start dynalite on a free loopback port, run a command against it, stop it.

dynalite (npm ``dynalite``, pinned in ``tests/servers/package.json``) is an independent
DynamoDB implementation on LevelDB; here it always runs in memory. ``make`` installs it into
``.dynalite/`` at the repository root. Two ways to use it:

Command line (``make test`` uses this)::

    python -m tests.servers.dynalite [options] -- COMMAND [ARGS...]

starts dynalite on ``127.0.0.1`` with a port the kernel picks, waits until a real
``ListTables`` call answers, runs ``COMMAND`` with every ``{endpoint}`` in its arguments
replaced by the URL and with ``AIODYNAMODB_TEST_ENDPOINT`` and ``DYNAMODB_ENDPOINT_URL`` set
to it, then stops the process group it started (also when the command fails or on Ctrl-C /
SIGTERM) and exits with the command's exit code. Without a command it prints the URL and
serves until interrupted.

Python::

    from tests.servers.dynalite import start_dynalite

    with start_dynalite() as server:      # or: server = start_dynalite(); ...; server.stop()
        server.endpoint                   # "http://127.0.0.1:PORT"

What dynalite 4.0.0 does, checked against it with a raw aiobotocore client (fake
credentials, botocore's parameter validation off so requests reach the server). Tests of
anything listed as missing or different must skip on dynalite, naming the limitation.

Operations
    Supported: BatchGetItem, BatchWriteItem, CreateTable, DeleteItem, DeleteTable,
    DescribeTable, DescribeTimeToLive, GetItem, ListTables, ListTagsOfResource, PutItem,
    Query, Scan, TagResource, UntagResource, UpdateItem, UpdateTable. Every other operation
    (TransactWriteItems, TransactGetItems, UpdateTimeToLive, ExecuteStatement,
    ExecuteTransaction, BatchExecuteStatement, DescribeEndpoints, DescribeLimits,
    DescribeContinuousBackups, ...) is HTTP 400 ``UnknownOperationException`` with no
    message (body ``{"__type":"com.amazon.coral.service#UnknownOperationException"}``;
    botocore gives a plain ``ClientError`` whose message is ``""``).
    DescribeTimeToLive always answers ``{"TimeToLiveStatus": "DISABLED"}``.

Tables
    Names: 3-255 characters of ``[a-zA-Z0-9_.-]`` ("TableName must be at least 3 characters
    long and at most 255 characters long"); index names at least 3 characters too. botocore
    itself refuses names under 3 characters client-side (``ParamValidationError``) unless
    parameter validation is off. A new table is ``CREATING`` for ``create_table_ms`` (dynalite's
    default 500 ms; this runner's 50 ms, so waiting for ACTIVE is still exercised), a deleted
    one ``DELETING`` for ``delete_table_ms``; ListTables lists both states. Item calls on a
    CREATING or DELETING table: ``ResourceNotFoundException`` "Requested resource not found".
    Unknown table: ``ResourceNotFoundException`` "Requested resource not found: Table: NAME
    not found" (DescribeTable, DeleteTable, DescribeTimeToLive). CreateTable of an existing
    name: ``ResourceInUseException`` with an empty message (DynamoDB: "Table already exists:
    NAME"). DeleteTable of a DELETING table answers 200 again. ``Tags`` in CreateTable are
    ignored (ListTagsOfResource is empty; TagResource afterwards works). SSESpecification,
    StreamSpecification, TableClass, DeletionProtectionEnabled are accepted and ignored.
    Provisioned and PAY_PER_REQUEST billing, GSIs and LSIs with ALL / KEYS_ONLY / INCLUDE,
    UpdateTable of the billing mode all work; an AttributeDefinition that no key uses and
    throughput with PAY_PER_REQUEST are ValidationExceptions as in DynamoDB.

Errors (HTTP 400, body ``{"__type": "com.amazonaws.dynamodb.v20120810#CODE",
"message": ...}``)
    A failed condition on PutItem / UpdateItem / DeleteItem is
    ``ConditionalCheckFailedException`` "The conditional request failed";
    ``ReturnValuesOnConditionCheckFailure`` is ignored (no ``Item`` in the error).
    ``ValidationException`` messages match DynamoDB's for the common cases, e.g. "One or more
    parameter values were invalid: Missing the key r in the item", "... Type mismatch for
    key r expected: N actual: S", "The provided key element does not match the schema",
    "One or more parameter values are not valid. The AttributeValue for a key attribute
    cannot contain an empty string value. Key: k", "One or more parameter values were
    invalid: An string set  may not be empty", "... Input collection [a, a] contains
    duplicates.", "Number overflow. ..." / "Number underflow. ..." (range 1E-130 to
    9.99...E+125 enforced), "Attempting to store more than 38 significant digits in a
    Number", "Item size has exceeded the maximum allowed size" (UpdateItem: "Item size to
    update has exceeded ..."), "... Cannot update attribute r. This attribute is part of the
    key", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:z}",
    reserved words, "Consistent reads are not supported on global secondary indexes",
    "The table does not have the specified index: NAME", "Query condition missed key schema
    element: k", hash keys over 2048 and range keys over 1024 bytes. More than 25 writes /
    100 keys in a batch: the generic "1 validation error detected: Value '...' at
    'requestItems' failed to satisfy constraint: ..." form, with the whole request echoed.

Where dynalite is laxer or different than DynamoDB
    An empty string in a GSI/LSI key attribute is accepted (DynamoDB refuses it). Item size
    is 409,600 bytes counted DynamoDB's way for ASCII, but string lengths are UTF-16 code
    units, not UTF-8 bytes (300,000 "é" are accepted). Number sizes follow dynalite's own
    formula. "+7" is refused ("The parameter cannot be converted to a numeric value: +7").
    Numbers read back normalised but in plain notation: "1E-130" comes back as 0.000...01,
    "1E+10" as "10000000000", "-0" as "0", "2.0" as "2"; set members keep insertion order.
    Maps nested deeper than 32 levels are accepted. ``ReturnItemCollectionMetrics`` is
    ignored (no ItemCollectionMetrics even with an LSI); ``ReturnConsumedCapacity`` works.

Query / Scan / batches
    ``Limit`` counts items evaluated before the filter (Count 0, ScannedCount 3 and a
    LastEvaluatedKey for Limit=3 with a filter nothing matched). ``LastEvaluatedKey`` is
    returned whenever a page stops at ``Limit``, also when the ``Limit``-th item was the
    last one (Limit=10 over 10 items gives a key, Limit=11 none) - as DynamoDB does. Pages
    stop after 1 MB. ExclusiveStartKey, ScanIndexForward=False, Select=COUNT, projections
    of nested paths, parallel scans (segments by hash key, so items with one hash key all
    land in one segment) all work. BatchWriteItem never returns UnprocessedItems.
    BatchGetItem returns items in random order and puts keys into ``UnprocessedKeys`` once
    the response passes 1 MiB + 400 KiB (e.g. 3 of 6 items of 400 KB); from its source, those
    UnprocessedKeys keep only ``AttributesToGet``/``ConsistentRead``, dropping
    ``ProjectionExpression`` and ``ExpressionAttributeNames``, so a retry must rebuild them
    from the original request.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType, TracebackType

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIR = REPO_ROOT / ".dynalite"
"""Where ``make`` installs the npm packages (``node_modules/dynalite`` below it)."""
LAUNCHER = Path(__file__).with_name("dynalite_server.js")
ENDPOINT_ENV = "AIODYNAMODB_TEST_ENDPOINT"
ENDPOINT_ENV_ALIASES = ("DYNAMODB_ENDPOINT_URL",)
SERVER_KIND_ENV = "AIODYNAMODB_SERVER_KIND"
PLACEHOLDER = "{endpoint}"
READY_LINE = "DYNALITE_LISTENING "

NOT_INSTALLED = (
    "dynalite is not installed: {path} does not exist. Install it with `make .dynalite/.stamp` "
    "(npm install into .dynalite/, no global install), or point --dir / DYNALITE_DIR at a "
    "folder whose node_modules holds dynalite."
)
NO_NODE = "Node.js is required to run dynalite, but `node` is not on PATH."
NEVER_READY = (
    "dynalite did not answer ListTables at {endpoint} within {timeout:.0f} s "
    "(last error: {error}).\n--- dynalite output ---\n{log}"
)
EXITED = "dynalite exited with code {code} before it was ready.\n--- dynalite output ---\n{log}"


class DynaliteError(RuntimeError):
    """dynalite could not be started, or never answered."""


class DynaliteServer:
    """A running dynalite process, in a process group of its own.

    Attributes:
        endpoint: ``http://127.0.0.1:PORT``, the URL to give clients.
        port: The port dynalite listens on.
        pid: The process id, also the process group id.
    """

    def __init__(self, process: subprocess.Popen[bytes], log_path: Path, port: int) -> None:
        self._process = process
        self._log_path = log_path
        self.port = port
        self.pid = process.pid
        self.endpoint = f"http://127.0.0.1:{port}"

    def output(self) -> str:
        """Return what dynalite has written to stdout and stderr so far."""
        return _read_log(self._log_path)

    def running(self) -> bool:
        """Return whether the dynalite process is still alive."""
        return self._process.poll() is None

    def stop(self, timeout: float = 5.0) -> None:
        """Stop dynalite's process group (SIGTERM, then SIGKILL after ``timeout``); idempotent."""
        _stop_group(self._process, timeout)
        with contextlib.suppress(FileNotFoundError):
            self._log_path.unlink()

    def __enter__(self) -> DynaliteServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<DynaliteServer {self.endpoint} pid={self.pid}>"


def start_dynalite(
    *,
    dynalite_dir: Path | str | None = None,
    create_table_ms: int = 50,
    delete_table_ms: int = 50,
    update_table_ms: int = 50,
    timeout: float = 30.0,
) -> DynaliteServer:
    """Start an in-memory dynalite on a free ``127.0.0.1`` port and wait until it answers.

    Args:
        dynalite_dir: The folder whose ``node_modules`` holds dynalite; defaults to
            ``$DYNALITE_DIR`` or ``.dynalite/`` at the repository root.
        create_table_ms: How long a new table stays ``CREATING``.
        delete_table_ms: How long a deleted table stays ``DELETING``.
        update_table_ms: How long an updated table stays ``UPDATING``.
        timeout: Seconds to wait for the port and for a successful ``ListTables``.

    Returns:
        The running server; call ``stop()`` (or use it as a context manager).

    Raises:
        DynaliteError: dynalite or Node.js is missing, dynalite exited, or it never answered;
            the message holds dynalite's own output.
    """
    folder = Path(dynalite_dir or os.environ.get("DYNALITE_DIR") or DEFAULT_DIR)
    module = folder.resolve() / "node_modules" / "dynalite"
    if not (module / "package.json").is_file():
        raise DynaliteError(NOT_INSTALLED.format(path=module))
    node = shutil.which("node")
    if node is None:
        raise DynaliteError(NO_NODE)

    fd, log_name = tempfile.mkstemp(prefix="dynalite-", suffix=".log")
    log_path = Path(log_name)
    args = [node, str(LAUNCHER), str(module)]
    args += [str(create_table_ms), str(delete_table_ms), str(update_table_ms)]
    try:
        # A session of its own gives dynalite its own process group (pgid == pid), so
        # stopping it can signal exactly that group and nothing else; stdin is a pipe
        # whose closing makes the launcher exit even if this process dies abruptly.
        process = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=fd,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except BaseException:
        os.close(fd)
        log_path.unlink()
        raise
    os.close(fd)
    try:
        deadline = time.monotonic() + timeout
        port = _wait_for_port(process, log_path, deadline)
        server = DynaliteServer(process, log_path, port)
        _wait_until_answering(server, process, deadline, timeout)
    except BaseException:
        _stop_group(process, 5.0)
        with contextlib.suppress(FileNotFoundError):
            log_path.unlink()
        raise
    return server


def _wait_for_port(process: subprocess.Popen[bytes], log_path: Path, deadline: float) -> int:
    while True:
        for line in _read_log(log_path).splitlines():
            if line.startswith(READY_LINE):
                return int(line[len(READY_LINE) :])
        code = process.poll()
        if code is not None:
            raise DynaliteError(EXITED.format(code=code, log=_read_log(log_path)))
        if time.monotonic() > deadline:
            raise DynaliteError(
                NEVER_READY.format(
                    endpoint="(no port yet)",
                    timeout=0,
                    error="it never reported a listening port",
                    log=_read_log(log_path),
                )
            )
        time.sleep(0.02)


def _wait_until_answering(
    server: DynaliteServer,
    process: subprocess.Popen[bytes],
    deadline: float,
    timeout: float,
) -> None:
    # A real signed request, not a TCP probe: the server is ready when DynamoDB calls work.
    import botocore.config
    import botocore.session

    session = botocore.session.Session()
    session.set_credentials("fake-access-key", "fake-secret-key")
    client = session.create_client(
        "dynamodb",
        region_name="us-east-1",
        endpoint_url=server.endpoint,
        config=botocore.config.Config(
            connect_timeout=1, read_timeout=2, retries={"max_attempts": 0}
        ),
    )
    last_error = "none"
    try:
        while True:
            code = process.poll()
            if code is not None:
                raise DynaliteError(EXITED.format(code=code, log=server.output()))
            try:
                client.list_tables()
            except Exception as exc:  # any failure: retry until the deadline, then report it
                last_error = f"{type(exc).__name__}: {exc}"
            else:
                return
            if time.monotonic() > deadline:
                raise DynaliteError(
                    NEVER_READY.format(
                        endpoint=server.endpoint,
                        timeout=timeout,
                        error=last_error,
                        log=server.output(),
                    )
                )
            time.sleep(0.05)
    finally:
        client.close()


def _stop_group(process: subprocess.Popen[bytes], timeout: float) -> None:
    if process.stdin is not None and not process.stdin.closed:
        with contextlib.suppress(OSError):
            process.stdin.close()
    # Signal the group only while its leader is not yet reaped: until then its pid, and
    # so the group id, cannot have been reused by an unrelated process.
    if process.poll() is None:
        _signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            _signal_group(process.pid, signal.SIGKILL)
            process.wait()


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


def _read_log(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except FileNotFoundError:
        return ""


class _Terminated(Exception):
    """SIGTERM or SIGHUP reached the runner."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise _Terminated(signum)


def _run_command(command: Sequence[str], env: dict[str, str]) -> int:
    try:
        child = subprocess.Popen(command, env=env)
    except OSError as exc:
        print(f"dynalite runner: cannot run {command[0]!r}: {exc}", file=sys.stderr)
        return 127
    try:
        code = child.wait()
    except BaseException as exc:
        # Ctrl-C also reached the child (same process group): give it time to finish its
        # own clean-up. SIGTERM/SIGHUP reached only us: pass it on.
        if isinstance(exc, _Terminated) and child.poll() is None:
            child.send_signal(exc.signum)
        try:
            child.wait(30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        raise
    return 128 - code if code < 0 else code


def _parse(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    argv = list(argv)
    command: list[str] = []
    if "--" in argv:
        split = argv.index("--")
        argv, command = argv[:split], argv[split + 1 :]
    parser = argparse.ArgumentParser(
        prog="python -m tests.servers.dynalite",
        description=(
            "Run COMMAND with an in-memory dynalite on a free 127.0.0.1 port; "
            f"{PLACEHOLDER} in COMMAND becomes its URL, also exported as {ENDPOINT_ENV}."
        ),
        usage="%(prog)s [options] -- COMMAND [ARGS...]",
    )
    parser.add_argument("--dir", help="folder whose node_modules holds dynalite")
    parser.add_argument("--create-table-ms", type=int, default=50, metavar="MS")
    parser.add_argument("--delete-table-ms", type=int, default=50, metavar="MS")
    parser.add_argument("--update-table-ms", type=int, default=50, metavar="MS")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    return parser.parse_args(argv), command


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (see the module docstring); return the exit code."""
    options, command = _parse(sys.argv[1:] if argv is None else argv)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_terminated)
    try:
        server = start_dynalite(
            dynalite_dir=options.dir,
            create_table_ms=options.create_table_ms,
            delete_table_ms=options.delete_table_ms,
            update_table_ms=options.update_table_ms,
            timeout=options.timeout,
        )
    except DynaliteError as exc:
        print(f"dynalite runner: {exc}", file=sys.stderr)
        return 1
    except _Terminated as exc:
        return 128 + exc.signum
    try:
        print(f"dynalite runner: dynalite at {server.endpoint} (pid {server.pid})", file=sys.stderr)
        if not command:
            print(server.endpoint, flush=True)
            while server.running():
                time.sleep(0.5)
            print(f"dynalite runner: dynalite exited\n{server.output()}", file=sys.stderr)
            return 1
        env = dict(os.environ)
        for name in (ENDPOINT_ENV, *ENDPOINT_ENV_ALIASES):
            env[name] = server.endpoint
        # Tests marked not_on_dynalite skip themselves when this names dynalite.
        env[SERVER_KIND_ENV] = "dynalite"
        args = [arg.replace(PLACEHOLDER, server.endpoint) for arg in command]
        return _run_command(args, env)
    except KeyboardInterrupt:
        return 130
    except _Terminated as exc:
        return 128 + exc.signum
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
