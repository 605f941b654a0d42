"""``pytest_aiodynamodb``'s public names: sorted, importable, and loaded only when used."""

from __future__ import annotations

import subprocess
import sys

import pytest

import pytest_aiodynamodb
from aiodynamodb.testing.faults import FaultInjector
from aiodynamodb.testing.recorder import CallBudget, CallRecorder, RecordedCall
from aiodynamodb.testing.seeding import table_contents
from aiodynamodb.testing.ttl import TTLClock


def test_all_is_sorted_and_every_name_resolves() -> None:
    assert pytest_aiodynamodb.__all__ == sorted(pytest_aiodynamodb.__all__)
    for name in pytest_aiodynamodb.__all__:
        assert getattr(pytest_aiodynamodb, name) is not None, name
    assert set(pytest_aiodynamodb.__all__) <= set(dir(pytest_aiodynamodb))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CallBudget", CallBudget),
        ("CallRecorder", CallRecorder),
        ("FaultInjector", FaultInjector),
        ("RecordedCall", RecordedCall),
        ("TTLClock", TTLClock),
        ("table_contents", table_contents),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_fixture_types_are_the_testing_classes(name: str, expected: object) -> None:
    assert getattr(pytest_aiodynamodb, name) is expected


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        _ = pytest_aiodynamodb.Nope  # type: ignore[attr-defined]


def test_importing_the_package_loads_no_power_tool() -> None:
    # Every pytest run imports this package (the plugin lives in it): it must stay light.
    code = (
        "import sys, pytest_aiodynamodb\n"
        "names = ['aiodynamodb.testing.recorder', 'aiodynamodb.testing.faults',\n"
        "         'aiodynamodb.testing.ttl', 'aiodynamodb.testing.seeding', 'botocore']\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "from pytest_aiodynamodb import CallRecorder\n"
        "assert 'aiodynamodb.testing.recorder' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
