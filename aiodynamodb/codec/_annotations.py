"""Reading type annotations into converters, once per model field.

:func:`build` maps an annotation to a :class:`~aiodynamodb.codec._converters.Converter`:
scalars, Enum, Literal, ``list``/``tuple``/``Sequence`` (``L``), ``dict``/``Mapping`` with
str keys (``M``), ``set``/``frozenset`` of strings, numbers or binary (``SS``/``NS``/``BS``),
pydantic models (``M``), ``Any``, ``Optional`` and unions, ``Annotated``, ``NewType`` and
type aliases. Anything else is a :class:`~aiodynamodb.errors.ModelDefinitionError` naming
the field, raised when the model class is created.

Union members are told apart by the stored tag; when several members share one (``str |
UUID``: both ``S``), the first member in declaration order that reads the stored value wins,
so declare the more specific type first.
"""

from __future__ import annotations

import types
import typing
from collections import abc
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    FutureDate,
    FutureDatetime,
    NaiveDatetime,
    PastDate,
    PastDatetime,
    PlainSerializer,
    RootModel,
    WrapSerializer,
)

from aiodynamodb.codec._choices import enum_converter, literal_converter
from aiodynamodb.codec._containers import (
    fixed_tuple_converter,
    mapping_converter,
    nullable_of,
    sequence_converter,
    set_converter,
    union_of,
)
from aiodynamodb.codec._converters import (
    ANY,
    BOOL,
    BYTES,
    DATE,
    DATETIME,
    DECIMAL,
    FLOAT,
    INT,
    NONE,
    STR,
    UUID_,
    Converter,
)
from aiodynamodb.errors import ModelDefinitionError
from aiodynamodb.item_types import AttributeValue

UNSUPPORTED_TYPE = (
    "{where} has type {annotation}, which aiodynamodb cannot store; use str, int, float, "
    "Decimal, bool, bytes, datetime, date, UUID, an Enum, a Literal, list/tuple, dict with str "
    "keys, set/frozenset of str, numbers or bytes, a pydantic model, Any, or unions of these; "
    "or give the field a PlainSerializer/field_serializer that returns one of them"
)
BAD_SET_MEMBER = (
    "{where} is a set of {annotation}; DynamoDB sets hold only strings, numbers or binary "
    "(all members of one kind); use a list instead"
)
BAD_MAP_KEY = (
    "{where} is a dict keyed by {annotation}; DynamoDB map keys are strings: key it by str, a "
    "str Enum or a Literal of str"
)

ModelConverter = Callable[[type[BaseModel]], Converter]
_EMPTY_L: AttributeValue = {"L": []}
_DECODE_ERRORS = (KeyError, ValueError, TypeError, AttributeError, ArithmeticError)


def _substitute(alias: Any, args: tuple[Any, ...]) -> Any:
    """The value of a generic type alias with its parameters replaced by ``args``."""
    value = alias.__value__
    params = alias.__type_params__
    if getattr(value, "__parameters__", ()) and len(params) == len(args):
        return value[args]
    return value  # the parameters are not used in the value (or cannot be substituted)


class HasSerializer(Exception):
    """Raised while building: the annotation carries a custom pydantic serializer."""


_SPECIAL: dict[Any, Converter] = {
    str: STR,
    int: INT,
    float: FLOAT,
    Decimal: DECIMAL,
    bool: BOOL,
    bytes: BYTES,
    datetime: DATETIME,
    date: DATE,
    UUID: UUID_,
    type(None): NONE,
    None: NONE,
    Any: ANY,
    object: ANY,
    AwareDatetime: DATETIME,
    NaiveDatetime: DATETIME,
    PastDatetime: DATETIME,
    FutureDatetime: DATETIME,
    PastDate: DATE,
    FutureDate: DATE,
}
_SUBCLASS_ORDER = (bool, int, float, str, bytes, Decimal, datetime, date, UUID)


def label(annotation: Any) -> str:
    """A readable name for an annotation."""
    if isinstance(annotation, type) and get_origin(annotation) is None and not get_args(annotation):
        return annotation.__qualname__
    return repr(annotation).replace("typing.", "")


def _hashable(annotation: Any) -> bool:
    try:
        hash(annotation)
    except TypeError:
        return False
    return True


class _Builder:
    def __init__(self, where: str, model_converter: ModelConverter) -> None:
        self.where = where
        self.model_converter = model_converter

    def error(self, annotation: Any, template: str = UNSUPPORTED_TYPE) -> ModelDefinitionError:
        shown = annotation if isinstance(annotation, str) else label(annotation)
        return ModelDefinitionError(template.format(where=self.where, annotation=shown))

    def build(self, annotation: Any) -> Converter:
        special = _SPECIAL.get(annotation) if _hashable(annotation) else None
        if special is not None:
            return special
        origin = get_origin(annotation)
        if origin is Annotated:
            base, *metadata = get_args(annotation)
            if any(isinstance(m, PlainSerializer | WrapSerializer) for m in metadata):
                raise HasSerializer
            return self.build(base)
        if type(annotation).__name__ == "TypeAliasType":  # `type X = ...` (3.12+ or backport)
            return self.build(annotation.__value__)
        if type(origin).__name__ == "TypeAliasType":  # `type X[T] = ...` used as X[int]
            return self.build(_substitute(origin, get_args(annotation)))
        if isinstance(annotation, typing.NewType):
            return self.build(annotation.__supertype__)
        if isinstance(annotation, typing.TypeVar):
            return self.build(annotation.__bound__) if annotation.__bound__ else ANY
        if origin is Union or origin is types.UnionType:
            return self.union(annotation, get_args(annotation))
        if origin is Literal:
            return literal_converter(label(annotation), get_args(annotation))
        if isinstance(annotation, type) and origin is None:
            return self.plain_class(annotation)
        if origin is not None:
            return self.generic(annotation, origin, get_args(annotation))
        raise self.error(annotation)

    def plain_class(self, cls: type) -> Converter:
        if issubclass(cls, Enum):
            return enum_converter(cls)
        if issubclass(cls, RootModel):
            return self.root_model(cls)
        if issubclass(cls, BaseModel):
            return self.model_converter(cls)
        for base in _SUBCLASS_ORDER:
            if issubclass(cls, base):
                return _SPECIAL[base]
        if cls in (list, tuple, abc.Sequence, abc.MutableSequence):
            return self.sequence(cls, ANY, tuple_type=cls is tuple)
        if cls in (dict, abc.Mapping, abc.MutableMapping):
            return self.mapping(cls, STR, ANY)
        if cls in (set, frozenset, abc.Set, abc.MutableSet):
            return self.set_of(cls, ANY, frozen=cls is frozenset)
        raise self.error(cls)

    def generic(self, annotation: Any, origin: Any, args: tuple[Any, ...]) -> Converter:
        if origin in (list, abc.Sequence, abc.MutableSequence):
            return self.sequence(annotation, self.build(args[0]) if args else ANY)
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return self.sequence(annotation, self.build(args[0]), tuple_type=True)
            return self.fixed_tuple(annotation, [self.build(a) for a in args])
        if origin in (dict, abc.Mapping, abc.MutableMapping):
            key = self.build(args[0]) if args else STR
            return self.mapping(annotation, key, self.build(args[1]) if args else ANY)
        if origin in (set, frozenset, abc.Set, abc.MutableSet):
            member = self.build(args[0]) if args else ANY
            return self.set_of(annotation, member, frozen=origin is frozenset)
        if isinstance(origin, type) and issubclass(origin, BaseModel):
            return self.model_converter(annotation)
        raise self.error(annotation)

    def union(self, annotation: Any, args: tuple[Any, ...]) -> Converter:
        members = [self.build(a) for a in args if a is not type(None) and a is not None]
        nullable = len(members) < len(args) or any(m.nullable for m in members)
        if len(members) == 1:
            return nullable_of(members[0]) if nullable else members[0]
        return union_of(label(annotation), members, nullable)

    def sequence(self, annotation: Any, item: Converter, *, tuple_type: bool = False) -> Converter:
        return sequence_converter(label(annotation), item, tuple_type=tuple_type)

    def fixed_tuple(self, annotation: Any, items: list[Converter]) -> Converter:
        return fixed_tuple_converter(label(annotation), items)

    def mapping(self, annotation: Any, key: Converter, value: Converter) -> Converter:
        if key.scalar != "S" or key.raw is None or key.raw_decode is None:
            raise self.error(annotation, BAD_MAP_KEY)
        return mapping_converter(label(annotation), key, value)

    def set_of(self, annotation: Any, member: Converter, *, frozen: bool) -> Converter:
        if member is not ANY and (
            member.scalar is None or member.raw is None or member.raw_decode is None
        ):
            raise self.error(member.label, BAD_SET_MEMBER)
        return set_converter(label(annotation), member, frozen=frozen)

    def root_model(self, cls: type[RootModel[Any]]) -> Converter:
        inner = self.build(cls.model_fields["root"].annotation)

        def encode(value: Any) -> AttributeValue:
            return inner.encode(value.root if isinstance(value, RootModel) else value)

        def strict_decode(av: AttributeValue) -> Any:
            return cls.model_validate(inner.strict_decode(av))

        return Converter(
            cls.__qualname__,
            encode,
            inner.decode,
            strict_decode,
            lambda v: isinstance(v, cls),
            inner.tags,
            nullable=inner.nullable,
            child=inner.child,
        )


def build(annotation: Any, where: str, model_converter: ModelConverter) -> Converter:
    """Choose the converter for ``annotation``.

    Args:
        annotation: The type annotation.
        where: ``Model.field``, for error messages.
        model_converter: Makes the converter of a nested pydantic model class.

    Raises:
        ModelDefinitionError: The annotation (or a part of it) cannot be stored.
        HasSerializer: The annotation carries a PlainSerializer/WrapSerializer.
    """
    return _Builder(where, model_converter).build(annotation)


__all__ = [
    "BAD_MAP_KEY",
    "BAD_SET_MEMBER",
    "UNSUPPORTED_TYPE",
    "HasSerializer",
    "build",
    "label",
]
