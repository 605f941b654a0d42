"""Generated per-class readers and writers (straight-line code, one pass per item).

For each model class the field plans (:mod:`aiodynamodb.codec._fields`) are turned into two small
Python functions with ``exec``, the technique attrs and cattrs use: a writer (instance ->
attribute map, plus an upper bound of the item's size for the 400 KB check) and a reader
(attribute map -> values for pydantic to validate). Field and attribute names only ever
enter the source through ``repr()``; converters enter through the namespace.

Fields we always write go into one dict display, with the commonest converters inlined; an
exception anywhere sends the item to the careful path, which handles absent attributes,
other writers' forms and error reporting field by field. Only the errors data can cause
(:data:`DATA_ERRORS`) take that path: anything else is a bug and propagates. The source of
every generated function is registered with :mod:`linecache` (as attrs does), so a
traceback through it shows the generated line.

Just over 500 lines: one generator of each kind, and the inline forms they share.
"""

from __future__ import annotations

import itertools
import linecache
from datetime import UTC, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from aiodynamodb.codec._converters import (
    BOOL,
    BYTES,
    DATETIME,
    DATETIME_FORMAT,
    DECIMAL,
    FLOAT,
    INT,
    STR,
    Converter,
)
from aiodynamodb.codec._values import decode_value
from aiodynamodb.limits import (
    FLOAT_FAST_MAX,
    FLOAT_FAST_MIN,
    INT_FAST_LIMIT,
    NUMBER_MAX_DIGITS,
    NUMBER_MAX_EXPONENT,
    NUMBER_MIN_EXPONENT,
)
from aiodynamodb.rules import text_bound, utf8_length, value_size

# The field plans this module generates code for are ``_fields.ModelFields``; that module
# calls this one, so they are typed ``Any`` here rather than imported (no import cycle).
ModelFields = Any

DATA_ERRORS = (KeyError, IndexError, TypeError, ValueError, AttributeError, ArithmeticError)
"""What stored data or a value of the wrong type can raise inside generated code (a missing
attribute, another tag, text that does not parse, a lone surrogate, a number out of range).
Only these send an item from a generated function to the careful path."""

_serial = itertools.count(1)


def _compile(source: str, name: str, label: str, namespace: dict[str, Any]) -> Any:
    """Execute generated ``source`` defining ``name``, registered with linecache."""
    filename = f"<aiodynamodb generated {name} of {label} #{next(_serial)}>"
    code = compile(source, filename, "exec")
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(code, namespace)
    return namespace[name]


# Inline forms of the commonest converters in the generated code (the converter's own
# function stays the fallback, so every rule still applies off the fast path).
# ``{first}`` is where the value is first evaluated (a conditional evaluates its test first).
_WRITE_INLINE = {
    id(STR): "{{'S': {first}}}",
    id(BOOL): "{{'BOOL': {first}}}",
    id(INT): "{{'N': str(v)}} if type({first}) is int and -LIMIT < v < LIMIT else e{i}(v)",
    id(FLOAT): "{{'N': repr(v)}} if type({first}) is float and FMIN <= abs(v) < FMAX else e{i}(v)",
    id(DATETIME): (
        "{{'S': FORMAT % (v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond)}}"
        " if {first}.tzinfo is UTC else e{i}(v)"
    ),
    # decimal_fast_text, inline: short text of a finite, non-zero value in range.
    id(DECIMAL): (
        "{{'N': t}} if type({first}) is Decimal and len(t := str(v)) <= DMAX and v.is_finite()"
        " and v and DMIN <= v.adjusted() <= DEMAX else e{i}(v)"
    ),
}
_SCALAR_READ = {
    id(STR): "av['S']",
    id(BOOL): "av['BOOL']",
    id(INT): "int(av['N'])",
    id(FLOAT): "float(av['N'])",
    id(DECIMAL): "Decimal(av['N'])",
    id(DATETIME): "fromisoformat(av['S'])",
}


_SET_NUMBER = {id(INT): "int", id(FLOAT): "float", id(DECIMAL): "Decimal"}
# Lax reads: pydantic parses int and float text itself (in Rust, exactly as int() and
# float() do), so the reader passes the text on. Only for fields whose validation cannot
# tell (see fields.reads_text_ok); a validation error retries with the exact reader.
_LAX_SCALAR = {id(INT): "av['N']", id(FLOAT): "av['N']"}
_LAX_LIST_ITEMS = {id(INT): "map(gN, {av}['L'])", id(FLOAT): "map(gN, {av}['L'])"}
# Lists of scalars read with map() over C-level getters: no comprehension frame per list.
_LIST_ITEMS = {
    id(STR): "map(gS, {av}['L'])",
    id(BOOL): "map(gBOOL, {av}['L'])",
    id(INT): "map(int, map(gN, {av}['L']))",
    id(FLOAT): "map(float, map(gN, {av}['L']))",
    id(DECIMAL): "map(Decimal, map(gN, {av}['L']))",
    id(DATETIME): "map(fromisoformat, map(gS, {av}['L']))",
}


def read_expression(
    converter: Converter, av: str, depth: int = 0, *, lax: bool = False
) -> str | None:
    """A Python expression reading AttributeValue expression ``av`` as ``converter`` does.

    Only for values we write in one known form (no ``None``, no omitted members); anything
    unexpected raises inside the expression, and the generated reader then falls back to
    the converters. ``None`` means "call the converter". With ``lax``, int and float text is
    left for pydantic to parse.
    """
    scalar = (lax and _LAX_SCALAR.get(id(converter))) or _SCALAR_READ.get(id(converter))
    if scalar is not None:
        return scalar.replace("av", av)
    if depth > 3:
        return None
    inner = converter.inner
    var = f"x{depth}"
    if converter.kind in ("list", "tuple") and inner is not None:
        items = (lax and _LAX_LIST_ITEMS.get(id(inner))) or _LIST_ITEMS.get(id(inner))
        if items is not None:
            return f"{converter.kind}({items.format(av=av)})"
        item = read_expression(inner, var, depth + 1, lax=lax)
        if item is None:
            return None
        listed = f"[{item} for {var} in {av}['L']]"
        return listed if converter.kind == "list" else f"tuple({listed})"
    if converter.kind == "map" and inner is not None:
        value = read_expression(inner, var, depth + 1, lax=lax)
        if value is None:
            return None
        key = f"k{depth}"
        return f"{{{key}: {value} for {key}, {var} in {av}['M'].items()}}"
    if converter.kind in ("set", "frozenset") and inner is not None:
        make = converter.kind
        if inner is STR or (lax and inner in (INT, FLOAT)):
            members = f"{av}['{'S' if inner is STR else 'N'}S']"
            # Lax validation makes the set itself (from a list, as from a set).
            return members if lax else f"{make}({members})"
        number = _SET_NUMBER.get(id(inner))
        return None if number is None else f"{make}(map({number}, {av}['NS']))"
    if converter.kind == "model" and converter.model_fields is not None:
        fields = converter.model_fields
        if not fields.built or fields.extra or fields.whole:
            return None
        entries = []
        # The nested map is bound (walrus) where it is first read, though not inside a
        # comprehension, where Python forbids it (in the iterable) or it would not run.
        attributes = f"{av}['M']"
        for plan in fields.fields:
            if plan.custom or plan.excluded or plan.converter.nullable or plan.plain_set:
                return None
            lax_field = lax and plan.lax
            value = read_expression(
                plan.converter, f"{attributes}[{plan.attr!r}]", depth + 1, lax=lax_field
            )
            if value is None:
                return None
            if attributes == f"{av}['M']" and " for " not in value:
                at = f"(m{depth} := {av}['M'])[{plan.attr!r}]"
                value = read_expression(plan.converter, at, depth + 1, lax=lax_field) or value
                attributes = f"m{depth}"
            entries.append(f"{plan.vkey!r}: {value}")
        return f"{{{', '.join(entries)}}}"
    return None


class _Sizes:
    """The size bound of a generated writer: a constant, terms, and the text to measure.

    The strings of the attributes always written are joined and measured once (one
    ``isascii`` for all; ``utf8_length`` refuses a lone surrogate, as ``text_bound`` does).
    """

    def __init__(self) -> None:
        self.constant = 0
        self.terms: list[str] = []
        self.texts: list[str] = []

    def add(self, base: Converter, get: str, namespace: dict[str, Any], key: str) -> None:
        """Add the bound of ``base``'s value at ``get`` (one with a bound, see _bounded)."""
        if base.max_size is not None:
            self.constant += base.max_size
        elif base is STR and "_" not in key:  # keys of nested values hold "_"
            # A table field's own string is measured on its own (its isascii(), as before).
            self.terms.append(f"(len(v) if (v := {get}).isascii() else slen(v))")
        elif base is STR:
            self.texts.append(get)
        elif base is BYTES:
            self.terms.append(f"len({get})")
        elif base.bound_expr is not None:
            self.terms.append(base.bound_expr.format(v=get))
            self.texts += [f"*{text.format(v=get)}" for text in base.bound_texts]
        elif base.bound is not None:
            namespace[f"b{key}"] = base.bound
            self.terms.append(f"b{key}({get})")

    def lines(self) -> list[str]:
        """The statements computing ``size``."""
        out = [f"    size = {' + '.join([str(self.constant), *self.terms])}"]
        if len(self.texts) == 1 and not self.texts[0].startswith("*"):
            out.append(f"    text = {self.texts[0]}")
        elif self.texts:
            out.append("    text = ''.join((" + ", ".join(self.texts) + ",))")
        if self.texts:
            out.append("    size += len(text) if text.isascii() else slen(text)")
        return out


def _bounded(base: Converter) -> bool:
    """Whether a value's size bound is known without encoding it."""
    return (
        base.max_size is not None
        or base in (STR, BYTES)
        or base.bound_expr is not None
        or base.bound is not None
    )


def _inline_model(converter: Converter, depth: int = 0) -> Any:
    """The fields of a nested model whose attributes can be written in its parent's display.

    Every field always written with a bound known without encoding, and no custom, computed
    or extra attributes: the nested map is then one more dict display.
    """
    fields = converter.model_fields if converter.kind == "model" else None
    if fields is None or not fields.built or fields.whole or depth > 3:
        return None
    if fields.custom or fields.computed or fields.extra or not fields.fields:
        return None
    for plan in fields.fields:
        if plan.excluded or plan.custom or plan.converter.nullable or plan.plain_set:
            return None
        if plan.base.kind == "model":
            if _inline_model(plan.base, depth + 1) is None:
                return None
        elif not _bounded(plan.base):
            return None
    return fields


def _display_value(
    base: Converter, get: str, first: str, key: str, namespace: dict[str, Any], sizes: _Sizes
) -> str:
    """The expression writing the value at ``get`` (``first`` evaluates it first), adding its
    bound to ``sizes``; a plain nested model's attributes are written inline."""
    nested = _inline_model(base)
    if nested is not None:
        # The nested instance's __dict__ is bound (walrus) where it is first read.
        local = f"n{key}"
        entries = []
        for j, plan in enumerate(nested.fields):
            at = f"{local}[{plan.name!r}]"
            start = f"({local} := {first}.__dict__)[{plan.name!r}]" if j == 0 else at
            value = _display_value(plan.base, at, start, f"{key}_{j}", namespace, sizes)
            entries.append(f"{plan.attr!r}: {value}")
        # 3 bytes for the map, and per entry 1 byte plus its name (model_converter's bound).
        sizes.constant += 3 + sum(1 + utf8_length(plan.attr) for plan in nested.fields)
        return f"{{'M': {{{', '.join(entries)}}}}}"
    namespace[f"e{key}"] = base.encode
    template = _WRITE_INLINE.get(id(base)) or _container_inline(base) or "e{i}({first})"
    sizes.add(base, get, namespace, key)
    return template.format(i=key, first=f"(v := {first})")


def generate_writer(fields: ModelFields, *, sized: bool) -> Any:
    """Generate the writer of ``fields``: instance -> attribute map (and size bound if sized)."""
    # Fields that always have a value go into one dict display, plain nested models' too;
    # the others (nullable, omitted-when-empty sets, other nested models) follow as
    # statements. ``v`` is bound with := so inline forms can test the value.
    namespace: dict[str, Any] = {
        "rest": fields.encode_rest,
        "vs": value_size,
        "slen": utf8_length,
        "tb": text_bound,
        "LIMIT": INT_FAST_LIMIT,
        "FMIN": FLOAT_FAST_MIN,
        "FMAX": FLOAT_FAST_MAX,
        "FORMAT": DATETIME_FORMAT,
        "UTC": UTC,
        "Decimal": Decimal,
        "DMAX": NUMBER_MAX_DIGITS,
        "DMIN": NUMBER_MIN_EXPONENT,
        "DEMAX": NUMBER_MAX_EXPONENT,
    }
    display: list[str] = []
    sizes = _Sizes()
    measured: list[str] = []
    statements: list[str] = []
    for index, plan in enumerate(fields.fields):
        if plan.excluded or plan.custom:
            continue
        base = plan.base
        attr = repr(plan.attr)
        sizes.constant += utf8_length(plan.attr)
        get = f"values[{plan.name!r}]"
        namespace[f"e{index}"] = base.encode
        template = _WRITE_INLINE.get(id(base)) or _container_inline(base) or "e{i}({first})"
        if not (plan.converter.nullable or plan.plain_set):
            if _bounded(base) or _inline_model(base) is not None:
                value = _display_value(base, get, get, str(index), namespace, sizes)
                display.append(f"        {attr}: {value},")
                continue
            if not sized or base.sized_encode is None:  # measured once encoded
                display.append(f"        {attr}: {template.format(i=index, first=get)},")
                measured.append(f"    size += vs(out[{attr}])")
                continue
        expr = template.format(i=index, first="v")
        statements.append(f"    v = {get}")
        pad = "    "
        if plan.converter.nullable:
            sizes.constant += 1
            if plan.none_as_null:
                statements += ["    if v is None:", f"        out[{attr}] = {{'NULL': True}}"]
                statements.append("    else:")
            else:
                statements.append("    if v is not None:")
            pad += "    "
        if plan.plain_set:
            statements.append(f"{pad}if v:")
            pad += "    "
            if sized and base.bound_expr is not None and not plan.converter.nullable:
                # An empty set is not written and adds no text: its members join the rest.
                sizes.texts += [f"*({text.format(v=get)} or ())" for text in base.bound_texts]
                statements.append(f"{pad}out[{attr}] = {expr}")
                statements.append(f"{pad}size += {base.bound_expr.format(v='v')}")
                continue
        if not sized or base.max_size is not None:
            statements.append(f"{pad}out[{attr}] = {expr}")
            sizes.constant += base.max_size or 0
        elif _nested_writer(base) is not None:
            # The nested model's own generated writer, called directly: a data error in it
            # reaches the caller, which takes the careful path for the whole instance.
            namespace[f"w{index}"] = _nested_writer(base)
            statements.append(f"{pad}a, s = w{index}(v)")
            statements.append(f"{pad}out[{attr}] = {{'M': a}}")
            statements.append(f"{pad}size += 3 + s + len(a)")
        elif base.sized_encode is not None:
            namespace[f"z{index}"] = base.sized_encode
            statements.append(f"{pad}out[{attr}], s = z{index}(v)")
            statements.append(f"{pad}size += s")
        elif base is STR:
            statements.append(f"{pad}out[{attr}] = {expr}")
            statements.append(f"{pad}size += len(v) if v.isascii() else slen(v)")
        elif base is BYTES:
            statements.append(f"{pad}out[{attr}] = {expr}")
            statements.append(f"{pad}size += len(v)")
        elif base.bound_expr is not None:
            measure = "".join(f" + tb({text.format(v='v')})" for text in base.bound_texts)
            statements.append(f"{pad}out[{attr}] = {expr}")
            statements.append(f"{pad}size += {base.bound_expr.format(v='v')}{measure}")
        elif base.bound is not None:
            namespace[f"b{index}"] = base.bound
            statements.append(f"{pad}out[{attr}] = {expr}")
            statements.append(f"{pad}size += b{index}(v)")
        else:
            statements.append(f"{pad}out[{attr}] = av = {expr}")
            statements.append(f"{pad}size += vs(av)")
    lines = ["def write(instance):", "    values = instance.__dict__", "    out = {", *display]
    lines.append("    }")
    if sized:
        lines += sizes.lines() + measured
    lines += statements
    rest = bool(fields.custom or fields.computed or fields.extra)
    if sized:
        if rest:
            lines.append("    size += rest(instance, out)")
        lines.append("    return out, size")
    else:
        if rest:
            lines.append("    rest(instance, out)")
        lines.append("    return out")
    label = f"{fields.name} ({'sized' if sized else 'unsized'})"
    return _compile("\n".join(lines), "write", label, namespace)


def _container_inline(converter: Converter) -> str | None:
    """The inline form of a container of scalars: what its converter's encode does."""
    inner = converter.inner
    if converter.kind == "list" and inner is STR:
        return "{{'L': [{{'S': x}} for x in v]}} if type({first}) is list else e{i}(v)"
    if converter.kind == "map" and inner is STR:
        return (
            "{{'M': {{k: {{'S': x}} for k, x in v.items()}}}} if type({first}) is dict else e{i}(v)"
        )
    if converter.kind == "map" and inner is INT:
        # As mapping_converter's encode: all values in the fast range, else its encoder.
        return (
            "{{'M': {{k: {{'N': str(x)}} for k, x in v.items()}}}} if type({first}) is dict"
            " and v and -LIMIT < min(v.values()) and max(v.values()) < LIMIT else e{i}(v)"
        )
    if converter.kind in ("set", "frozenset") and inner is STR:
        return "{{'SS': list(v)}} if {first} else {{'L': []}}"
    return None


def generate_key_filter(
    maybe_empty: tuple[tuple[str, str], ...], limits: tuple[tuple[str, str, int, str, str], ...]
) -> Any:
    """Generate ``item -> bool``: whether an item's key values need the exact checks.

    True exactly when a key attribute that may be empty is (``maybe_empty``: attribute, tag),
    or a string or binary key value may be over its limit (``limits``: see
    ``_item_limits.KeyLimit``); the checks themselves stay with the codec.
    """
    clauses = [
        f"((av := item.get({attr!r})) is not None and not av.get({tag!r}, True))"
        for attr, tag in maybe_empty
    ]
    clauses += [
        f"((av := item.get({attr!r})) is not None and (raw := av.get({tag!r})) is not None"
        f" and len(raw) * 4 > {limit})"  # at most 4 UTF-8 bytes per character
        for attr, tag, limit, _, _ in limits
    ]
    source = f"def needs_look(item):\n    return {' or '.join(clauses) or 'False'}"
    return _compile(source, "needs_look", "keys", {})


def _nested_writer(converter: Converter) -> Any:
    """The generated sized writer of a nested model's fields, once they are built."""
    fields = converter.model_fields if converter.kind == "model" else None
    if fields is None or not fields.built or fields.whole:
        return None
    return fields.fast_sized_writer


def generate_reader(fields: ModelFields, *, lax: bool = False) -> Any:
    """Generate the reader of ``fields``: attribute map -> values to validate.

    With ``lax``, fields marked ``lax`` pass int and float text on for pydantic to parse.
    """
    # The optimistic reader: attributes we always write are read in one dict display,
    # with no fallbacks; any exception (an absent attribute, an unexpected tag or text)
    # sends the item to the careful reader, which reads each attribute on its own.
    namespace: dict[str, Any] = {
        "rest": fields.decode_rest,
        "Decimal": Decimal,
        "fromisoformat": datetime.fromisoformat,
        "gS": itemgetter("S"),
        "gN": itemgetter("N"),
        "gBOOL": itemgetter("BOOL"),
        "DATA_ERRORS": DATA_ERRORS,
    }
    careful = ["def careful(item):", "    data = {}", "    get = item.get"]
    display: list[str] = []
    optional: list[str] = []
    for index, plan in enumerate(fields.fields):
        converter = plan.converter
        namespace[f"d{index}"] = decode_value if plan.custom else converter.decode
        attr, target = repr(plan.attr), f"data[{plan.vkey!r}]"
        inline = None if plan.custom else _SCALAR_READ.get(id(converter))
        if inline is None:
            read = [f"        {target} = d{index}(av)"]
        else:
            read = [
                "        try:",
                f"            {target} = {inline}",
                "        except DATA_ERRORS:",
                f"            {target} = d{index}(av)",
            ]
        lines = [f"    av = get({attr})", "    if av is not None:", *read]
        if plan.missing is not None:
            namespace[f"m{index}"] = plan.missing
            lines += ["    else:", f"        {target} = m{index}()"]
        careful += lines
        if plan.plain_set and not plan.custom:
            # Absent means empty: read it inside the display, with the walrus binding av.
            value = read_expression(converter, "av", lax=lax and plan.lax) or f"d{index}(av)"
            display.append(
                f"            {plan.vkey!r}: {value} if (av := get({attr})) is not None"
                f" else m{index}(),"
            )
        elif plan.custom or plan.excluded or converter.nullable or plan.plain_set:
            optional += lines
        else:
            inlined = read_expression(converter, f"item[{attr}]", lax=lax and plan.lax)
            display.append(f"            {plan.vkey!r}: {inlined or f'd{index}(item[{attr}])'},")
    careful += ["    rest(item, data)"] if fields.extra else []
    careful.append("    return data")
    fast = ["def read(item):", "    get = item.get", "    try:", "        data = {", *display]
    fast += ["        }", "    except DATA_ERRORS:", "        return careful(item)", *optional]
    fast += ["    rest(item, data)"] if fields.extra else []
    fast.append("    return data")
    label = f"{fields.name}{' (lax)' if lax else ''}"
    _compile("\n".join(careful), "careful", label, namespace)
    source = "\n".join(fast)
    reader = _compile(source, "read", label, namespace)
    reader.source = source
    return reader


__all__ = [
    "DATA_ERRORS",
    "generate_key_filter",
    "generate_reader",
    "generate_writer",
    "read_expression",
]
