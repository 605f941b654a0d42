"""Figure: model -> item and item -> model throughput, codec vs boto3's Type(De)Serializer.

The model is ``benchmarks.models.Record``: 10 fields, one each of str, int, float, Decimal,
bool, list, dict, nested model, datetime and set.

- Encoding. Ours: ``codec_for(Record).encode(model)`` (with its checks: number range and
  precision, key values, item size). Baseline: ``model.model_dump()`` then boto3's
  ``TypeSerializer().serialize`` on each value. ``TypeSerializer`` refuses ``float`` and
  ``datetime``; ``Record`` has one of each, at the top level, so the lean baseline converts
  those two fields once (``Decimal(repr(f))``, ``isoformat()``) and hands everything to the
  plain ``TypeSerializer`` (no subclass, no per-value checks: what a competent user of it
  writes for this model).
- Decoding. Ours: ``codec_for(Record).decode(item)`` (a validated model). Baseline:
  ``TypeDeserializer().deserialize`` on each attribute, then ``Record.model_validate``.

Both sides get the same pre-built models / items; time is CPU time per item.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from aiodynamodb.codec import codec_for
from benchmarks.measure import CLOCK, arguments, emit, interleave, progress, row
from benchmarks.models import Record, check_items_match, record

FIGURE = "codec_speed"
ENCODE_TARGET = 4.0
DECODE_TARGET = 3.0


def run(quick: bool) -> None:
    n = 50 if quick else 2000
    reps = 2 if quick else 9
    codec = codec_for(Record)
    check_items_match(codec.encode)
    models = [record(i) for i in range(n)]
    items = [codec.encode(m) for m in models]
    serializer = TypeSerializer()
    deserializer = TypeDeserializer()
    serialize = serializer.serialize
    deserialize = deserializer.deserialize
    validate = Record.model_validate
    encode = codec.encode
    decode = codec.decode

    def base_encode_one(model: Record) -> dict[str, Any]:
        # The two fields TypeSerializer refuses, converted once; the rest as dumped.
        data = model.model_dump()
        data["score"] = Decimal(repr(data["score"]))
        data["created"] = data["created"].isoformat()
        return {k: serialize(v) for k, v in data.items() if v is not None}

    def base_decode_one(item: dict[str, Any]) -> Record:
        return validate({k: deserialize(v) for k, v in item.items()})

    # Both sides must produce the same models from the same items.
    for model, item in zip(models[:20], items[:20], strict=True):
        assert decode(item) == model
        assert base_decode_one(item) == model
        assert base_decode_one(base_encode_one(model)) == model

    def per_item(fn: Any, inputs: list[Any]) -> Any:
        def sample() -> float:
            start = CLOCK()
            for value in inputs:
                fn(value)
            return (CLOCK() - start) / len(inputs)

        return sample

    rows = []
    ours, base = interleave(
        per_item(encode, models), per_item(base_encode_one, models), reps=reps, label="encode"
    )
    rows.append(
        row(
            FIGURE,
            "model -> item (10 fields)",
            kind="min_speedup",
            ours=ours,
            baseline=base,
            unit="us/item",
            scale=1e6,
            target=ENCODE_TARGET,
        )
    )
    ours, base = interleave(
        per_item(decode, items), per_item(base_decode_one, items), reps=reps, label="decode"
    )
    rows.append(
        row(
            FIGURE,
            "item -> model (10 fields)",
            kind="min_speedup",
            ours=ours,
            baseline=base,
            unit="us/item",
            scale=1e6,
            target=DECODE_TARGET,
        )
    )
    progress("done")
    notes = [
        f"codec_speed: {reps} repetitions x {n:,} items, CPU time, 1 warm-up; ratio = "
        "baseline time / our time (x faster); items/s = 1e6 / (us/item)."
    ]
    emit(FIGURE, rows, notes=notes)


def main() -> None:
    args = arguments(__doc__ or "")
    run(args.quick)


if __name__ == "__main__":
    main()
