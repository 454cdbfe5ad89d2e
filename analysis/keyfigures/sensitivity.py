"""Key figures of 'Sensitivity and scenarios': bear and bull outcomes, the largest one-way and global drivers, the value
against the unit price, and the size of the analyses. Defines nothing when the result has no sensitivity analysis."""

from __future__ import annotations

from ..models.sensitivity import OUTPUTS
from .base import Chapter, Leaf

UNITS: dict[str, str] = {"expected_pv_usd": "usd", "prob_full_term": "ratio_percent", "seller_irr_full_term": "rate_annual",
                         "payback_months": "crossover_payback"}
SHORT: dict[str, str] = {"expected_pv_usd": "expected_pv", "seller_irr_full_term": "seller_irr", "payback_months": "payback"}
SWING_UNITS: dict[str, str] = {"expected_pv_usd": "usd", "seller_irr_full_term": "rate_annual", "payback_months": "months"}
NO_ONE_WAY_DRIVER: str = "no input (every one-way range is zero)"
NO_GLOBAL_DRIVER: str = "no input (the output does not vary)"


def define(f: Chapter) -> None:
    """Define the sensitivity chapter's figures."""
    results = f.results.sensitivity
    if results is None:
        return
    s = results.summary
    words = {**OUTPUTS, "prob_full_term": "Probability the contract runs to term"}
    on = f" on top of {f.inputs.assumption_set}" if results.scenarios_on_what_if else ""
    for case in ("Bear", "Bull"):
        for output, unit in UNITS.items():
            f.add(f"sensitivity.{case.lower()}_{output}", f"{words[output]}, {case.lower()} assumption set",
                  f.result(f"sensitivity.summary.scenario_outputs.{case}.{output}"), unit,
                  f"models.sensitivity.scenario_table: scenarios/{case.lower()}.csv{on}")
    for output, short in SHORT.items():
        driver, top = s.top_one_way[output], s.top_global[output]
        path = f"sensitivity.summary.top_one_way.{output}"
        f.add(f"sensitivity.top_driver_{short}", f"Input with the widest one-way range: {OUTPUTS[output]}",
              f.result(f"{path}.words") if driver else Leaf(repr(NO_ONE_WAY_DRIVER), NO_ONE_WAY_DRIVER), "text",
              "models.sensitivity.one_way: largest maximum − minimum of the output over each entry's grid")
        f.add(f"sensitivity.top_swing_{short}", f"Range of the output over that input's grid: {OUTPUTS[output]}",
              f.result(f"{path}.amount") if driver else Leaf("0", 0.0), SWING_UNITS[output], "models.sensitivity.one_way")
        path = f"sensitivity.summary.top_global.{output}"
        f.add(f"sensitivity.global_top_driver_{short}", f"Input with the largest total Sobol' index: {OUTPUTS[output]}",
              f.result(f"{path}.words") if top else Leaf(repr(NO_GLOBAL_DRIVER), NO_GLOBAL_DRIVER), "text",
              "models.sensitivity.global_sobol (SALib, total-order index ST)")
        f.add(f"sensitivity.global_top_share_{short}", f"That input's total Sobol' index: {OUTPUTS[output]}",
              f.result(f"{path}.amount") if top else Leaf("0", 0.0), "ratio_percent", "models.sensitivity.global_sobol",
              se=f.result(f"{path}.se") if top else None)
        f.add(f"sensitivity.global_top_conf_{short}", f"Half-width of that index's 95% confidence interval: {OUTPUTS[output]}",
              f.result(f"{path}.conf") if top else Leaf("0", 0.0), "ratio_percent", "SALib bootstrap, ST_conf")
    f.add("sensitivity.interior_extremes_expected_pv", "Inputs whose effect on the expected value peaks or bottoms inside their range",
          f.result("sensitivity.summary.interior_extremes_expected_pv"), "count", "models.sensitivity.one_way: interior_extreme")
    f.add("sensitivity.price_at_peak_value_usd_per_gpu_hour", "Contract unit price at which the expected value peaks",
          f.result("sensitivity.summary.peak_price_usd_per_gpu_hour"), "usd_per_gpu_hour", "models.sensitivity.value_against_price")
    f.add("sensitivity.peak_value_usd", "The expected value at that price", f.result("sensitivity.summary.peak_value_usd"), "usd",
          "models.sensitivity.value_against_price")
    for end, label in (("low", "lowest"), ("high", "highest")):
        f.add(f"sensitivity.value_at_{end}_price_usd", f"Expected value at the {label} contract price in the range",
              f.result(f"sensitivity.summary.value_at_{end}_price_usd"), "usd",
              f"models.sensitivity.value_against_price at pricing.contract_price_{end}_usd_per_gpu_hour (nearest grid price)")
    f.add("sensitivity.price_curve_direction", "How the expected value moves as the contract unit price rises (falling, rising or peaking)",
          f.result("sensitivity.summary.curve_direction"), "text", "models.sensitivity.summarise: signs of successive differences")
    for end in ("start", "end"):
        f.add(f"sensitivity.curve_{end}_price_usd_per_gpu_hour", f"Unit price at the {end} of the value-against-price curve",
              f.result(f"sensitivity.summary.curve_{end}_price_usd_per_gpu_hour"), "usd_per_gpu_hour",
              "methods.contract_price_grid_usd_per_gpu_hour")
        f.add(f"sensitivity.curve_{end}_value_usd", f"Expected value at the {end} of the value-against-price curve",
              f.result(f"sensitivity.summary.curve_{end}_value_usd"), "usd", "models.sensitivity.value_against_price")
    f.add("sensitivity.global_base_sample", "Sobol' base sample size N", f.result("sensitivity.n_base"), "count", "methods.sobol_base_sample")
    f.add("sensitivity.global_evaluations", "Model evaluations in the global analysis", f.result("sensitivity.n_evaluations"), "count",
          "models.sensitivity.global_sobol: N × (D + 2)")
    f.add("sensitivity.global_entries", "Register entries the global analysis varies (after screening)",
          f.result("sensitivity.n_screened"), "count", "models.sensitivity.screened_entries")
    f.add("sensitivity.continuous_entries", "Continuous register entries with a range, before screening", f.result("sensitivity.n_continuous"),
          "count", "models.sensitivity.global_entries")
    f.add("sensitivity.confidence_level", "Confidence level of the Sobol' indices' intervals", f.method("sobol_confidence"),
          "ratio_percent_whole")
    f.add("sensitivity.screen_share", "Screening threshold: share of the widest one-way range an entry must exceed", f.method("screen_share"),
          "ratio_percent")
    f.add("sensitivity.global_paths", "Paths per evaluation of the global analysis (myopic rule)", f.method("sobol_paths"), "count")
    f.add("sensitivity.grid_points", "Price-grid points of each one-way, price-curve and scenario evaluation (headline model, exact)",
          f.method("sensitivity_grid_points"), "count")
    f.add("sensitivity.entries_outside_range", "Register entries whose one-way range moves the expected value outside the headline's range",
          f.result("entries_outside_headline_range.id.size"), "count",
          "models.sensitivity.entries_outside(one-way table, equilibrium.headline_low_usd, equilibrium.headline_high_usd)")
    f.add("sensitivity.entries_outside_range_words", "Those entries, widest first", f.result("entries_outside_words"), "text",
          "models.sensitivity.entries_outside")
