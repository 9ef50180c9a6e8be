"""Run every benchmark, one after the other in its own process, and print a summary table.

    .venv/bin/python bench/run_all.py            # full runs (a few minutes)
    .venv/bin/python bench/run_all.py --quick    # smoke runs (well under a minute)
    .venv/bin/python bench/run_all.py --smoke    # CI: quick runs; timings never fail it

Each benchmark's own output streams through; the table at the end has one row per target.
The exit status is 0 only if every benchmark ran and reported its checks, and (except with
``--smoke``) every target passed. With ``--smoke`` a missed timing target is shown in the
table but does not fail: only a crash, a hang past ``--timeout`` or a benchmark that
reported no checks does. With ``--results DIR`` the checks are also kept there as JSON
(bench/results/ is git-ignored).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import BENCH_DIR, Check, fmt

BENCHMARKS = (
    *("vault_vs_sqlite", "unlock", "road", "sync_import", "sync_deltas", "sync_thin_link"),
    *("desk_start", "desk_channel", "desk_search"),
    *("incident_list", "sitrep_pdf", "desk_incidents"),
    "escalation",
    "map_render",
    "mission_package",
)
# Options a benchmark gets in quick and smoke runs (py-spy is a developer's tool, not CI's).
QUICK_OPTIONS = {"sync_import": ["--no-profile"], "sync_deltas": ["--no-partition"]}


def run_one(
    name: str, quick: bool, out: Path, extra: list[str], timeout: float
) -> tuple[int | None, float]:
    """Exit status (None if it ran past `timeout` and was killed) and seconds taken."""
    command = [sys.executable, str(BENCH_DIR / f"{name}.py"), "--json", str(out), *extra]
    if quick:
        command.append("--quick")
    print(f"\n$ {' '.join(command)}", flush=True)
    start = time.perf_counter()
    try:
        code: int | None = subprocess.run(command, check=False, timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        code = None
    return code, time.perf_counter() - start


def breakage(name: str, code: int | None, found: list[Check], timeout: float) -> str | None:
    """Why a benchmark's run counts as broken, whatever its timings; None if it ran fine.
    A benchmark exits 1 when a target is missed, but so does an uncaught exception: exit 1
    is a miss only if the checks it wrote show a missed target."""
    if code is None:
        return f"{name} ran longer than {timeout:.0f} s and was stopped"
    if not found:
        return f"{name} reported no checks (exit status {code})"
    if code == 0 or (code == 1 and not all(c.passed for c in found)):
        return None
    return f"{name} failed (exit status {code}) after reporting its checks"


def load(path: Path) -> list[Check]:
    if not path.is_file():
        return []
    rows = json.loads(path.read_text("utf-8"))
    return [
        Check(r["bench"], r["name"], r["measured"], r["target"], r["op"], r["unit"], r["detail"])
        for r in rows
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="run every benchmark and summarise")
    p.add_argument("--quick", action="store_true", help="smoke runs")
    p.add_argument(
        "--smoke",
        action="store_true",
        help="CI: implies --quick; exit 0 even if a timing target is missed (non-zero only if "
        "a benchmark crashed, hung or reported no checks)",
    )
    p.add_argument("--timeout", type=float, default=None, help="seconds per benchmark (900)")
    p.add_argument("--only", nargs="*", choices=BENCHMARKS, help="a subset, in this order")
    p.add_argument("--results", type=Path, default=None, help="keep the JSON checks here")
    p.add_argument("--dir", type=Path, default=None, help="parent of the benchmarks' temp dirs")
    args = p.parse_args(argv)
    quick = bool(args.quick or args.smoke)
    timeout = args.timeout or (300.0 if quick else 900.0)
    names = tuple(args.only) if args.only else BENCHMARKS
    extra = ["--dir", str(args.dir)] if args.dir else []

    checks: list[Check] = []
    problems: list[str] = []
    durations: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="md-bench-results-") as tmp:
        results = args.results or Path(tmp)
        results.mkdir(parents=True, exist_ok=True)
        for name in names:
            out = results / f"{name}.json"
            out.unlink(missing_ok=True)
            options = [*extra, *(QUICK_OPTIONS.get(name, []) if quick else [])]
            code, durations[name] = run_one(name, quick, out, options, timeout)
            found = load(out)
            if (why := breakage(name, code, found, timeout)) is not None:
                problems.append(why)
            checks.extend(found)

    rows = [
        (
            c.bench,
            c.name,
            f"{c.op} {fmt(c.target, c.unit)}",
            fmt(c.measured, c.unit),
            "PASS" if c.passed else "FAIL",
            c.detail,
        )
        for c in checks
    ]
    head = ("benchmark", "figure", "target", "measured", "pass", "detail")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head) - 1)]
    mode = (
        "smoke runs: timings informational"
        if args.smoke
        else "quick runs"
        if quick
        else "full runs"
    )
    print(f"\n== summary ({mode}) ==")
    line = "  ".join(h.ljust(w) for h, w in zip(head[:-1], widths, strict=True)) + "  detail"
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(str(v).ljust(w) for v, w in zip(row[:-1], widths, strict=True)), row[-1])
    print("\ntime taken: " + ", ".join(f"{n} {s:.0f} s" for n, s in durations.items()))
    for problem in problems:
        print(f"ERROR: {problem}")
    passed = sum(c.passed for c in checks)
    print(f"{passed}/{len(checks)} targets met")
    if args.smoke:
        if not problems:
            print("--smoke: every benchmark ran; timings are informational and do not fail it")
        return 1 if problems else 0
    return 0 if not problems and passed == len(checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
