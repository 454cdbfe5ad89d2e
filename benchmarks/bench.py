"""Speed benchmarks and budgets (not timed tests): `make bench` prints one table from one run.

0. A clean book build (execution forced, into a temporary folder) and strict nbval over chapters/.

1. The market-driven Monte Carlo at 1,000,000 paths × 42 months: wall time and peak traced memory,
   against the time to draw the same normal variates alone (the floor).
2. IRR of 10,000 monthly cash-flow rows: analysis.finance.irr (vectorized) against a Python loop of
   numpy-financial's irr and of pyxirr's irr.
Ratios are printed beside seconds. Machine facts are printed first so figures can be compared.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pyxirr

from analysis import load_inputs
from analysis import termination as tm
from analysis.finance import irr
from analysis.models import MC_SEED, cashflow_model, market_inputs, market_model

PATHS, MONTHS, IRR_ROWS = 1_000_000, 42, 10_000
REPO = Path(__file__).resolve().parent.parent
BUDGETS_S = {"book": 240.0, "nbval": 180.0, "mc": 2.0, "irr": 0.5}
"""Budgets in seconds on the 2-core CI machine; a run over budget is flagged in the table."""


def run_seconds(cmd: list[str]) -> float:
    """Wall time of a command run from the repository root; raises if it fails."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    """Best wall time of ``repeat`` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_mib(fn) -> float:
    """Peak memory traced by tracemalloc (numpy reports its allocations to it) during ``fn()``, in MiB."""
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as out:
        book_s = run_seconds([str(bin_dir / "jupyter-book"), "build", ".", "--path-output", out, "-W", "-n", "--keep-going"])
    nbval_s = run_seconds([sys.executable, "-m", "pytest", "chapters", "--nbval", "--nbval-current-env", "--nbval-sanitize-with",
                           "tests/nbval_sanitize.cfg", "-p", "no:cacheprovider", "-q"])
    inputs = load_inputs()
    model = market_model(inputs)
    cash = cashflow_model(inputs)
    market = market_inputs(inputs, model)

    def monte_carlo():
        return tm.simulate_market_termination(np.random.default_rng(MC_SEED), PATHS, market, cash.clause,
                                              cash.pv_by_month, cash.monthly_payment_usd)

    def draws_only():
        rng = np.random.default_rng(MC_SEED)
        for _ in range(0, PATHS, 100_000):
            rng.standard_normal((100_000, MONTHS))

    mc_s, outcome = timed(monte_carlo)
    floor_s, _ = timed(draws_only)
    mc_mib = peak_mib(monte_carlo)

    rng = np.random.default_rng(1)
    flows = np.column_stack([-rng.uniform(4e9, 6e9, IRR_ROWS), np.full((IRR_ROWS, MONTHS), 150e6) * rng.uniform(0.9, 1.1, (IRR_ROWS, 1))])
    vec_s, vec = timed(lambda: irr(flows))
    npf_s, ref = timed(lambda: [npf.irr(row) for row in flows], repeat=1)
    pyx_s, ref2 = timed(lambda: [pyxirr.irr(row) for row in flows], repeat=1)
    agree = max(np.nanmax(np.abs(np.asarray(ref) - vec)), np.nanmax(np.abs(np.asarray(ref2, dtype=float) - vec)))

    def budget(key: str, seconds: float) -> str:
        return f"{'ok' if seconds <= BUDGETS_S[key] else 'OVER'} (<= {BUDGETS_S[key]:g} s)"

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, numpy {np.__version__}")
    print(f"{'benchmark':58s} {'seconds':>9s} {'ratio':>9s} {'peak MiB':>9s}  budget")
    print("-" * 110)
    print(f"{'clean book build, execution forced (jupyter-book -W)':58s} {book_s:9.1f} {'':>9s} {'':>9s}  {budget('book', book_s)}")
    print(f"{'strict nbval over chapters/':58s} {nbval_s:9.1f} {'':>9s} {'':>9s}  {budget('nbval', nbval_s)}")
    print(f"{'market Monte Carlo, 1,000,000 paths x 42 months':58s} {mc_s:9.3f} {'':>9s} {mc_mib:9.0f}  {budget('mc', mc_s)}")
    print(f"{'  normal draws alone (the floor)':58s} {floor_s:9.3f} {mc_s / floor_s:8.2f}x {'':>9s}")
    print(f"{'  (P(full term) = ' + f'{outcome.prob_full_term:.4f}, mean life {outcome.expected_life_months:.2f} months)':58s}")
    print(f"{'IRR of 10,000 rows x 43 flows, analysis.finance.irr':58s} {vec_s:9.3f} {'1.00x':>9s} {'':>9s}  {budget('irr', vec_s)}")
    print(f"{'  loop of numpy_financial.irr':58s} {npf_s:9.3f} {npf_s / vec_s:8.1f}x")
    print(f"{'  loop of pyxirr.irr':58s} {pyx_s:9.3f} {pyx_s / vec_s:8.1f}x")
    print(f"{'  largest difference from the references':58s} {agree:9.1e}")


if __name__ == "__main__":
    main()
