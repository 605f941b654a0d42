"""What expressions need to know about a table model: :class:`ModelView`.

An :class:`~aiodynamodb.expressions.ExpressionContext` built with a model's view checks every
path against the model (:mod:`._paths`) and encodes every value with the field's own
converter, so a value of the wrong type is refused with the field's name instead of being
sent as something the field never stores.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, Protocol

import pydantic
from pydantic import TypeAdapter

from aiodynamodb.codec._converters import Converter
from aiodynamodb.codec._fields import ModelFields
from aiodynamodb.codec._messages import short_repr
from aiodynamodb.codec._paths import (
    ResolvedPath,
    check_update_target,
    element_converter,
    fits,
    resolve_path,
)
from aiodynamodb.codec._values import ValueProblem, encode_value
from aiodynamodb.errors import EncodeError, ValidationError
from aiodynamodb.item_types import AttributeValue
from aiodynamodb.model import TableMeta


class _CodecParts(Protocol):
    """What a view reads of its model's codec (``ModelCodec`` builds the view, so the view
    names the parts it uses rather than importing the codec module back)."""

    @property
    def model(self) -> type[Any]: ...

    @property
    def meta(self) -> TableMeta: ...

    @property
    def _fields(self) -> ModelFields: ...

    def _encode_error(self, exc: ValueProblem) -> EncodeError: ...

    def _key_av(self, attr: str, value: Any) -> AttributeValue: ...


BAD_CONDITION_VALUE: Final = (
    "{model}: a condition compares {path!r} ({label}) with {value} ({vtype}), a value the field "
    "cannot hold: {reason}; pass a {label} value"
)
BAD_UPDATE_VALUE: Final = (
    "{model}: cannot write {value} to {path!r}: {reason} ({action} with a {vtype} on a field of "
    "type {label}); an update must store a value the field accepts, or the item could not be "
    "read back"
)
NOT_A_KEY: Final = (
    "{model}: Key({name!r}) is not a key of the {where}; its key is {keys}. Use Attr({name!r}) "
    "in filter_expression for other attributes"
)
HASH_KEY_NEEDS_EQ: Final = (
    "{model}: the hash key {name!r} of the {where} needs an equality condition, "
    "Key({name!r}).eq(value); {operator!r} works only on the range key{range_hint}"
)
HASH_KEY_MISSING: Final = (
    "{model}: a key condition on the {where} must give its hash key: Key({name!r}).eq(value)"
)
KEY_TWICE: Final = (
    "{model}: the key condition names Key({name!r}) twice; give one condition per key"
)
BAD_KEY_CONDITION_VALUE: Final = (
    "{model}: Key({name!r}) is compared with {value} ({vtype}), but key attribute {name!r} is "
    "{label} (stored as {tag}): {reason}; pass a {label} value"
)


def _text(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else part
    return out


class ModelView:
    """One table model as expressions see it (get it as ``codec.view``).

    Args:
        codec: The model's codec.
    """

    def __init__(self, codec: _CodecParts) -> None:
        self._codec = codec
        self._fields = codec._fields
        self.model_name = codec.model.__name__
        self._adapters: dict[tuple[str | int, ...], TypeAdapter[Any]] = {}

    # -- paths ------------------------------------------------------------------------------

    def resolve(self, path: Sequence[str | int], use: str) -> ResolvedPath:
        """Check ``path`` against the model (see :func:`resolve_path`)."""
        return resolve_path(self._fields, path, use)

    def update_target(self, kind: str, path: Sequence[str | int]) -> ResolvedPath:
        """Resolve the path of an update action and check the action fits its type."""
        resolved = resolve_path(self._fields, path, "update")
        check_update_target(self.model_name, kind, resolved)
        return resolved

    def key_names(self, index: str | None) -> tuple[str, ...]:
        """The key attributes of the table, or of ``index``."""
        meta = self._codec.meta
        return meta.key_names if index is None else meta.index_key_names(index)

    # -- values -----------------------------------------------------------------------------

    def _validated(
        self, resolved: ResolvedPath, value: Any
    ) -> tuple[bool, Any, str]:  # (ok, value, reason)
        """Validate ``value`` as the type of the field at ``resolved`` (``"42"`` -> 42)."""
        plan = resolved.field
        if plan is None:
            return (
                False,
                value,
                f"expected {resolved.converter.label if resolved.converter else '?'}",
            )
        adapter = self._adapters.get(resolved.path)
        if adapter is None:
            annotation: Any = plan.info.annotation
            adapter = self._adapters[resolved.path] = TypeAdapter(annotation)
        try:
            return True, adapter.validate_python(value), ""
        except pydantic.ValidationError as exc:
            return False, value, exc.errors()[0]["msg"]

    def _encode(
        self, path: Sequence[str | int], converter: Converter | None, value: Any
    ) -> AttributeValue:
        try:
            if value is None:
                return {"NULL": True}
            if converter is not None:
                return converter.encode(value)
            return encode_value(value)
        except ValueProblem as exc:
            exc.path[:0] = list(path)
            raise self._codec._encode_error(exc) from None

    def condition_value(self, resolved: ResolvedPath, value: Any, how: str) -> AttributeValue:
        """Encode a value a condition compares with the attribute at ``resolved``.

        Args:
            resolved: The attribute's path.
            value: The value.
            how: ``"compare"`` (the attribute's own type), ``"element"`` (``contains``: one
                element, or a substring of a string) or ``"prefix"`` (``begins_with``).

        Raises:
            EncodeError: The value is not of the field's type and does not validate as it.
        """
        converter = resolved.converter
        if how == "element":
            converter = element_converter(converter)
            if converter is None or fits(converter, value):
                return self._encode(resolved.path, converter, value)
            return self._refuse_condition(resolved, converter, value, f"expected {converter.label}")
        if converter is None or value is None or fits(converter, value):
            return self._encode(resolved.path, converter, value)
        base = converter.base or converter
        tag = base.scalar
        prefix_type = str if tag == "S" else bytes if tag == "B" else None
        if how == "prefix" and tag and prefix_type and isinstance(value, prefix_type):
            return {tag: value}  # a prefix of the stored text or bytes
        ok, validated, reason = self._validated(resolved, value)
        if ok and fits(converter, validated):
            return self._encode(resolved.path, converter, validated)
        return self._refuse_condition(resolved, converter, value, reason)

    def _refuse_condition(
        self, resolved: ResolvedPath, converter: Converter, value: Any, reason: str
    ) -> AttributeValue:
        raise EncodeError(
            BAD_CONDITION_VALUE.format(
                model=self.model_name,
                path=_text(resolved.path),
                label=converter.label,
                value=short_repr(value, 80),
                vtype=type(value).__name__,
                reason=reason,
            )
        )

    def assigned_value(self, resolved: ResolvedPath, kind: str, value: Any) -> AttributeValue:
        """Encode a value an update action writes (or adds, deletes, appends).

        Raises:
            EncodeError: The value is not valid for the field at ``resolved``.
        """
        converter = resolved.converter
        if converter is None:
            return self._encode(resolved.path, None, value)
        # append/prepend values are lists of elements: the list's own type checks them
        target = converter
        if kind in ("increment", "decrement"):  # a number (checked by UpdateAttr)
            return self._encode(resolved.path, None, value)
        if value is None and converter.nullable and kind == "set":
            return {"NULL": True}
        if value is not None and fits(target, value):
            return self._encode(resolved.path, target, value)
        ok, validated, reason = (
            self._validated(resolved, value) if value is not None else (False, value, "None")
        )
        if ok and validated is not None and fits(target, validated):
            return self._encode(resolved.path, target, validated)
        if not reason.startswith("expected") and resolved.field is None:
            reason = f"expected {target.label}"
        raise EncodeError(
            BAD_UPDATE_VALUE.format(
                model=self.model_name,
                action=kind.upper() if kind in ("add", "delete", "set") else kind,
                path=_text(resolved.path),
                label=target.label,
                value=short_repr(value, 80),
                vtype=type(value).__name__,
                reason=reason or f"expected {target.label}",
            )
        )

    def raw_value(self, value: Any) -> AttributeValue:
        """Encode a value by its Python type (values of :class:`~aiodynamodb.expressions.Raw`
        paths, which the model knows nothing about)."""
        return self._encode((), None, value)

    def key_value(self, name: str, value: Any) -> AttributeValue:
        """Encode a value a key condition compares key attribute ``name`` with.

        Raises:
            EncodeError: The value is not of the key's type, naming the key attribute, its
                type and the value's type.
        """
        plan = self._fields.by_attr[name]
        converter = plan.base
        try:
            return self._codec._key_av(name, value)
        except EncodeError as exc:
            reason = exc.message.rsplit(": ", 1)[-1]
        raise EncodeError(
            BAD_KEY_CONDITION_VALUE.format(
                model=self.model_name,
                name=name,
                value=short_repr(value, 80),
                vtype=type(value).__name__,
                label=converter.label,
                tag=converter.scalar,
                reason=reason,
            )
        )

    def check_key_names(self, conditions: Sequence[tuple[str, str]], index: str | None) -> None:
        """Check the ``(attribute, operator)`` pairs of a key condition against the key.

        Raises:
            ValidationError: A name that is not a key attribute, a hash key compared with
                anything but ``=``, a key named twice, or no hash key condition.
        """
        keys = self.key_names(index)
        where = "table" if index is None else f"index {index!r}"
        fmt = {"model": self.model_name, "where": where}
        seen: set[str] = set()
        for name, operator in conditions:
            if name not in keys:
                shown = " and ".join(repr(k) for k in keys)
                raise ValidationError(NOT_A_KEY.format(name=name, keys=shown, **fmt))
            if name in seen:
                raise ValidationError(KEY_TWICE.format(name=name, **fmt))
            seen.add(name)
            if name == keys[0] and operator != "=":
                hint = f" ({keys[1]!r})" if len(keys) == 2 else " (this table has none)"
                raise ValidationError(
                    HASH_KEY_NEEDS_EQ.format(name=name, operator=operator, range_hint=hint, **fmt)
                )
        if keys[0] not in seen:
            raise ValidationError(HASH_KEY_MISSING.format(name=keys[0], **fmt))


__all__ = ["ModelView"]
