"""Each package's ``__all__`` is sorted and lists exactly the public names it holds.

Modelled on httpx's ``tests/test_exported_members.py``: the implementation modules of each
layer are private (``_name``), and the package re-exports its public names.
"""

from __future__ import annotations

import importlib
import types
import typing
from pathlib import Path

import pytest

PACKAGES = [
    "aiodynamodb",
    "aiodynamodb.client",
    "aiodynamodb.codec",
    "aiodynamodb.expressions",
    "aiodynamodb.limits",
    "aiodynamodb.model",
    "aiodynamodb.rules",
]

# The root's public API, unchanged by the layout into subpackages.
ROOT_API = [
    "GSI",
    "LSI",
    "TABLE_PREFIX_ENV",
    "AioDynamoDBError",
    "ArgumentError",
    "BatchGetError",
    "BatchWriteError",
    "CallCapacity",
    "CancellationReason",
    "CapacityMode",
    "CapacityTracker",
    "ClientStateError",
    "ConditionCheck",
    "ConsumedCapacity",
    "DecodeError",
    "Delete",
    "DynamoDB",
    "DynamoModel",
    "EncodeError",
    "HashKey",
    "ItemKey",
    "KeyValue",
    "ModelDefinitionError",
    "Page",
    "PageIterator",
    "Put",
    "RangeKey",
    "Raw",
    "RetryPolicy",
    "TableMeta",
    "Update",
    "UpdateAttr",
    "ValidationError",
    "VersionConflictError",
    "__version__",
    "table",
    "table_meta",
]


def _ruff_order(name: str) -> tuple[int, str]:
    # The order ruff's RUF022 keeps: SCREAMING_CASE, then CamelCase, then everything else.
    if name.isupper() or (name.upper() == name and not name.startswith("__")):
        return (0, name)
    if name[0].isupper():
        return (1, name)
    return (2, name)


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_matches_the_public_members(name: str) -> None:
    package = importlib.import_module(name)
    exported = list(package.__all__)
    assert exported == sorted(exported, key=_ruff_order)
    public = {
        member
        for member, value in vars(package).items()
        if not member.startswith("_")
        and member != "annotations"  # from __future__ import annotations
        and not isinstance(value, types.ModuleType)
        and value is not getattr(typing, member, None)  # typing.Final imported by name
    }
    assert set(exported) - {"__version__"} == public
    for member in exported:
        assert hasattr(package, member)


def test_root_api_is_unchanged() -> None:
    import aiodynamodb

    assert aiodynamodb.__all__ == ROOT_API


def test_the_client_exports_the_private_botocore_surface_the_testing_layer_uses() -> None:
    # aiodynamodb.testing may import only public names of the client layer, so each
    # private-botocore accessor it needs is re-exported (and nothing else of _botocore).
    import aiodynamodb.client
    from aiodynamodb.client import _botocore

    exported = set(aiodynamodb.client.__all__)
    assert set(_botocore.TESTING_SURFACE) <= exported
    reexported = {name for name in _botocore.__all__ if name in exported}
    assert reexported == {*_botocore.TESTING_SURFACE, "BotocoreContractError"}


def test_the_client_package_holds_only_private_modules() -> None:
    import aiodynamodb.client

    folder = Path(aiodynamodb.client.__file__).parent
    modules = sorted(path.stem for path in folder.glob("*.py") if path.stem != "__init__")
    assert modules, folder
    assert [name for name in modules if not name.startswith("_")] == []
