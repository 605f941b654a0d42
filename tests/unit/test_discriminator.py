"""``@table(discriminator=...)``: every mistake in the discriminator field is refused when the
decorator runs, naming the model, the field and the fix; models sharing a table must agree."""

from __future__ import annotations

import textwrap
from typing import Any, Literal

import pytest
from pydantic import Field

from aiodynamodb import DynamoModel, ModelDefinitionError, table
from aiodynamodb.model import check_kinds


def declare(field: str) -> type[DynamoModel]:
    # Declared as in this module (pydantic resolves the annotations in its globals).
    namespace: dict[str, Any] = {"__name__": __name__, **globals()}
    source = f"""
    @table("app", hash_key="pk", discriminator="kind")
    class Order(DynamoModel):
        pk: str
        {field}
    """
    exec(textwrap.dedent(source), namespace)
    model: type[DynamoModel] = namespace["Order"]
    return model


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("other: str = 'x'", r"Order: the discriminator 'kind' is not an attribute of the model"),
        ("kind: str = 'order'", r"Order: discriminator field 'kind' has type str;.*Literal"),
        (
            "kind: Literal['a', 'b'] = 'a'",
            r"has type Literal\['a', 'b'\];.*`kind: Literal\['order'\] = 'order'`",
        ),
        ("kind: Literal[True] = True", r"has type Literal\[True\]"),
        ("kind: Literal['order'] | None = 'order'", r"has type Optional\[Literal\['order'\]\]"),
        ("kind: Literal['order']", r"needs its value as default \(`kind: Literal\['order'\]"),
        ("kind: Literal['order'] = Field(default_factory=lambda: 'order')", "needs its value"),
        (
            "kind: Literal['order'] = Field('order', exclude=True)",
            r"excluded from serialization.*drop exclude",
        ),
    ],
    ids=["missing", "str", "two-values", "bool", "optional", "no-default", "factory", "excluded"],
)
def test_bad_discriminators_are_refused(field: str, message: str) -> None:
    with pytest.raises(ModelDefinitionError, match=message):
        declare(field)


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind: Literal['order'] = 'order'", "order"), ("kind: Literal[7] = 7", 7)],
    ids=["str", "int"],
)
def test_a_good_discriminator_is_recorded(field: str, value: object) -> None:
    meta = declare(field).__dynamo_table__
    assert meta is not None
    assert (meta.discriminator, meta.discriminator_value) == ("kind", value)


__all__ = ["Field", "Literal"]  # the declared classes' annotations use them


def test_an_unresolvable_annotation_is_named() -> None:
    with pytest.raises(ModelDefinitionError, match=r"'kind' \(.*Later.*\) cannot be resolved"):

        @table("app", hash_key="pk", discriminator="kind")
        class Early(DynamoModel):
            pk: str
            kind: Later = "x"  # type: ignore[name-defined]  # noqa: F821


def test_the_agreement_check() -> None:
    first, second = declare("kind: Literal['a'] = 'a'"), declare("kind: Literal['b'] = 'b'")
    assert check_kinds([first, second, first]) == {"a": first, "b": second}
    with pytest.raises(ModelDefinitionError, match=r"with discriminator kind='a'"):
        check_kinds([first, declare("kind: Literal['a'] = 'a'")])

    @table("app", hash_key="pk")
    class Plain(DynamoModel):
        pk: str

    with pytest.raises(ModelDefinitionError, match=r"Order: 'kind'; .*Plain: none\)"):
        check_kinds([first, Plain])
    assert check_kinds([Plain]) == {}
