"""Start dynalite on a free loopback port, run a command against it, stop it.

dynalite (npm ``dynalite``, pinned in ``tests/servers/package.json``) is an independent
DynamoDB implementation on LevelDB; here it always runs in memory. ``make`` installs it into
``.dynalite/`` at the repository root. How it differs from DynamoDB (and so which tests skip
on it): docs/fidelity.md, "dynalite: where it differs from DynamoDB". Two ways to use it:

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

The process is mirakuru's: an executor starts it in a process group of its own, polls the
readiness check until a deadline, and stops the group (SIGTERM, then SIGKILL, then any
process it left behind). What stays here is what mirakuru cannot know: the port and the
readiness check. ``dynalite_server.js`` listens on port 0 and reports the port the kernel
gave it, so servers started at the same moment (xdist workers) never race for one; picking
a free port beforehand (port-for) cannot promise that, as another process may take it before
dynalite binds it. Ready means a signed ``ListTables`` answers, not just an open socket.
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
from typing import IO, Any

from mirakuru import Executor
from mirakuru.exceptions import ProcessExitedWithError, TimeoutExpired

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


class _DynaliteExecutor(Executor):
    """mirakuru runs the process; this knows where its port is and when it is ready."""

    def __init__(self, command: list[str], log: IO[Any], timeout: float) -> None:
        # stdin stays a pipe (mirakuru's default): the launcher exits when it closes, so
        # dynalite cannot outlive this process even if this one is killed with SIGKILL.
        super().__init__(command, timeout=timeout, sleep=0.05, stdout=log, stderr=subprocess.STDOUT)
        self.log_path = Path(log.name)
        self.port: int | None = None
        self.last_error = "it never reported a listening port"
        self._client: Any = None

    def output(self) -> str:
        return _read_log(self.log_path)

    def pre_start_check(self) -> bool:
        return False  # the kernel picks a fresh port: nothing can be serving it already

    def after_start_check(self) -> bool:
        if self.port is None:
            self.port = _reported_port(self.output())
            if self.port is None:
                return False
        # A real signed request, not a TCP probe: ready when DynamoDB calls work.
        try:
            self._botocore_client().list_tables()
        except Exception as exc:  # any failure: mirakuru retries until its deadline
            self.last_error = f"{type(exc).__name__}: {exc}"
            return False
        return True

    def close_probe(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _botocore_client(self) -> Any:
        if self._client is None:
            import botocore.config
            import botocore.session

            session = botocore.session.Session()
            session.set_credentials("fake-access-key", "fake-secret-key")
            self._client = session.create_client(
                "dynamodb",
                region_name="us-east-1",
                endpoint_url=f"http://127.0.0.1:{self.port}",
                config=botocore.config.Config(
                    connect_timeout=1, read_timeout=2, retries={"max_attempts": 0}
                ),
            )
        return self._client


class DynaliteServer:
    """A running dynalite process, in a process group of its own.

    Attributes:
        endpoint: ``http://127.0.0.1:PORT``, the URL to give clients.
        port: The port dynalite listens on.
        pid: The process id, also the process group id.
    """

    def __init__(self, executor: _DynaliteExecutor, port: int, pid: int) -> None:
        self._executor = executor
        self.port = port
        self.pid = pid
        self.endpoint = f"http://127.0.0.1:{port}"

    def output(self) -> str:
        """Return what dynalite has written to stdout and stderr so far."""
        return self._executor.output()

    def running(self) -> bool:
        """Return whether the dynalite process is still alive."""
        return self._executor.running()

    def stop(self) -> None:
        """Stop dynalite's process group (SIGTERM, then SIGKILL); idempotent."""
        _stop(self._executor)

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

    command = [node, str(LAUNCHER), str(module)]
    command += [str(create_table_ms), str(delete_table_ms), str(update_table_ms)]
    # dynalite writes into the file itself (the fd is inherited), so nothing has to drain
    # a pipe; our handle closes once the process has started.
    log = tempfile.NamedTemporaryFile(prefix="dynalite-", suffix=".log", delete=False)  # noqa: SIM115
    executor = _DynaliteExecutor(command, log, timeout)
    try:
        try:
            executor.start()
        except ProcessExitedWithError as exc:
            raise DynaliteError(EXITED.format(code=exc.exit_code, log=executor.output())) from None
        except TimeoutExpired:
            endpoint = f"http://127.0.0.1:{executor.port}" if executor.port else "(no port yet)"
            error = executor.last_error
            raise DynaliteError(
                NEVER_READY.format(
                    endpoint=endpoint, timeout=timeout, error=error, log=executor.output()
                )
            ) from None
        finally:
            log.close()
            executor.close_probe()
        assert executor.port is not None
        assert executor.process is not None
        return DynaliteServer(executor, executor.port, executor.process.pid)
    except BaseException:
        _stop(executor)
        raise


def _stop(executor: _DynaliteExecutor) -> None:
    # The launcher exits 0 on SIGTERM; anything else mirakuru reports is dynalite's crash,
    # which the tests that used it have already seen.
    with contextlib.suppress(ProcessExitedWithError):
        executor.stop()
    with contextlib.suppress(FileNotFoundError):
        executor.log_path.unlink()


def _reported_port(output: str) -> int | None:
    for line in output.splitlines():
        if line.startswith(READY_LINE):
            return int(line[len(READY_LINE) :])
    return None


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
