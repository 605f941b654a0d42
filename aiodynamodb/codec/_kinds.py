"""Reading a table several models share: each item decoded to the model whose discriminator
value it holds (``@table(..., discriminator="kind")``, see :mod:`aiodynamodb.model`).

:func:`reader_for` turns what a read was given (one model class, or a tuple of models sharing
a table) into a :class:`Reader`: the codec that encodes its keys, the view its expressions are
checked against and the function decoding each item. A model without a discriminator gets
its codec's own ``decode``, so its reads cost what they always did; only discriminated reads
look at the discriminator first.

An item whose discriminator value belongs to none of the models read (or that has none)
raises :class:`~aiodynamodb.errors.DecodeError` naming the table, the attribute, the value
and the values known; with ``other_kinds="skip"`` such items are left out instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Literal

from aiodynamodb.codec._messages import short_repr
from aiodynamodb.codec._model_codec import ModelCodec, codec_for
from aiodynamodb.codec._paths import ResolvedPath, _plan_for
from aiodynamodb.codec._view import ModelView
from aiodynamodb.errors import (
    ArgumentError,
    DecodeError,
    EncodeError,
    ModelDefinitionError,
    ValidationError,
)
from aiodynamodb.item_types import AttributeValue, Item
from aiodynamodb.model import check_kinds

OtherKinds = Literal["error", "skip"]
"""What a read does with an item of a kind none of its models has (``other_kinds=``)."""

UNKNOWN_KIND: Final = (
    "table {table!r}: the item with key {key} has {attr}={value}, a value none of the models "
    "read has (the known values of {attr!r}: {known}); read it with a tuple of models that "
    "includes its model, or pass other_kinds='skip' to leave such items out"
)
NO_KIND: Final = (
    "table {table!r}: the item with key {key} has no discriminator attribute {attr!r} (the "
    "known values: {known}), so it is none of the models read; pass other_kinds='skip' to "
    "leave such items out"
)
BAD_OTHER_KINDS: Final = "{operation}: other_kinds must be 'error' or 'skip', got {got!r}"
SKIP_WITHOUT_DISCRIMINATOR: Final = (
    "{operation}: other_kinds='skip' needs models with a discriminator "
    "(@table(..., discriminator='<field>')); {model} has none, so no item can be of another kind"
)
EMPTY_MODELS: Final = "{operation}: the tuple of models is empty; pass at least one model class"
NOT_ONE_TABLE: Final = (
    "{operation}: {first} (table {first_table!r}) and {second} (table {second_table!r}) are "
    "on different tables; a read of several models reads one table they share"
)
NO_DISCRIMINATOR: Final = (
    "{operation}: {models} share table {table!r} but declare no discriminator, so an item "
    "cannot be told apart; declare @table(..., discriminator='<field>') on each, with a "
    "one-value Literal field per model"
)
KEYS_DISAGREE: Final = (
    "{operation}: {first} and {second} share table {table!r} but not its key "
    "({first}: {first_key}; {second}: {second_key}); declare the same keys and key types"
)
UNKNOWN_IN_MODELS: Final = (
    "none of {models} has attribute {name!r} (in {use} path {path!r}); their attributes: "
    "{known}. To name an attribute outside the models on purpose, wrap it: Raw({path!r}) "
    "(from aiodynamodb import Raw)"
)

_READER: Final = "__aiodynamodb_reader__"  # a plain read's Reader, cached on the model class
_READERS: Final = "__aiodynamodb_readers__"  # other readers, cached on the first model


@dataclass(frozen=True, slots=True)
class Reader:
    """How one read encodes, checks and decodes (get it with :func:`reader_for`).

    Attributes:
        codec: The (first) model's codec: table name, keys, indexes.
        view: What the read's expressions are checked against: the model, or the union of
            the models' attributes.
        decode: Item -> model instance; returns None for an item to skip (only when
            ``skips``).
        skips: Whether ``decode`` may return None.
        name: The model's name, or the models' names joined with ``" | "``.
    """

    codec: ModelCodec[Any]
    view: Any
    decode: Callable[[Item], Any]
    skips: bool
    name: str


class UnionView:
    """Several models' views as one: a path is checked against the models that declare it.

    A path is resolved by the first model (in the order given) that accepts it; its values
    are then encoded with that model's field types. Keys are the table's, which every model
    shares.
    """

    def __init__(self, views: Sequence[ModelView]) -> None:
        self._views = tuple(views)
        self.model_name = " | ".join(view.model_name for view in views)

    def resolve(self, path: Sequence[str | int], use: str) -> _Resolved:
        """Check ``path`` against the models; the first that accepts it resolves it.

        Raises:
            ValidationError: No model declares the path's first name (naming every model
                and their attributes), or the models that declare it cannot take the rest.
        """
        errors: list[ValidationError] = []
        for view in self._views:
            try:
                return _Resolved(view, view.resolve(path, use), tuple(path))
            except ValidationError as error:
                errors.append(error)
        first = path[0] if path else ""
        for view, problem in zip(self._views, errors, strict=True):
            if isinstance(first, str) and _plan_for(view._fields, first) is not None:
                raise problem  # a model knows the name: its own message says what is wrong
        known = sorted(
            {plan.attr for view in self._views for plan in view._fields.fields}
            | {attr for view in self._views for attr in view._fields.known}
        )
        raise ValidationError(
            UNKNOWN_IN_MODELS.format(
                models=", ".join(view.model_name for view in self._views),
                name=first,
                use=use,
                path=_text(path),
                known=", ".join(known),
            )
        )

    def update_target(self, kind: str, path: Sequence[str | int]) -> _Resolved:
        """Resolve an update action's path (reads of several models have no updates, but the
        protocol asks for it): the first model declaring the path checks it."""
        resolved = self.resolve(path, "update")
        return _Resolved(resolved.view, resolved.view.update_target(kind, path), tuple(path))

    def key_names(self, index: str | None) -> tuple[str, ...]:
        """The key attributes of the table, or of ``index``."""
        return self._views[0].key_names(index)

    def condition_value(self, resolved: _Resolved, value: Any, how: str) -> AttributeValue:
        """Encode a compared value with the type of a model declaring the path: the one that
        resolved it, else the next that accepts the value (``Attr("kind").eq("invoice")``
        is Invoice's value, not Customer's)."""
        try:
            return resolved.view.condition_value(resolved.resolved, value, how)
        except EncodeError as error:
            for view in self._views:
                if view is resolved.view:
                    continue
                try:
                    return view.condition_value(
                        view.resolve(resolved.source, "condition"), value, how
                    )
                except (EncodeError, ValidationError):
                    continue
            raise error from None

    def assigned_value(self, resolved: _Resolved, kind: str, value: Any) -> AttributeValue:
        """Encode an assigned value with the type of the model that resolved the path."""
        return resolved.view.assigned_value(resolved.resolved, kind, value)

    def raw_value(self, value: Any) -> AttributeValue:
        """Encode a value by its Python type."""
        return self._views[0].raw_value(value)

    def key_value(self, name: str, value: Any) -> AttributeValue:
        """Encode a key condition's value with the first model that accepts it (the table's
        keys have one type in all; an index key may be the discriminator itself)."""
        first_error: EncodeError | None = None
        for view in self._views:
            try:
                return view.key_value(name, value)
            except EncodeError as error:
                first_error = first_error or error
        assert first_error is not None
        raise first_error

    def check_key_names(self, conditions: Sequence[tuple[str, str]], index: str | None) -> None:
        """Check a key condition's attributes against the shared key."""
        self._views[0].check_key_names(conditions, index)


@dataclass(frozen=True, slots=True)
class _Resolved:
    view: ModelView
    resolved: ResolvedPath
    source: tuple[str | int, ...]  # the path as given, to resolve with another model

    @property
    def path(self) -> tuple[str | int, ...]:
        return self.resolved.path


def _text(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else part
    return out


class _Dispatch:
    """Decode an item with the codec of the model whose discriminator value it holds."""

    __slots__ = ("_attr", "_by_value", "_codec", "_known", "_skip")

    def __init__(self, codecs: Sequence[ModelCodec[Any]], skip: bool) -> None:
        meta = codecs[0].meta
        assert meta.discriminator is not None  # checked by reader_for
        self._attr = meta.discriminator
        # An int value is found from the stored N text through Decimal, which hashes and
        # compares equal to the int ("7" and "7.0" are one number to DynamoDB too).
        self._by_value: dict[object, Callable[[Item], Any]] = {
            codec.meta.discriminator_value: codec.decode for codec in codecs
        }
        self._codec = codecs[0]
        self._skip = skip
        self._known = ", ".join(
            f"{codec.meta.discriminator_value!r} ({codec.model.__name__})" for codec in codecs
        )

    def __call__(self, item: Item) -> Any:
        av = item.get(self._attr)
        if av is not None:
            value = av.get("S")
            if value is None and "N" in av:
                value = _number(av["N"])
            decode = self._by_value.get(value)
            if decode is not None:
                return decode(item)
        if self._skip:
            return None
        raise self._other_kind(item, av)

    def _other_kind(self, item: Item, av: AttributeValue | None) -> DecodeError:
        meta = self._codec.meta
        key = (
            "{"
            + ", ".join(
                f"{name}: {short_repr(next(iter(item[name].values())), 60)}"
                for name in meta.key_names
                if item.get(name)
            )
            + "}"
        )
        fmt = {"table": meta.name, "key": key, "known": self._known}
        if av is None:
            return DecodeError(NO_KIND.format(attr=self._attr, **fmt))
        if "S" in av or "N" in av:
            shown = repr(av["S"]) if "S" in av else av["N"]
        else:
            shown = short_repr(av, 60)
        return DecodeError(UNKNOWN_KIND.format(attr=self._attr, value=shown, **fmt))


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def reader_for(
    models: type[Any] | tuple[type[Any], ...],
    other_kinds: str = "error",
    operation: str = "read",
) -> Reader:
    """The :class:`Reader` of a read given ``models``.

    Args:
        models: One ``@table`` model class, or a tuple of models sharing a table and its
            discriminator.
        other_kinds: ``"error"`` (an item of no model read raises ``DecodeError``) or
            ``"skip"`` (such items are left out).
        operation: The operation's name, for messages.

    Raises:
        ArgumentError: ``other_kinds`` is neither value, or ``"skip"`` for a model without
            a discriminator; an empty tuple.
        ModelDefinitionError: The models do not share one table, its key and its
            discriminator, or two have the same value.
    """
    if other_kinds == "error" and type(models) is not tuple:
        reader: Reader | None = getattr(models, "__dict__", {}).get(_READER)
        if reader is not None:
            return reader
    if other_kinds not in ("error", "skip"):
        raise ArgumentError(BAD_OTHER_KINDS.format(operation=operation, got=other_kinds))
    skip = other_kinds == "skip"
    if isinstance(models, tuple):
        if not models:
            raise ArgumentError(EMPTY_MODELS.format(operation=operation))
        unique = tuple(dict.fromkeys(models))
        first = unique[0]
        cache: dict[tuple[Any, ...], Reader] = getattr(first, "__dict__", {}).get(_READERS, {})
        reader = cache.get((unique, skip))
        if reader is None:
            reader = _several(unique, skip, operation)
            cache[(unique, skip)] = reader
            type.__setattr__(first, _READERS, cache)
        return reader
    codec = codec_for(models)
    meta = codec.meta
    if meta.discriminator is None:
        if skip:
            raise ArgumentError(
                SKIP_WITHOUT_DISCRIMINATOR.format(operation=operation, model=codec.model.__name__)
            )
        reader = Reader(codec, codec.view, codec.decode, False, codec.model.__name__)
    else:
        reader = Reader(codec, codec.view, _Dispatch([codec], skip), skip, codec.model.__name__)
    if not skip:
        type.__setattr__(codec.model, _READER, reader)
    return reader


def _several(models: tuple[type[Any], ...], skip: bool, operation: str) -> Reader:
    codecs = [codec_for(model) for model in models]
    first = codecs[0]
    table = first.meta.name
    for codec in codecs[1:]:
        if codec.meta.name != table:
            raise ModelDefinitionError(
                NOT_ONE_TABLE.format(
                    operation=operation,
                    first=first.model.__name__,
                    first_table=table,
                    second=codec.model.__name__,
                    second_table=codec.meta.name,
                )
            )
        first_key = [(n, first.key_type(n)) for n in first.meta.key_names]
        key = [(n, codec.key_type(n)) for n in codec.meta.key_names]
        if key != first_key:
            raise ModelDefinitionError(
                KEYS_DISAGREE.format(
                    operation=operation,
                    first=first.model.__name__,
                    second=codec.model.__name__,
                    table=table,
                    first_key=first_key,
                    second_key=key,
                )
            )
    check_kinds(models)  # the same agreement the mock and the pytest plugin check
    name = " | ".join(codec.model.__name__ for codec in codecs)
    if first.meta.discriminator is None:
        raise ModelDefinitionError(
            NO_DISCRIMINATOR.format(
                operation=operation, models=", ".join(name.split(" | ")), table=table
            )
        )
    view = UnionView([codec.view for codec in codecs]) if len(codecs) > 1 else first.view
    return Reader(first, view, _Dispatch(codecs, skip), skip, name)


__all__ = ["OtherKinds", "Reader", "UnionView", "reader_for"]
