"""Key figures of 'Cash flows and termination risk': present values, fixed end dates, default risk and the exit game
under every model choice."""

from __future__ import annotations

import dataclasses

import numpy as np

from ..models.valuation import Credit, EndedBy, Process, Rule, Who
from ..results import Results
from .base import Chapter


def exact_note(r: Results, label: str) -> str:
    """How an exact figure was computed: the model, the grid, the assumption set."""
    return f"core.grid.solve: {label}; backward induction on a {r.valuation.grid_points:,}-point price grid; {r.assumption_label}"


def simulation_note(r: Results, label: str) -> str:
    """How a simulated figure was computed: the model, its paths, batches and seed, the assumption set."""
    v = r.valuation
    return (f"core.grid.apply_boundaries: {label}; the solved boundaries on {v.n_paths:,} simulated paths (seed {v.seed}), "
            f"standard error from {v.batches} batches; {r.assumption_label}")


def define(f: Chapter) -> None:
    """Define the cash-flow chapter's figures."""
    r = f.results
    f.add("finance.discount_rate", "Discount rate (base case)", f.register("finance.discount_rate"), "rate_annual")
    xnpv = "finance.dated_discount_factors: XNPV at finance.discount_rate from deal.start_date, Actual/365"
    f.add("cashflow.npv_full_term_usd", "Present value if run to term", f.result("cash.npv_full_term_usd"), "usd", xnpv)
    f.add("cashflow.npv_committed_minimum_usd", "Present value of the committed minimum (model's reading)",
          f.result("cash.npv_committed_usd"), "usd", xnpv + ", the first deal.committed_months payments")
    f.add("cashflow.npv_committed_minimum_alt_usd", "Present value of the committed minimum (other reading)",
          f.result("cash.npv_committed_alt_usd"), "usd", xnpv + ", the first deal.committed_months_alt payments")
    f.add("cashflow.discount_share_full_term", "Share of the headline lost to discounting, run to term",
          1 - f.fig("cashflow.npv_full_term_usd") / f.fig("deal.headline_value_usd"), "ratio_percent")
    for months in r.methods.fixed_end_months:
        f.add(f"cashflow.pv_{months}_months_usd", f"Present value if the contract ends after {months} months",
              f.result(f"fixed_ends.pv_usd_by_month.{months}"), "usd", "contract.scenario_values at the method register's fixed end months")
    f.add("cashflow.prob_default_by_term", "Probability that Reflection defaults before the contract's last month",
          f.result("credit.prob_default_by_term"), "ratio_percent", "models.credit.credit_model: 1 − survival in the last month")
    f.add("cashflow.expected_pv_credit_only_usd", "Expected present value if only default can end the contract",
          f.result("credit.expected_pv_credit_only_usd"), "usd", "Σ payment PV × credit survival; no market-driven exits")
    f.add("cashflow.expected_life_credit_only_months", "Expected paid months if only default can end the contract",
          f.result("credit.expected_life_credit_only_months"), "months_1", "Σ credit survival over the term")
    headline = r.valuation.headline_summary.choice.label
    exact, mc = exact_note(r, headline), simulation_note(r, headline)
    row = "valuation.headline_summary"
    f.add("cashflow.mc_paths", "Simulated paths the solved boundaries are applied to", f.result("valuation.n_paths"), "count",
          "methods.valuation_paths")
    f.add("cashflow.grid_points", "Points of the exact solver's price grid", f.result("valuation.grid_points"), "count", "methods.grid_points")
    f.add("cashflow.fit_paths", "Paths the least-squares cross-check fits its policy on", f.method("fit_paths"), "count")
    f.add("cashflow.model_choices", "Model choices in the model-choice table", f.result("valuation.choices"), "count",
          "models.valuation.TABLE: who may exit × price process × exercise rule × credit")
    f.add("cashflow.headline_model", "The model behind the headline expected value", f.result(f"{row}.choice.label"), "text",
          "models.valuation.HEADLINE")
    f.add("cashflow.expected_pv_usd", f"Expected present value ({headline})", f.result(f"{row}.expected_pv_usd"), "usd", exact)
    f.add("cashflow.prob_full_term", f"Probability the contract runs to term ({headline})", f.result(f"{row}.prob_full_term"),
          "ratio_percent", exact)
    f.add("cashflow.expected_life_months", f"Expected paid months ({headline})", f.result(f"{row}.expected_life_months"), "months_1", exact)
    f.add("cashflow.expected_pv_p10_usd", f"Present value, 10th percentile of paths ({headline})", f.result(f"{row}.pv_p10.value"),
          "usd", mc, se=f.result(f"{row}.pv_p10.se"))
    f.add("cashflow.expected_pv_p90_usd", f"Present value, 90th percentile of paths ({headline})", f.result(f"{row}.pv_p90.value"),
          "usd", mc, se=f.result(f"{row}.pv_p90.se"))
    f.add("cashflow.pv_p50_usd", f"Present value, median of paths ({headline})", f.result("valuation.headline.pv_p50.value"), "usd", mc,
          se=f.result("valuation.headline.pv_p50.se"))
    f.add("cashflow.expected_pv_simulated_usd", f"Expected present value, averaged over the simulated paths: a check ({headline})",
          f.result(f"{row}.simulated_pv.value"), "usd", mc, se=f.result(f"{row}.simulated_pv.se"))
    f.add("cashflow.expected_pv_model_min_usd", "Lowest expected present value across the model choices",
          f.result("valuation.expected_pv_min_usd"), "usd", "minimum over models.valuation.TABLE, each solved exactly")
    f.add("cashflow.expected_pv_model_max_usd", "Highest expected present value across the model choices",
          f.result("valuation.expected_pv_max_usd"), "usd", "maximum over models.valuation.TABLE, each solved exactly")
    f.add("cashflow.expected_revenue_usd", f"Expected revenue, undiscounted ({headline})", f.result(f"{row}.solution.expected_revenue_usd"),
          "usd", exact)
    for code, key, words in ((EndedBy.BUYER, "buyer", "Reflection gives notice"), (EndedBy.SELLER, "seller", "SpaceX gives notice"),
                             (EndedBy.DEFAULT, "default", "Reflection defaults")):
        f.add(f"cashflow.share_ended_by_{key}", f"Share of paths on which {words} ({headline})",
              f.result(f"{row}.share_ended_by.{code.name}"), "ratio_percent", exact)
    f.add("cashflow.share_ended_at_first_opportunity", f"Share of paths ending at the earliest date the clause allows ({headline})",
          f.result("valuation.headline.ended_at_first_opportunity.value"), "ratio_percent", mc,
          se=f.result("valuation.headline.ended_at_first_opportunity.se"))
    f.add("cashflow.buyer_switching_cost", "Reflection's cost of switching, as a premium on the market price (base case)",
          f.register("termination.buyer_switching_cost"), "ratio_percent")
    f.add("cashflow.buyer_breakeven_market_price_usd_per_gpu_hour",
          "Market price below which leaving pays Reflection this month: contract price ÷ (1 + switching cost)",
          f.fig("pricing.contract_price_usd_per_gpu_hour") / (1 + f.fig("cashflow.buyer_switching_cost")), "usd_per_gpu_hour")
    f.add("cashflow.seller_breakeven_market_price_usd_per_gpu_hour",
          "Market price above which re-letting beats the contract for SpaceX this month: contract price ÷ (re-let share × "
          "(1 − its switching cost))",
          f.fig("pricing.contract_price_usd_per_gpu_hour")
          / (f.register("capex.relet_utilization") * (1 - f.register("termination.seller_switching_cost"))), "usd_per_gpu_hour")
    solution = "valuation.headline_summary.solution"
    buyer_first = r.valuation.headline_summary.solution.buyer_below[0]
    f.add("cashflow.buyer_threshold_first_usd_per_gpu_hour",
          f"Market price below which Reflection serves notice at the first opportunity ({headline}; −1: never)",
          f.fig("pricing.contract_price_usd_per_gpu_hour") * f.result(f"{solution}.buyer_below.0") if buyer_first > 0
          else f.const("NEVER"), "threshold_usd_per_gpu_hour", "core.grid.solve: the exercise boundary, as a share of the contract price")
    first = r.valuation.headline_summary.solution.seller_above[0]
    f.add("cashflow.seller_threshold_first_usd_per_gpu_hour",
          f"Market price above which SpaceX serves notice at the first opportunity ({headline}; −1: never)",
          f.fig("pricing.contract_price_usd_per_gpu_hour") * f.result(f"{solution}.seller_above.0") if np.isfinite(first)
          else f.const("NEVER"), "threshold_usd_per_gpu_hour", "core.grid.solve: the exercise boundary, as a share of the contract price")
    f.add("cashflow.cut_by_default_usd", "What default takes off the full-term value (full term less the default-only value)",
          f.fig("cashflow.npv_full_term_usd") - f.fig("cashflow.expected_pv_credit_only_usd"), "usd")
    f.add("cashflow.market_volatility_annual", "Annual volatility of the log market price (base case)",
          f.register("termination.market_volatility_annual"), "ratio_percent_whole")
    f.add("cashflow.half_life_months", "Half-life of a gap between the market price and its long-run level (base case)",
          f.register("termination.mean_reversion_half_life_months"), "months")
    f.add("cashflow.cut_by_exit_usd", "What the exit clause takes off the default-only value (headline model)",
          f.fig("cashflow.expected_pv_credit_only_usd") - f.fig("cashflow.expected_pv_usd"), "usd")
    f.add("cashflow.expected_pv_share_of_headline", "Expected present value as a share of the headline",
          f.fig("cashflow.expected_pv_usd") / f.fig("deal.headline_value_usd"), "ratio_percent")
    base = r.valuation.headline_summary.choice
    variants = (("cashflow.expected_pv_myopic_usd", dataclasses.replace(base, rule=Rule.MYOPIC, credit=Credit.NONE)),
                ("cashflow.expected_pv_optimal_usd", dataclasses.replace(base, credit=Credit.NONE)),
                ("cashflow.expected_pv_buyer_only_usd", dataclasses.replace(base, who=Who.BUYER)),
                ("cashflow.expected_pv_random_walk_usd", dataclasses.replace(base, process=Process.RANDOM_WALK)))
    for fid, choice in variants:
        f.add(fid, f"Expected present value ({choice.label})", f.result(f"valuation.by_choice.{choice.id}.expected_pv_usd"), "usd",
              exact_note(r, choice.label))
    f.add("cashflow.expected_pv_seller_only_usd", f"Expected present value ({r.valuation.seller_only.choice.label})",
          f.result("valuation.seller_only.expected_pv_usd"), "usd", exact_note(r, r.valuation.seller_only.choice.label))
    f.add("cashflow.expected_pv_credit_only_sim_usd", "Expected present value, default the only way out (simulated, as a check)",
          f.result("valuation.no_exit_credit.value"), "usd", "the payments before each simulated default month, averaged",
          se=f.result("valuation.no_exit_credit.se"))
    free = "models.valuation.frictionless: switching costs, re-lease discount and downtime zero, re-lease utilization 100%"
    f.add("cashflow.expected_pv_frictionless_usd", "Expected present value with no frictions (default off)",
          f.result("frictionless.expected_pv_usd"), "usd", free)
    f.add("cashflow.expected_life_frictionless_months", "Expected paid months with no frictions (default off)",
          f.result("frictionless.expected_life_months"), "months_1", free)
    lsm = "models.valuation.cross_check: least-squares Monte Carlo in independent replications against the exact value"
    f.add("cashflow.lsm_largest_bias", "Largest bias of least-squares Monte Carlo (cubic basis) against the exact solver, across the "
          "optimal-rule choices", f.result("valuation.largest_cubic_bias"), "ratio_percent", lsm)
    if r.valuation.cross_checks:
        f.add("cashflow.lsm_replications", "Independent replications of the least-squares cross-check", f.method("lsm_replications"), "count")
