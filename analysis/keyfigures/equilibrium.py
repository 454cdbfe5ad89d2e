"""Key figures of 'Why both sides signed': the walk-away prices and the region where both sign, the headline's
central case and range over it, repricing instead of termination, SpaceX's gain against its alternative, credit
support, and the value as of the known state."""

from __future__ import annotations

from .base import Chapter

MODEL = "models.equilibrium"


def define(f: Chapter) -> None:
    """Define the equilibrium chapter's figures."""
    r = f.results
    e = r.equilibrium
    sim = f"{MODEL}: the headline model's {r.valuation.n_paths:,} simulated paths under its solved boundaries, {r.valuation.batches} batches"
    f.add("equilibrium.seller_walkaway_share", "SpaceX's walk-away price as a share of the market: re-let share × (1 − re-letting discount)",
          f.register("capex.relet_utilization") * (1 - f.register("termination.seller_switching_cost")), "ratio_percent_whole")
    f.add("equilibrium.buyer_walkaway_share", "Reflection's walk-away price as a share of the market: 1 + its premium for replacement capacity",
          1 + f.register("termination.buyer_switching_cost"), "ratio_percent_whole")
    for end, words in (("low", "lowest"), ("high", "highest")):
        f.add(f"equilibrium.price_{end}_at_base_market_usd_per_gpu_hour",
              f"The {words} unit price at which both sides sign when the market is at its base level",
              f.fig(f"equilibrium.{'seller' if end == 'low' else 'buyer'}_walkaway_share") * f.fig("pricing.market_price_usd_per_gpu_hour"),
              "usd_per_gpu_hour")
        f.add(f"equilibrium.gpus_at_price_{end}", f"GB300 GPUs the payment reserves at that {words} unit price",
              f.fig("deal.monthly_payment_usd") / (f.const("HOURS_PER_MONTH") * f.fig(f"equilibrium.price_{end}_at_base_market_usd_per_gpu_hour")
                                                   * f.fig("pricing.billed_utilization")), "count_round")
    f.add("equilibrium.base_ratio", "The base unit price as a share of the base market price",
          f.fig("pricing.contract_price_usd_per_gpu_hour") / f.fig("pricing.market_price_usd_per_gpu_hour"), "ratio_percent_whole")
    f.add("equilibrium.base_signs", "Whether both sides sign at the base unit and market prices", f.result("equilibrium.signing.base_signs"),
          "text", f"{MODEL}.WalkAway.signs")
    for end, index in (("low", 0), ("high", 1)):
        f.add(f"equilibrium.region_ratio_{end}", f"Unit price ÷ market price at the {'lower' if end == 'low' else 'upper'} edge of the region "
              "where both sides sign, within the register's ranges", f.result(f"equilibrium.signing.range_ratio.{index}"), "ratio_percent_whole",
              f"{MODEL}.signing_map")
    solves = f"{MODEL}.signing_map: the headline model solved exactly at {len(e.signing.ratio_grid)} unit-price-to-market ratios"
    f.add("equilibrium.headline_low_usd", "Lowest expected present value (headline model) where both sides sign, within the register's ranges",
          f.result("equilibrium.signing.low_usd"), "usd", solves)
    f.add("equilibrium.headline_high_usd", "Highest expected present value (headline model) where both sides sign, within the register's ranges",
          f.result("equilibrium.signing.high_usd"), "usd", solves)
    if e.anthropic_usd_per_gpu_hour is not None:
        f.add("equilibrium.value_if_priced_as_anthropic_usd", "Expected present value if Reflection paid what Anthropic pays SpaceX per unit "
              "of compute (its GB300-equivalent price), at the base market", f.result("equilibrium.value_as_anthropic_usd"), "usd", solves)
        f.add("equilibrium.anthropic_signs", "Whether both sides sign at Anthropic's GB300-equivalent price and the base market",
              f.result("equilibrium.anthropic_signs"), "text", f"{MODEL}.WalkAway.signs")
    f.add("equilibrium.bargaining_share", "SpaceX's bargaining share of the surplus between the walk-away prices (base case)",
          f.register("termination.bargaining_share_seller"), "ratio_percent_whole")
    for case in ("low", "high"):
        f.add(f"equilibrium.bargaining_share_{case}", f"SpaceX's bargaining share ({case} case)",
              f.register("termination.bargaining_share_seller", case), "ratio_percent_whole")
    f.add("equilibrium.repriced_share_of_market", "The repriced contract's price as a share of the market (base bargaining share)",
          f.fig("equilibrium.seller_walkaway_share") + f.fig("equilibrium.bargaining_share")
          * (f.fig("equilibrium.buyer_walkaway_share") - f.fig("equilibrium.seller_walkaway_share")), "ratio_percent_whole")
    for key, index in (("termination", 0), *((f"repricing_{c}", i + 1) for i, c in enumerate(e.thetas))):
        base = f"equilibrium.outcomes.{index}"
        words = "termination" if key == "termination" else f"repricing at SpaceX's {key.split('_')[1]}-case bargaining share"
        f.add(f"equilibrium.{key}_pv_usd", f"Expected present value, headline model, an exit threat ending in {words} (simulated)",
              f.result(f"{base}.expected_pv.value"), "usd", sim, se=f.result(f"{base}.expected_pv.se"))
        f.add(f"equilibrium.{key}_revenue_usd", f"Expected revenue, undiscounted ({words})", f.result(f"{base}.expected_revenue.value"), "usd",
              sim, se=f.result(f"{base}.expected_revenue.se"))
        f.add(f"equilibrium.{key}_life_months", f"Expected paid months ({words})", f.result(f"{base}.expected_life.value"), "months_1", sim,
              se=f.result(f"{base}.expected_life.se"))
        f.add(f"equilibrium.{key}_mean_price_usd_per_gpu_hour", f"Mean unit price paid over the paid months ({words})",
              f.result(f"{base}.mean_price_usd_per_gpu_hour.value"), "usd_per_gpu_hour", sim,
              se=f.result(f"{base}.mean_price_usd_per_gpu_hour.se"))
    f.add("equilibrium.share_repriced", "Share of paths on which an exit threat reprices the contract (headline model)",
          f.result("equilibrium.outcomes.2.repriced_share.value"), "ratio_percent", sim, se=f.result("equilibrium.outcomes.2.repriced_share.se"))
    for index, key in enumerate(("gain_vs_relet", "gain_vs_xai", "repriced_gain_vs_relet", "repriced_gain_vs_xai")):
        base = f"equilibrium.counterfactuals.{index}"
        label = e.counterfactuals[index].label
        f.add(f"equilibrium.{key}_usd", f"SpaceX's expected gain from the contract, present value: {label}",
              f.result(f"{base}.gain.value"), "usd", sim, se=f.result(f"{base}.gain.se"))
        for q in ("p10", "p90"):
            f.add(f"equilibrium.{key}_{q}_usd", f"That gain, {q[1:]}th percentile of paths", f.result(f"{base}.{q}.value"), "usd", sim,
                  se=f.result(f"{base}.{q}.se"))
        f.add(f"equilibrium.{key}_prob_negative", "Share of paths on which that gain is negative", f.result(f"{base}.prob_negative.value"),
              "ratio_percent", sim, se=f.result(f"{base}.prob_negative.se"))
        if e.counterfactuals[index].breakeven_share is not None:
            f.add(f"equilibrium.{key}_breakeven_share", "Value of an hour of xAI's own use, as a share of the market price, at which "
                  f"that gain is zero ({label.split(',')[0].lower()})", f.result(f"{base}.breakeven_share.value"), "ratio_percent", sim,
                  se=f.result(f"{base}.breakeven_share.se"))
    f.add("equilibrium.deposit_months", "Months of payments in the credit-support scenario's deposit (register high case)",
          f.register("credit.deposit_months", "high"), "months")
    f.add("equilibrium.deposit_pv_usd", "Expected present value with that deposit kept on a default (simulated)",
          f.result("equilibrium.support.1.expected_pv.value"), "usd", sim, se=f.result("equilibrium.support.1.expected_pv.se"))
    f.add("equilibrium.investor_support_pv_usd", "Expected present value with investor support (a failed raise as rare as the register's low case)",
          f.result("equilibrium.support.2.expected_pv.value"), "usd", f"{MODEL}.credit_support: the headline model solved exactly")
    f.add("equilibrium.investor_support_prob_default", "Probability of default before the term ends with that support",
          f.result("equilibrium.support.2.prob_default_by_term"), "ratio_percent", f"{MODEL}.credit_support")
    k = "equilibrium.known"
    f.add("equilibrium.known_as_of", "Date of the known state", f.result(f"{k}.as_of"), "date", "data/known_state.csv")
    f.add("equilibrium.known_payments_made", "Payments made by that date (as known or assumed)", f.result(f"{k}.payments_made"), "count",
          "data/known_state.csv")
    f.add("equilibrium.known_received_usd", "Payments received by that date, undiscounted", f.result(f"{k}.received_usd"), "usd")
    f.add("equilibrium.known_remaining_pv_usd", "Expected present value at that date of the payments still to come (headline model)",
          f.result(f"{k}.remaining_pv_usd.value"), "usd", f"{sim}, conditioned on the known state",
          se=f.result(f"{k}.remaining_pv_usd.se"))
    f.add("equilibrium.known_value_usd", "The contract's value at that date: payments received plus the expected value of the rest",
          f.fig("equilibrium.known_received_usd") + f.fig("equilibrium.known_remaining_pv_usd"), "usd",
          se=f.result(f"{k}.remaining_pv_usd.se"))
    f.add("equilibrium.known_prob_full_term", "Probability from that date that the contract runs to term", f.result(f"{k}.prob_full_term.value"),
          "ratio_percent", f"{sim}, conditioned on the known state", se=f.result(f"{k}.prob_full_term.se"))
    f.add("equilibrium.known_remaining_months", "Expected paid months still to come from that date", f.result(f"{k}.expected_remaining_months.value"),
          "months_1", f"{sim}, conditioned on the known state", se=f.result(f"{k}.expected_remaining_months.se"))
    if e.last_report:
        f.add("equilibrium.known_last_report", "Latest dated public report on the contract found", f.result("equilibrium.known_last_report"),
              "date", "data/known_state.csv")
