"""Per-class field plans: how each field of a pydantic model is written and read.

For every model class (table models and the models nested in them) the fields' converters
are chosen once and two small functions are generated from them, one writing an instance's
attribute map and one reading an attribute map into values to validate, so an item costs one
straight-line pass with no per-field dispatch. When the fast writer fails on the data (one of
:data:`~aiodynamodb.codec._codegen.DATA_ERRORS`), a plain loop redoes the work to find the failing
field and name it in the error; any other exception is a bug and propagates as it is.

Longer than 400 lines because a field plan, its careful writer and reader, and the
checks of what a reader may leave to pydantic are one responsibility: how fields are written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, get_args, get_origin

import pydantic
from pydantic import AliasChoices, BaseModel
from pydantic_core import PydanticUndefined

from aiodynamodb.codec._annotations import HasSerializer, build
from aiodynamodb.codec._codegen import DATA_ERRORS, generate_reader, generate_writer
from aiodynamodb.codec._converters import ANY, Converter
from aiodynamodb.codec._values import ValueProblem, decode_value, encode_value, set_model_writer
from aiodynamodb.errors import ModelDefinitionError
from aiodynamodb.item_types import AttributeValue
from aiodynamodb.rules import utf8_length, value_size

AMBIGUOUS_ALIAS = (
    "{model}.{field}: validation_alias {alias!r} has no plain name to read the attribute back "
    "with; give the field a str alias or enable validate_by_name"
)
NOT_UNICODE = (
    "strings must be valid Unicode to be stored; {text!r} holds a lone surrogate "
    "({char!r} at position {position}), which has no UTF-8 form"
)
_EMPTY_L: AttributeValue = {"L": []}


def _validation_key(model: type[BaseModel], name: str, info: pydantic.fields.FieldInfo) -> str:
    config = model.model_config
    alias = info.validation_alias
    if alias is None or config.get("validate_by_alias", True) is False:
        return name
    if isinstance(alias, str):
        return alias
    if config.get("validate_by_name") or config.get("populate_by_name"):
        return name
    if isinstance(alias, AliasChoices):
        for choice in alias.choices:
            if isinstance(choice, str):
                return choice
    raise ModelDefinitionError(
        AMBIGUOUS_ALIAS.format(model=model.__name__, field=name, alias=alias)
    )


class FieldPlan:
    """How one field is written and read.

    Attributes:
        name: The field name.
        attr: The attribute name (alias, else name).
        vkey: The key pydantic validation reads the value from.
        converter: The field's converter (``ANY`` for custom-serialized fields).
        info: pydantic's FieldInfo.
        custom: The value comes from a pydantic serializer and is stored by runtime type.
        excluded: ``exclude=True``: never written.
        plain_set: Empty sets are omitted and an absent attribute reads as an empty set.
        none_as_null: ``None`` is written as NULL (the default is not None).
        missing: Factory of the value an absent attribute reads as, or None.
        lax: Validation would parse int/float text exactly as int()/float() do, and no
            user validator sees the raw input, so the fast reader may pass text on.
    """

    __slots__ = (
        "attr",
        "converter",
        "custom",
        "excluded",
        "info",
        "lax",
        "missing",
        "name",
        "none_as_null",
        "plain_set",
        "vkey",
    )

    def __init__(
        self,
        name: str,
        attr: str,
        vkey: str,
        converter: Converter,
        info: pydantic.fields.FieldInfo,
        *,
        custom: bool,
    ) -> None:
        self.name = name
        self.attr = attr
        self.vkey = vkey
        self.converter = converter
        self.info = info
        self.custom = custom
        self.excluded = bool(info.exclude)
        base = converter.base or converter
        self.plain_set = not custom and base.is_set and not base.mixed and not converter.nullable
        self.none_as_null = not info.is_required() and (
            info.default_factory is not None or info.default is not None
        )
        self.lax = False
        self.missing: Callable[[], Any] | None = None
        if self.plain_set:
            base_decode = base.decode
            self.missing = lambda: base_decode(_EMPTY_L)
        elif converter.nullable and info.is_required():
            self.missing = type(None)

    @property
    def base(self) -> Converter:
        """The converter without the ``| None`` wrapper."""
        return self.converter.base or self.converter


class ModelFields:
    """The plan for one pydantic model class's fields (see the module docstring)."""

    def __init__(self, model: type[BaseModel]) -> None:
        self.model = model
        self.name = model.__name__
        self.fields: list[FieldPlan] = []
        self.by_attr: dict[str, FieldPlan] = {}
        self.whole = bool(model.__pydantic_decorators__.model_serializers)
        self.extra = model.model_config.get("extra") == "allow"
        self.known: set[str] = set()
        self.custom: list[FieldPlan] = []
        self.custom_names: set[str] = set()
        self.computed: list[tuple[str, str, Converter]] = []
        self.validate: Callable[[Any], Any] = model.__pydantic_validator__.validate_python
        self._fast_map: Callable[[Any], dict[str, AttributeValue]] = self._encode_slow
        self._fast_sized: Callable[[Any], tuple[dict[str, AttributeValue], int]] = (
            self.encode_sized_careful
        )
        self.decode_map: Callable[[dict[str, AttributeValue]], dict[str, Any]] = self._decode_slow
        self.decode_lax: Callable[[dict[str, AttributeValue]], dict[str, Any]] | None = None
        self.built = False

    def build(self, model_converter: Callable[[type[BaseModel]], Converter]) -> None:
        """Choose every field's converter and generate the reader and writer."""
        model = self.model
        decorators = model.__pydantic_decorators__
        serialized = {name for d in decorators.field_serializers.values() for name in d.info.fields}
        if "*" in serialized:
            serialized = set(model.model_fields)
        for name, info in model.model_fields.items():
            attr = info.alias or name
            custom = (
                self.whole
                or name in serialized
                or any(
                    isinstance(m, pydantic.PlainSerializer | pydantic.WrapSerializer)
                    for m in info.metadata
                )
            )
            converter = ANY
            if not custom:
                try:
                    converter = build(info.annotation, f"{self.name}.{name}", model_converter)
                except HasSerializer:
                    custom = True
            plan = FieldPlan(
                name, attr, _validation_key(model, name, info), converter, info, custom=custom
            )
            plan.lax = not custom and reads_text_ok(model, name, info)
            self.fields.append(plan)
            self.by_attr[attr] = plan
            self.known.add(attr)
            if custom and not plan.excluded:
                self.custom.append(plan)
                self.custom_names.add(name)
        for name, decorator in decorators.computed_fields.items():
            cinfo = decorator.info
            attr = cinfo.alias or name
            converter = ANY
            if cinfo.return_type is not PydanticUndefined and not self.whole:
                try:
                    converter = build(cinfo.return_type, f"{self.name}.{name}", model_converter)
                except HasSerializer:
                    converter = ANY
            self.computed.append((name, attr, converter))
            self.known.add(attr)
        if not self.whole:
            self._fast_map = generate_writer(self, sized=False)
            self._fast_sized = generate_writer(self, sized=True)
            self.decode_map = generate_reader(self)
            lax = generate_reader(self, lax=True)
            if lax.source != self.decode_map.source:  # type: ignore[attr-defined]
                self.decode_lax = lax
        self.built = True

    # -- writing ---------------------------------------------------------------------------

    def encode_rest(self, instance: Any, out: dict[str, AttributeValue]) -> int:
        """Write custom-serialized, computed and extra attributes; return their size."""
        size = 0
        if self.custom:
            dumped = instance.__pydantic_serializer__.to_python(
                instance, include=self.custom_names, by_alias=False
            )
            for plan in self.custom:
                value = dumped.get(plan.name)
                if value is not None:
                    out[plan.attr] = av = encode_value(value)
                    size += utf8_length(plan.attr) + value_size(av)
        for name, attr, converter in self.computed:
            value = getattr(instance, name)
            if value is not None:
                out[attr] = av = converter.encode(value)
                size += utf8_length(attr) + value_size(av)
        extra = instance.__pydantic_extra__
        if extra:
            for attr, value in extra.items():
                if value is not None and attr not in out:
                    out[attr] = av = encode_value(value)
                    size += utf8_length(attr) + value_size(av)
        return size

    def _encode_slow(self, instance: Any) -> dict[str, AttributeValue]:
        """Write field by field, so a failure names its field (raises ValueProblem)."""
        values = instance.__dict__
        out: dict[str, AttributeValue] = {}
        attr = ""
        value: Any = None
        try:
            if self.whole:
                dumped = instance.__pydantic_serializer__.to_python(instance, by_alias=True)
                for attr, value in dumped.items():
                    if value is not None:
                        out[attr] = encode_value(value)
                return out
            for plan in self.fields:
                if plan.excluded or plan.custom:
                    continue
                attr = plan.attr
                value = values[plan.name]
                if value is None:
                    if plan.none_as_null:
                        out[attr] = {"NULL": True}
                    continue
                if plan.plain_set and not value:
                    continue
                out[attr] = plan.base.encode(value)
            attr = ""
            self.encode_rest(instance, out)
        except ValueProblem as exc:
            exc.path.insert(0, attr)
            raise
        except KeyError:
            problem = ValueProblem("the instance has no value for this field", None)
            problem.path.append(attr)
            raise problem from None
        except (TypeError, AttributeError, ValueError, OverflowError) as exc:
            problem = ValueProblem(f"{type(value).__qualname__} value: {exc}", value)
            problem.path.append(attr)
            raise problem from None
        return out

    def encode_sized_careful(self, instance: Any) -> tuple[dict[str, AttributeValue], int]:
        """Write and size field by field, so a failure names its field (raises ValueProblem)."""
        out = self._encode_slow(instance)
        size = 0
        for attr, av in out.items():
            try:
                size += utf8_length(attr) + value_size(av)
            except UnicodeEncodeError as exc:
                text = exc.object if isinstance(exc.object, str) else str(exc.object)
                reason = NOT_UNICODE.format(
                    text=text, char=text[exc.start : exc.end], position=exc.start
                )
                problem = ValueProblem(reason, text)
                problem.path.append(attr)
                raise problem from None
        return out, size

    def encode_map(self, instance: Any) -> dict[str, AttributeValue]:
        """The attribute map of an instance (raises ValueProblem naming the field)."""
        try:
            return self._fast_map(instance)
        except DATA_ERRORS:  # the slow path says which field failed, and how
            return self._encode_slow(instance)

    @property
    def fast_sized_writer(self) -> Callable[[Any], tuple[dict[str, AttributeValue], int]]:
        """The generated sized writer itself: a data error means "use encode_sized_careful"."""
        return self._fast_sized

    def encode_sized(self, instance: Any) -> tuple[dict[str, AttributeValue], int]:
        """The attribute map and an upper bound of its DynamoDB size."""
        try:
            return self._fast_sized(instance)
        except DATA_ERRORS:  # the slow path says which field failed, and how
            return self.encode_sized_careful(instance)

    # -- reading ---------------------------------------------------------------------------

    def decode_rest(self, item: dict[str, AttributeValue], data: dict[str, Any]) -> None:
        """Add the attributes the model does not declare (``extra="allow"``) by runtime tag."""
        for attr, av in item.items():
            if attr not in self.known:
                data[attr] = decode_value(av)

    def _decode_slow(self, item: dict[str, AttributeValue]) -> dict[str, Any]:
        if self.whole:
            return {attr: decode_value(av) for attr, av in item.items()}
        data: dict[str, Any] = {}
        for plan in self.fields:
            av = item.get(plan.attr)
            if av is None:
                if plan.missing is not None:
                    data[plan.vkey] = plan.missing()
                continue
            data[plan.vkey] = decode_value(av) if plan.custom else plan.converter.decode(av)
        if self.extra:
            self.decode_rest(item, data)
        return data

    def failing_attribute(self, item: dict[str, AttributeValue]) -> tuple[str, Exception] | None:
        """The first attribute of ``item`` its field's decoder rejects, with the error."""
        for plan in self.fields:
            av = item.get(plan.attr)
            if av is None:
                continue
            try:
                decode_value(av) if plan.custom else plan.converter.decode(av)
            except Exception as exc:  # report whatever the decoder raised
                return plan.attr, exc
        return None

    def converter_at(self, step: str | int) -> Converter | None:
        """The converter of attribute ``step`` (None if the model does not declare it)."""
        plan = self.by_attr.get(step) if isinstance(step, str) else None
        if plan is None:
            return ANY if self.extra else None
        return ANY if plan.custom else plan.converter


_RAW_INPUT_METADATA = (
    pydantic.Strict,
    pydantic.BeforeValidator,
    pydantic.WrapValidator,
    pydantic.PlainValidator,
)


def _annotation_sees_raw(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        base, *metadata = get_args(annotation)
        return any(isinstance(m, _RAW_INPUT_METADATA) for m in metadata) or _annotation_sees_raw(
            base
        )
    return any(_annotation_sees_raw(arg) for arg in get_args(annotation))


def reads_text_ok(model: type[BaseModel], name: str, info: pydantic.fields.FieldInfo) -> bool:
    """Whether validating int/float text for this field is the same as validating numbers.

    True unless the model or field is strict or a user validator (before, wrap or plain, on
    the field or the model) could see the input before pydantic parses it.
    """
    if model.model_config.get("strict"):
        return False
    decorators = model.__pydantic_decorators__
    if decorators.validators or decorators.root_validators:  # pydantic v1-style validators
        return False
    if any(d.info.mode in ("before", "wrap") for d in decorators.model_validators.values()):
        return False
    for decorator in decorators.field_validators.values():
        fields = decorator.info.fields
        if decorator.info.mode != "after" and (name in fields or "*" in fields):
            return False
    if any(isinstance(m, _RAW_INPUT_METADATA) for m in info.metadata):
        return False
    return not _annotation_sees_raw(info.annotation)


_FIELDS: dict[type, ModelFields] = {}


def fields_of(model: type[BaseModel]) -> ModelFields:
    """The (cached) field plan of a pydantic model class.

    Raises:
        ModelDefinitionError: A field has a type the codec cannot store.
    """
    fields = _FIELDS.get(model)
    if fields is None:
        if not model.__pydantic_complete__:
            model.model_rebuild()
        fields = _FIELDS[model] = ModelFields(model)
        try:
            fields.build(model_converter)
        except BaseException:
            del _FIELDS[model]
            raise
    return fields


def model_converter(model: type[BaseModel]) -> Converter:
    """The converter of a nested pydantic model: a map of its attributes."""
    fields = fields_of(model)
    if fields.whole:
        return _serialized_model_converter(model)

    def encode(value: Any) -> AttributeValue:
        return {"M": fields.encode_map(value)}

    def decode(av: AttributeValue) -> Any:
        return fields.decode_map(av["M"])

    def strict_decode(av: AttributeValue) -> Any:
        return fields.validate(fields.decode_map(av["M"]))

    def sized_encode(value: Any) -> tuple[AttributeValue, int]:
        attributes, size = fields.encode_sized(value)
        return {"M": attributes}, 3 + size + len(attributes)

    def child(step: str | int) -> Converter | None:
        return fields.converter_at(step)

    return Converter(
        model.__qualname__,
        encode,
        decode,
        strict_decode,
        lambda v: isinstance(v, model),
        frozenset({"M"}),
        child=child,
        sized_encode=sized_encode,
        kind="model",
        model_fields=fields,
    )


def _serialized_model_converter(model: type[BaseModel]) -> Converter:
    """A model with a ``model_serializer``: its output is stored, validation reads it back."""

    def encode(value: Any) -> AttributeValue:
        return encode_value(value.__pydantic_serializer__.to_python(value, by_alias=True))

    return Converter(
        model.__qualname__,
        encode,
        decode_value,
        lambda av: model.__pydantic_validator__.validate_python(decode_value(av)),
        lambda v: isinstance(v, model),
        ANY.tags,
        mixed=True,
    )


def _write_model(value: BaseModel) -> dict[str, AttributeValue]:
    return fields_of(type(value)).encode_map(value)


set_model_writer(_write_model)

__all__ = ["FieldPlan", "ModelFields", "fields_of", "model_converter", "reads_text_ok"]
