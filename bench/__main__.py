"""``python -m bench [--quick] [--only NAME] [--size N]``: every figure of ``make bench``.

Runs the benchmark modules in order (import, search, UI, media, looks, boards, archive), each
through its ``run(ctx) -> list[Figure]``, prints one table and writes ``bench-results.json`` at
the repository root. A module that is missing or fails is reported as a failed row (value 0,
the error in its note) and the others still run: one broken figure never hides the rest. The
exit status is 0 whatever was met; the figures' ``met`` flags say that.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
import time
import traceback

from bench.harness import REPO, BenchContext, Figure, print_table, write_results

MODULES = (
    "bench_import",
    "bench_search",
    "bench_ui",
    "bench_media",
    "bench_looks",
    "bench_boards",
    "bench_archive",
    "bench_shops",
    "bench_lane",
    "bench_platform",
    "bench_server",
)
WORKDIR = REPO / "bench" / ".data"  # git-ignored scratch space, reused between runs


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smaller data and fewer repetitions (a smoke run, not the figures)",
    )
    parser.add_argument(
        "--only",
        metavar="NAME",
        action="append",
        help="run only this module (import, search, ui, media, looks, boards, archive); repeatable",
    )
    parser.add_argument(
        "--size",
        metavar="N",
        type=int,
        default=1_000_000,
        help="products in the generated catalog (default 1,000,000)",
    )
    return parser


def selected(only: list[str] | None) -> list[str]:
    if not only:
        return list(MODULES)
    wanted = {name.removeprefix("bench_").removeprefix("bench.") for name in only}
    unknown = wanted - {m.removeprefix("bench_") for m in MODULES}
    if unknown:
        raise SystemExit(
            f"unknown benchmark {', '.join(sorted(unknown))} "
            f"(known: {', '.join(m.removeprefix('bench_') for m in MODULES)})"
        )
    return [m for m in MODULES if m.removeprefix("bench_") in wanted]


def failed(module: str, exc: BaseException) -> Figure:
    """The row standing for a module that could not report its figures."""
    reason = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:300]
    return Figure(f"{module}: FAILED", 0.0, "error", 1.0, lower_is_better=False, note=reason)


def run_module(module: str, ctx: BenchContext) -> list[Figure]:
    started = time.perf_counter()
    print(f"== {module} ...", file=sys.stderr, flush=True)
    try:
        mod = importlib.import_module(f"bench.{module}")
        figures = list(mod.run(ctx))
        if not all(isinstance(f, Figure) for f in figures):
            raise TypeError("run() must return a list of Figure")
    except Exception as exc:  # a broken benchmark is a row in the table, not a crash
        traceback.print_exc(file=sys.stderr)
        figures = [failed(module, exc)]
    finally:
        gc.collect()
    print(f"== {module} done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    WORKDIR.mkdir(parents=True, exist_ok=True)
    ctx = BenchContext(workdir=WORKDIR, catalog_size=args.size, quick=args.quick)
    figures: list[Figure] = []
    for module in selected(args.only):
        figures += run_module(module, ctx)
    print()
    print_table(figures)
    write_results(figures)
    met = sum(f.met for f in figures)
    print(
        f"\n{met} of {len(figures)} figures met their target; results in "
        f"{REPO / 'bench-results.json'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
