"""The qualitative claims the chapters make in words are checked here against the numbers, so that a
change of data that overturns a sentence fails the build instead of leaving the sentence wrong."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.core import finance, pricing


@pytest.fixture(scope="module")
def kf(figures):
    return figures


def test_deal_claims(kf):
    # "the committed minimum is only ... of it"; "discounting matters far less than the exit clause"
    assert kf.value("cashflow.discount_share_full_term") < 1 - kf.value("deal.committed_share")


def test_pricing_claims(kf, inputs, results):
    model = results.market
    # "Rental prices have not fallen over the period we could observe" (central estimate).
    assert kf.value("pricing.annual_price_decline") < 0
    # "the base contract price starts ... against the market": close to market, at a discount.
    assert -0.25 < kf.value("pricing.premium_at_start") < 0
    # Base path "crosses below the contract price within the first year"; low case "never does".
    assert 0 <= kf.value("pricing.crossover_month") < 12
    low = inputs.assumption("pricing.annual_price_decline", "low")
    path = pricing.market_price_path(kf.value("pricing.market_price_usd_per_gpu_hour"), low, kf.value("deal.term_months"))
    assert int(pricing.crossover_month(kf.value("pricing.contract_price_usd_per_gpu_hour"), path)) == pricing.NEVER
    # "B200 and B300 capacity rents for less than H100 and H200 capacity" per unit of throughput.
    obs = model.observations[model.observations["date"].dt.year == model.observations["date"].max().year]
    per_pflop = {g: float(pricing.price_per_pflop_hour(obs[obs["gpu"] == g]["usd_per_gpu_hour"].median(),
                                                       inputs.spec(g, "bf16_dense_tflops"))) for g in ("H100", "H200", "B200", "B300")}
    assert max(per_pflop["B200"], per_pflop["B300"]) < min(per_pflop["H100"], per_pflop["H200"])
    # "SpaceX's own contracts ... imply higher hourly prices than the hyperscaler contracts with neoclouds".
    spacex = [kf.value(f"pricing.comparable.{d}_usd_per_gpu_hour") for d in ("spacex_anthropic", "spacex_google")]
    neocloud = [kf.value(f"pricing.comparable.{d}_usd_per_gpu_hour") for d in ("nebius_microsoft", "nscale_aker_narvik")]
    assert min(spacex) > max(neocloud)
    # The base assumption lies between the Nebius-Microsoft price (low case) and the high case.
    assert kf.value("pricing.contract_price_low_usd_per_gpu_hour") == pytest.approx(
        kf.value("pricing.comparable.nebius_microsoft_usd_per_gpu_hour"), abs=0.05)
    assert np.isfinite(kf.value("pricing.implied_it_mw"))


def test_assumed_decline_range_spans_the_evidence(kf, inputs):
    # The register's low..high must cover both the fitted central decline and Epoch's long-run trend.
    low = inputs.assumption("pricing.annual_price_decline", "low")
    high = inputs.assumption("pricing.annual_price_decline", "high")
    assert low <= kf.value("pricing.annual_price_decline") <= high
    assert low <= kf.value("pricing.epoch_ml_gpu_decline") <= high


def test_cashflow_claims(kf, inputs, results):
    headline = kf.value("deal.headline_value_usd")
    # "worth far less than the headline"; "Most simulated contracts end long before their term".
    assert kf.value("cashflow.expected_pv_usd") < 0.5 * headline
    assert kf.value("cashflow.prob_full_term") < 0.5
    assert kf.value("cashflow.expected_life_months") < kf.value("deal.term_months") / 2
    # "Reflection gives notice on ... of paths ...; SpaceX on ...": both sides do, materially.
    assert kf.value("cashflow.share_ended_by_buyer") > 0.1 and kf.value("cashflow.share_ended_by_seller") > 0.1
    # "The exit clause matters more than the discount rate": moving the rate from 0 % to 20 % changes the
    # full-term value less than the gap between full-term and expected value at the base rate.
    cash = results.cash
    ends = [float(np.sum(cash.amounts_usd * finance.dated_discount_factors(r, list(cash.schedule.payment_dates),
                                                                           inputs.term("start_date"))))
            for r in (0.0, 0.20)]
    assert ends[0] - ends[1] < kf.value("cashflow.npv_full_term_usd") - kf.value("cashflow.expected_pv_hazard_usd")
    # "Without frictions the contract is worth its notice period and little more."
    assert kf.value("cashflow.expected_pv_frictionless_usd") == pytest.approx(kf.value("cashflow.npv_committed_minimum_usd"))
    # Ordering the chapter's side-by-side table relies on.
    order = ["cashflow.npv_committed_minimum_usd", "cashflow.expected_pv_usd", "cashflow.expected_pv_hazard_usd",
             "cashflow.npv_full_term_usd", "deal.headline_value_usd"]
    assert [kf.value(k) for k in order] == sorted(kf.value(k) for k in order)


def test_capex_claims(kf, inputs, results):
    # "The GPUs themselves are most of the cost."
    assert kf.value("capex.it_per_gpu_usd") > 0.5 * kf.value("capex.capex_per_gpu_usd")
    # "The contract price covers the cost of the capacity with room to spare" (both prices well above cost).
    tco = kf.value("capex.tco_usd_per_gpu_hour")
    assert kf.value("pricing.contract_price_usd_per_gpu_hour") > 1.3 * tco
    assert kf.value("pricing.market_price_usd_per_gpu_hour") > 1.3 * tco
    # "At every unit price in our range ... with a wide margin": the low price still clears cost by 20 %+.
    assert kf.value("pricing.contract_price_low_usd_per_gpu_hour") > 1.2 * tco
    # "Run to term ... pays back first"; the earliest exit pays back later (on re-lease revenue) or never.
    full, early = kf.value("capex.payback_months"), kf.value("capex.payback_months_committed")
    assert 0 < full <= kf.value("deal.term_months") and (early == -1 or early > full)
    # "its NPV is negative on ... of paths, because the capacity keeps earning": a minority of paths.
    assert kf.value("capex.prob_seller_npv_negative") < 0.5
    # "Reflection's capacity is a modest slice of Colossus."
    assert kf.value("capex.share_of_colossus2_target") < 0.25 and kf.value("capex.share_of_colossus2_power") < 0.25
    # Dedicated capex is GPUs × capex per GPU (the issue's own check).
    seller = results.seller
    assert seller.dedicated_capex_usd == pytest.approx(kf.value("pricing.implied_gpus") * kf.value("capex.capex_per_gpu_usd"))


def test_sensitivity_claims(results, figures):
    sens = results.sensitivity
    one = sens.one_way

    def top(output, n):
        return one[one["output"] == output].sort_values("swing", ascending=False)["id"].head(n).tolist()

    # "swings most with [volatility] ... and the switching costs on each side come next".
    assert top("expected_pv_usd", 3) == ["termination.market_volatility_annual", "termination.seller_switching_cost",
                                         "termination.buyer_switching_cost"] or set(top("expected_pv_usd", 3)) == {
        "termination.market_volatility_annual", "termination.seller_switching_cost", "termination.buyer_switching_cost"}
    # "SpaceX's return ... depends above all on [the unit price]"; "the unit price and the rack price have the longest bars".
    assert top("seller_irr_full_term", 2) == ["pricing.contract_price_usd_per_gpu_hour", "capex.rack_price_usd"]
    # Scenario ordering in the overview.
    assert figures.value("sensitivity.bear_expected_pv_usd") < figures.value("cashflow.expected_pv_usd") < figures.value(
        "sensitivity.bull_expected_pv_usd")
    # Global view agrees with the one-way ranking on the top driver of expected value.
    assert sens.importance["expected_pv_usd"].idxmax() == "termination.market_volatility_annual"


def test_strategy_claims(kf, inputs):
    # "Reflection is the smallest" of the three disclosed tenants.
    deals = inputs.comparable_deals.set_index("deal_id")
    fees = [deals.loc[d, "monthly_value_usd"] for d in ("spacex_anthropic", "spacex_google")]
    assert inputs.term("monthly_payment_usd") < min(fees)
    # "Reflection's also runs a few months longer than the other two."
    assert inputs.term("end_date").isoformat() > "2029-06-30"
    # "A full year of Reflection's payments ... is close to the ... equity Reflection raised in October 2025".
    assert 0.75 < kf.value("strategy.annual_payments_usd") / kf.value("strategy.reflection_raised_usd") < 1.25
    # The hazard model's base life lies between the months the raised equity covers with and without the talks.
    assert kf.value("strategy.months_covered_by_raised") <= kf.value("cashflow.hazard_expected_life_months") <= kf.value(
        "strategy.months_covered_with_talks")
    # "Anthropic's contract dwarfs it."
    assert kf.value("strategy.anthropic_to_reflection_multiple") > 5
