"""Fake AWS environment for tests: credentials that cannot reach a real account.

Kept apart from the mock itself so the plugin can patch the environment for endpoint
backends too. Importing this module imports nothing heavy.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from contextlib import AbstractContextManager, ContextDecorator
from typing import Any

FAKE_REGION = "us-east-1"

FAKE_ENV: Mapping[str, str] = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": FAKE_REGION,
    "AWS_REGION": FAKE_REGION,
}
"""Variables set while the environment is patched."""

REMOVED_ENV: tuple[str, ...] = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)
"""Variables removed while the environment is patched: each could route a client to a
real account or a real endpoint."""


def patched_environment(
    extra: Mapping[str, str] | None = None, *, fake_credentials: bool = True
) -> AbstractContextManager[None]:
    """Set :data:`FAKE_ENV` (plus ``extra``), remove :data:`REMOVED_ENV`; restore exactly.

    With ``fake_credentials=False`` only ``extra`` is set (for real AWS endpoints).
    On exit ``os.environ`` holds exactly what it held before, whether the body returned
    or raised, including variables the body itself changed among those touched here.
    Usable as ``with patched_environment():`` or as a decorator.
    """
    wanted: dict[str, str | None] = dict.fromkeys(REMOVED_ENV if fake_credentials else ())
    if fake_credentials:
        wanted.update(FAKE_ENV)
    if extra:
        wanted.update(extra)
    return _EnvironmentPatch(wanted)


class _EnvironmentPatch(ContextDecorator):
    """:func:`patched_environment`'s context: one enter and exit per instance.

    The plugin enters one around every test, so it works on the process environment as
    ``os.environ`` stores it: CPython keeps it encoded in ``os.environ._data``, and a
    write is ``putenv`` plus an entry there (what ``os.environ.__setitem__`` does once it
    has encoded both strings). Names and values are encoded once per process, the saved
    values are kept encoded, and only the variables whose value differs are written, on
    the way in and out. Any other mapping goes through its public methods.
    """

    __slots__ = ("_saved", "_wanted")

    def __init__(self, wanted: dict[str, str | None]) -> None:
        self._wanted = wanted
        self._saved: dict[Any, Any] | None = None

    def _recreate_cm(self) -> _EnvironmentPatch:  # ContextDecorator: a fresh one per call
        return _EnvironmentPatch(self._wanted)

    def __enter__(self) -> None:
        data = _raw_data()
        if data is None:
            self._saved = saved = {name: os.environ.get(name) for name in self._wanted}
            for name, value in self._wanted.items():
                if saved[name] != value:
                    _set(os.environ, name, value)
            return
        saved_raw: dict[Any, Any] = {}
        for key, new in _encoded(self._wanted):
            old = saved_raw[key] = data.get(key)
            if old != new:
                _write(data, key, new)
        self._saved = saved_raw

    def __exit__(self, *exc: object) -> None:
        saved, self._saved = self._saved, None
        if saved is None:
            return
        data = _raw_data()
        if data is None:
            for name, value in saved.items():
                if os.environ.get(name) != value:
                    _set(os.environ, name, value)
            return
        for key, value in saved.items():
            if data.get(key) != value:
                _write(data, key, value)


def _raw_data() -> dict[Any, Any] | None:
    """``os.environ``'s encoded store, or None where it is not CPython's (or was replaced)."""
    data = getattr(os.environ, "_data", None)
    return data if isinstance(data, dict) else None


def _encoded(wanted: dict[str, str | None]) -> list[tuple[Any, Any]]:
    """``wanted``'s names and values as ``os.environ`` encodes them (None: removed)."""
    signature = tuple(wanted.items())
    pairs = _ENCODED.get(signature)
    if pairs is None:
        encode_key = os.environ.encodekey
        encode_value = os.environ.encodevalue
        pairs = [
            (encode_key(name), None if value is None else encode_value(value))
            for name, value in signature
        ]
        if len(_ENCODED) < 64:  # a run patches with one or two sets of values
            _ENCODED[signature] = pairs
    return pairs


def _write(data: dict[Any, Any], key: Any, raw: Any) -> None:
    # os.environ.__setitem__ / __delitem__ after encoding: the C environment (what child
    # processes inherit) and os.environ's store change together.
    if raw is None:
        os.unsetenv(key)
        data.pop(key, None)
    else:
        os.putenv(key, raw)
        data[key] = raw


_ENCODED: dict[tuple[tuple[str, str | None], ...], list[tuple[Any, Any]]] = {}
"""Sets of variables as ``os.environ`` encodes them, by their names and values."""


def _set(environ: MutableMapping[str, str], name: str, value: str | None) -> None:
    if value is None:
        environ.pop(name, None)
    else:
        environ[name] = value


__all__ = ["FAKE_ENV", "FAKE_REGION", "REMOVED_ENV", "patched_environment"]
