"""The strict layer's one-scan test for numbers to canonicalize agrees with the rules'."""

from __future__ import annotations

import json

import pytest

from aiodynamodb.rules import is_canonical_number
from aiodynamodb.testing.strict import _needs_canonical

TEXTS = [
    "0", "-0", "1", "-1", "10", "10.5", "0.5", "-0.5", "0010.500", "10.50", "1.", ".5",
    "1e3", "1E-3", "+1", "00", "0.0", "-0.0", "123456789012345678901234567890123456789",
    "1.000000000000000000000000000000000000001", " 1", "1 ", "", "abc", "-", "0.10",
]  # fmt: skip


@pytest.mark.parametrize("text", TEXTS)
def test_one_scan_agrees_with_is_canonical_number(text: str) -> None:
    for body in (
        {"Item": {"a": {"N": text}}},
        {"Items": [{"a": {"S": "x"}, "b": {"M": {"c": {"N": text}}}}]},
        {"Attributes": {"a": {"NS": ["1", text]}}},
    ):
        for separators in ((",", ":"), (", ", ": ")):
            raw = json.dumps(body, separators=separators).encode()
            assert _needs_canonical(raw) is not is_canonical_number(text), raw


def test_no_numbers_need_nothing() -> None:
    assert not _needs_canonical(b'{"Item": {"a": {"S": "N"}, "b": {"BOOL": true}}}')
