"""Models <-> DynamoDB items: :func:`codec_for` and :class:`ModelCodec`.

The converters for a model's fields are chosen once per class (from the annotations) and
kept; encoding reads the instance's values directly and decoding builds exactly typed values
that pydantic then validates, so data written by other programs is still checked. (Where no
strict setting or user validator could tell the difference, number text is left for
pydantic to parse; if validation then fails, the item is read again exactly and validated
again, so results and errors are those of the exact reading.)

Rules decided here (DynamoDB's own, plus the choices they force):

* **None** attributes are omitted. An absent attribute of a field that is ``Optional``
  without a default reads back as ``None``. A field whose default is *not* None, set to
  None, is stored as ``{"NULL": True}`` so that reading it does not bring the default back.
  Inside lists and maps ``None`` is ``{"NULL": True}``.
* **Empty sets**: DynamoDB has none. An empty set in a plain set field is omitted and an
  absent set attribute reads back as an empty set. Where omission would be ambiguous
  (``set[...] | None`` fields, sets in lists, maps or unions) an empty set is stored as
  ``{"L": []}`` and read back as an empty set.
* **Set members** must be unique as DynamoDB sees them (numbers compare numerically).
* **Empty strings and binary** are allowed, except in key attributes of the table or its
  indexes (DynamoDB rejects them there): :class:`~aiodynamodb.errors.EncodeError`.
* **Numbers**: see :mod:`._number_text` (ints and Decimals exact, floats bit-for-bit,
  at most 38 significant digits, magnitude 1E-130 to 9.99...E+125, no NaN or infinity).
* **Item size**: an item over 409,600 bytes (DynamoDB's counting, see
  :func:`~aiodynamodb.rules.item_size`) is an :class:`~aiodynamodb.errors.EncodeError`.
* **Attribute names** are the fields' aliases, else their names. Computed fields are written
  (as ``model_dump`` includes them) and ignored on read; fields with ``exclude=True`` are
  not written. With ``extra="allow"`` extra values are written and read by runtime type.
* **Custom serializers** (``field_serializer``, ``PlainSerializer``, ``WrapSerializer``, and
  ``model_serializer`` on nested models): what the serializer returns (in python mode) is
  stored by its runtime type and validation is left to turn it back into the field's type.
  A table model itself cannot have a ``model_serializer`` (its keys must keep their types),
  and a key field's serializer must be an ``Annotated`` one whose ``return_type`` is a key
  type (the key is stored, and key values are serialized, as that type).
* **datetime**: aware only, stored as fixed-width UTC text (see :mod:`aiodynamodb.codec._values`);
  it reads back in UTC (the same instant).
* **Unions** are told apart by the stored tag, then by trying members in declaration order
  (see :mod:`aiodynamodb.codec._containers`). ``Any`` fields are stored by runtime type and read by
  tag, so their numbers read back as int or Decimal and their sets as sets.
* **Keys and conditions** use the declared field's converter: ``encode_key`` validates a
  value of another type as the field's type first (``"42"`` for an int key), and
  ``encode_path_value`` encodes a value of the declared type exactly as stored (a datetime
  compared with a datetime field becomes the same text).

Longer than 400 lines mostly for the rules listed below and their messages; the code is
one class, :class:`ModelCodec`.

Over 400 lines: ``ModelCodec`` is one class (encode, decode, keys) on shared per-model plans.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

import pydantic
from pydantic import BaseModel, PlainSerializer, TypeAdapter, WrapSerializer
from pydantic_core import PydanticUndefined

from aiodynamodb.codec._annotations import HasSerializer, build
from aiodynamodb.codec._codegen import DATA_ERRORS, generate_key_filter
from aiodynamodb.codec._converters import DATE, DATETIME, INT, UUID_, Converter
from aiodynamodb.codec._fields import FieldPlan, fields_of
from aiodynamodb.codec._item_limits import (
    KeyLimit,
    check_key_sizes,
    check_nesting,
    deep_attributes,
    key_limits,
)
from aiodynamodb.codec._messages import (
    BAD_KEY_VALUE,
    CANNOT_DECODE,
    CANNOT_ENCODE,
    EMPTY_KEY,
    EXCLUDED_KEY,
    INVALID_ITEM,
    ITEM_TOO_LARGE,
    KEY_PART_EXTRA,
    KEY_PART_MISSING,
    MISSING_KEY_ATTRIBUTE,
    MODEL_SERIALIZER_TABLE,
    NOT_A_MODEL_CLASS,
    short_repr,
)
from aiodynamodb.codec._paths import fits
from aiodynamodb.codec._values import ValueProblem, decode_value, encode_value
from aiodynamodb.codec._view import ModelView
from aiodynamodb.errors import ArgumentError, DecodeError, EncodeError, ModelDefinitionError
from aiodynamodb.item_types import AttributeValue, Item
from aiodynamodb.limits import MAX_ITEM_SIZE
from aiodynamodb.model import (
    BAD_KEY_TYPE,
    BAD_TTL_TYPE,
    BAD_VERSION_TYPE,
    CUSTOM_SERIALIZER_KEY,
    OPTIONAL_KEY,
    DynamoModel,
    TableMeta,
    set_definition_checks,
    table_meta,
)
from aiodynamodb.rules import item_size

M = TypeVar("M", bound=BaseModel)


def check_model(model: type[BaseModel]) -> None:
    """Choose a model's converters now (raises ModelDefinitionError for unsupported types)."""
    fields_of(model)


def check_table_model(model: type[BaseModel]) -> None:
    """Build a ``@table`` model's codec now if its annotations are resolvable."""
    if not model.__pydantic_complete__:
        model.model_rebuild(raise_errors=False)
        if not model.__pydantic_complete__:
            return  # forward references: checked on first use instead
    codec_for(model)


class ModelCodec(Generic[M]):
    """Encoder and decoder of one model class (get it with :func:`codec_for`).

    Attributes:
        model: The model class.
    """

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self._fields = fields_of(model)
        self._name = model.__name__
        self._validate = self._fields.validate
        meta = model.__dict__.get("__dynamo_table__")
        self._meta: TableMeta | None = meta if isinstance(meta, TableMeta) else None
        self._key_attrs: tuple[str, ...] = ()
        self._maybe_empty: tuple[tuple[str, str], ...] = ()
        self._write = self._fields.fast_sized_writer
        # The lax reader (if the model has one) lets pydantic parse number text; should
        # validation then fail, the exact reader decides (and reports).
        self._read = self._fields.decode_lax or self._fields.decode_map
        self._exact = self._fields.decode_map if self._fields.decode_lax else None
        self._adapters: dict[str, TypeAdapter[Any]] = {}
        # Key attributes stored as their serializer returns them: the field's adapter (to
        # validate and serialize a key value) and the converter of the serializer's type.
        self._serialized_keys: dict[str, tuple[TypeAdapter[Any], Converter]] = {}
        self._view: ModelView | None = None
        self._key_limits: tuple[KeyLimit, ...] = ()
        self._deep = deep_attributes(self._fields)
        self._declared = {plan.attr for plan in self._fields.fields}
        if self._meta is not None:
            self._check_keys(self._meta)
            self._key_attrs = self._meta.key_attributes
            self._key_limits = key_limits(self._meta, self._fields)
            # Only key attributes whose stored text or bytes can be empty need a look.
            self._maybe_empty = tuple(
                (attr, tag)
                for attr in self._key_attrs
                if (tag := self._fields.by_attr[attr].base.scalar) in ("S", "B")
                and self._fields.by_attr[attr].base not in (DATETIME, DATE, UUID_)
            )
        # One generated test of an item's key values; the checks run only when it is True.
        self._keys_need_look = generate_key_filter(self._maybe_empty, self._key_limits)

    @property
    def meta(self) -> TableMeta:
        """The model's table declaration (TypeError if the model has no ``@table``)."""
        if self._meta is None:
            return table_meta(self.model)
        return self._meta

    @property
    def view(self) -> ModelView:
        """The model as expressions see it: checked paths, values by the fields' types."""
        view = self._view
        if view is None:
            view = self._view = ModelView(self)
        return view

    def _check_keys(self, meta: TableMeta) -> None:
        if self._fields.whole:
            raise ModelDefinitionError(MODEL_SERIALIZER_TABLE.format(model=self._name))
        table_keys = set(meta.key_names)
        for attr in meta.key_attributes:
            plan = self._fields.by_attr[attr]
            fmt = {"model": self._name, "field": plan.name, "annotation": plan.converter.label}
            if plan.custom:
                stored = self._serialized_key(plan)
                if stored is None:
                    raise ModelDefinitionError(CUSTOM_SERIALIZER_KEY.format(**fmt))
                self._serialized_keys[attr] = stored
                continue
            if plan.excluded:
                raise ModelDefinitionError(EXCLUDED_KEY.format(**fmt))
            if attr in table_keys and plan.converter.nullable:
                raise ModelDefinitionError(OPTIONAL_KEY.format(**fmt))
            if not (plan.converter.base or plan.converter).keyable:
                raise ModelDefinitionError(BAD_KEY_TYPE.format(**fmt))
        if meta.ttl_attribute is not None:
            plan = self._fields.by_attr[meta.ttl_attribute]
            base = plan.converter.base or plan.converter
            if plan.custom or base.scalar != "N" or base.mixed:
                raise ModelDefinitionError(
                    BAD_TTL_TYPE.format(
                        model=self._name, field=plan.name, annotation=plan.converter.label
                    )
                )

        if meta.version_attribute is not None:
            plan = self._fields.by_attr[meta.version_attribute]
            if plan.custom or (plan.converter.base or plan.converter) is not INT:
                raise ModelDefinitionError(
                    BAD_VERSION_TYPE.format(
                        model=self._name, field=plan.name, annotation=plan.converter.label
                    )
                )

    def _serialized_key(self, plan: FieldPlan) -> tuple[TypeAdapter[Any], Converter] | None:
        """For a key field with an ``Annotated`` serializer whose ``return_type`` is a key
        type (a datetime stored as epoch seconds): how to serialize and store its values."""
        info = plan.info
        serializers = [m for m in info.metadata if isinstance(m, PlainSerializer | WrapSerializer)]
        return_type: Any = serializers[0].return_type if len(serializers) == 1 else None
        if return_type is None or return_type is PydanticUndefined:
            return None
        try:
            stored = build(return_type, f"{self._name}.{plan.name}", _no_models)
        except (HasSerializer, ModelDefinitionError):
            return None
        if not stored.keyable or stored.nullable:
            return None
        annotated: Any = Annotated[(info.annotation, *info.metadata)]
        adapter: TypeAdapter[Any] = TypeAdapter(annotated)
        return adapter, stored

    def key_type(self, attr: str) -> str:
        """``"S"``, ``"N"`` or ``"B"``: how key attribute ``attr`` is stored."""
        plan = self._fields.by_attr[attr]
        serialized = self._serialized_keys.get(attr)
        if serialized is not None:
            return serialized[1].scalar or "S"
        scalar = (plan.converter.base or plan.converter).scalar
        if scalar is None:
            raise KeyError(attr)
        return scalar

    def _encode_error(self, exc: ValueProblem) -> EncodeError:
        path = ".".join(str(step) for step in exc.path if step != "") or "?"
        return EncodeError(
            CANNOT_ENCODE.format(
                model=self._name, path=path, value=short_repr(exc.value), reason=exc.reason
            )
        )

    def _check_key_values(self, item: Item, attrs: Sequence[str]) -> None:
        for attr in attrs:
            av = item.get(attr)
            if av is not None and (av.get("S") == "" or av.get("B") == b""):
                kind = "string" if "S" in av else "binary value"
                raise EncodeError(EMPTY_KEY.format(model=self._name, attr=attr, kind=kind))

    def _check_item_keys(self, item: Item) -> None:
        for attr, tag in self._maybe_empty:
            av = item.get(attr)
            if av is not None and not av.get(tag, True):
                self._check_key_values(item, self._key_attrs)
        if self._key_limits:
            check_key_sizes(self._name, item, self._key_limits)

    def encode(self, instance: M) -> Item:
        """The item for ``instance``.

        Raises:
            EncodeError: A value cannot be stored (numbers, naive datetimes, mixed or
                duplicate set members), a key attribute is empty, or the item is over 400 KB.
        """
        try:
            item, bound = self._write(instance)
        except DATA_ERRORS:  # the careful writer names the failing field
            try:
                item, bound = self._fields.encode_sized_careful(instance)
            except ValueProblem as exc:
                raise self._encode_error(exc) from None
        if self._keys_need_look(item):
            self._check_item_keys(item)
        if self._deep:
            check_nesting(self._name, item, self._deep, self._declared)
        if bound > MAX_ITEM_SIZE:
            size = item_size(item)  # the bound is loose; count exactly only when it matters
            if size > MAX_ITEM_SIZE:
                raise EncodeError(
                    ITEM_TOO_LARGE.format(model=self._name, size=size, limit=MAX_ITEM_SIZE)
                )
        return item

    def _decode_problem(self, item: Item, exc: Exception) -> DecodeError:
        found = self._fields.failing_attribute(item)
        attr, error = found if found is not None else ("?", exc)
        av = item.get(attr, "")
        return DecodeError(
            CANNOT_DECODE.format(model=self._name, attr=attr, av=short_repr(av), reason=repr(error))
        )

    def decode(self, item: Item) -> M:
        """The model instance stored as ``item``, validated by pydantic.

        Raises:
            DecodeError: An attribute has the wrong type or the values do not validate.
        """
        try:
            result: M = self._validate(self._read(item))
        except pydantic.ValidationError as exc:
            if self._exact is None:
                raise self._invalid(exc) from exc
            return self._decode_exact(item)
        except (KeyError, ValueError, TypeError, AttributeError, ArithmeticError) as exc:
            raise self._decode_problem(item, exc) from exc
        return result

    def _decode_exact(self, item: Item) -> M:
        assert self._exact is not None
        try:
            result: M = self._validate(self._exact(item))
        except pydantic.ValidationError as exc:
            raise self._invalid(exc) from exc
        except (KeyError, ValueError, TypeError, AttributeError, ArithmeticError) as exc:
            raise self._decode_problem(item, exc) from exc
        return result

    def _invalid(self, exc: pydantic.ValidationError) -> DecodeError:
        errors = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        return DecodeError(INVALID_ITEM.format(model=self._name, errors=errors))

    def decode_partial(self, item: Item) -> dict[str, Any]:
        """Decode a projected item without validating it.

        Returns:
            Attribute name -> value, each decoded with its field's type (nested models as
            dicts); attributes the model does not declare by runtime tag.
        """
        out: dict[str, Any] = {}
        for attr, av in item.items():
            plan = self._fields.by_attr.get(attr)
            if plan is None or plan.custom:
                out[attr] = decode_value(av)
                continue
            try:
                out[attr] = plan.converter.decode(av)
            except (KeyError, ValueError, TypeError, AttributeError, ArithmeticError):
                out[attr] = decode_value(av)
        return out

    def _serialized_key_av(self, attr: str, value: Any) -> AttributeValue:
        adapter, stored = self._serialized_keys[attr]
        try:
            dumped = adapter.dump_python(adapter.validate_python(value))
            return stored.encode(dumped)
        except pydantic.ValidationError as exc:
            reason = exc.errors()[0]["msg"]
        except (ValueProblem, TypeError, ValueError) as exc:
            reason = str(exc)
        raise EncodeError(
            BAD_KEY_VALUE.format(model=self._name, value=value, attr=attr, reason=reason)
        )

    def _key_av(self, attr: str, value: Any) -> AttributeValue:
        if attr in self._serialized_keys:
            return self._serialized_key_av(attr, value)
        plan = self._fields.by_attr[attr]
        converter = plan.converter.base or plan.converter
        if not converter.accepts(value):
            adapter = self._adapters.get(attr)
            if adapter is None:
                annotation: Any = plan.info.annotation
                adapter = self._adapters[attr] = TypeAdapter(annotation)
            try:
                value = adapter.validate_python(value)
            except pydantic.ValidationError as exc:
                reason = exc.errors()[0]["msg"]
                raise EncodeError(
                    BAD_KEY_VALUE.format(model=self._name, value=value, attr=attr, reason=reason)
                ) from None
        try:
            return converter.encode(value)
        except ValueProblem as exc:
            exc.path.insert(0, attr)
            raise self._encode_error(exc) from None

    def encode_key(self, hash_key: Any, range_key: Any = None, *, index: str | None = None) -> Item:
        """The key of the table (or of ``index``) for the given key values.

        Values are encoded with the key fields' converters (a value of another type is first
        validated as the field's type, so ``"42"`` works for an int key).

        Raises:
            EncodeError: A needed key part is missing, an extra one given, or a value invalid.
            ValueError: ``index`` is not one of the table's indexes.
        """
        meta = self.meta
        names = meta.key_names if index is None else meta.index_key_names(index)
        where = "table" if index is None else f"index {index!r}"
        fmt = {"model": self._name, "where": where, "names": " and ".join(map(repr, names))}
        if hash_key is None:
            raise EncodeError(KEY_PART_MISSING.format(missing=names[0], **fmt))
        if len(names) == 2 and range_key is None:
            raise EncodeError(KEY_PART_MISSING.format(missing=names[1], **fmt))
        if len(names) == 1 and range_key is not None:
            raise EncodeError(KEY_PART_EXTRA.format(**fmt))
        key = {names[0]: self._key_av(names[0], hash_key)}
        if len(names) == 2:
            key[names[1]] = self._key_av(names[1], range_key)
        self._check_key_values(key, names)
        if self._key_limits:
            check_key_sizes(self._name, key, self._key_limits)
        return key

    def field_name(self, attr: str) -> str:
        """The name of the field stored as attribute ``attr`` (they differ by an alias)."""
        return self._fields.by_attr[attr].name

    def key_of(self, instance: M) -> Item:
        """The table key of ``instance``."""
        values = instance.__dict__
        key: Item = {}
        for attr in self.meta.key_names:
            key[attr] = self._key_av(attr, values[self._fields.by_attr[attr].name])
        self._check_key_values(key, list(key))
        return key

    def key_from_item(self, item: Item) -> Item:
        """The table key attributes of an encoded item.

        Raises:
            DecodeError: The item lacks a key attribute.
        """
        key: Item = {}
        for attr in self.meta.key_names:
            av = item.get(attr)
            if av is None:
                raise DecodeError(MISSING_KEY_ATTRIBUTE.format(model=self._name, attr=attr))
            key[attr] = av
        return key

    def encode_path_value(self, path: Sequence[str | int], value: Any) -> AttributeValue:
        """Encode a value compared with or assigned to the document path ``path``.

        The declared type's converter at the path is used when the value is of that type
        (a datetime against a datetime field becomes the stored text; a Python set on a set
        field becomes SS/NS/BS); other values and unknown paths are encoded by runtime type.

        Raises:
            EncodeError: The value cannot be stored.
        """
        converter: Converter | None = None
        if path:
            converter = self._fields.converter_at(path[0])
            for step in path[1:]:
                if converter is None:
                    break
                converter = converter.child(step)
        try:
            if value is None:
                return {"NULL": True}
            if converter is not None and fits(converter, value):
                return converter.encode(value)
            return encode_value(value)
        except ValueProblem as exc:
            exc.path[:0] = list(path)
            raise self._encode_error(exc) from None


# The model layer runs these when a class is defined (it cannot import the codec, which sits
# above it): see aiodynamodb.model.set_definition_checks.
set_definition_checks(check_model, check_table_model)


def codec_for(model: type[M]) -> ModelCodec[M]:
    """The codec of a model class (built on first use, then cached on the class).

    Raises:
        ModelDefinitionError: The model has a field type or key the codec cannot handle.
    """
    codec: ModelCodec[M] | None = getattr(model, "__dict__", {}).get("__aiodynamodb_codec__")
    if codec is None:
        if not (isinstance(model, type) and issubclass(model, DynamoModel)):
            raise ArgumentError(NOT_A_MODEL_CLASS.format(got=short_repr(model)))
        codec = ModelCodec(model)
        type.__setattr__(model, "__aiodynamodb_codec__", codec)
    return codec


def _no_models(model: type[BaseModel]) -> Converter:
    """A serializer returning a model is no key type."""
    raise HasSerializer


__all__ = [
    "ModelCodec",
    "codec_for",
    "decode_value",
    "encode_value",
    "item_size",
]
