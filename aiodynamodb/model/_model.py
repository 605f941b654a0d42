"""Models and their tables: ``DynamoModel``, ``@table``, keys and secondary indexes.

A table model is a pydantic model decorated with :func:`table`::

    @table("orders", hash_key="order_id", range_key="created_at",
           indexes=[GSI("by_customer", hash_key="customer_id")])
    class Order(DynamoModel):
        order_id: str
        created_at: datetime
        customer_id: str

Keys can also be named in the annotations with ``HashKey[T]`` / ``RangeKey[T]``. Every name
given to ``@table`` (keys, index keys, projected attributes, the TTL attribute) is an
*attribute name*: the field's pydantic alias if it has one, else the field name.

Everything about the declaration is checked when the decorator runs; a mistake raises
:class:`~aiodynamodb.errors.ModelDefinitionError` naming the model, the field and the fix
(the checks and their messages live in :mod:`aiodynamodb.model._declaration`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, ClassVar, TypeAlias, TypeVar

from pydantic import BaseModel

from aiodynamodb.errors import ArgumentError, ModelDefinitionError
from aiodynamodb.model._declaration import (
    GSI,
    HASH_KEY_MARKER,
    LSI,
    RANGE_KEY_MARKER,
    BillingMode,
    Index,
    StreamView,
    TableMeta,
    attribute_names,
    build_meta,
)

T = TypeVar("T")
M = TypeVar("M", bound="DynamoModel")

NOT_A_DYNAMO_MODEL = (
    "@table({table!r}) was applied to {obj!r}, which is not a DynamoModel subclass; "
    "declare it as `class {name}(DynamoModel): ...`"
)
TABLE_WITHOUT_ARGUMENTS = (
    "@table was used without arguments on {name}; it takes the table name and keys: "
    '@table("{table}", hash_key="...")'
)
BAD_TABLE_NAME_ARGUMENT = "@table(...) takes the table name (a str) first; got {got!r}"
NOT_A_TABLE_MODEL = (
    "{obj!r} is not a table model; decorate a DynamoModel subclass with @table(...) first"
)

DefinitionCheck: TypeAlias = Callable[[type[BaseModel]], None]

# A model class is checked by the codec when it is created (every field type storable) and
# when @table runs (key and TTL types), so a mistake fails at the definition. The codec is a
# layer above this one (it reads the declarations made here), so it registers its checks
# with :func:`set_definition_checks` when it is imported instead of being imported here;
# ``import aiodynamodb`` imports the codec before any user model can exist.
_definition_checks: list[tuple[DefinitionCheck, DefinitionCheck]] = []


def set_definition_checks(model_check: DefinitionCheck, table_check: DefinitionCheck) -> None:
    """Install the checks run on every DynamoModel subclass and every ``@table`` class.

    Args:
        model_check: Called with each DynamoModel subclass once pydantic has built it.
        table_check: Called with each class ``@table`` decorates, after its declaration.
    """
    _definition_checks[:] = [(model_check, table_check)]


HashKey: TypeAlias = Annotated[T, HASH_KEY_MARKER]
"""``HashKey[str]``: the annotated field is the table's hash (partition) key."""

RangeKey: TypeAlias = Annotated[T, RANGE_KEY_MARKER]
"""``RangeKey[datetime]``: the annotated field is the table's range (sort) key."""


class DynamoModel(BaseModel):
    """Base class of aiodynamodb models (a pydantic v2 ``BaseModel``).

    Subclasses are checked when they are created: every field must have a type the codec can
    store (see :mod:`aiodynamodb.codec`). Decorate a subclass with :func:`table` to give it a
    table.
    """

    __dynamo_table__: ClassVar[TableMeta | None] = None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if cls.__pydantic_complete__:
            # Choose the field encoders now so an unsupported type fails at class creation.
            for model_check, _table_check in _definition_checks:
                model_check(cls)


def is_table_model(obj: object) -> bool:
    """Whether ``obj`` is a DynamoModel class decorated with :func:`table` itself."""
    return (
        isinstance(obj, type)
        and issubclass(obj, DynamoModel)
        and isinstance(obj.__dict__.get("__dynamo_table__"), TableMeta)
    )


def table_meta(model: type) -> TableMeta:
    """Return the :class:`TableMeta` of a ``@table`` model.

    Raises:
        TypeError: ``model`` is not a DynamoModel class decorated with ``@table``.
    """
    meta = model.__dict__.get("__dynamo_table__") if isinstance(model, type) else None
    if not isinstance(meta, TableMeta):
        raise ArgumentError(NOT_A_TABLE_MODEL.format(obj=model))
    return meta


def table(
    name: str,
    *,
    hash_key: str | None = None,
    range_key: str | None = None,
    indexes: Iterable[Index] = (),
    billing_mode: BillingMode = "PAY_PER_REQUEST",
    read_capacity: int | None = None,
    write_capacity: int | None = None,
    ttl_attribute: str | None = None,
    tags: Mapping[str, str] | None = None,
    version: str | None = None,
    stream: StreamView | None = None,
    discriminator: str | None = None,
) -> Callable[[type[M]], type[M]]:
    """Class decorator giving a :class:`DynamoModel` its DynamoDB table.

    Args:
        name: The table name (a client may add a prefix).
        hash_key: Attribute name of the hash key (or annotate a field ``HashKey[T]``).
        range_key: Attribute name of the range key (or annotate a field ``RangeKey[T]``).
        indexes: ``GSI(...)`` and ``LSI(...)`` declarations.
        billing_mode: ``"PAY_PER_REQUEST"`` (default) or ``"PROVISIONED"``.
        read_capacity: Read capacity units (PROVISIONED only, then required).
        write_capacity: Write capacity units (PROVISIONED only, then required).
        ttl_attribute: An int attribute holding the expiry time in epoch seconds.
        tags: Tags for the table.
        version: An int attribute used for optimistic locking (see ``docs/reading-writing.md``):
            every put, update and delete of the model requires the stored version to be the
            one the caller read, and writes the next one.
        stream: Create the table with a DynamoDB stream of this view type:
            ``"NEW_AND_OLD_IMAGES"``, ``"NEW_IMAGE"``, ``"OLD_IMAGE"`` or ``"KEYS_ONLY"``.
        discriminator: For several models on one table (see ``docs/models.md``): the
            attribute each of them declares as a one-value ``Literal`` with that value as
            default (``kind: Literal["customer"] = "customer"``). Reads given a tuple of
            models decode each item to the model whose value it holds.

    Returns:
        The decorator; it returns the class itself, with ``__dynamo_table__`` set.

    Raises:
        ModelDefinitionError: The declaration is invalid (raised when the decorator runs).
    """
    if isinstance(name, type):  # `@table` without parentheses: name is the class itself
        raise ModelDefinitionError(
            TABLE_WITHOUT_ARGUMENTS.format(name=name.__name__, table=name.__name__.lower() + "s")
        )
    if not isinstance(name, str):
        raise ModelDefinitionError(BAD_TABLE_NAME_ARGUMENT.format(got=name))
    index_list = tuple(indexes)
    tag_map = dict(tags) if tags is not None else {}

    def decorate(cls: type[M]) -> type[M]:
        if not (isinstance(cls, type) and issubclass(cls, DynamoModel)):
            cls_name = getattr(cls, "__name__", "Model")
            raise ModelDefinitionError(
                NOT_A_DYNAMO_MODEL.format(table=name, obj=cls, name=cls_name)
            )
        meta = build_meta(
            cls,
            name=name,
            hash_key=hash_key,
            range_key=range_key,
            indexes=index_list,
            billing_mode=billing_mode,
            read_capacity=read_capacity,
            write_capacity=write_capacity,
            ttl_attribute=ttl_attribute,
            tags=tag_map,
            version=version,
            stream=stream,
            discriminator=discriminator,
        )
        type.__setattr__(cls, "__dynamo_table__", meta)
        for _model_check, table_check in _definition_checks:
            table_check(cls)
        return cls

    return decorate


__all__ = [
    "GSI",
    "LSI",
    "DynamoModel",
    "HashKey",
    "Index",
    "RangeKey",
    "TableMeta",
    "attribute_names",
    "is_table_model",
    "set_definition_checks",
    "table",
    "table_meta",
]
