"""One computed result: ``compute(inputs)`` runs every model once; the registry, tables, figures, notebooks, the
Sphinx extension and the briefing pack all read the frozen :class:`Results`.

``cached(inputs, folder)`` stores the result on disk under a key made of the input files' digest, the
register hash and the code version (a hash of the ``analysis`` package's source), so each model runs once
per build however many pages read it, and a change to any input or any line of code recomputes it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import assembly, sensitivity, valuation
from .core import capex, finance, pricing
from .inputs import Inputs

PACKAGE_DIR: Path = Path(__file__).resolve().parent
PV_PROFILE_RATES: np.ndarray = np.linspace(0.0, 0.20, 41)
"""Annual discount rates of the present-value profile (0% to 20% in half-point steps)."""


def code_version() -> str:
    """SHA-256 (first 16 hex digits) of every Python file of the ``analysis`` package, by path and content."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class SellerPaths:
    """The seller's economics along the first simulated paths of the headline model: annual IRR and NPV at the cost
    of capital, with freed capacity re-leased at each path's own market price after the downtime, and (``idle_*``)
    with freed capacity left idle."""

    n_paths: int
    irr_annual: np.ndarray
    npv_usd: np.ndarray
    idle_irr_annual: np.ndarray
    idle_npv_usd: np.ndarray
    base_path_prob_npv_negative: float  # the same paths with re-leasing at the median price path (the earlier method)

    @property
    def irr_median(self) -> float:
        """Median annual IRR across the paths (NaN rows, with no IRR, excluded)."""
        return float(np.nanmedian(self.irr_annual))

    @property
    def prob_npv_negative(self) -> float:
        """Share of paths on which the seller's NPV at its cost of capital is negative."""
        return float(np.mean(self.npv_usd < 0))

    @property
    def idle_prob_npv_negative(self) -> float:
        """The same share if freed capacity stays idle."""
        return float(np.mean(self.idle_npv_usd < 0))

    @property
    def idle_irr_median(self) -> float:
        """Median annual IRR if freed capacity stays idle (paths with no IRR count as the lowest)."""
        return float(np.median(np.where(np.isnan(self.idle_irr_annual), -1.0, self.idle_irr_annual)))


@dataclass(frozen=True)
class Financing:
    """The capacity's financing: debt and equity, the seller's NPV at each rate, and how far contracted cash covers the debt."""

    debt_usd: float
    loan_months: int
    monthly_debt_service_usd: float
    npv_at_debt_rate_usd: float
    npv_at_equity_hurdle_usd: float
    npv_at_wacc_usd: float
    coverage_committed: float  # PV of committed net contract cash ÷ the debt (loan-life coverage, committed cash only)
    coverage_full_term: float  # the same, had the contract run to term
    committed_period_dscr: float  # net contract cash ÷ debt service in each committed month


def financing(params: assembly.Parameters, cash: assembly.CashflowModel, seller: assembly.SellerModel,
              full_term_flows: np.ndarray) -> Financing:
    """Debt of ``debt_share`` × capex, repaid in level monthly instalments over the GPU life at the debt rate.

    Coverage counts only contract cash net of operating costs, discounted at the debt rate: the committed
    minimum (what a lender can count on) and the full term (what it could count on without the exit clause).
    """
    debt = params.debt_share * seller.dedicated_capex_usd
    months = max(round(12 * params.gpu_life_years), 1)
    rate = float(finance.annual_to_monthly(params.debt_rate))
    service = float(finance.level_payment(debt, rate, months))
    net = cash.amounts_usd - seller.operating_monthly_usd
    discount = (1.0 + rate) ** -np.arange(1, len(net) + 1)
    committed = cash.clause.committed_months
    return Financing(
        debt_usd=debt, loan_months=months, monthly_debt_service_usd=service,
        npv_at_debt_rate_usd=float(finance.npv(rate, full_term_flows)),
        npv_at_equity_hurdle_usd=float(finance.npv(finance.annual_to_monthly(params.equity_hurdle_rate), full_term_flows)),
        npv_at_wacc_usd=float(finance.npv(finance.annual_to_monthly(params.cost_of_capital), full_term_flows)),
        coverage_committed=float(net[:committed] @ discount[:committed]) / debt,
        coverage_full_term=float(net @ discount) / debt,
        committed_period_dscr=float(net[:committed].mean()) / service,
    )


@dataclass(frozen=True)
class Results:
    """Every model of the book, run once on ``inputs``."""

    inputs: Inputs
    code_version: str
    deal: assembly.Deal
    params: assembly.Parameters
    cash: assembly.CashflowModel
    market: assembly.MarketModel
    seller: assembly.SellerModel
    credit: assembly.CreditModel
    expected_pv_credit_only_usd: float
    expected_life_credit_only_months: float
    financing: Financing
    exits: valuation.Valuation
    frictionless: valuation.Summary
    seller_paths: SellerPaths
    pv_profile_rates: np.ndarray
    pv_profile_tables: np.ndarray  # (rate, month): cumulative PV at each profile rate
    full_term_flows: np.ndarray
    committed_flows: np.ndarray
    sensitivity: sensitivity.SensitivityResults | None  # None when computed without the sensitivity analysis

    @property
    def assumption_label(self) -> str:
        """The assumption set and register hash the results were computed under."""
        return self.inputs.assumption_label


def seller_paths(params: assembly.Parameters, cash: assembly.CashflowModel, seller: assembly.SellerModel,
                 val: valuation.Valuation, n_paths: int = assembly.SELLER_SAMPLE_PATHS) -> SellerPaths:
    """The seller's cash flows on the headline's first paths, path-consistently: after an exit or a default, the
    capacity earns nothing for the downtime, then re-leases at that path's simulated market price; its residual
    value moves with that path's price at the end of the term. Also with freed capacity left idle."""
    out, n = val.headline, min(n_paths, len(val.headline.end_month))
    paid = out.end_month[:n]
    start = paid + int(params.relet_downtime_months) + 1
    ratio = val.headline_ratio[:, :n]
    fee = float(cash.amounts_usd[-1])
    relet = params.relet_utilization * (1.0 - params.seller_switching_cost) * fee * ratio[1:]
    median_end = float(assembly.market_path(params, cash.clause.term_months + 1)[-1]) / params.contract_price_usd_per_gpu_hour
    residual = seller.it_residual_usd * ratio[-1] / median_end + (seller.residual_usd - seller.it_residual_usd)
    rate = finance.annual_to_monthly(params.cost_of_capital)
    flows = capex.seller_path_flows(seller.dedicated_capex_usd, cash.amounts_usd, paid, start, relet, seller.operating_monthly_usd, residual)
    idle = capex.seller_path_flows(seller.dedicated_capex_usd, cash.amounts_usd, paid, start, np.zeros_like(relet),
                                   seller.operating_monthly_usd, residual)
    base_path = assembly.seller_flows(seller, cash, paid)
    return SellerPaths(n, finance.monthly_to_annual(finance.irr(flows)), finance.npv(rate, flows),
                       finance.monthly_to_annual(finance.irr(idle)), finance.npv(rate, idle),
                       float(np.mean(finance.npv(rate, base_path) < 0)))


def scenario_files() -> dict[str, Path]:
    """The shipped coherent scenarios (what-if files in scenarios/): bear and bull."""
    return {name: assembly.SCENARIO_DIR / f"{name}.csv" for name in ("bear", "bull")}


def compute(inputs: Inputs, with_sensitivity: bool = True) -> Results:
    """Run every model of the book on ``inputs`` (seeded; the same inputs always give the same result).

    ``with_sensitivity=False`` skips the sensitivity analysis (hundreds of re-runs), for checks that need only the
    models themselves; the registry then has no sensitivity figures.
    """
    terms, params = assembly.deal(inputs), assembly.parameters(inputs)
    market = assembly.market_model(inputs, terms.start_date)
    cash = assembly.cashflow_model(terms, params, alt_notice_earliest_month=int(inputs.assumption("deal.notice_earliest_month", "low")))
    seller = assembly.seller_model(inputs, params, cash)
    buyer_credit = assembly.credit_model(inputs, params, terms, cash.schedule.months)
    per_payment = np.diff(cash.pv_by_month, prepend=0.0)
    val = valuation.run(params, cash, buyer_credit.survival)
    free = dataclasses.replace(params, buyer_switching_cost=0.0, seller_switching_cost=0.0, relet_utilization=1.0,
                               relet_downtime_months=0)
    frictionless = valuation.run(free, cash, buyer_credit.survival, n_paths=20_000, n_fit=5_000,
                                 choices=(dataclasses.replace(valuation.HEADLINE, credit=False),)).table[0]
    ends = np.array([cash.clause.term_months, cash.clause.committed_months])
    seller_ends = assembly.seller_flows(seller, cash, ends)
    return Results(
        inputs=inputs, code_version=code_version(), deal=terms, params=params, cash=cash, market=market, seller=seller,
        credit=buyer_credit, expected_pv_credit_only_usd=float(per_payment @ buyer_credit.survival),
        expected_life_credit_only_months=float(buyer_credit.survival.sum()),
        financing=financing(params, cash, seller, seller_ends[0]),
        exits=val, frictionless=frictionless, seller_paths=seller_paths(params, cash, seller, val),
        pv_profile_rates=PV_PROFILE_RATES, pv_profile_tables=assembly.pv_tables(terms, params, PV_PROFILE_RATES),
        full_term_flows=seller_ends[0], committed_flows=seller_ends[1],
        sensitivity=sensitivity.run(inputs, scenario_files()) if with_sensitivity else None,
    )


def cache_key(inputs: Inputs) -> str:
    """The cache key of ``inputs``: input files' digest, register hash and code version."""
    return f"{inputs.inputs_digest}-{inputs.assumption_hash}-{code_version()}"


def cached(inputs: Inputs, folder: Path | None) -> Results:
    """``compute(inputs)``, stored in and read back from ``folder`` (no cache when ``folder`` is None).

    The file is written to a temporary name and renamed, so a reader never sees half a result; a cache
    file that cannot be read is recomputed and replaced.
    """
    if folder is None or not inputs.inputs_digest:
        return compute(inputs)
    path = Path(folder) / f"results-{cache_key(inputs)}.pickle"
    if path.exists():
        try:
            with path.open("rb") as handle:
                result = pickle.load(handle)
            if isinstance(result, Results) and result.inputs.assumption_hash == inputs.assumption_hash:
                return result
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass
    result = compute(inputs)
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, delete=False, suffix=".tmp") as out:
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, path)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return result


def implied_gpus_at(results: Results, prices_usd_per_gpu_hour: np.ndarray) -> np.ndarray:
    """GB300 GPUs the monthly payment reserves at each price (billed utilization as in the register)."""
    return np.asarray(pricing.implied_gpus(results.deal.monthly_payment_usd, prices_usd_per_gpu_hour,
                                           results.params.billed_utilization))


def payback_month(flows: np.ndarray) -> int:
    """Payback month of one row of seller cash flows (−1 if not within the term)."""
    return int(capex.payback_month(flows))
