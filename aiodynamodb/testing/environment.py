"""Fake AWS environment for tests: credentials that cannot reach a real account.

Kept apart from the mock itself so the plugin can patch the environment for endpoint
backends too. Importing this module imports nothing heavy.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager

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


@contextmanager
def patched_environment(
    extra: Mapping[str, str] | None = None, *, fake_credentials: bool = True
) -> Iterator[None]:
    """Set :data:`FAKE_ENV` (plus ``extra``), remove :data:`REMOVED_ENV`; restore exactly.

    With ``fake_credentials=False`` only ``extra`` is set (for real AWS endpoints).
    On exit ``os.environ`` holds exactly what it held before, whether the body returned
    or raised, including variables the body itself changed among those touched here.
    """
    # The plugin enters this around every test: a write to os.environ is a putenv() and a
    # look-up that misses raises a KeyError inside os.environ.get, so names are checked
    # against one set of the present names and only values that change are written.
    environ = os.environ
    wanted: dict[str, str | None] = dict.fromkeys(REMOVED_ENV if fake_credentials else ())
    if fake_credentials:
        wanted.update(FAKE_ENV)
    if extra:
        wanted.update(extra)
    saved = _values(environ, wanted)
    try:
        for name, value in wanted.items():
            if saved[name] != value:
                _set(environ, name, value)
        yield
    finally:
        for name, value in _values(environ, saved).items():
            if saved[name] != value:
                _set(environ, name, saved[name])


def _values(environ: Mapping[str, str], names: Iterable[str]) -> dict[str, str | None]:
    data = getattr(environ, "_data", None)
    if environ is os.environ and isinstance(data, dict):
        # CPython's os.environ keeps the encoded process environment in ``_data``: reading
        # it directly spares decoding every name (``set(environ)``) on each test's way in
        # and out. Writes still go through os.environ (putenv).
        encode, decode = os.environ.encodekey, os.environ.decodevalue
        found = {
            name: data.get(_KEYS.get(name) or _KEYS.setdefault(name, encode(name)))
            for name in names
        }
        return {name: None if raw is None else decode(raw) for name, raw in found.items()}
    present = set(environ)
    return {name: environ[name] if name in present else None for name in names}


_KEYS: dict[str, object] = {}
"""Names as ``os.environ`` encodes them, for :func:`_values`."""


def _set(environ: MutableMapping[str, str], name: str, value: str | None) -> None:
    if value is None:
        environ.pop(name, None)
    else:
        environ[name] = value


__all__ = ["FAKE_ENV", "FAKE_REGION", "REMOVED_ENV", "patched_environment"]
