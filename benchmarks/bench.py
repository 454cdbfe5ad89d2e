"""Speed benchmarks against budgets (not timed tests): `make bench`, or `python benchmarks/bench.py --quick` (what CI runs).

Full mode, in order:
0. A clean book build (a fresh results cache, so every model runs once, then the parallel build) and a clean
   `make test`, beside the figures recorded in benchmarks/baseline.json.
1. One full ``compute`` of the book's result (every model, sensitivity included), and without the sensitivity analysis.
2. The exit game under the headline model (both sides, mean-reverting prices, optimal rule by least-squares Monte
   Carlo, default on) at the book's path counts: paths drawn, policy fitted, contract valued; beside it the myopic
   rule on the same paths.
3. IRR of 10,000 monthly cash-flow rows: analysis.core.finance.irr (vectorized) against Python loops of
   numpy-financial's irr and pyxirr's irr.
Quick mode skips 0 and the full compute, and runs 2 and 3 on a tenth of the paths and rows, so it finishes in
seconds; it checks that every benchmark still runs and prints the same table. The exit code is 0 unless a benchmark
fails to run: budgets are reported, not enforced (timings vary by ±20% on a shared machine).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy_financial as npf
import pyxirr

from analysis.core import stopping
from analysis.core.finance import irr
from analysis.inputs import load_inputs
from analysis.methods import METHODS, Methods
from analysis.models import cashflow, credit, terms, valuation
from analysis.results import compute

REPO = Path(__file__).resolve().parent.parent
BASELINE: dict[str, Any] = json.loads((REPO / "benchmarks" / "baseline.json").read_text(encoding="utf-8"))
BUDGETS_S: dict[str, float] = {"compute": 45.0, "exit_game": 2.0, "irr": 0.5}
"""Seconds each benchmark may take on the CI machine type (2 cores)."""
IRR_ROWS, MONTHS = 10_000, 42


def run_seconds(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """Wall time of a command run from the repository root; raises if it fails."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def verdict(seconds: float, budget: float) -> str:
    """'ok' or 'OVER' against a budget, with the budget."""
    return f"{'ok' if seconds <= budget else 'OVER'} (budget {budget:g} s)"


def book_and_tests() -> list[str]:
    """Clean book build and clean `make test`, against the recorded baseline."""
    py = sys.executable
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "DEAL_BOOK_CACHE": cache}
        start = time.perf_counter()
        for step in (["-m", "analysis", "check"], ["-m", "analysis", "compute"]):
            subprocess.run([py, *step], cwd=REPO, check=True, stdout=subprocess.DEVNULL, env=env)
        subprocess.run([py, "tools/build_book.py", ".", "--path-output", out, "-W", "-n", "--keep-going"], cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        book_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as cache:
        test_s = run_seconds(["make", "--no-print-directory", "test"], env={**os.environ, "DEAL_BOOK_CACHE": cache})
    return [f"{'clean book build (fresh cache, parallel)':58s} {book_s:9.1f}  baseline {BASELINE['book_s']:.1f} s",
            f"{'clean make test (fresh cache)':58s} {test_s:9.1f}  baseline {BASELINE['test_s']:.1f} s"]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print one table; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the paths and rows; no book, tests or full compute")
    args = parser.parse_args(argv)
    share = 10 if args.quick else 1
    methods: Methods = dataclasses.replace(METHODS, valuation_paths=METHODS.valuation_paths // share,
                                           fit_paths=METHODS.fit_paths // share)
    lines = [] if args.quick else book_and_tests()

    inputs = load_inputs()
    if not args.quick:
        compute_s, _ = timed(lambda: compute(inputs), repeat=1)
        bare_s, _ = timed(lambda: compute(inputs, with_sensitivity=False), repeat=1)
        lines.append(f"{'compute: every model, sensitivity included':58s} {compute_s:9.1f}  {verdict(compute_s, BUDGETS_S['compute'])}")
        lines.append(f"{'compute without the sensitivity analysis':58s} {bare_s:9.1f}")

    deal, params = terms.deal(inputs), terms.parameters(inputs)
    cash = cashflow.cashflow_model(deal, params)
    survival = credit.credit_model(inputs, params, deal, cash.schedule.months, cash.pv_by_month).survival
    contract, frictions = valuation.exit_contract(cash), valuation.frictions(params)
    headline = valuation.HEADLINE

    def paths() -> valuation.Paths:
        return valuation.simulate_paths(params, cash, survival, methods.valuation_paths, methods.fit_paths, methods.valuation_seed,
                                        (headline.process,))

    def optimal() -> stopping.ExitOutcome:
        return valuation.value(headline, contract, frictions, paths(), methods.lsm_basis_degree)

    def myopic() -> stopping.ExitOutcome:
        drawn = paths()
        return stopping.myopic_exit(contract, drawn.ratio[headline.process], frictions, headline.who, drawn.default_month)

    optimal_s, optimal_out = timed(optimal)
    myopic_s, myopic_out = timed(myopic)
    label = f"exit game, optimal (LSM), {methods.valuation_paths:,} x {MONTHS}, fitted on {methods.fit_paths:,}"
    lines.append(f"{label:58s} {optimal_s:9.3f}  {verdict(optimal_s, BUDGETS_S['exit_game'] / share)}  "
                 f"E[PV] {optimal_out.expected_pv_usd / 1e9:.3f}B")
    lines.append(f"{'  myopic rule on the same paths':58s} {myopic_s:9.3f}  E[PV] {myopic_out.expected_pv_usd / 1e9:.3f}B")

    rows = IRR_ROWS // share
    rng = np.random.default_rng(1)
    flows = np.column_stack([-rng.uniform(4e9, 6e9, rows), np.full((rows, MONTHS), 150e6) * rng.uniform(0.9, 1.1, (rows, 1))])
    vec_s, vec = timed(lambda: irr(flows))
    npf_s, ref = timed(lambda: [npf.irr(row) for row in flows], repeat=1)
    pyx_s, ref2 = timed(lambda: [pyxirr.irr(row) for row in flows], repeat=1)
    agree = max(np.nanmax(np.abs(np.asarray(ref) - vec)), np.nanmax(np.abs(np.asarray(ref2, dtype=float) - vec)))
    lines.append(f"{f'IRR of {rows:,} rows x {MONTHS + 1} flows, finance.irr':58s} {vec_s:9.3f}  "
                 f"{verdict(vec_s, BUDGETS_S['irr'] / share)}")
    lines.append(f"{'  loop of numpy_financial.irr':58s} {npf_s:9.3f}  {npf_s / vec_s:.1f}x slower")
    lines.append(f"{'  loop of pyxirr.irr':58s} {pyx_s:9.3f}  {pyx_s / vec_s:.1f}x")
    lines.append(f"{'  largest difference from the references':58s} {agree:9.1e}")

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, numpy {np.__version__}"
          + ("; quick mode: a tenth of the paths and rows" if args.quick else ""))
    print(f"{'benchmark':58s} {'seconds':>9s}")
    print("-" * 100)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
