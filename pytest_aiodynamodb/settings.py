"""The plugin's options: each has a CLI flag, an ini key and an environment variable.

Precedence: command line, then environment, then ini file, then the default. Importing
this module imports nothing heavy.

Boolean options are flags on the command line, as pytest's own are (``--dynamodb-strict``
/ ``--dynamodb-no-strict``; the last one given wins); the ini key and the environment
variable take a value (``true``/``false``, ``1``/``0``, ``yes``/``no``, ``on``/``off``).
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple

import pytest

BACKENDS = ("memory", "server", "endpoint")


# NamedTuple rather than dataclass: this module is imported by every pytest run, and
# building dataclasses costs milliseconds there.
class Option(NamedTuple):
    """One setting in its three forms."""

    dest: str
    flag: str
    ini: str
    env: str
    help: str
    default: str
    kind: str = "string"  # "string" | "bool" | "int"
    choices: tuple[str, ...] | None = None
    negative_flag: str | None = None  # bools: the flag that sets false


OPTIONS: tuple[Option, ...] = (
    Option(
        "dynamodb_backend",
        "--dynamodb-backend",
        "dynamodb_backend",
        "AIODYNAMODB_BACKEND",
        "where the dynamodb fixture's tables live: memory (in-process mock, default), "
        "server (the mock on a loopback port, for other processes) or endpoint "
        "(a DynamoDB-compatible server given by --dynamodb-endpoint)",
        "memory",
        choices=BACKENDS,
    ),
    Option(
        "dynamodb_endpoint",
        "--dynamodb-endpoint",
        "dynamodb_endpoint",
        "AIODYNAMODB_ENDPOINT",
        "URL of the DynamoDB-compatible server for --dynamodb-backend=endpoint, "
        "e.g. http://127.0.0.1:8000",
        "",
    ),
    Option(
        "dynamodb_region",
        "--dynamodb-region",
        "dynamodb_region",
        "AIODYNAMODB_REGION",
        "AWS region used on the endpoint backend (default us-east-1)",
        "us-east-1",
    ),
    Option(
        "dynamodb_table_prefix",
        "--dynamodb-table-prefix",
        "dynamodb_table_prefix",
        "AIODYNAMODB_TEST_TABLE_PREFIX",
        "prefix of every table the plugin creates; on the endpoint backend a unique "
        "per-run, per-worker part is always added after it",
        "",
    ),
    Option(
        "dynamodb_strict",
        "--dynamodb-strict",
        "dynamodb_strict",
        "AIODYNAMODB_STRICT",
        "memory and server backends: reject requests real DynamoDB rejects even where moto "
        "accepts them (the default; --dynamodb-no-strict gives moto's own behaviour)",
        "true",
        kind="bool",
        negative_flag="--dynamodb-no-strict",
    ),
    Option(
        "dynamodb_allow_aws",
        "--dynamodb-allow-aws",
        "dynamodb_allow_aws",
        "AIODYNAMODB_ALLOW_AWS",
        "endpoint backend: allow a real AWS endpoint (*.amazonaws.com); the plugin still "
        "only touches tables it created (--dynamodb-no-allow-aws refuses it again)",
        "false",
        kind="bool",
        negative_flag="--dynamodb-no-allow-aws",
    ),
    Option(
        "dynamodb_cleanup_older_than",
        "--dynamodb-cleanup-older-than",
        "dynamodb_cleanup_older_than",
        "AIODYNAMODB_CLEANUP_OLDER_THAN",
        "endpoint backend: at start, delete tables left behind by crashed runs (they "
        "carry the plugin's prefix) older than this many seconds; default: keep them",
        "",
        kind="int",
    ),
    Option(
        "dynamodb_report_max_items",
        "--dynamodb-report-max-items",
        "dynamodb_report_max_items",
        "AIODYNAMODB_REPORT_MAX_ITEMS",
        "items per table shown in a failed test's report (0 turns the section off, default 20)",
        "20",
        kind="int",
    ),
)


class Settings(NamedTuple):
    """The effective settings of a run."""

    backend: str
    endpoint: str
    region: str
    table_prefix: str
    strict: bool
    allow_aws: bool
    cleanup_older_than: int | None
    report_max_items: int

    def header(self) -> str:
        """The line ``pytest`` prints in its report header."""
        parts = [f"backend={self.backend}"]
        if self.backend == "endpoint":
            parts.append(f"endpoint={self.endpoint or '(none)'}")
            parts.append(f"region={self.region}")
        if self.backend in ("memory", "server"):
            parts.append(f"strict={'on' if self.strict else 'off'}")
        if self.table_prefix:
            parts.append(f"table_prefix={self.table_prefix!r}")
        return "aiodynamodb: " + ", ".join(parts)


def add_options(parser: pytest.Parser) -> None:
    """Register every option under the ``aiodynamodb`` group and as ini keys."""
    group = parser.getgroup("aiodynamodb", "aiodynamodb: DynamoDB tables for tests")
    for option in OPTIONS:
        forms = f"[env {option.env}, ini {option.ini}]"
        if option.kind == "bool":
            group.addoption(
                option.flag,
                dest=option.dest,
                action="store_const",
                const="true",
                default=None,
                help=f"{option.help} (a flag, no value) {forms}",
            )
            if option.negative_flag:
                group.addoption(
                    option.negative_flag,
                    dest=option.dest,
                    action="store_const",
                    const="false",
                    help=f"turn {option.flag} off",
                )
        else:
            extra: dict[str, Any] = {"choices": option.choices} if option.choices else {}
            group.addoption(
                option.flag, dest=option.dest, default=None, help=f"{option.help} {forms}", **extra
            )
        parser.addini(option.ini, help=option.help, default=None)


def _parse_bool(option: Option, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise pytest.UsageError(
        f"{option.flag} / {option.ini} / {option.env}: expected true or false, got {raw!r}"
    )


def _parse_int(option: Option, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise pytest.UsageError(
            f"{option.flag} / {option.ini} / {option.env}: expected a whole number >= 0, "
            f"got {raw!r}"
        )
    return value


def read_settings(config: pytest.Config) -> Settings:
    """Resolve every option (CLI, then environment, then ini, then default)."""
    raw: dict[str, str] = {}
    for option in OPTIONS:
        value = config.getoption(option.dest)
        if value is None:
            value = os.environ.get(option.env)
        if value is None:
            ini = config.getini(option.ini)
            value = ini if ini not in (None, "", []) else None
        raw[option.dest] = str(value) if value is not None else option.default
    by_dest = {option.dest: option for option in OPTIONS}
    backend = raw["dynamodb_backend"]
    if backend not in BACKENDS:
        raise pytest.UsageError(
            f"--dynamodb-backend / dynamodb_backend / AIODYNAMODB_BACKEND: expected one of "
            f"{', '.join(BACKENDS)}, got {backend!r}"
        )
    endpoint = raw["dynamodb_endpoint"]
    if backend == "endpoint" and not endpoint:
        raise pytest.UsageError(
            "--dynamodb-backend=endpoint needs the server's URL: pass "
            "--dynamodb-endpoint=http://127.0.0.1:8000 (or set AIODYNAMODB_ENDPOINT or the "
            "dynamodb_endpoint ini key)"
        )
    cleanup = raw["dynamodb_cleanup_older_than"]
    return Settings(
        backend=backend,
        endpoint=endpoint,
        region=raw["dynamodb_region"],
        table_prefix=raw["dynamodb_table_prefix"],
        strict=_parse_bool(by_dest["dynamodb_strict"], raw["dynamodb_strict"]),
        allow_aws=_parse_bool(by_dest["dynamodb_allow_aws"], raw["dynamodb_allow_aws"]),
        cleanup_older_than=(
            _parse_int(by_dest["dynamodb_cleanup_older_than"], cleanup) if cleanup else None
        ),
        report_max_items=_parse_int(
            by_dest["dynamodb_report_max_items"], raw["dynamodb_report_max_items"]
        ),
    )


__all__ = ["BACKENDS", "OPTIONS", "Settings", "add_options", "read_settings"]
