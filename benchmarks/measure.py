"""Timing, statistics and the result rows every figure emits.

Each figure runs in its own interpreter (``python -m benchmarks.<figure>``), measures its
subject ("ours") and its baseline *in the same process, interleaved*: repetition ``r`` runs
ours then the baseline when ``r`` is even and the baseline then ours when it is odd, so a
slow drift of the machine (another job starting, a CPU warming up) lands on both sides.
The first ``warmup`` repetitions are run and thrown away.

A figure prints one JSON object on stdout (progress goes to stderr)::

    {"figure": "item_ops", "rows": [<row>, ...], "notes": [...], "extra": {...}}

A row is one line of the final table (see :func:`row`).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

Kind = Literal["max_ratio", "min_speedup", "max_delta", "max_value", "max_growth", "report"]

CLOCK = time.process_time
"""The clock of in-process figures: CPU time of this process.

Every in-process figure is single-threaded CPU work (moto runs in-process, nothing sleeps),
so CPU time equals wall time on an idle machine and, unlike wall time, is not inflated when
another process on this 2-core machine takes the CPU away for a while.
"""


def summary(samples: Sequence[float]) -> dict[str, float]:
    """Median, quartiles, min and max of ``samples``."""
    values = sorted(samples)
    if len(values) >= 2:
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    else:
        q1 = q3 = values[0]
    return {
        "median": statistics.median(values),
        "q1": q1,
        "q3": q3,
        "min": values[0],
        "max": values[-1],
        "n": float(len(values)),
    }


def paired_ratios(ours: Sequence[float], baseline: Sequence[float]) -> list[float]:
    """ours[i] / baseline[i]: each repetition's two sides ran next to each other."""
    return [a / b for a, b in zip(ours, baseline, strict=True)]


def interleave(
    ours: Callable[[], float],
    baseline: Callable[[], float],
    *,
    reps: int,
    warmup: int = 1,
    label: str = "",
) -> tuple[list[float], list[float]]:
    """Run ``ours`` and ``baseline`` alternately; each call returns one sample.

    Returns:
        The kept samples of each side (``reps`` of each, warm-up dropped).
    """
    kept_ours: list[float] = []
    kept_base: list[float] = []
    for rep in range(warmup + reps):
        order = (ours, baseline) if rep % 2 == 0 else (baseline, ours)
        results: dict[int, float] = {}
        for fn in order:
            gc.collect()
            results[id(fn)] = fn()
        if rep >= warmup:
            kept_ours.append(results[id(ours)])
            kept_base.append(results[id(baseline)])
        progress(
            f"{label} rep {rep + 1}/{warmup + reps}"
            f"{' (warm-up)' if rep < warmup else ''}: "
            f"ours {results[id(ours)] * 1e6:.1f} us, base {results[id(baseline)] * 1e6:.1f} us"
        )
    return kept_ours, kept_base


async def ainterleave(
    ours: Callable[[], Awaitable[float]],
    baseline: Callable[[], Awaitable[float]],
    *,
    reps: int,
    warmup: int = 1,
    label: str = "",
) -> tuple[list[float], list[float]]:
    """:func:`interleave` for coroutine functions."""
    kept_ours: list[float] = []
    kept_base: list[float] = []
    for rep in range(warmup + reps):
        first_ours = rep % 2 == 0
        order = (ours, baseline) if first_ours else (baseline, ours)
        values: list[float] = []
        for fn in order:
            gc.collect()
            values.append(await fn())
        a, b = values if first_ours else values[::-1]
        if rep >= warmup:
            kept_ours.append(a)
            kept_base.append(b)
        progress(
            f"{label} rep {rep + 1}/{warmup + reps}{' (warm-up)' if rep < warmup else ''}: "
            f"ours {a * 1e6:.1f} us, base {b * 1e6:.1f} us"
        )
    return kept_ours, kept_base


async def arotate(
    variants: dict[str, Callable[[], Awaitable[float]]],
    *,
    reps: int,
    warmup: int = 1,
    label: str = "",
) -> dict[str, list[float]]:
    """:func:`ainterleave` for any number of variants: the order rotates every repetition.

    Returns:
        Each variant's kept samples (``reps`` of them, warm-up dropped), in run order, so
        sample ``i`` of every variant comes from the same repetition.
    """
    names = list(variants)
    kept: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(warmup + reps):
        shift = rep % len(names)
        values: dict[str, float] = {}
        for name in names[shift:] + names[:shift]:
            gc.collect()
            values[name] = await variants[name]()
        if rep >= warmup:
            for name, value in values.items():
                kept[name].append(value)
        progress(
            f"{label} rep {rep + 1}/{warmup + reps}{' (warm-up)' if rep < warmup else ''}: "
            + ", ".join(f"{name.split(':')[0]} {values[name] * 1e6:.0f}" for name in names)
        )
    return kept


def row(
    figure: str,
    case: str,
    *,
    kind: Kind,
    ours: Sequence[float] | float,
    baseline: Sequence[float] | float | None,
    unit: str,
    target: float | None,
    scale: float = 1.0,
    note: str = "",
) -> dict[str, Any]:
    """One line of the table.

    Args:
        figure: The figure's module name (``item_ops``).
        case: What the line measures (``put``, ``query 1,000 items``).
        kind: How ``ratio`` is computed and judged:
            ``max_ratio``: ours / baseline (medians of paired repetitions), PASS if <= target.
            ``min_speedup``: baseline / ours, PASS if >= target.
            ``max_delta``: ours - baseline in ``unit`` (median of the paired differences),
            PASS if <= target.
            ``max_value``: ``ours`` itself in ``unit``, PASS if <= target (no baseline).
            ``max_growth``: ``ours`` is already a growth factor, PASS if <= target.
            ``report``: ratio ours / baseline (or none), no target.
        ours: Samples (seconds, bytes...) of our side, or one value.
        baseline: Samples of the baseline, one value, or None.
        unit: Unit the values are shown in after multiplying by ``scale`` (``us``, ``ms``).
        target: The target of ``kind`` (None for ``report``).
        scale: Factor from the samples' unit to ``unit`` (1e6 for seconds -> us).
        note: Shown under the table.
    """
    ours_s = list(ours) if isinstance(ours, Sequence) else [float(ours)]
    base_s: list[float] | None
    if baseline is None:
        base_s = None
    else:
        base_s = list(baseline) if isinstance(baseline, Sequence) else [float(baseline)]
    o = summary(ours_s)
    b = summary(base_s) if base_s is not None else None
    ratio: float | None = None
    ratio_spread: tuple[float, float] | None = None
    if kind == "max_delta":
        assert b is not None
        assert base_s is not None
        if len(ours_s) == len(base_s) and len(ours_s) > 1:
            diffs = [(x - y) * scale for x, y in zip(ours_s, base_s, strict=True)]
            ratio = statistics.median(diffs)
            ratio_spread = (min(diffs), max(diffs))
        else:
            ratio = (o["median"] - b["median"]) * scale
    elif kind == "max_value":
        ratio = o["median"] * scale
    elif kind == "max_growth":
        ratio = o["median"]
    elif b is not None:
        if len(ours_s) == len(base_s or ()) and len(ours_s) > 1:
            pairs = paired_ratios(ours_s, base_s or [])
            if kind == "min_speedup":
                pairs = [1 / p for p in pairs]
            ratio = statistics.median(pairs)
            ratio_spread = (min(pairs), max(pairs))
        else:
            ratio = o["median"] / b["median"]
            if kind == "min_speedup":
                ratio = 1 / ratio
    status = "REPORT"
    if target is not None and ratio is not None:
        ok = ratio >= target if kind == "min_speedup" else ratio <= target
        status = "PASS" if ok else "MISS"
    return {
        "figure": figure,
        "case": case,
        "kind": kind,
        "unit": unit,
        "scale": scale,
        "ours": {k: v * scale if k != "n" else v for k, v in o.items()},
        "baseline": (
            {k: v * scale if k != "n" else v for k, v in b.items()} if b is not None else None
        ),
        "ratio": ratio,
        "ratio_spread": ratio_spread,
        "ours_samples": [v * scale for v in ours_s],
        "baseline_samples": [v * scale for v in base_s] if base_s is not None else None,
        "target": target,
        "status": status,
        "note": note,
    }


def progress(message: str) -> None:
    """A progress line on stderr (stdout carries only the JSON result)."""
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def arguments(description: str, *, sides: Sequence[str] = ()) -> argparse.Namespace:
    """The command line every figure accepts.

    ``--quick`` for a tiny, fast run; ``--large`` for the opt-in large sizes (figures
    without any ignore it); with ``sides``, ``--side NAME`` runs one side as a child (see
    :mod:`benchmarks.children`).
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, few repetitions")
    parser.add_argument("--large", action="store_true", help="also the opt-in large sizes")
    if sides:
        parser.add_argument("--side", choices=sides, help="run one side (internal)")
    return parser.parse_args()


def emit(
    figure: str,
    rows: list[dict[str, Any]],
    *,
    notes: Sequence[str] = (),
    extra: dict[str, Any] | None = None,
) -> None:
    """Print a figure's result as one JSON object on stdout."""
    json.dump(
        {"figure": figure, "rows": rows, "notes": list(notes), "extra": extra or {}},
        sys.stdout,
    )
    sys.stdout.write("\n")
    sys.stdout.flush()


__all__ = [
    "CLOCK",
    "ainterleave",
    "arguments",
    "arotate",
    "emit",
    "interleave",
    "paired_ratios",
    "progress",
    "row",
    "summary",
]
