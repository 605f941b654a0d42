"""Figure: put / get client-side CPU per call, transport stubbed to answer at once (no mock).

Both clients talk to :class:`benchmarks.stub.CannedTransport`: a ``before-send`` handler that
returns a ready response, so each call does all of its client-side work (the ORM's codec and
checks, botocore's validation, serialization, endpoint resolution, SigV4 signing, retry and
CRC32 bookkeeping, parsing) and nothing else. Ours is ``DynamoDB(...)`` as users create it;
the baseline a raw aiobotocore client given hand-built AttributeValues, configured like
ours (``parameter_validation=False``: the ORM's codec guarantees the shapes, so its client
skips botocore's validation; a competent raw-client user can do the same). The target is
held against that client; the raw client with botocore's defaults (validation on) runs in
the same rotation and is reported. ``get`` through the ORM returns a validated model; the
raw client returns the wire dict.

To show where the ORM's time goes, the same process also runs a *ladder* of variants,
interleaved with the two above (rotating order, same repetitions), each adding one layer:

1. the raw client, configured like ours (baseline); the raw client with botocore's
   defaults runs alongside (``ref:``);
2. the ORM's own low-level client (as the ORM configures it: no botocore parameter
   validation) given the same prebuilt AttributeValues;
3. + the codec (``encode`` / ``encode_key`` + ``decode``);
4. the ORM's public call (``db.put`` / ``db.get``): 3 plus the method's own bookkeeping and
   the response parser the ORM uses for its own calls only (direct low-level calls, as in
   2 and 3, keep botocore's); the ORM skips its DynamoDB-rules check on requests the codec
   built entirely, and what that check would cost on a put is measured as
   ``info: 3 + rules check``;

and a prototype (``benchmarks.prototypes``: response parsing that never walks the result,
monkeypatched onto an ORM client in this process only: what the shipped parser's walk for
binary values still costs), plus the ``validate=False`` setting (the ORM's own checks and
request shortcuts off, botocore's parameter validation back on). Every
variant's ratio is against the raw client of the same repetition.
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import pstats
import statistics
from collections.abc import Awaitable, Callable
from typing import Any

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session

from aiodynamodb import DynamoDB
from aiodynamodb.codec import codec_for, create_table_params
from aiodynamodb.rules import check_request
from aiodynamodb.testing import patched_environment
from benchmarks import prototypes
from benchmarks.measure import CLOCK, arguments, arotate, emit, progress, row
from benchmarks.models import RAW_TABLE, TABLE, Record, check_items_match, record, record_item
from benchmarks.stub import DEAD_ENDPOINT, CannedTransport

FIGURE = "client_cpu"
TARGET = 1.0
REGION = "us-east-1"
GET_KEY = 7

Call = Callable[[], Awaitable[Any]]


def answers() -> dict[str, bytes]:
    """Canned bodies: PutItem answers ``{}``, GetItem the stored item."""
    return {
        "PutItem": b"{}",
        "GetItem": json.dumps({"Item": record_item(GET_KEY, "g")}).encode(),
    }


def per_call(fn: Call, calls: int) -> Callable[[], Awaitable[float]]:
    """A sample function: ``calls`` calls of ``fn``, CPU seconds per call."""

    async def sample() -> float:
        start = CLOCK()
        for _ in range(calls):
            await fn()
        return (CLOCK() - start) / calls

    return sample


def component_times(raw: Any, calls: int) -> dict[str, float]:
    """CPU microseconds of botocore's per-call pieces and their replacements, on their own."""
    from botocore.validate import ParamValidator

    item = record_item(GET_KEY, "g")
    put_model = raw.meta.service_model.operation_model("PutItem")
    get_model = raw.meta.service_model.operation_model("GetItem")
    put_params = {"TableName": RAW_TABLE, "Item": item}
    serializer = raw._serializer._serializer  # under ParamValidationDecorator
    body = answers()["GetItem"]
    parser = raw._endpoint._response_parser_factory.create_parser("json")
    shapeless = prototypes.ShapelessJSONParser()
    response = {"status_code": 200, "headers": {"x-amzn-requestid": "r"}, "body": body}
    validator = ParamValidator()

    def timed(fn: Callable[[], Any]) -> float:
        for _ in range(min(calls, 50)):
            fn()
        start = CLOCK()
        for _ in range(calls):
            fn()
        return (CLOCK() - start) / calls * 1e6

    def sync(coro_fn: Callable[[], Any]) -> Callable[[], Any]:
        def call() -> Any:
            coro = coro_fn()
            try:
                coro.send(None)
            except StopIteration as stop:
                return stop.value
            raise RuntimeError("the parser awaited something")

        return call

    times = {
        "botocore: validate PutItem params": timed(
            lambda: validator.validate(put_params, put_model.input_shape)
        ),
        "botocore: serialize PutItem request": timed(
            lambda: serializer.serialize_to_request(put_params, put_model)
        ),
        "botocore: parse GetItem response": timed(
            sync(lambda: parser.parse(dict(response), get_model.output_shape))
        ),
        "prototype: shapeless parse GetItem response": timed(
            sync(lambda: shapeless.parse(dict(response), get_model.output_shape))
        ),
    }
    try:
        from aiodynamodb.client._wire import DirectJSONSerializer
    except ImportError:  # an older tree without the shortcut
        return times
    direct = DirectJSONSerializer(serializer)
    times["aiodynamodb.client._wire: serialize PutItem request"] = timed(
        lambda: direct.serialize_to_request(put_params, put_model)
    )
    return times


async def profile(fn: Call, calls: int) -> list[str]:
    """cProfile of ``calls`` calls: the 40 functions with the most cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        await fn()
    profiler.disable()
    stats = pstats.Stats(profiler)
    entries = []
    for (path, line, name), (_cc, _nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        entries.append((ct, tt, f"{'/'.join(path.split('/')[-2:])}:{line}({name})"))
    entries.sort(reverse=True)
    return [
        f"{ct / calls * 1e6:8.1f} us cum {tt / calls * 1e6:7.1f} us own  {where}"
        for ct, tt, where in entries[:40]
    ]


async def run(quick: bool) -> dict[str, Any]:
    calls = 20 if quick else 400
    reps = 2 if quick else 7
    codec = codec_for(Record)
    check_items_match(codec.encode)
    transport = CannedTransport(answers())
    schemas = {TABLE: create_table_params(Record, table_name=TABLE)}

    async def orm_client(**kwargs: Any) -> DynamoDB:
        db = DynamoDB(endpoint_url=DEAD_ENDPOINT, region_name=REGION, **kwargs)
        transport.install(await db.low_level_client())
        return db

    model = record(1, "w")
    item = record_item(1, "w")
    key = {"pk": {"S": "g"}, "sk": {"N": str(GET_KEY)}}
    rows: list[dict[str, Any]] = []
    extra: dict[str, Any] = {}
    session = get_session()
    async with (
        session.create_client(
            "dynamodb",
            region_name=REGION,
            endpoint_url=DEAD_ENDPOINT,
            config=AioConfig(parameter_validation=False),
        ) as raw,
        session.create_client(
            "dynamodb", region_name=REGION, endpoint_url=DEAD_ENDPOINT
        ) as checked,
    ):
        transport.install(raw)
        transport.install(checked)
        db = await orm_client()
        low = await db.low_level_client()
        shapeless = await orm_client()
        prototypes.fast_parsing(await shapeless.low_level_client())
        unchecked = await orm_client(validate=False)
        clients = (db, shapeless, unchecked)

        async def low_put_checked() -> None:
            params = {"TableName": TABLE, "Item": codec.encode(model)}
            check_request("PutItem", params, schemas.get)
            await low.put_item(**params)

        async def low_get_codec() -> None:
            got = await low.get_item(TableName=TABLE, Key=codec.encode_key("g", GET_KEY))
            codec.decode(got["Item"])

        ladders: dict[str, dict[str, Call]] = {
            "put": {
                "1 raw client, prebuilt item": lambda: raw.put_item(TableName=RAW_TABLE, Item=item),
                "ref: raw client, botocore defaults": lambda: checked.put_item(
                    TableName=RAW_TABLE, Item=item
                ),
                "2 ORM's client, prebuilt item": lambda: low.put_item(TableName=TABLE, Item=item),
                "3 + codec.encode": lambda: low.put_item(TableName=TABLE, Item=codec.encode(model)),
                "4 db.put": lambda: db.put(model),
                "proto: + shapeless parser": lambda: shapeless.put(model),
                "info: 3 + rules check (check_request)": low_put_checked,
                "setting: validate=False": lambda: unchecked.put(model),
            },
            "get": {
                "1 raw client, prebuilt key": lambda: raw.get_item(TableName=RAW_TABLE, Key=key),
                "ref: raw client, botocore defaults": lambda: checked.get_item(
                    TableName=RAW_TABLE, Key=key
                ),
                "2 ORM's client, prebuilt key": lambda: low.get_item(TableName=TABLE, Key=key),
                "3 + codec.encode_key + decode": low_get_codec,
                "4 db.get": lambda: db.get(Record, hash_key="g", range_key=GET_KEY),
                "proto: + shapeless parser": lambda: shapeless.get(
                    Record, hash_key="g", range_key=GET_KEY
                ),
                "setting: validate=False": lambda: unchecked.get(
                    Record, hash_key="g", range_key=GET_KEY
                ),
            },
        }
        assert await db.get(Record, hash_key="g", range_key=GET_KEY) == record(GET_KEY, "g")
        assert await shapeless.get(Record, hash_key="g", range_key=GET_KEY) == record(GET_KEY, "g")
        breakdown: dict[str, dict[str, float]] = {}
        try:
            for op, variants in ladders.items():
                samples = await arotate(
                    {name: per_call(fn, calls) for name, fn in variants.items()},
                    reps=reps,
                    label=op,
                )
                names = list(variants)
                base = samples[names[0]]
                breakdown[op] = {}
                previous: list[float] | None = None
                for name in names[1:]:
                    ours = samples[name]
                    kind = "ladder"
                    if name.startswith("4 "):
                        kind = "main"
                    elif name.startswith(("proto", "setting")):
                        kind = "proto"
                    if kind != "ladder":
                        r = row(
                            FIGURE,
                            f"{op} (stubbed transport)" + (f" [{name}]" if kind == "proto" else ""),
                            kind="max_ratio",
                            ours=ours,
                            baseline=base,
                            unit="us",
                            scale=1e6,
                            target=TARGET,
                        )
                        r["prototype"] = kind == "proto"
                        rows.append(r)
                    if kind == "main":
                        # The same call against the raw client with botocore's defaults.
                        rows.append(
                            row(
                                FIGURE,
                                f"  {op}: same vs raw client, botocore defaults (validation on)",
                                kind="report",
                                ours=ours,
                                baseline=samples["ref: raw client, botocore defaults"],
                                unit="us",
                                scale=1e6,
                                target=None,
                            )
                        )
                    step_from = base
                    if name[0].isdigit() and previous:
                        step_from = previous
                    elif name.startswith("info: 3"):
                        step_from = samples[next(n for n in names if n.startswith("3 "))]
                    delta = statistics.median(
                        [(a - b) * 1e6 for a, b in zip(ours, step_from, strict=True)]
                    )
                    breakdown[op][name] = round(delta, 1)
                    if name[0].isdigit():
                        previous = ours
                breakdown[op]["(raw client per call, us)"] = round(statistics.median(base) * 1e6, 1)
            extra["ladder_delta_us"] = breakdown
            extra["components_us"] = component_times(checked, calls * 5)
            if not quick:
                profiles: dict[str, list[str]] = {}
                for name, fn in (
                    ("orm put", ladders["put"]["4 db.put"]),
                    ("raw put", ladders["put"]["1 raw client, prebuilt item"]),
                    ("orm get", ladders["get"]["4 db.get"]),
                    ("raw get", ladders["get"]["1 raw client, prebuilt key"]),
                ):
                    profiles[name] = await profile(fn, 200)
                extra["profiles"] = profiles
        finally:
            for client in clients:
                await client.close()
    assert transport.sent > 0
    notes = [
        f"client_cpu: {reps} repetitions x {calls} calls of every variant, CPU time, medians, "
        "1 warm-up, rotating order; baseline = raw client with parameter_validation=False "
        "(like ours). "
        "Where the ORM's time goes, per call, median of paired differences (us; steps 2-4 "
        "from the step before, info from step 3, others from the raw client): "
        + "; ".join(
            f"{op}: " + ", ".join(f"{name} {delta:+.1f}" for name, delta in steps.items())
            for op, steps in breakdown.items()
        ),
        "client_cpu: [proto: ...] rows are prototypes monkeypatched onto an ORM client in the "
        "benchmark process (benchmarks/prototypes.py), not the shipped code; "
        "[setting: validate=False] is DynamoDB(validate=False).",
    ]
    return {"rows": rows, "extra": extra, "notes": notes}


def main() -> None:
    args = arguments(__doc__ or "")
    with patched_environment():
        result = asyncio.run(run(args.quick))
    progress("done")
    emit(FIGURE, result["rows"], notes=result["notes"], extra=result["extra"])


if __name__ == "__main__":
    main()
