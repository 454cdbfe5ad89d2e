"""The qualitative claims the chapters make in words are checked here against the numbers, so that a
change of data that overturns a sentence fails the build instead of leaving the sentence wrong."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.core import finance, pricing
from analysis.models.valuation import Credit


@pytest.fixture(scope="module")
def kf(figures):
    return figures


def test_deal_claims(kf):
    # "the committed minimum is only ... of it"; "discounting matters far less than the exit clause"
    assert kf.value("cashflow.discount_share_full_term") < 1 - kf.value("deal.committed_share")


def test_pricing_claims(kf, inputs, results):
    market = results.market
    # "Rental prices of a given generation have been flat as it aged": the panel's slope is within 5% a year of
    # zero and identified; repeat prices "point the same way but do not identify a trend".
    assert abs(kf.value("pricing.annual_price_decline")) < 0.05 and market.hedonic.trend.identified
    assert abs(kf.value("pricing.repeat_price_decline")) < 0.05 and not market.repeat.identified
    # "no single generation's own trend is" identified.
    assert kf.value("pricing.generations_identified") == 0
    # "The base contract price is ... a premium to that median"; "sits above most of the evidence".
    assert kf.value("pricing.premium_at_start") > 0
    ev = market.evidence["usd_per_gpu_hour"]
    assert (ev < kf.value("pricing.contract_price_usd_per_gpu_hour")).sum() > len(ev) / 2
    # "The five-year contracts sit at the bottom": the two lowest pieces of evidence are five-year commitments.
    lowest = market.evidence.sort_values("usd_per_gpu_hour").head(2)
    assert (lowest["term_months"] >= 60).all() and "contract" in set(lowest["kind"])
    # "the low case of the contract price is the cheapest of those contracts".
    assert kf.value("pricing.contract_price_low_is_lowest_comparable") == "yes"
    # Figure alt text: every projected market path (low, base, high decline, with the step) stays below the
    # contract price over the term.
    for case, (decline, path) in results.market.paths_by_decline_case.items():
        assert decline == inputs.assumption("pricing.annual_price_decline", case)
        assert len(path) == kf.value("deal.term_months") and path.max() < kf.value("pricing.contract_price_usd_per_gpu_hour")
    # "Per unit of throughput, Blackwell capacity rents for less than Hopper capacity": every Blackwell generation
    # below H200, and the Blackwell median below H100.
    obs = market.in_fit[market.in_fit["date"].dt.year == market.in_fit["date"].max().year]
    per_pflop = {g: float(pricing.price_per_pflop_hour(obs[obs["gpu"] == g]["usd_per_gpu_hour"].median(),
                                                       inputs.spec(g, "bf16_dense_tflops")))
                 for g in ("H100", "H200", "B200", "GB200", "B300")}
    blackwell = [per_pflop[g] for g in ("B200", "GB200", "B300")]
    assert max(blackwell) < per_pflop["H200"] and float(np.median(blackwell)) < per_pflop["H100"]
    # "SpaceX's own contracts ... imply higher hourly prices than the hyperscaler contracts with neoclouds".
    spacex = [kf.value(f"pricing.comparable.{d}_usd_per_gpu_hour") for d in ("spacex_anthropic", "spacex_google")]
    neocloud = [kf.value(f"pricing.comparable.{d}_usd_per_gpu_hour") for d in ("nebius_microsoft", "nscale_aker_narvik")]
    assert min(spacex) > max(neocloud)
    assert np.isfinite(kf.value("pricing.implied_it_mw"))


def test_the_market_price_entry_equals_the_computed_evidence(inputs, results):
    # The register holds the market price the models use; the pricing chapter's evidence justifies it. If the data
    # move, this test forces the register (and its rationale) to move with them.
    low, median, high = results.market.evidence_range
    entry = inputs.assumptions["pricing.market_price_usd_per_gpu_hour"]
    assert (entry.low, entry.base, entry.high) == pytest.approx((low, median, high), abs=0.005)


def test_assumed_decline_range_spans_the_evidence(kf, inputs):
    # The register's low..high must cover both our own estimates and Epoch's long-run trend.
    low = inputs.assumption("pricing.annual_price_decline", "low")
    high = inputs.assumption("pricing.annual_price_decline", "high")
    for fid in ("pricing.annual_price_decline", "pricing.repeat_price_decline", "pricing.epoch_ml_gpu_decline"):
        assert low <= kf.value(fid) <= high, fid


def test_cashflow_claims(kf, inputs, results):
    headline = kf.value("deal.headline_value_usd")
    committed, full = kf.value("cashflow.npv_committed_minimum_usd"), kf.value("cashflow.npv_full_term_usd")
    # Overview: "the market starts at ..., already below that" break-even; "gives notice at its first opportunity on
    # ... of paths"; the figure title "Most simulated contracts end at the first opportunity".
    assert kf.value("pricing.market_price_usd_per_gpu_hour") < kf.value("cashflow.buyer_breakeven_market_price_usd_per_gpu_hour")
    assert kf.value("cashflow.share_ended_at_first_opportunity") > 0.5
    assert kf.value("cashflow.expected_pv_usd") < 0.5 * headline
    assert kf.value("cashflow.expected_life_months") < kf.value("deal.term_months") / 2
    # "Only a contract that Reflection cannot leave is worth much more".
    assert kf.value("cashflow.expected_pv_credit_only_usd") > 2 * kf.value("cashflow.expected_pv_model_max_usd")
    table = {(r.choice.who, r.choice.process, r.choice.rule, r.choice.credit): r for r in results.valuation.table}
    # "every row is close to the committed minimum and far from the full-term value".
    assert all(r.expected_pv_usd < committed + 0.25 * (full - committed) for r in results.valuation.table)
    # "under mean reversion the optimal rule leaves a little earlier than the myopic one ..., under a random walk later".
    for who in ("mutual", "buyer"):
        for credit in Credit:
            life = {(p, rule): table[(who, p, rule, credit)].expected_life_months for p in ("mean_reverting", "random_walk")
                    for rule in ("myopic", "optimal")}
            assert life[("mean_reverting", "optimal")] < life[("mean_reverting", "myopic")]
            assert life[("random_walk", "optimal")] > life[("random_walk", "myopic")]
    # "it rarely pays SpaceX to leave, and the mutual and Reflection-only rows nearly coincide".
    assert kf.value("cashflow.share_ended_by_seller") < 0.01
    for (who, process, rule, credit), row in table.items():
        if who == "mutual":
            assert row.expected_pv_usd == pytest.approx(table[("buyer", process, rule, credit)].expected_pv_usd, rel=0.05)
    # "Were only SpaceX able to leave, the contract would be worth ..., close to the default-only value".
    assert kf.value("cashflow.expected_pv_seller_only_usd") == pytest.approx(kf.value("cashflow.expected_pv_credit_only_usd"), rel=0.03)
    # "it moves to well over half in the bull scenario".
    assert kf.value("sensitivity.bull_prob_full_term") > 0.5
    # "The exit clause matters more than the discount rate": moving the rate from 0 % to 20 % changes the
    # full-term value less than the gap between full-term and expected value at the base rate.
    cash = results.cash
    ends = [float(np.sum(cash.amounts_usd * finance.dated_discount_factors(r, list(cash.schedule.payment_dates),
                                                                           inputs.term("start_date"))))
            for r in (0.0, 0.20)]
    assert ends[0] - ends[1] < full - kf.value("cashflow.expected_pv_usd")
    # "With every friction set to zero ... the contract is worth its committed minimum".
    assert kf.value("cashflow.expected_pv_frictionless_usd") == pytest.approx(committed)
    # Summary value ladder: "Each bar is shorter than the one above".
    order = ["cashflow.npv_committed_minimum_usd", "cashflow.expected_pv_usd", "cashflow.expected_pv_credit_only_usd",
             "cashflow.npv_full_term_usd", "deal.headline_value_usd"]
    assert [kf.value(k) for k in order] == sorted(kf.value(k) for k in order)


def test_capex_claims(kf, inputs, results):
    # "The GPUs themselves are most of the cost."
    assert kf.value("capex.it_per_gpu_usd") > 0.5 * kf.value("capex.capex_per_gpu_usd")
    # "The contract price covers the cost of the capacity with room to spare" (both prices well above cost).
    tco = kf.value("capex.tco_usd_per_gpu_hour")
    assert kf.value("pricing.contract_price_usd_per_gpu_hour") > 1.3 * tco
    assert kf.value("pricing.market_price_usd_per_gpu_hour") > 1.3 * tco
    # "at the lowest price in our range, Microsoft's Narvik rate, it does not".
    assert kf.value("pricing.contract_price_low_usd_per_gpu_hour") < tco and kf.value("capex.margin_share_low") < 0
    # "Run to term ... pays back first"; the earliest exit pays back later (on re-lease revenue) or never.
    full, early = kf.value("capex.payback_months"), kf.value("capex.payback_months_committed")
    assert 0 < full <= kf.value("deal.term_months") and (early == -1 or early > full)
    # "its NPV at its cost of capital is negative on ... of paths ... once Reflection leaves early, which in this model
    # it mostly does"; overview: the median IRR is "below SpaceX's ... cost of capital".
    assert kf.value("capex.prob_seller_npv_negative") > 0.5 and kf.value("cashflow.share_ended_by_buyer") > 0.5
    assert kf.value("capex.seller_irr_median") < kf.value("capex.cost_of_capital")
    # Path-consistent re-leasing: "The difference is modest" against the median-path shortcut; idle capacity is worse.
    assert abs(kf.value("capex.base_path_prob_seller_npv_negative") - kf.value("capex.prob_seller_npv_negative")) < 0.15
    assert kf.value("capex.idle_prob_seller_npv_negative") >= kf.value("capex.prob_seller_npv_negative")
    assert kf.value("capex.idle_seller_irr_median") < kf.value("capex.seller_irr_median")
    # "Reflection's capacity is a modest slice of Colossus."
    assert kf.value("capex.share_of_colossus2_target") < 0.25 and kf.value("capex.share_of_colossus2_power") < 0.25
    # Dedicated capex is GPUs × capex per GPU.
    seller = results.seller
    assert seller.dedicated_capex_usd == pytest.approx(kf.value("pricing.implied_gpus") * kf.value("capex.capex_per_gpu_usd"))


def test_sensitivity_claims(results, figures):
    sens = results.sensitivity
    one = sens.one_way

    def top(output, n):
        return one[one["output"] == output].sort_values("swing", ascending=False)["id"].head(n).tolist()

    price, market = "pricing.contract_price_usd_per_gpu_hour", "pricing.market_price_usd_per_gpu_hour"
    # Tornado title "Prices set the value": the top two one-way ranges are prices (unit price, market price or
    # its decline); summary: "the contract's undisclosed unit price moves that more than any other input".
    assert top("expected_pv_usd", 1) == [price]
    assert set(top("expected_pv_usd", 2)) <= {price, market, "pricing.annual_price_decline"}
    # "SpaceX's return ... depends above all on [the unit price]"; alt text: "the unit price and the rack price have
    # the longest bars".
    assert top("seller_irr_full_term", 2) == [price, "capex.rack_price_usd"]
    # Overview: "With every continuous input moving at once, the same input explains the largest share".
    sobol = sens.sobol[sens.sobol["output"] == "expected_pv_usd"].sort_values("ST", ascending=False)
    assert sobol["id"].iloc[0] == price
    # "the table ranks the leading inputs reliably": the top index's interval excludes zero.
    assert sobol["ST"].iloc[0] - sobol["ST_conf"].iloc[0] > 0
    # Price chart: "highest at the lowest prices and falls as the price rises, flattening at the committed minimum";
    # "at high prices it leaves at the first opportunity and the value settles at the committed minimum".
    curve = sens.price_curve["expected_pv_usd"].to_numpy()
    assert np.all(np.diff(curve) <= 0)
    assert curve[-1] < 1.05 * figures.value("cashflow.npv_committed_minimum_usd")
    # "at low prices ... the value approaches what default alone allows": the cheapest price reaches most of it.
    assert curve[0] > 0.8 * figures.value("cashflow.expected_pv_credit_only_usd")
    # Scenario ordering in the overview.
    assert figures.value("sensitivity.bear_expected_pv_usd") < figures.value("cashflow.expected_pv_usd") < figures.value(
        "sensitivity.bull_expected_pv_usd")


def test_strategy_claims(kf, inputs):
    # "Reflection is the smallest" of the three disclosed tenants.
    deals = inputs.comparable_deals.set_index("deal_id")
    fees = [deals.loc[d, "monthly_value_usd"] for d in ("spacex_anthropic", "spacex_google")]
    assert inputs.term("monthly_payment_usd") < min(fees)
    # "Reflection's also runs a few months longer than the other two."
    assert inputs.term("end_date").isoformat() > "2029-06-30"
    # "A full year of Reflection's payments ... is close to the ... equity Reflection raised in October 2025".
    assert 0.75 < kf.value("strategy.annual_payments_usd") / kf.value("strategy.reflection_raised_usd") < 1.25
    # "Anthropic's contract dwarfs it."
    assert kf.value("strategy.anthropic_to_reflection_multiple") > 5


def test_credit_claims(kf, results):
    cred = results.credit
    # Figure: "the line for the closed round alone crosses zero within the first year, the line with the round in
    # talks a little over a year later"; "a closed round pushes the first cliff out by about a year".
    assert kf.value("strategy.reflection_runway_months") < 12
    assert 9 <= kf.value("strategy.reflection_runway_with_talks_months") - kf.value("strategy.reflection_runway_months") <= 15
    # "A year of payments is about as much as Reflection has confirmed raising".
    assert 0.75 <= kf.value("strategy.contract_share_of_closed_funding") <= 1.25
    # Survival figure: the closed-round-only curve lies at or below the model's, which lies at or below the other.
    assert np.all(cred.survival_without_talks <= cred.survival + 1e-12)
    assert np.all(cred.survival <= cred.survival_with_talks + 1e-12)
    # "That hazard, not the price, is what most separates the headline from what the contract is worth".
    full = kf.value("cashflow.npv_full_term_usd")
    assert full - kf.value("cashflow.expected_pv_credit_only_usd") > 0.2 * full


def test_strategy_section_claims(kf):
    # "Renting an hour to Reflection ... earns ... more than the hour is worth to xAI"; figure: the contract price
    # exceeds all but the highest market price, and xAI's own spend and SpaceX's cost.
    price = kf.value("pricing.contract_price_usd_per_gpu_hour")
    assert kf.value("strategy.rent_premium_usd_per_gpu_hour") > 0
    assert price < kf.value("pricing.market_price_high_usd_per_gpu_hour")
    for fid in ("strategy.xai_shadow_value_usd_per_gpu_hour", "strategy.xai_spend_per_gb300_hour_usd",
                "pricing.market_price_low_usd_per_gpu_hour", "capex.tco_usd_per_gpu_hour"):
        assert price > kf.value(fid), fid
    # "the committed cash as a whole covers only ... of it"; "had the contract run to term ..." more than fully.
    assert kf.value("strategy.dscr_committed") < 1 < kf.value("strategy.dscr_full_term")
    assert kf.value("strategy.committed_period_dscr") > 1
    # NPV falls as the rate rises: debt rate < weighted cost < equity hurdle.
    assert kf.value("strategy.seller_npv_at_debt_rate_usd") > kf.value("capex.seller_npv_full_term_usd") > kf.value(
        "strategy.seller_npv_at_equity_hurdle_usd")
    # "Reflection is the smallest of them".
    assert kf.value("strategy.annual_payments_usd") < min(kf.value("strategy.anthropic_annual_usd"), kf.value("strategy.google_annual_usd"))
