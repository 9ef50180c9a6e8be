#!/usr/bin/env bash
# Set up (first time only) and run every check CI runs: lint, format, import contracts, types,
# the whole test suite (Qt offscreen), and a quick pass of the benchmarks so they cannot rot.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" test
cd "$md_root"
export QT_QPA_PLATFORM=offscreen
echo "== ruff";            ruff check src tests bench scripts
echo "== ruff format";     ruff format --check src tests bench scripts
echo "== import contracts"; lint-imports
echo "== mypy";            mypy
echo "== pytest";          python -m pytest -q -p no:cacheprovider "$@"
echo "== benchmarks (smoke run: timings shown, never fail CI; full figures: python bench/run_all.py)"
python bench/run_all.py --smoke
