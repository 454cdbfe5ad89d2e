"""Speed benchmarks against budgets and against the recorded baseline (not timed tests): `make bench`.

0. A clean `make book` (a fresh results cache, so every model runs once, then the parallel build) and a clean
   `make test` (fresh cache: build, lint, types, every test), side by side with the figures recorded in
   benchmarks/baseline.json before the single computed result landed; the target is at most 60% of each.
1. The market-driven Monte Carlo at 1,000,000 paths × 42 months: wall time and peak traced memory, against
   the time to draw the same normal variates alone, in the same chunks (the floor); the target is 1.5×.
2. The exit game under the optimal rule (least-squares Monte Carlo, both sides, mean-reverting prices, default on)
   at 100,000 paths x 42 months: price paths and default draws, the policy fitted, and the contract valued. Twice:
   as the book runs it (policy fitted on 20,000 separate paths) and fitted on all 100,000; the budget is 2 s.
   Beside it, the myopic rule on the same paths.
3. IRR of 10,000 monthly cash-flow rows: analysis.core.finance.irr (vectorized) against Python loops of
   numpy-financial's irr and pyxirr's irr.
Machine facts are printed first so figures can be compared.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy_financial as npf
import pyxirr

from analysis import assembly, valuation
from analysis.core import stopping
from analysis.core import termination as tm
from analysis.core.finance import irr
from analysis.inputs import load_inputs

PATHS, MONTHS, IRR_ROWS, CHUNK = 1_000_000, 42, 10_000, 8_192
REPO = Path(__file__).resolve().parent.parent
BASELINE = json.loads((REPO / "benchmarks" / "baseline.json").read_text(encoding="utf-8"))
TARGET_SHARE = 0.60
"""The build and the tests must take at most this share of their baseline time."""
BUDGETS_S = {"mc": 2.0, "irr": 0.5, "lsm": 2.0}
LSM_PATHS = 100_000
MC_RATIO_TARGET = 1.5


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


def peak_mib(fn: Callable[[], Any]) -> float:
    """Peak memory traced by tracemalloc (numpy reports its allocations to it) during ``fn()``, in MiB."""
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    py = sys.executable
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "DEAL_BOOK_CACHE": cache}
        start = time.perf_counter()
        subprocess.run([py, "-m", "analysis", "check"], cwd=REPO, check=True, stdout=subprocess.DEVNULL, env=env)
        subprocess.run([py, "-m", "analysis", "compute"], cwd=REPO, check=True, stdout=subprocess.DEVNULL, env=env)
        subprocess.run([py, "tools/build_book.py", ".", "--path-output", out, "-W", "-n", "--keep-going"], cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        book_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as cache:
        test_s = run_seconds(["make", "--no-print-directory", "test"], env={**os.environ, "DEAL_BOOK_CACHE": cache})

    inputs = load_inputs()
    terms, params = assembly.deal(inputs), assembly.parameters(inputs)
    market = assembly.market_inputs(params, assembly.market_model(inputs, terms.start_date))
    cash = assembly.cashflow_model(terms, params)

    def monte_carlo() -> tm.MarketOutcome:
        return tm.simulate_market_termination(np.random.default_rng(assembly.MC_SEED), PATHS, market, cash.clause,
                                              cash.pv_by_month, cash.amounts_usd, chunk_paths=CHUNK)

    def draws_only() -> None:
        rng = np.random.default_rng(assembly.MC_SEED)
        out = np.empty((CHUNK, MONTHS))
        for start in range(0, PATHS, CHUNK):
            rng.standard_normal(out=out[: min(CHUNK, PATHS - start)])

    mc_s, outcome = timed(monte_carlo)
    floor_s, _ = timed(draws_only)
    mc_mib = peak_mib(monte_carlo)

    survival = assembly.credit_model(inputs, params, terms, cash.schedule.months).survival
    contract, frictions = valuation.exit_contract(cash), valuation.frictions(params)
    kind = valuation.HEADLINE.process

    def lsm_book() -> stopping.ExitOutcome:
        paths = valuation.simulate_paths(params, cash, survival, LSM_PATHS, valuation.FIT_PATHS, processes=(kind,))
        return valuation.value(valuation.HEADLINE, contract, frictions, paths)

    def lsm_full() -> stopping.ExitOutcome:
        paths = valuation.simulate_paths(params, cash, survival, LSM_PATHS, 1, processes=(kind,))
        policy = stopping.fit_exit_policy(contract, paths.ratio[kind], frictions, "mutual", paths.default_month)
        return stopping.apply_exit_policy(policy, contract, paths.ratio[kind], frictions, paths.default_month)

    def myopic() -> stopping.ExitOutcome:
        paths = valuation.simulate_paths(params, cash, survival, LSM_PATHS, 1, processes=(kind,))
        return stopping.myopic_exit(contract, paths.ratio[kind], frictions, "mutual", paths.default_month)

    book_lsm_s, book_out = timed(lsm_book)
    full_lsm_s, full_out = timed(lsm_full)
    myopic_s, myopic_out = timed(myopic)

    rng = np.random.default_rng(1)
    flows = np.column_stack([-rng.uniform(4e9, 6e9, IRR_ROWS), np.full((IRR_ROWS, MONTHS), 150e6) * rng.uniform(0.9, 1.1, (IRR_ROWS, 1))])
    vec_s, vec = timed(lambda: irr(flows))
    npf_s, ref = timed(lambda: [npf.irr(row) for row in flows], repeat=1)
    pyx_s, ref2 = timed(lambda: [pyxirr.irr(row) for row in flows], repeat=1)
    agree = max(np.nanmax(np.abs(np.asarray(ref) - vec)), np.nanmax(np.abs(np.asarray(ref2, dtype=float) - vec)))

    def against(key: str, seconds: float) -> str:
        base = BASELINE[key]
        share = seconds / base
        return f"{base:9.1f} {share:8.0%}  {'ok' if share <= TARGET_SHARE else 'OVER'} (target <= {TARGET_SHARE:.0%} of baseline)"

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, numpy {np.__version__}")
    print(f"baseline: {BASELINE['measured']}, commit {BASELINE['commit'][:12]}")
    print(f"{'benchmark':56s} {'seconds':>9s} {'baseline':>9s} {'share':>8s}  target")
    print("-" * 110)
    print(f"{'clean make book (fresh cache, parallel build)':56s} {book_s:9.1f} {against('book_s', book_s)}")
    print(f"{'clean make test (fresh cache: build, lint, types, tests)':56s} {test_s:9.1f} {against('test_s', test_s)}")
    print()
    ratio = mc_s / floor_s
    print(f"{'market Monte Carlo, 1,000,000 paths x 42 months':56s} {mc_s:9.3f}  peak {mc_mib:.0f} MiB  "
          f"{'ok' if mc_s <= BUDGETS_S['mc'] else 'OVER'} (budget {BUDGETS_S['mc']:g} s)")
    print(f"{'  normal draws alone, same chunks (the floor)':56s} {floor_s:9.3f}  ratio {ratio:.2f}x (baseline "
          f"{BASELINE['mc_ratio']:.2f}x)  {'ok' if ratio <= MC_RATIO_TARGET else 'OVER'} (target <= {MC_RATIO_TARGET}x)")
    print(f"{'  (P(full term) = ' + f'{outcome.prob_full_term:.4f}, mean life {outcome.expected_life_months:.2f} months)':56s}")
    for label, seconds, out in ((f"optimal exit (LSM), {LSM_PATHS:,} x 42, fitted on {valuation.FIT_PATHS:,}", book_lsm_s, book_out),
                                (f"optimal exit (LSM), {LSM_PATHS:,} x 42, fitted on all", full_lsm_s, full_out)):
        print(f"{label:56s} {seconds:9.3f}  {'ok' if seconds <= BUDGETS_S['lsm'] else 'OVER'} (budget {BUDGETS_S['lsm']:g} s)  "
              f"E[PV] {out.expected_pv_usd / 1e9:.3f}B")
    print(f"{'  myopic rule on the same paths':56s} {myopic_s:9.3f}  E[PV] {myopic_out.expected_pv_usd / 1e9:.3f}B")
    print(f"{'IRR of 10,000 rows x 43 flows, analysis.core.finance.irr':56s} {vec_s:9.3f}  "
          f"{'ok' if vec_s <= BUDGETS_S['irr'] else 'OVER'} (budget {BUDGETS_S['irr']:g} s)")
    print(f"{'  loop of numpy_financial.irr':56s} {npf_s:9.3f}  {npf_s / vec_s:.1f}x slower")
    print(f"{'  loop of pyxirr.irr':56s} {pyx_s:9.3f}  {pyx_s / vec_s:.1f}x")
    print(f"{'  largest difference from the references':56s} {agree:9.1e}")


if __name__ == "__main__":
    main()
