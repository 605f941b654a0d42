"""The printed table: figure, ours, baseline, ratio, target, PASS/MISS."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

COLUMNS = ("figure", "ours", "baseline", "ratio", "target", "result")


def _number(value: float) -> str:
    size = abs(value)
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _cell(stats: dict[str, float] | None, unit: str) -> str:
    """``median unit ±spread%`` (spread: half the interquartile range, of the median)."""
    if stats is None:
        return "-"
    median = stats["median"]
    text = f"{_number(median)}{unit}" if unit == "x" else f"{_number(median)} {unit}".rstrip()
    if stats.get("n", 1) > 1 and median:
        spread = (stats["q3"] - stats["q1"]) / 2 / abs(median) * 100
        text += f" ±{spread:.0f}%" if spread >= 1 else f" ±{spread:.1f}%"
    return text


def _ratio(r: dict[str, Any]) -> str:
    ratio = r.get("ratio")
    if ratio is None:
        return "-"
    kind = r["kind"]
    if kind in ("max_delta", "max_value"):
        return f"{ratio:+.1f} {r['unit']}"
    if kind == "min_speedup":
        return f"{ratio:.2f}x faster"
    return f"{ratio:.3f}x" if kind != "max_growth" else f"{ratio:.2f}x"


def _target(r: dict[str, Any]) -> str:
    target = r.get("target")
    if target is None:
        return "-"
    kind = r["kind"]
    if kind in ("max_delta", "max_value"):
        return f"<= +{target:g} {r['unit']}"
    if kind == "min_speedup":
        return f">= {target:g}x faster"
    return f"<= {target:g}x"


def _result(r: dict[str, Any]) -> str:
    status: str = r["status"]
    if r.get("prototype") and status in ("PASS", "MISS"):
        return f"({status}, proto)"
    return status


def render(rows: Sequence[dict[str, Any]], notes: Sequence[str], header: str) -> str:
    """The table as text, then the notes."""
    lines: list[list[str]] = [list(COLUMNS)]
    for r in rows:
        lines.append(
            [
                f"{r['figure']}: {r['case']}",
                _cell(r.get("ours"), r.get("unit", "")),
                _cell(r.get("baseline"), r.get("unit", "")),
                _ratio(r),
                _target(r),
                _result(r),
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    out = [header, ""]
    for n, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    counted = [r for r in rows if not r.get("prototype")]
    passed = sum(r["status"] == "PASS" for r in counted)
    missed = sum(r["status"] == "MISS" for r in counted)
    errors = sum(r["status"] == "ERROR" for r in counted)
    out.append("")
    out.append(f"{passed} PASS, {missed} MISS, {errors} ERROR (prototype rows not counted)")
    if notes:
        out.append("")
        out.extend(f"- {note}" for note in notes)
    return "\n".join(out)


__all__ = ["render"]
