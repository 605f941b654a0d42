"""Fake AWS environment for tests: credentials that cannot reach a real account.

Kept apart from the mock itself so the plugin can patch the environment for endpoint
backends too. Importing this module imports nothing heavy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
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
    remove = REMOVED_ENV if fake_credentials else ()
    fake = FAKE_ENV if fake_credentials else {}
    touched = {*fake, *remove, *(extra or {})}
    saved = {name: os.environ.get(name) for name in touched}
    try:
        for name in remove:
            os.environ.pop(name, None)
        os.environ.update(fake)
        if extra:
            os.environ.update(extra)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


__all__ = ["FAKE_ENV", "FAKE_REGION", "REMOVED_ENV", "patched_environment"]
