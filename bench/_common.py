"""Shared helpers of the benchmarks: timing, medians, targets and the result hand-off.

Every benchmark measures its subject and a baseline in the same process, interleaved, and
judges the ratio (or, where the issue states one, an absolute figure) against its target.
`run_all.py` starts each benchmark as a subprocess with ``--json PATH`` and reads back the
checks it wrote there.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
SRC = REPO / "src"
if str(SRC) not in sys.path:  # run from a checkout without an editable install, too
    sys.path.insert(0, str(SRC))

Comparison = Literal["<=", ">="]
WORDS = (  # message texts are made of these
    *("convoy", "checkpoint", "patrol", "report", "sector", "river", "bridge", "village"),
    *("market", "clinic", "road", "closed", "open", "casualty", "evacuation", "water"),
    *("supply", "fuel", "radio", "contact", "observed", "movement", "north", "south"),
    *("team", "base", "outpost", "delayed", "arrived", "civilian", "vehicle", "route"),
)


@dataclass(frozen=True)
class Check:
    """One judged figure: `measured` against `target` with `op`, in `unit`."""

    bench: str
    name: str
    measured: float
    target: float
    op: Comparison
    unit: str
    detail: str = ""

    @property
    def passed(self) -> bool:
        if self.op == "<=":
            return self.measured <= self.target
        return self.measured >= self.target

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return (
            f"  [{verdict}] {self.name}: {fmt(self.measured, self.unit)} "
            f"(target {self.op} {fmt(self.target, self.unit)})"
        )


def fmt(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.3f}x"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.2f} ms"
    if unit == "ops/s":
        return f"{value:,.0f} ops/s"
    return f"{value:g} {unit}"


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="small smoke run (well under 20 s)")
    p.add_argument("--json", type=Path, default=None, help="write the checks to this JSON file")
    return p


def write_checks(path: Path | None, checks: list[Check]) -> None:
    if path is None:
        return
    rows = [{**asdict(c), "passed": c.passed} for c in checks]
    path.write_text(json.dumps(rows, indent=2), "utf-8")


def report(title: str, checks: list[Check]) -> int:
    """Print the verdicts; the exit status is 0 when every check passed, 1 otherwise."""
    print(f"\n{title}")
    for check in checks:
        print(check.line())
    return 0 if all(c.passed for c in checks) else 1


def header(title: str, quick: bool) -> None:
    mode = "quick smoke run" if quick else "full run"
    print(f"== {title} ({mode}) ==")
    print(
        f"python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()}"
    )


@contextlib.contextmanager
def quiet_gc() -> Iterator[None]:
    """Collect first, then keep the cyclic collector out of the timed section (as timeit)."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of `fn` takes, with the collector held off."""
    with quiet_gc():
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float]) -> str:
    """min / median / max, in milliseconds."""
    ms = [v * 1000 for v in values]
    return f"min {min(ms):.1f}  med {statistics.median(ms):.1f}  max {max(ms):.1f} ms"


def rotated(names: list[str], k: int) -> list[str]:
    """`names` starting at the k-th (modulo): who goes first changes from slice to slice."""
    k %= len(names)
    return names[k:] + names[:k]
