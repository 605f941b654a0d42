"""Importing the package, its testing tools or the plugin imports neither moto nor aiomoto:
they are imported when a mock starts (issue 18: the cold start and an unused plugin)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "imports",
    [
        "aiodynamodb",
        "aiodynamodb.testing",
        "pytest_aiodynamodb, pytest_aiodynamodb.plugin",
    ],
    ids=["aiodynamodb", "testing", "plugin"],
)
def test_import_does_not_import_moto(imports: str) -> None:
    code = (
        f"import sys, {imports}\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('moto', 'aiomoto'))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_does_not_import_boto3() -> None:
    """boto3 (and s3transfer) load only when a condition or a versioned write needs them."""
    code = (
        "import sys, aiodynamodb, aiodynamodb.testing\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 's3transfer'))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_expressions_without_boto3_refuse_a_non_condition_and_compile_updates() -> None:
    """With boto3 never imported nothing can be an Attr/Key: the checks answer without it."""
    code = """
import sys
from aiodynamodb.errors import ArgumentError
from aiodynamodb.expressions import ExpressionContext, UpdateAttr

ctx = ExpressionContext(encode=lambda path, value: {"S": value})
assert ctx.update([UpdateAttr("name").set("Bob")]) == "SET #n0 = :v0"
for method in (ctx.condition, ctx.key_condition):
    try:
        method("name = :v")
    except ArgumentError as error:
        assert "Attr/Key" in str(error), error
    else:
        raise AssertionError(f"{method.__name__} took a string")
assert "boto3" not in sys.modules
from boto3.dynamodb.conditions import Attr, Key
assert ctx.condition(Attr("name").eq("x") & Attr("age").lt(Attr("limit"))) == (
    "#n0 = :v1 AND #n1 < #n2"
)
assert ctx.key_condition(Key("pk").eq("a")) == "#n3 = :v2"
assert ctx.request_params()["ExpressionAttributeNames"]["#n2"] == "limit"
"""
    subprocess.run([sys.executable, "-c", code], check=True)
