"""Key figures of 'Capex offset': capex per GPU, cost per GPU-hour, payback, offset ratios, SpaceX's return, and the
Colossus-wide view."""

from __future__ import annotations

from .base import Chapter


def define(f: Chapter) -> None:
    """Define the capex chapter's figures."""
    r = f.results
    parts = "capex.capex_per_gpu_usd(rack price, GPUs per rack, network share, facility $/MW, kW per GPU)"
    for key, label in (("it_usd", "IT (rack share) per GPU"), ("network_storage_usd", "Networking and storage per GPU"),
                       ("facility_usd", "Facility per GPU")):
        f.add(f"capex.{key.removesuffix('_usd')}_per_gpu_usd", label, f.result(f"seller.parts_per_gpu.{key}"), "usd", parts)
    f.add("capex.gpus_per_rack", "GPUs per GB300 NVL72 rack", f.spec("GB300 NVL72", "gpus_per_rack"), "count")
    f.add("capex.rack_price_usd", "Price of a GB300 NVL72 rack (base case)", f.register("capex.rack_price_usd"), "usd")
    f.add("capex.facility_usd_per_mw", "Facility capex per MW of IT load (base case)", f.register("capex.facility_usd_per_mw"), "usd")
    f.add("capex.relet_utilization", "Share of freed capacity re-leased after an early exit (base case)",
          f.register("capex.relet_utilization"), "ratio_percent_whole")
    f.add("capex.capex_per_gpu_usd", "All-in capex per GB300 GPU", f.result("seller.capex_per_gpu_usd"), "usd", parts + ": total")
    f.add("capex.dedicated_capex_usd", "Capex behind the capacity the contract implies", f.result("seller.dedicated_capex_usd"), "usd",
          "GPUs the full monthly fee reserves × capex.capex_per_gpu_usd")
    tco = ("capex.tco_usd_per_gpu_hour(IT capex, facility capex, GPU life, facility life, cost of capital, kW, PUE, $/kWh, "
           "opex share, billed share)")
    for key, label in (("capital", "capital"), ("power", "power"), ("other_opex", "other operating costs"), ("total", "total")):
        fid = "capex.tco_usd_per_gpu_hour" if key == "total" else f"capex.tco_{key}_usd_per_gpu_hour"
        f.add(fid, f"Cost per GPU-hour: {label}", f.result(f"seller.tco.{key}"), "usd_per_gpu_hour", tco)
    price, cost = f.fig("pricing.contract_price_usd_per_gpu_hour"), f.fig("capex.tco_usd_per_gpu_hour")
    f.add("capex.margin_usd_per_gpu_hour", "Contract price less cost per GPU-hour", price - cost, "usd_per_gpu_hour")
    f.add("capex.margin_share", "Margin as a share of the contract price", 1 - cost / price, "ratio_percent")
    f.add("capex.margin_share_low", "Margin as a share of the contract price, at the low case of the price",
          1 - cost / f.fig("pricing.contract_price_low_usd_per_gpu_hour"), "ratio_percent")
    f.add("capex.lowest_market_path_usd_per_gpu_hour", "Lowest point of the median market path in any case of the pricing chapter",
          f.result("market.lowest_path_usd_per_gpu_hour"), "usd_per_gpu_hour", "minimum over models.market.MarketModel.paths_by_case")
    f.add("capex.lowest_path_over_tco", "That lowest point as a multiple of the cost per GPU-hour",
          f.fig("capex.lowest_market_path_usd_per_gpu_hour") / cost, "multiple_2")
    f.add("capex.it_mw_facility", "Facility power of the capacity (IT load × PUE)", f.result("seller.facility_mw"), "mw",
          "GPUs × kW per GPU × PUE ÷ conventions.KW_PER_MW")
    f.add("capex.payback_months", "Payback month if the contract runs to term (−1 = not within the term)",
          f.result("returns.payback_full_term_month"), "crossover_payback", "capex.payback_month(seller cash flows, full term)")
    f.add("capex.payback_months_committed", "Payback month if the contract ends at the earliest date (−1 = not within the term)",
          f.result("returns.payback_committed_month"), "crossover_payback", "capex.payback_month(seller cash flows, earliest exit)")
    f.add("capex.seller_irr_full_term", "Seller's IRR on the capacity if the contract runs to term (annual)",
          f.result("returns.irr_full_term_annual"), "rate_annual", "finance.monthly_to_annual(finance.irr(seller cash flows, full term))")
    share = f.register("finance.debt_share")
    f.add("capex.cost_of_capital", "SpaceX's weighted cost of capital for the capacity (base case)",
          share * f.register("finance.debt_rate") + (1 - share) * f.register("finance.equity_hurdle_rate"), "rate_annual")
    f.add("capex.seller_npv_full_term_usd", "Seller's NPV at its cost of capital, run to term", f.result("returns.npv_full_term_usd"),
          "usd", "finance.npv(monthly capex.cost_of_capital, seller cash flows, full term)")
    sample = (f"over the first {r.seller_paths.n_paths:,} paths of the headline model (models.seller.seller_paths), standard error "
              f"from {r.seller_paths.batches} batches")
    f.add("capex.seller_irr_median", "Seller's IRR, median across simulated exits (annual)", f.result("seller_paths.irr_median.value"),
          "rate_annual", sample, se=f.result("seller_paths.irr_median.se"))
    f.add("capex.prob_seller_npv_negative", "Share of simulated paths on which the seller's NPV is negative",
          f.result("seller_paths.prob_npv_negative.value"), "ratio_percent", sample, se=f.result("seller_paths.prob_npv_negative.se"))
    f.add("capex.seller_paths", "Paths of the seller's simulation", f.result("seller_paths.n_paths"), "count", "methods.seller_paths")
    f.add("capex.idle_prob_seller_npv_negative", "Share of simulated paths with a negative seller NPV if freed capacity stays idle",
          f.result("seller_paths.idle_prob_npv_negative.value"), "ratio_percent", sample, se=f.result("seller_paths.idle_prob_npv_negative.se"))
    f.add("capex.idle_seller_irr_median", "Seller's IRR, median across simulated exits, freed capacity idle (annual)",
          f.result("seller_paths.idle_irr_median.value"), "rate_annual", sample, se=f.result("seller_paths.idle_irr_median.se"))
    f.add("capex.base_path_prob_seller_npv_negative",
          "Share of the same paths with a negative seller NPV if freed capacity re-leased at the median price path (the earlier method)",
          f.result("seller_paths.base_path_prob_npv_negative.value"), "ratio_percent", sample, se=f.result("seller_paths.base_path_prob_npv_negative.se"))
    f.add("capex.relet_downtime_months", "Months freed capacity earns nothing before a new tenant pays (base case)",
          f.register("termination.relet_downtime_months"), "months")
    dedicated = f.fig("capex.dedicated_capex_usd")
    f.add("capex.offset_share_committed", "Committed minimum revenue ÷ capex behind the capacity",
          f.fig("deal.committed_minimum_usd") / dedicated, "ratio_percent")
    f.add("capex.offset_share_expected", "Expected contract revenue ÷ capex behind the capacity",
          f.fig("cashflow.expected_revenue_usd") / dedicated, "ratio_percent")
    f.add("capex.offset_share_full_term", "Full-term revenue ÷ capex behind the capacity", f.fig("deal.headline_value_usd") / dedicated,
          "ratio_percent")
    f.add("capex.spacex_ai_capex_2025_usd", "SpaceX AI-segment capex, 2025", f.company("spacex_ai_capex_2025_usd"), "usd")
    ai_capex = f.fig("capex.spacex_ai_capex_2025_usd")
    f.add("capex.headline_share_of_ai_capex", "Headline value ÷ SpaceX's 2025 AI-segment capex", f.fig("deal.headline_value_usd") / ai_capex,
          "ratio_percent")
    f.add("capex.annual_revenue_share_of_ai_capex", "A year of payments ÷ SpaceX's 2025 AI-segment capex",
          f.fig("deal.monthly_payment_usd") * f.const("MONTHS_PER_YEAR") / ai_capex, "ratio_percent")
    f.add("capex.dedicated_share_of_ai_capex", "Capex behind the capacity ÷ SpaceX's 2025 AI-segment capex", dedicated / ai_capex,
          "ratio_percent")
    f.add("capex.colossus2_target_gpus", "Planned NVIDIA chips at Colossus 2", f.company("colossus2_target_gpus"), "count_round")
    f.add("capex.share_of_colossus2_target", "The contract's implied GPUs ÷ Colossus 2's planned chips",
          f.result("seller.gpus") / f.fig("capex.colossus2_target_gpus"), "ratio_percent")
    f.add("capex.colossus2_power_mw", "Power of Colossus 2 at go-live (Musk's post)", f.company("colossus2_power_mw"), "mw")
    f.add("capex.share_of_colossus2_power", "The capacity's facility power ÷ Colossus 2's reported power",
          f.fig("capex.it_mw_facility") / f.fig("capex.colossus2_power_mw"), "ratio_percent")
