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

    hedonic, repeat = m.hedonic.trend, m.repeat
    f.add("pricing.annual_price_decline", "Annual change in a generation's rental price as it ages, hedonic panel (negative = rising)",
          f.result("market.hedonic.trend.annual_decline"), "decline_words",
          f"trends.hedonic_trend over {hedonic.n_obs} in-fit prices of {hedonic.n_groups} generations")
    f.add("pricing.annual_price_decline_identified", "Whether the rental data identify the hedonic panel's trend",
          f.result("market.hedonic.trend.identification"), "text", f"trends.hedonic_trend: {hedonic.reason}")
    if hedonic.identified:
        for end, index in (("low", 0), ("high", 1)):
            f.add(f"pricing.annual_price_decline_ci_{end}",
                  f"Hedonic panel's annual change, {'lower' if end == 'low' else 'upper'} end of its {hedonic.confidence:.0%} interval",
                  f.result(f"market.hedonic.trend.decline_interval.{index}"), "decline_words", "trends.TrendFit.decline_interval")
    f.add("pricing.repeat_price_decline", "Annual change within like-for-like price series (negative = rising)",
          f.result("market.repeat.annual_decline"), "decline_words",
          f"trends.repeat_price_trend over {repeat.n_obs} prices in {repeat.n_groups} series")
    f.add("pricing.repeat_price_identified", "Whether the repeat prices identify a trend", f.result("market.repeat.identification"), "text",
          f"trends.repeat_price_trend: {repeat.reason}")
    if repeat.identified:
        for end, index in (("low", 0), ("high", 1)):
            f.add(f"pricing.repeat_price_decline_ci_{end}",
                  f"Repeat-price annual change, {'lower' if end == 'low' else 'upper'} end of its interval",
                  f.result(f"market.repeat.decline_interval.{index}"), "decline_words", "trends.TrendFit.decline_interval")
    f.add("pricing.repeat_n_series", "Like-for-like series observed at two or more dates", f.result("market.repeat.n_groups"), "count",
          "trends.repeat_price_trend: series_id in data/gpu_prices.csv")
    f.add("pricing.fit_confidence", "Confidence level of the trend intervals", f.method("trend_confidence"), "ratio_percent_whole")
    f.add("pricing.fit_n_obs", "Price observations in the hedonic panel", f.result("market.hedonic.trend.n_obs"), "count",
          "rows of data/gpu_prices.csv with in_fit = yes (transactions excluded)")
    f.add("pricing.n_obs", "Price observations collected", f.result("market.n_observations"), "count", "rows of data/gpu_prices.csv")
    f.add("pricing.obs_first_month", "Earliest price observation in the panel", f.result("market.first_observation"), "month")
    f.add("pricing.obs_last_month", "Latest price observation in the panel", f.result("market.last_observation"), "month")
    f.add("pricing.identification_max_width", "Widest interval (in annual change) a trend may have and still count as identified",
          f.method("trend_max_width"), "ratio_percent_whole")
    f.add("pricing.generations_identified", "Generations whose own price trend the data identify",
          f.result("market.generations_identified"), "count", "trends.trend_by_generation")
    f.add("pricing.epoch_ml_gpu_decline", "Annual fall in price per FLOP implied by Epoch's ML-GPU trend",
          f.result("market.epoch_ml_gpu_decline"), "decline_words",
          "pricing.annual_decline_from_doubling of the epoch_ml_gpus doubling time in data/published_trends.csv")

    f.add("pricing.evidence_count", "Pieces of evidence on what GB300 capacity costs on a committed term", f.result("market.evidence_count"),
          "count", "models.market.market_evidence")
    market = "pricing.market_price_usd_per_gpu_hour"
    for suffix, case, words in (("_low", "low", "lowest"), ("", "base", "median"), ("_high", "high", "highest")):
        f.add(f"pricing.market_price{suffix}_usd_per_gpu_hour", f"Market price of GB300 capacity at the start ({words} of the evidence)",
              f.register(market, case), "usd_per_gpu_hour", f"the {words} of models.market.market_evidence (a test holds them equal)")
    f.add("pricing.gb300_b300_perf_ratio", "GB300 ÷ B300 dense BF16 throughput",
          f.spec("GB300", "bf16_dense_tflops") / f.spec("B300", "bf16_dense_tflops"), "multiple_2")
    f.add("pricing.gb300_h100_perf_ratio", "GB300 ÷ H100 dense BF16 throughput",
          f.spec("GB300", "bf16_dense_tflops") / f.spec("H100", "bf16_dense_tflops"), "multiple_2")
    f.add("pricing.premium_at_start", "Contract price against the market price at the start", f.result("market.premium_at_start"),
          "premium_words", "pricing.contract_premium(pricing.contract_price_usd_per_gpu_hour, pricing.market_price_usd_per_gpu_hour)")
    f.add("pricing.premium_vs_contracts_low", "The base contract price against the GB300 contracts that disclose a price: smallest premium",
          f.result("market.premium_vs_contracts_low"), "premium_words", "models.market.market_evidence, contracts only")
    f.add("pricing.premium_vs_contracts_high", "The base contract price against the GB300 contracts that disclose a price: largest premium",
          f.result("market.premium_vs_contracts_high"), "premium_words", "models.market.market_evidence, contracts only")
    f.add("pricing.contracts_with_price", "GB300 contracts that disclose value, term and GPU count", f.result("market.contracts_with_price"),
          "count", "models.market.market_evidence, contracts only")
    f.add("pricing.contract_price_low_is_lowest_comparable", "The contract-price range reaches down to the lowest GB300 contract price",
          f.result("market.contract_low_is_lowest_comparable"), "text",
          "pricing.contract_price_low_usd_per_gpu_hour within a cent of the cheapest GB300 contract")
    f.add("pricing.assumed_annual_decline", "Assumed annual fall in the median market price between generations (base case)",
          f.register("pricing.annual_price_decline"), "decline_words")
    f.add("pricing.rubin_step_share", "Fall in the market price of GB300 capacity when Rubin-class capacity arrives (base case)",
          f.register("pricing.rubin_step_share"), "ratio_percent_whole")
    for case in ("low", "high"):
        f.add(f"pricing.rubin_step_share_{case}", f"Fall in the market price when Rubin-class capacity arrives ({case} case)",
              f.register("pricing.rubin_step_share", case), "ratio_percent_whole")
    f.add("pricing.rubin_step_month", "Month from which Rubin-class capacity is assumed broadly rentable (base case)",
          f.result("market.rubin_step_date"), "month", "contract.last_payment_date(deal.start_date, pricing.rubin_month)")
    f.add("pricing.market_price_end_usd_per_gpu_hour", "Median market price of GB300 capacity in the last month (base case)",
          f.result("market.end_price_usd_per_gpu_hour"), "usd_per_gpu_hour",
          "models.market.market_path: decline and Rubin step from the market price at the start")
    f.add("pricing.premium_at_end", "Contract price against the median market price in the last month", f.result("market.premium_at_end"),
          "premium_words", "pricing.contract_premium at the last month")
    bases = dict(zip(m.comparables["deal_id"], m.comparables["basis"], strict=True))
    buyers = {row.deal_id: f"{row.buyer}–{row.seller}" for row in m.comparables.itertuples(index=False)}
    for deal_id in m.comparable_prices:
        f.add(f"pricing.comparable.{deal_id}_usd_per_gpu_hour", f"Implied price per GPU-hour: {buyers[deal_id]}",
              f.result(f"market.comparable_prices.{deal_id}"), "usd_per_gpu_hour", f"pricing.comparable_implied_prices: {bases[deal_id]}")
