"""Table declarations: ``TableMeta``, ``GSI``, ``LSI``, and the checks ``@table`` runs.

Every name in a declaration (keys, index keys, projected attributes, the TTL attribute) is an
*attribute name*: the field's pydantic alias if it has one, else the field name. Each check
raises :class:`~aiodynamodb.errors.ModelDefinitionError` naming the model, the field and the
fix; the messages are the module-level constants below. The checks that need the fields'
types (key types, optional keys, the TTL type) run when the codec is built
(:mod:`aiodynamodb.codec`), right after, still inside the decorator.

Longer than 400 lines mostly for its messages: every declaration mistake has its own
module-level message naming the model, the field and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeAlias

from pydantic import BaseModel

from aiodynamodb.errors import ModelDefinitionError, ValidationError
from aiodynamodb.limits import (
    MAX_GSIS,
    MAX_LSIS,
    MAX_PROJECTED_ATTRIBUTES,
    MAX_TABLE_NAME_LENGTH,
    MAX_TAGS,
    MIN_TABLE_NAME_LENGTH,
)
from aiodynamodb.model._discriminator import discriminator_value
from aiodynamodb.model._messages import (
    ATTRIBUTES_WITHOUT_INCLUDE,
    BAD_BILLING_MODE,
    BAD_CAPACITY,
    BAD_INDEX_NAME,
    BAD_PROJECTION,
    BAD_STREAM_VIEW,
    BAD_TABLE_NAME,
    BAD_TAGS,
    CAPACITY_WITHOUT_PROVISIONED,
    DUPLICATE_INDEX,
    INCLUDE_NEEDS_ATTRIBUTES,
    KEY_GIVEN_TWICE,
    LSI_WITHOUT_RANGE_KEY,
    NO_HASH_KEY,
    NOT_A_FIELD,
    NOT_A_FIELD_ALIAS_HINT,
    NOT_AN_INDEX,
    PROVISIONED_NEEDS_CAPACITY,
    SAME_HASH_AND_RANGE,
    SEVERAL_KEY_MARKERS,
    TOO_MANY_INDEXES,
    TOO_MANY_PROJECTED,
    UNKNOWN_INDEX,
    VERSION_FROZEN,
    VERSION_IS_KEY,
)

if TYPE_CHECKING:
    from pydantic.fields import FieldInfo

Projection = Literal["ALL", "KEYS_ONLY", "INCLUDE"]
BillingMode = Literal["PAY_PER_REQUEST", "PROVISIONED"]
StreamView = Literal["NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY"]

_NAME_RE = re.compile(rf"[a-zA-Z0-9_.\-]{{{MIN_TABLE_NAME_LENGTH},{MAX_TABLE_NAME_LENGTH}}}")
_PROJECTIONS = ("ALL", "KEYS_ONLY", "INCLUDE")
_BILLING_MODES = ("PAY_PER_REQUEST", "PROVISIONED")
_STREAM_VIEWS = ("NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY")

# Long user-facing messages: "{model}" is the class name, the rest is per message.


class _KeyMarker:
    """Annotation metadata marking a field as the table's hash or range key."""

    __slots__ = ("role",)

    def __init__(self, role: Literal["hash", "range"]) -> None:
        self.role = role

    def __repr__(self) -> str:
        return f"{self.role.capitalize()}Key"


HASH_KEY_MARKER = _KeyMarker("hash")
RANGE_KEY_MARKER = _KeyMarker("range")


@dataclass(frozen=True)
class GSI:
    """A global secondary index.

    Args:
        name: The index name.
        hash_key: Attribute name of the index's hash key.
        range_key: Attribute name of the index's range key, if any.
        projection: ``"ALL"``, ``"KEYS_ONLY"`` or ``"INCLUDE"``.
        non_key_attributes: With ``"INCLUDE"``, the attributes projected besides the keys.
        read_capacity: Provisioned read capacity (PROVISIONED tables; defaults to the table's).
        write_capacity: Provisioned write capacity (PROVISIONED tables; defaults to the table's).
    """

    name: str
    hash_key: str
    range_key: str | None = None
    projection: Projection = "ALL"
    non_key_attributes: tuple[str, ...] = ()
    read_capacity: int | None = None
    write_capacity: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "non_key_attributes", tuple(self.non_key_attributes))


@dataclass(frozen=True)
class LSI:
    """A local secondary index: the table's hash key with another range key.

    Args:
        name: The index name.
        range_key: Attribute name of the index's range key.
        projection: ``"ALL"``, ``"KEYS_ONLY"`` or ``"INCLUDE"``.
        non_key_attributes: With ``"INCLUDE"``, the attributes projected besides the keys.
    """

    name: str
    range_key: str
    projection: Projection = "ALL"
    non_key_attributes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "non_key_attributes", tuple(self.non_key_attributes))


Index: TypeAlias = GSI | LSI


@dataclass(frozen=True)
class TableMeta:
    """Everything ``@table`` declared about a model's table.

    Attributes:
        name: The table name (without any client prefix).
        hash_key: Attribute name of the hash key.
        range_key: Attribute name of the range key, or ``None``.
        indexes: The secondary indexes, in declaration order.
        billing_mode: ``"PAY_PER_REQUEST"`` or ``"PROVISIONED"``.
        read_capacity: Provisioned read capacity, or ``None``.
        write_capacity: Provisioned write capacity, or ``None``.
        ttl_attribute: Attribute name holding the expiry time (epoch seconds), or ``None``.
        tags: Tags for the table.
        version_attribute: Attribute name of the optimistic-locking version (an int), or
            ``None``.
        stream: The table's stream view type (``"NEW_AND_OLD_IMAGES"`` ...), or ``None``.
        discriminator: Attribute name of the field telling models that share the table
            apart (a one-value ``Literal``), or ``None``.
        discriminator_value: This model's value of that field, or ``None``.
    """

    name: str
    hash_key: str
    range_key: str | None = None
    indexes: tuple[Index, ...] = ()
    billing_mode: BillingMode = "PAY_PER_REQUEST"
    read_capacity: int | None = None
    write_capacity: int | None = None
    ttl_attribute: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict, hash=False)
    version_attribute: str | None = None
    stream: StreamView | None = None
    discriminator: str | None = None
    discriminator_value: str | int | None = None

    @property
    def key_names(self) -> tuple[str, ...]:
        """The table key's attribute names: ``(hash_key,)`` or ``(hash_key, range_key)``."""
        if self.range_key is None:
            return (self.hash_key,)
        return (self.hash_key, self.range_key)

    @property
    def key_attributes(self) -> tuple[str, ...]:
        """Every key attribute of the table and its indexes, each once, table keys first."""
        names = list(self.key_names)
        for index in self.indexes:
            for name in self.index_key_names(index.name):
                if name not in names:
                    names.append(name)
        return tuple(names)

    def index(self, name: str) -> Index:
        """Return the index called ``name``.

        Raises:
            ValidationError: The table has no such index (a ValueError and a ClientError with
                code ValidationException; the message lists the indexes it has).
        """
        for index in self.indexes:
            if index.name == name:
                return index
        known = ", ".join(repr(i.name) for i in self.indexes) or "(none)"
        raise ValidationError(UNKNOWN_INDEX.format(table=self.name, name=name, known=known))

    def index_key_names(self, name: str) -> tuple[str, ...]:
        """The key attribute names of index ``name``: (hash,) or (hash, range)."""
        index = self.index(name)
        if isinstance(index, LSI):
            return (self.hash_key, index.range_key)
        if index.range_key is None:
            return (index.hash_key,)
        return (index.hash_key, index.range_key)


def attribute_names(model: type[BaseModel]) -> dict[str, str]:
    """Map each field's attribute name (alias, else field name) to its field name."""
    return {(info.alias or name): name for name, info in model.model_fields.items()}


def _marked(model: type[BaseModel], marker: _KeyMarker) -> list[tuple[str, FieldInfo]]:
    return [
        (name, info)
        for name, info in model.model_fields.items()
        if any(m is marker for m in info.metadata)
    ]


def _resolve_key(
    model: type[BaseModel], role: Literal["hash", "range"], given: str | None
) -> str | None:
    marker = HASH_KEY_MARKER if role == "hash" else RANGE_KEY_MARKER
    marker_name = "HashKey" if role == "hash" else "RangeKey"
    marked = _marked(model, marker)
    if len(marked) > 1:
        raise ModelDefinitionError(
            SEVERAL_KEY_MARKERS.format(
                model=model.__name__,
                fields=", ".join(repr(n) for n, _ in marked),
                marker=marker_name,
                role=role,
            )
        )
    if marked and given is not None:
        raise ModelDefinitionError(
            KEY_GIVEN_TWICE.format(
                model=model.__name__, role=role, given=given, marker=marker_name, field=marked[0][0]
            )
        )
    if marked:
        field_name, info = marked[0]
        return info.alias or field_name
    return given


def _check_attribute(model: type[BaseModel], what: str, name: str) -> None:
    attrs = attribute_names(model)
    if name in attrs:
        return
    info = model.model_fields.get(name)
    if info is not None and info.alias:
        raise ModelDefinitionError(
            NOT_A_FIELD_ALIAS_HINT.format(
                model=model.__name__, what=what, name=name, alias=info.alias
            )
        )
    known = ", ".join(repr(a) for a in attrs) or "(none)"
    raise ModelDefinitionError(
        NOT_A_FIELD.format(model=model.__name__, what=what, name=name, known=known)
    )


def _check_name(model: type[BaseModel], template: str, name: object) -> None:
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
        raise ModelDefinitionError(template.format(model=model.__name__, name=name))


def _check_capacity(model: type[BaseModel], where: str, value: object) -> None:
    if type(value) is not int or value < 1:
        raise ModelDefinitionError(
            BAD_CAPACITY.format(model=model.__name__, where=where, value=value)
        )


def build_meta(
    model: type[BaseModel],
    *,
    name: str,
    hash_key: str | None,
    range_key: str | None,
    indexes: tuple[Index, ...],
    billing_mode: str,
    read_capacity: int | None,
    write_capacity: int | None,
    ttl_attribute: str | None,
    tags: dict[str, str],
    version: str | None = None,
    stream: str | None = None,
    discriminator: str | None = None,
) -> TableMeta:
    """Check a ``@table`` declaration against the model's fields and return its TableMeta.

    Raises:
        ModelDefinitionError: The declaration is invalid.
    """
    model_name = model.__name__
    _check_name(model, BAD_TABLE_NAME, name)
    hash_attr = _resolve_key(model, "hash", hash_key)
    range_attr = _resolve_key(model, "range", range_key)
    if hash_attr is None:
        raise ModelDefinitionError(NO_HASH_KEY.format(model=model_name))
    _check_attribute(model, "hash key", hash_attr)
    if range_attr is not None:
        _check_attribute(model, "range key", range_attr)
        if range_attr == hash_attr:
            raise ModelDefinitionError(
                SAME_HASH_AND_RANGE.format(model=model_name, where="the table", name=hash_attr)
            )

    if billing_mode not in _BILLING_MODES:
        raise ModelDefinitionError(BAD_BILLING_MODE.format(model=model_name, mode=billing_mode))
    provisioned = billing_mode == "PROVISIONED"
    if provisioned:
        if read_capacity is None or write_capacity is None:
            raise ModelDefinitionError(PROVISIONED_NEEDS_CAPACITY.format(model=model_name))
        _check_capacity(model, "the table's read", read_capacity)
        _check_capacity(model, "the table's write", write_capacity)
    elif read_capacity is not None or write_capacity is not None:
        raise ModelDefinitionError(
            CAPACITY_WITHOUT_PROVISIONED.format(model=model_name, where="@table")
        )

    seen: set[str] = set()
    gsis = lsis = projected = 0
    for index in indexes:
        if not isinstance(index, GSI | LSI):
            raise ModelDefinitionError(NOT_AN_INDEX.format(model=model_name, obj=index))
        _check_name(model, BAD_INDEX_NAME, index.name)
        if index.name in seen:
            raise ModelDefinitionError(DUPLICATE_INDEX.format(model=model_name, name=index.name))
        seen.add(index.name)
        where = f"index {index.name!r}"
        if isinstance(index, GSI):
            gsis += 1
            _check_attribute(model, f"the hash key of {where}", index.hash_key)
            if index.range_key is not None:
                _check_attribute(model, f"the range key of {where}", index.range_key)
                if index.range_key == index.hash_key:
                    raise ModelDefinitionError(
                        SAME_HASH_AND_RANGE.format(
                            model=model_name, where=where, name=index.hash_key
                        )
                    )
            if provisioned:
                for capacity in (index.read_capacity, index.write_capacity):
                    if capacity is not None:
                        _check_capacity(model, where, capacity)
            elif index.read_capacity is not None or index.write_capacity is not None:
                raise ModelDefinitionError(
                    CAPACITY_WITHOUT_PROVISIONED.format(model=model_name, where=where)
                )
        else:
            lsis += 1
            if range_attr is None:
                raise ModelDefinitionError(
                    LSI_WITHOUT_RANGE_KEY.format(model=model_name, name=index.name)
                )
            _check_attribute(model, f"the range key of {where}", index.range_key)
            if index.range_key == hash_attr:
                raise ModelDefinitionError(
                    SAME_HASH_AND_RANGE.format(model=model_name, where=where, name=hash_attr)
                )
        if index.projection not in _PROJECTIONS:
            raise ModelDefinitionError(
                BAD_PROJECTION.format(
                    model=model_name, name=index.name, projection=index.projection
                )
            )
        if index.projection == "INCLUDE":
            if not index.non_key_attributes:
                raise ModelDefinitionError(
                    INCLUDE_NEEDS_ATTRIBUTES.format(model=model_name, name=index.name)
                )
            for attr in index.non_key_attributes:
                _check_attribute(model, f"a non-key attribute of {where}", attr)
            projected += len(index.non_key_attributes)
        elif index.non_key_attributes:
            raise ModelDefinitionError(
                ATTRIBUTES_WITHOUT_INCLUDE.format(
                    model=model_name, name=index.name, projection=index.projection
                )
            )
    if gsis > MAX_GSIS:
        raise ModelDefinitionError(
            TOO_MANY_INDEXES.format(model=model_name, count=gsis, kind="GSI", limit=MAX_GSIS)
        )
    if lsis > MAX_LSIS:
        raise ModelDefinitionError(
            TOO_MANY_INDEXES.format(model=model_name, count=lsis, kind="LSI", limit=MAX_LSIS)
        )
    if projected > MAX_PROJECTED_ATTRIBUTES:
        raise ModelDefinitionError(TOO_MANY_PROJECTED.format(model=model_name, count=projected))

    if ttl_attribute is not None:
        _check_attribute(model, "the TTL attribute", ttl_attribute)
    _check_tags(model, tags)
    if version is not None:
        _check_attribute(model, "the version attribute", version)
        if version in (hash_attr, range_attr) or any(
            version in (getattr(i, "hash_key", None), i.range_key) for i in indexes
        ):
            raise ModelDefinitionError(VERSION_IS_KEY.format(model=model_name, name=version))
        if model.model_config.get("frozen"):
            raise ModelDefinitionError(VERSION_FROZEN.format(model=model_name, name=version))
    if stream is not None and stream not in _STREAM_VIEWS:
        raise ModelDefinitionError(BAD_STREAM_VIEW.format(model=model_name, view=stream))
    kind = None
    if discriminator is not None:
        _check_attribute(model, "the discriminator", discriminator)
        kind = discriminator_value(model, attribute_names(model)[discriminator])

    return TableMeta(
        name=name,
        hash_key=hash_attr,
        range_key=range_attr,
        indexes=indexes,
        billing_mode="PROVISIONED" if provisioned else "PAY_PER_REQUEST",
        read_capacity=read_capacity,
        write_capacity=write_capacity,
        ttl_attribute=ttl_attribute,
        tags=tags,
        version_attribute=version,
        stream=stream,  # type: ignore[arg-type]  # checked against _STREAM_VIEWS above
        discriminator=discriminator,
        discriminator_value=kind,
    )


def _check_tags(model: type[BaseModel], tags: dict[str, str]) -> None:
    problem = None
    if len(tags) > MAX_TAGS:
        problem = f"got {len(tags)} tags"
    for key, value in tags.items():
        if not isinstance(key, str) or not 1 <= len(key) <= 128:
            problem = f"bad key {key!r}"
        elif not isinstance(value, str) or len(value) > 256:
            problem = f"bad value {value!r} for key {key!r}"
    if problem is not None:
        raise ModelDefinitionError(BAD_TAGS.format(model=model.__name__, problem=problem))


__all__ = [
    "GSI",
    "HASH_KEY_MARKER",
    "LSI",
    "RANGE_KEY_MARKER",
    "BillingMode",
    "Index",
    "Projection",
    "StreamView",
    "TableMeta",
    "attribute_names",
    "build_meta",
]
