"""DynamoDB's limits on an item the codec writes that its types do not already guarantee.

Key values (2,048 bytes for a hash key, 1,024 for a range key, of the table and of every
index) and nesting (32 levels) are checked here, before sending, naming the field and the
limit; DynamoDB's own refusal names neither. Each check costs nothing for models whose types
cannot break it: key checks look only at ``str`` and ``bytes`` keys, and items are measured
for nesting only when a field's type allows unbounded depth (``Any``, recursive models, or
containers nested that deep).
"""

from __future__ import annotations

from typing import Final

from aiodynamodb.codec._converters import Converter
from aiodynamodb.codec._fields import ModelFields
from aiodynamodb.errors import EncodeError
from aiodynamodb.item_types import Item
from aiodynamodb.limits import MAX_HASH_KEY_SIZE, MAX_NESTING_LEVELS, MAX_RANGE_KEY_SIZE
from aiodynamodb.model import TableMeta
from aiodynamodb.rules import binary_length, nesting_depth, utf8_length

KEY_TOO_LARGE: Final = (
    "{model}.{attr} is a {role} key ({where}); its value is {size:,} bytes, over DynamoDB's "
    "limit of {limit:,} bytes for a {role} key value"
)
NESTED_TOO_DEEP: Final = (
    "{model}.{attr} nests {depth} levels of maps and lists; DynamoDB allows at most {limit} "
    "levels (the attribute itself counting as the first)"
)

_UNBOUNDED: Final = 10**6

KeyLimit = tuple[str, str, int, str, str]
"""(attribute, tag "S"/"B", limit in bytes, role "hash"/"range", where)."""


def key_limits(meta: TableMeta, fields: ModelFields) -> tuple[KeyLimit, ...]:
    """The size checks the keys of ``meta`` need: one per string or binary key attribute."""
    roles: dict[str, tuple[int, str, str]] = {}
    tables = [("the table", meta.key_names)]
    tables += [
        (f"index {index.name!r}", meta.index_key_names(index.name)) for index in meta.indexes
    ]
    for where, names in tables:
        for position, attr in enumerate(names):
            limit = MAX_HASH_KEY_SIZE if position == 0 else MAX_RANGE_KEY_SIZE
            known = roles.get(attr)
            if known is None or limit < known[0]:
                roles[attr] = (limit, "hash" if position == 0 else "range", where)
    out: list[KeyLimit] = []
    for attr, (limit, role, where) in roles.items():
        tag = fields.by_attr[attr].base.scalar
        if tag in ("S", "B"):
            out.append((attr, tag, limit, role, where))
    return tuple(out)


def check_key_sizes(model: str, item: Item, limits: tuple[KeyLimit, ...]) -> None:
    """Refuse a key value over DynamoDB's size limit (``item`` may be a key or an item)."""
    for attr, tag, limit, role, where in limits:
        av = item.get(attr)
        if av is None:
            continue
        raw = av.get(tag)
        if raw is None or len(raw) * 4 <= limit:  # at most 4 UTF-8 bytes per character
            continue
        size = utf8_length(raw) if tag == "S" else binary_length(raw)
        if size > limit:
            raise EncodeError(
                KEY_TOO_LARGE.format(
                    model=model, attr=attr, role=role, where=where, size=size, limit=limit
                )
            )


def static_depth(converter: Converter, seen: frozenset[int] = frozenset()) -> int:
    """The most levels a value of ``converter``'s type can take (large when unbounded)."""
    if not converter.tags & {"L", "M"}:
        return 1
    base = converter.base or converter
    if base.is_set:
        return 1
    if id(base) in seen:
        return _UNBOUNDED  # a recursive model
    seen = seen | {id(base)}
    if base.kind == "model" and base.model_fields is not None:
        plans = base.model_fields.fields
        return 1 + max((static_depth(p.converter, seen) for p in plans), default=0)
    if base.inner is not None and base.kind in ("list", "tuple", "map"):
        return 1 + static_depth(base.inner, seen)
    return _UNBOUNDED  # Any, unions holding containers, fixed tuples: measure the value


def deep_attributes(fields: ModelFields) -> tuple[str, ...]:
    """The attributes whose values may nest deeper than DynamoDB allows."""
    deep = [
        plan.attr
        for plan in fields.fields
        if plan.custom or static_depth(plan.converter) > MAX_NESTING_LEVELS
    ]
    if fields.extra or fields.computed:
        return (*deep, "")  # "": every attribute the model does not declare
    return tuple(deep)


def check_nesting(model: str, item: Item, attrs: tuple[str, ...], declared: set[str]) -> None:
    """Refuse an attribute of ``item`` nested deeper than DynamoDB allows."""
    for attr in attrs:
        names = [a for a in item if a not in declared] if attr == "" else [attr]
        for name in names:
            av = item.get(name)
            if av is None:
                continue
            depth = nesting_depth(av)
            if depth > MAX_NESTING_LEVELS:
                raise EncodeError(
                    NESTED_TOO_DEEP.format(
                        model=model, attr=name, depth=depth, limit=MAX_NESTING_LEVELS
                    )
                )


__all__ = ["check_key_sizes", "check_nesting", "deep_attributes", "key_limits", "static_depth"]
