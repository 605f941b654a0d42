"""Model types of issue 16: Literal of bytes as a key, PEP 695 generic type aliases."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path
from typing import Any, Literal

import pytest

from aiodynamodb import DynamoModel, table
from aiodynamodb.codec import codec_for


@table("flags", hash_key="flag", range_key="kind")
class Flag(DynamoModel):
    flag: Literal[b"on", b"off"]
    kind: Literal[b"\x00", b"\xff\xfe"]
    note: str = ""


def test_a_literal_of_bytes_is_a_binary_key() -> None:
    codec = codec_for(Flag)
    assert codec.key_type("flag") == "B"
    assert codec.key_type("kind") == "B"
    flag = Flag(flag=b"on", kind=b"\xff\xfe")
    item = codec.encode(flag)
    assert item["flag"] == {"B": b"on"}
    assert codec.decode(item) == flag
    assert codec.encode_key(b"off", b"\x00") == {"flag": {"B": b"off"}, "kind": {"B": b"\x00"}}
    # bytearray from a wire parser decodes to the literal's own bytes object.
    assert codec.decode({"flag": {"B": bytearray(b"on")}, "kind": {"B": b"\x00"}}).flag == b"on"


PEP_695 = textwrap.dedent(
    """
    import json
    from typing import Annotated

    from pydantic import BeforeValidator

    from aiodynamodb import DynamoModel, table

    type Pair[T] = tuple[T, T]
    type Listed[T] = Annotated[list[T], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)]
    type Plain = int


    @table("aliased", hash_key="pk")
    class Aliased(DynamoModel):
        pk: Plain
        pair: Pair[int]
        tags: Listed[str]
        maybe: Pair[str] | None = None
    """
)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="the `type` statement is Python 3.12+")
def test_generic_type_aliases_are_unwrapped_like_annotated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real module (not exec): pydantic resolves the annotations in the module's namespace.
    (tmp_path / "pep695_models.py").write_text(PEP_695)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "pep695_models", raising=False)
    aliased: Any = importlib.import_module("pep695_models").Aliased
    codec = codec_for(aliased)
    assert codec.key_type("pk") == "N"
    value = aliased(pk=1, pair=(2, 3), tags="x", maybe=("a", "b"))
    item = codec.encode(value)
    assert item["pair"] == {"L": [{"N": "2"}, {"N": "3"}]}
    assert item["tags"] == {"L": [{"S": "x"}]}
    assert codec.decode(item) == value
    # The alias's parameter is substituted: a str where Pair[int] wants ints is refused.
    assert codec.view.resolve(("pair", 0), "condition").converter.label == "int"
