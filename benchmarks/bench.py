"""Speed benchmarks against budgets (not timed tests): `make bench`, or `python benchmarks/bench.py --quick` (what CI runs).

Full mode, in order:
0. A clean book build (a fresh results cache, so every model runs once, then the parallel build) and a clean
   `make test`, beside the figures recorded in benchmarks/baseline.json.
1. One full ``compute`` of the book's result (every model, sensitivity included), and without the sensitivity analysis.
2. The exit game: every model choice solved exactly on the price grid (both price processes put on the grid, all the
   table's choices solved), against the budget of well under a second; the headline's boundaries applied to the
   book's simulated paths; and, beside them, least-squares Monte Carlo of the headline (the cross-check engine) at
   the book's path counts.
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

from analysis.core import grid, stopping
from analysis.core.finance import irr
from analysis.inputs import load_inputs
from analysis.methods import METHODS, Methods
from analysis.models import cashflow, credit, terms, valuation
from analysis.results import compute

REPO = Path(__file__).resolve().parent.parent
BASELINE: dict[str, Any] = json.loads((REPO / "benchmarks" / "baseline.json").read_text(encoding="utf-8"))
BUDGETS_S: dict[str, float] = {"compute": 15.0, "grid": 1.0, "exit_game": 2.0, "irr": 0.5}
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
    methods: Methods = dataclasses.replace(METHODS, valuation_paths=METHODS.valuation_paths // share)
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

    def solve_all() -> dict[str, float]:
        lattices = valuation.lattices_for(params, cash, tuple(valuation.Process), methods.grid_points, methods.grid_width_sd)
        return {c.id: valuation.solve(c, contract, frictions, lattices, survival).expected_pv_usd for c in valuation.TABLE}

    seeds = valuation.streams(methods.valuation_seed)

    def paths() -> valuation.Paths:
        return valuation.simulate_paths(params, cash, survival, methods.valuation_paths, seeds["shocks"], seeds["defaults"],
                                        (headline.process,))

    lattices = valuation.lattices_for(params, cash, (headline.process,), methods.grid_points, methods.grid_width_sd)
    solution = valuation.solve(headline, contract, frictions, lattices, survival)

    def boundaries() -> stopping.ExitOutcome:
        drawn = paths()
        return grid.apply_boundaries(solution, contract, drawn.ratio[headline.process], frictions, drawn.default_month)

    def lsm() -> stopping.ExitOutcome:
        fit_shocks, fit_defaults = seeds["lsm_fit"].spawn(2)
        fit = valuation.simulate_paths(params, cash, survival, methods.fit_paths, fit_shocks, fit_defaults, (headline.process,))
        value = paths()
        policy = stopping.fit_exit_policy(contract, fit.ratio[headline.process], frictions, headline.who, fit.default_month,
                                          methods.lsm_basis_degree)
        return stopping.apply_exit_policy(policy, contract, value.ratio[headline.process], frictions, value.default_month)

    grid_s, values = timed(solve_all)
    boundary_s, boundary_out = timed(boundaries)
    lsm_s, lsm_out = timed(lsm)
    label = f"exact solver: {len(values)} model choices, {methods.grid_points}-point grid"
    lines.append(f"{label:58s} {grid_s:9.3f}  {verdict(grid_s, BUDGETS_S['grid'])}  headline E[PV] "
                 f"{values[headline.id] / 1e9:.4f}B")
    lines.append(f"{f'  boundaries applied to {methods.valuation_paths:,} x {MONTHS} simulated paths':58s} {boundary_s:9.3f}  "
                 f"{verdict(boundary_s, BUDGETS_S['exit_game'] / share)}  mean PV {boundary_out.expected_pv_usd / 1e9:.4f}B")
    lines.append(f"{f'  least squares (cross-check), fitted on {methods.fit_paths:,}':58s} {lsm_s:9.3f}  "
                 f"E[PV] {lsm_out.expected_pv_usd / 1e9:.4f}B")

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
