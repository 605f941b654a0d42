"""``make bench``: the figures of DESIGN.md, each against its baseline in the same run.

``python -m benchmarks`` runs every figure in its own process and prints one table;
``python -m benchmarks.<figure>`` runs one and prints its JSON result. See
``docs/performance.md`` for what each figure measures and how.
"""

FIGURES: tuple[str, ...] = (
    "item_ops",
    "client_cpu",
    "codec_speed",
    "fixture_cost",
    "startup",
    "batch_scale",
    "query_memory",
    "backend_calls",
    "backend_scale",
    "cold_start",
)
"""Module names of the figures, in the order of DESIGN.md's table, then issue 18's."""

__all__ = ["FIGURES"]
