"""Key figures of 'Compute pricing': what the payment buys, the price trends and whether the data identify them, the
GB300 price evidence and range, the next generation's step, and where the contract price sits."""

from __future__ import annotations

from .base import Chapter


def define(f: Chapter) -> None:
    """Define the pricing chapter's figures."""
    r = f.results
    m = r.market
    price = "pricing.contract_price_usd_per_gpu_hour"
    f.add(price, "Assumed contract price per GB300 GPU-hour (base case)", f.register(price), "usd_per_gpu_hour")
    f.add("pricing.contract_price_low_usd_per_gpu_hour", "Assumed contract price (low case)", f.register(price, "low"), "usd_per_gpu_hour")
    f.add("pricing.contract_price_high_usd_per_gpu_hour", "Assumed contract price (high case)", f.register(price, "high"), "usd_per_gpu_hour")
    implied = "pricing.implied_gpus(deal.monthly_payment_usd, pricing.contract_price_{}usd_per_gpu_hour, pricing.billed_utilization)"
    f.add("pricing.implied_gpus", "GB300 GPUs the payment reserves at the base price", f.result("market.capacity.gpus.base"),
          "count_round", implied.format(""))
    f.add("pricing.implied_gpus_max", "GB300 GPUs the payment reserves at the low price", f.result("market.capacity.gpus.low"),
          "count_round", implied.format("low_"))
    f.add("pricing.implied_gpus_min", "GB300 GPUs the payment reserves at the high price", f.result("market.capacity.gpus.high"),
          "count_round", implied.format("high_"))
    f.add("pricing.implied_racks", "GB300 NVL72 racks at the base price", f.result("market.capacity.racks"), "count_round",
          "pricing.implied_racks(pricing.implied_gpus, GPUs per GB300 NVL72 rack)")
    f.add("pricing.implied_it_mw", "Megawatts of IT load at the base price", f.result("market.capacity.it_mw"), "mw",
          "pricing.implied_it_mw(pricing.implied_gpus, GPUs per rack, pricing.rack_power_kw)")
    f.add("pricing.billed_utilization", "Share of reserved GPU-hours billed (base case)", f.register("pricing.billed_utilization"),
          "ratio_percent_whole")
    f.add("pricing.rack_power_kw", "IT power per GB300 NVL72 rack (base case)", f.register("pricing.rack_power_kw"), "kw")

    profile, step, everyone, repeat = m.fits.profile.trend, m.fits.profile.step, m.fits.profile_all.trend, m.fits.repeat
    gens = ", ".join(f.results.methods.profile_generations)
    f.add("pricing.annual_price_decline", f"Annual change in a generation's rental price as it ages, {gens} (negative = rising)",
          f.result("market.fits.profile.trend.annual_decline"), "decline_words",
          f"age.age_profile over {profile.n_obs} in-fit prices of {profile.n_groups} generations")
    f.add("pricing.annual_price_decline_identified", "Whether the rental data identify that trend",
          f.result("market.fits.profile.trend.identification"), "text", f"age.age_profile: {profile.reason}")
    for end, index in (("low", 0), ("high", 1)):
        f.add(f"pricing.annual_price_decline_ci_{end}",
              f"That annual change, {'rising' if end == 'low' else 'falling'} end of its {profile.confidence:.0%} interval",
              f.result(f"market.fits.profile.trend.decline_interval.{index}"), "decline_words", "trends.TrendFit.decline_interval")
    f.add("pricing.annual_price_decline_all", "Annual change in a generation's rental price as it ages, every generation",
          f.result("market.fits.profile_all.trend.annual_decline"), "decline_words",
          f"age.age_profile over {everyone.n_obs} in-fit prices of {everyone.n_groups} generations")
    f.add("pricing.annual_price_decline_all_identified", "Whether the rental data identify the every-generation trend",
          f.result("market.fits.profile_all.trend.identification"), "text", f"age.age_profile: {everyone.reason}")
    f.add("pricing.successor_step", f"Fall in a generation's rental price once the next architecture is available, {gens}",
          f.result("market.fits.profile.step.share"), "step_words",
          f"age.age_profile: {step.n_before} prices before and {step.n_after} after a successor's arrival")
    f.add("pricing.successor_step_identified", "Whether the rental data identify that step", f.result("market.fits.profile.step.identification"),
          "text", f"age.age_profile: {step.reason}")
    for end, index in (("low", 0), ("high", 1)):
        f.add(f"pricing.successor_step_ci_{end}", f"That step, {'lower' if end == 'low' else 'upper'} end of its interval",
              f.result(f"market.fits.profile.step.interval.{index}"), "step_words", "age.StepFit.interval")
    f.add("pricing.repeat_price_decline", "Annual change within like-for-like price series (negative = rising)",
          f.result("market.fits.repeat.annual_decline"), "decline_words",
          f"trends.repeat_price_trend over {repeat.n_obs} prices in {repeat.n_groups} series")
    f.add("pricing.repeat_price_identified", "Whether the repeat prices identify a trend", f.result("market.fits.repeat.identification"), "text",
          f"trends.repeat_price_trend: {repeat.reason}")
    f.add("pricing.repeat_n_series", "Like-for-like series observed at two or more dates", f.result("market.fits.repeat.n_groups"), "count",
          "trends.repeat_price_trend: series_id in data/gpu_prices.csv")
    f.add("pricing.fit_confidence", "Confidence level of the trend intervals", f.method("trend_confidence"), "ratio_percent_whole")
    f.add("pricing.fit_n_obs", "Prices the price-by-age profile is fitted on", f.result("market.fits.profile.trend.n_obs"), "count",
          f"rows of data/gpu_prices.csv with in_fit = yes for {gens} (transactions excluded)")
    f.add("pricing.n_obs", "Price observations collected", f.result("market.n_observations"), "count", "rows of data/gpu_prices.csv")
    f.add("pricing.obs_first_month", "Earliest price observation in the fits", f.result("market.first_observation"), "month")
    f.add("pricing.obs_last_month", "Latest price observation in the fits", f.result("market.last_observation"), "month")
    f.add("pricing.identification_max_width", "Widest interval (in annual change) a trend may have and still count as identified",
          f.method("trend_max_width"), "ratio_percent_whole")
    f.add("pricing.generations_identified", "Generations whose own price trend the data identify",
          f.result("market.generations_identified"), "count", "trends.trend_by_generation")
    f.add("pricing.epoch_ml_gpu_decline", "Annual fall in price per FLOP implied by Epoch's ML-GPU trend",
          f.result("market.epoch_ml_gpu_decline"), "decline_words",
          "pricing.annual_decline_from_doubling of the epoch_ml_gpus doubling time in data/published_trends.csv")

    f.add("pricing.index_count", "Index readings that set the level of flexible GB300 capacity", f.result("market.index_count"), "count",
          "evidence.index_levels: market-wide indices, each series' reading nearest the start")
    f.add("pricing.rack_pairs", "Pairs of quotes measuring the rack-scale premium", f.result("market.rack_pairs"), "count",
          "data/price_pairs.csv, comparison rack_scale")
    f.add("pricing.rack_premium_per_pflop", "Rack-scale NVL72 premium per PFLOP over an 8-GPU board (median of the pairs)",
          f.result("market.rack_premium"), "premium_words", "evidence.rack_premium_per_pflop, less one")
    market = "pricing.market_price_usd_per_gpu_hour"
    for suffix, case, words in (("_low", "low", "lowest"), ("", "base", "median"), ("_high", "high", "highest")):
        f.add(f"pricing.market_price{suffix}_usd_per_gpu_hour", f"Flexible GB300 NVL72 capacity at the start ({words} index reading)",
              f.register(market, case), "usd_per_gpu_hour", f"the {words} of evidence.index_levels (a test holds them equal)")
    f.add("pricing.market_price_usd_per_pflop_hour", "Flexible GB300 NVL72 capacity at the start, per PFLOP-hour (base case)",
          f.fig("pricing.market_price_usd_per_gpu_hour") / f.spec("GB300", "bf16_dense_tflops") * f.const("TFLOPS_PER_PFLOPS"),
          "usd_per_pflop_hour")
    f.add("pricing.longest_term_share", "The longest-term reservation in the pairs of quotes, as a share of the same provider's on-demand price",
          f.result("market.longest_term_share"), "ratio_percent_whole", "models.market.term_rows, pairs of quotes")
    for end, index in (("low", 0), ("high", 1)):
        f.add(f"pricing.committed_share_{end}", f"GB300 contracts' implied price as a share of the flexible level ({'lowest' if end == 'low' else 'highest'})",
              f.result(f"market.committed_share.{index}"), "ratio_percent_whole", "models.market.term_rows")
    f.add("pricing.gb300_b300_perf_ratio", "GB300 ÷ B300 dense BF16 throughput",
          f.spec("GB300", "bf16_dense_tflops") / f.spec("B300", "bf16_dense_tflops"), "multiple_2")
    f.add("pricing.gb300_h100_perf_ratio", "GB300 ÷ H100 dense BF16 throughput",
          f.spec("GB300", "bf16_dense_tflops") / f.spec("H100", "bf16_dense_tflops"), "multiple_2")
    f.add("pricing.premium_at_start", "Contract price against flexible GB300 capacity at the start", f.result("market.premium_at_start"),
          "premium_words", "pricing.contract_premium(pricing.contract_price_usd_per_gpu_hour, pricing.market_price_usd_per_gpu_hour)")
    f.add("pricing.premium_vs_contracts_low", "The base contract price against the GB300 contracts that disclose a price: smallest premium",
          f.result("market.premium_vs_contracts_low"), "premium_words", "evidence.comparable_contracts, GB300 contracts with a price")
    f.add("pricing.premium_vs_contracts_high", "The base contract price against the GB300 contracts that disclose a price: largest premium",
          f.result("market.premium_vs_contracts_high"), "premium_words", "evidence.comparable_contracts, GB300 contracts with a price")
    f.add("pricing.contracts_with_price", "GB300 contracts that disclose value, term and GPU count", f.result("market.contracts_with_price"),
          "count", "evidence.comparable_contracts, GB300 contracts with a price")
    f.add("pricing.contract_price_low_is_lowest_comparable", "The contract-price range reaches down to the lowest GB300 contract price",
          f.result("market.contract_low_is_lowest_comparable"), "text",
          "pricing.contract_price_low_usd_per_gpu_hour within a cent of the cheapest GB300 contract")
    for case in ("low", "base", "high"):
        suffix = "" if case == "base" else f"_{case}"
        f.add(f"pricing.assumed_annual_decline{suffix}", f"Annual change in the median market price the model uses ({case} case)",
              f.register("pricing.annual_price_decline", case), "decline_words",
              "from the price-by-age profile: no change unless it is identified; its interval as the range (a test holds them equal)")
        f.add(f"pricing.rubin_step_share{suffix}", f"Fall in the market price when Rubin-class capacity arrives ({case} case)",
              f.register("pricing.rubin_step_share", case), "step_words",
              "from the profile's successor step: none unless it is identified; its interval as the range (a test holds them equal)")
    f.add("pricing.rubin_step_month", "Month from which Rubin-class capacity is assumed broadly rentable (base case)",
          f.result("market.rubin_step_date"), "month", "contract.last_payment_date(deal.start_date, pricing.rubin_month)")
    f.add("pricing.market_price_end_usd_per_gpu_hour", "Median market price of GB300 capacity in the last month (base case)",
          f.result("market.end_price_usd_per_gpu_hour"), "usd_per_gpu_hour",
          "models.market.market_path: the base decline and step from the flexible level at the start")
    f.add("pricing.premium_at_end", "Contract price against the median market price in the last month", f.result("market.premium_at_end"),
          "premium_words", "pricing.contract_premium at the last month")
    bases = dict(zip(m.comparables["deal_id"], m.comparables["basis"], strict=True))
    buyers = {row.deal_id: f"{row.buyer}–{row.seller}" for row in m.comparables.itertuples(index=False)}
    for deal_id in m.comparable_prices:
        f.add(f"pricing.comparable.{deal_id}_usd_per_gpu_hour", f"Implied price per GPU-hour: {buyers[deal_id]}",
              f.result(f"market.comparable_prices.{deal_id}"), "usd_per_gpu_hour", f"pricing.comparable_implied_prices: {bases[deal_id]}")
    for deal_id in m.ramp_prices:
        f.add(f"pricing.comparable_ramp.{deal_id}_usd_per_gpu_hour", f"Implied price per GPU-hour with the delivery ramp: {buyers[deal_id]}",
              f.result(f"market.ramp_prices.{deal_id}"), "usd_per_gpu_hour", "levels.ramp_adjusted_usd_per_gpu_hour")
    for deal_id in m.tenant_gb300_equivalent:
        f.add(f"pricing.tenant.{deal_id}_gb300_usd_per_gpu_hour",
              f"{buyers[deal_id]}: price per PFLOP-hour of its fleet, as a GB300 GPU-hour",
              f.result(f"market.tenant_gb300_equivalent.{deal_id}"), "usd_per_gpu_hour", "evidence.tenant_fleets")
    f.add("pricing.anthropic_colossus2_gpus", "Anthropic's GB200 GPUs at Colossus 2 (its contract's GPUs less those at Colossus 1)",
          f.result("market.anthropic_colossus2_gpus"), "count_round", "evidence.capacity_rows (derived)")
    f.add("pricing.pue", "Power usage effectiveness of the facility (base case)", f.register("capex.pue"), "multiple_2")
    f.add("pricing.implied_facility_mw", "Facility power of the capacity the payment reserves at the base price (IT × PUE)",
          f.fig("pricing.implied_it_mw") * f.register("capex.pue"), "mw")
    f.add("pricing.colossus2_tenants_facility_mw", "Facility power of Anthropic's Colossus 2 GPUs and Reflection's capacity (base price)",
          f.result("market.colossus2_tenants_facility_mw"), "mw", "evidence.capacity_rows: GPUs × rack power ÷ 72 × PUE")
    f.add("pricing.google_facility_mw", "Facility power of Google's GPUs if they are GB-class NVL72 racks",
          f.result("market.google_facility_mw"), "mw", "evidence.capacity_rows: GPUs × rack power ÷ 72 × PUE")
    f.add("pricing.google_gpus", "GPUs in SpaceX's Google contract", f.result("market.gpu_counts.spacex_google"), "count_round")
    f.add("pricing.colossus2_target_gpus", "Planned NVIDIA chips at Colossus 2", f.company("colossus2_target_gpus"), "count_round")
    f.add("pricing.colossus2_cooling_mw", "Cooling capacity observed at Colossus 2 (January 2026)", f.company("colossus2_cooling_mw_2026_01"), "mw")
    f.add("pricing.colossus2_claimed_mw", "Power of Colossus 2 claimed at go-live", f.company("colossus2_power_mw"), "mw")
