"""Where a put's time goes on the memory backend: ``python -m benchmarks.profile_put``.

Not a figure (nothing is compared): cProfile over 300 ``db.put`` calls of the 10-field
``Record`` inside ``mock_dynamodb(Record)`` with its defaults (strict rules on), after 30
warm-up calls. Prints each package's share of the *own* time (cProfile's cumulative times
are unreliable across ``await``s: every resumption of a coroutine counts as a call) and the
30 functions with the most own time. The profiler inflates every call several times; read
the shares, not the microseconds. docs/performance.md quotes it.
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats

from benchmarks.models import Record, record

CALLS = 300
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("moto", ("/moto/",)),
    ("werkzeug (moto's request objects)", ("/werkzeug/",)),
    ("aiobotocore", ("/aiobotocore/",)),
    ("botocore", ("/botocore/",)),
    ("aiomoto", ("/aiomoto/",)),
    ("aiodynamodb", ("/aiodynamodb/", "<aiodynamodb generated")),
    ("pydantic", ("/pydantic",)),
    ("asyncio", ("/asyncio/",)),
    ("email, urllib, http (header and URL parsing)", ("/email/", "/urllib", "/http/")),
    ("json", ("/json/",)),
    ("C functions (dict, str, re, isinstance...)", ("~",)),
)


def shares(stats: pstats.Stats) -> dict[str, float]:
    """Percent of own time per group of :data:`GROUPS` (the rest: other)."""
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in entries.values()) or 1.0
    out: dict[str, float] = {}
    for (path, _line, _name), (_cc, _nc, own, _cum, _callers) in entries.items():
        group = next((g for g, marks in GROUPS if any(m in path for m in marks)), "other")
        out[group] = out.get(group, 0.0) + own / total * 100
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


async def main() -> None:
    from aiodynamodb.testing import mock_dynamodb

    models = [record(i, "w") for i in range(CALLS)]
    async with mock_dynamodb(Record) as db:
        for model in models[:30]:
            await db.put(model)
        profiler = cProfile.Profile()
        profiler.enable()
        for model in models:
            await db.put(model)
        profiler.disable()
    stats = pstats.Stats(profiler)
    print(f"own time per group, {CALLS} puts (cProfile):")
    for group, share in shares(stats).items():
        print(f"  {share:5.1f}%  {group}")
    print()
    stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    asyncio.run(main())
