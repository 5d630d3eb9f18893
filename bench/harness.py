"""The figure type, timing helpers and the report every benchmark module feeds.

A benchmark module exposes ``run(ctx: BenchContext) -> list[Figure]``; ``python -m bench``
runs them in order, prints one table and writes ``bench-results.json`` at the repository root.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench-results.json"


@dataclass(slots=True)
class Figure:
    """One measured figure. ``lower_is_better`` decides how ``met`` compares with ``target``."""

    name: str
    value: float
    unit: str
    target: float
    lower_is_better: bool = True
    baseline: float | None = None  # the raw baseline's value in the same unit, same run
    note: str = ""
    met: bool = field(init=False)

    def __post_init__(self) -> None:
        ok = self.value <= self.target if self.lower_is_better else self.value >= self.target
        self.met = bool(ok) and math.isfinite(self.value)

    @property
    def ratio(self) -> float | None:
        """Our value over the baseline's (for a rate, 0.5 means half the raw speed)."""
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline  # type: ignore[operator]

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["ratio_to_baseline"] = None if self.ratio is None else round(self.ratio, 3)
        return data


@dataclass(slots=True)
class BenchContext:
    """Shared state: a scratch directory and the size of the generated catalog."""

    workdir: Path
    catalog_size: int = 1_000_000
    quick: bool = False
    cache: dict[str, object] = field(default_factory=dict)


def percentile(samples: Iterable[float], pct: float) -> float:
    data = sorted(samples)
    if not data:
        return math.nan
    k = (len(data) - 1) * pct / 100
    lo, hi = math.floor(k), math.ceil(k)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def time_ms(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock milliseconds of ``repeat`` calls of ``fn``."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(samples: list[float]) -> str:
    return f"n={len(samples)} median={statistics.median(samples):.2f}"


def print_table(figures: list[Figure]) -> None:
    header = f"{'figure':<58} {'value':>12} {'target':>12} {'vs raw':>8}  met"
    print(header)
    print("-" * len(header))
    for f in figures:
        op = "<=" if f.lower_is_better else ">="
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}x"
        print(
            f"{f.name:<58} {f.value:>10.1f} {f.unit:<1} {op}{f.target:>9g} {ratio:>8}  "
            f"{'yes' if f.met else 'NO'}"
        )


def write_results(figures: list[Figure], path: Path = RESULTS) -> None:
    path.write_text(json.dumps([f.as_json() for f in figures], indent=2) + "\n", encoding="utf-8")
