"""The qualitative claims the chapters make in words are checked here against the numbers, so that a
change of data that overturns a sentence fails the build instead of leaving the sentence wrong."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.core import finance
from analysis.formatting import in_sentence
from analysis.present import book, prose

from .conftest import REPO


@pytest.fixture(scope="module")
def kf(figures):
    return figures


def test_deal_claims(kf):
    # "the committed minimum is only ... of it"; "discounting matters far less than the exit clause"
    assert kf.value("cashflow.discount_share_full_term") < 1 - kf.value("deal.committed_share")


def test_pricing_claims(kf, inputs, results):
    market = results.market
    fits = market.fits
    # "… but no trend identified"; "nor do the data identify a step": both intervals include no change.
    assert kf.value("pricing.annual_price_decline_identified") == "no trend identified" and not fits.profile.trend.identified
    lo, hi = fits.profile.trend.decline_interval
    assert lo < 0 < hi
    assert kf.value("pricing.successor_step_identified") == "not identified"
    slo, shi = fits.profile.step.interval
    assert slo < 0 < shi
    # "again no trend identified" for every generation; "No single generation's own trend is identified".
    assert not fits.profile_all.trend.identified and kf.value("pricing.generations_identified") == 0
    # Repeat prices: "{repeat decline} ... : no trend identified".
    assert not fits.repeat.identified
    # "The base contract price is [a discount] to that level"; the index figure: "Market-wide indices put flexible
    # GB300 capacity above the contract's assumed price" (every reading that sets the level is above it).
    price = kf.value("pricing.contract_price_usd_per_gpu_hour")
    assert kf.value("pricing.premium_at_start") < 0
    setting = market.index_readings[market.index_readings["sets_level"] == "yes"]["gb300_usd_per_gpu_hour"]
    assert (setting > price).all()
    # "Indices built from hyperscaler list prices run higher": every hyperscaler-based reading above the median.
    hyper = market.index_readings[market.index_readings["provider_tier"] == "hyperscaler"]["gb300_usd_per_gpu_hour"]
    assert (hyper > kf.value("pricing.market_price_usd_per_gpu_hour")).all()
    # "after the throughput difference, which explains most of the premium per GPU-hour": for every pair with a
    # premium per GPU-hour, the premium per PFLOP is less than half of it.
    rack = market.pairs[(market.pairs["comparison"] == "rack_scale") & (market.pairs["ratio_per_gpu_hour"] > 1)]
    assert ((rack["ratio_per_pflop"] - 1) < 0.5 * (rack["ratio_per_gpu_hour"] - 1)).all()
    # "five-year take-or-pay deals, priced at ... of the flexible level": below it; "though above the five-year
    # contracts hyperscalers sign" (summary): the base price is above every GB300 contract's.
    assert kf.value("pricing.committed_share_high") < 1 and kf.value("pricing.premium_vs_contracts_low") > 0
    # "AWS's published three-year reservation ... cost [under half] of its on-demand price".
    assert kf.value("pricing.longest_term_share") < 0.5
    # "The low case of the contract price is the price Microsoft's five-year GB300 contract at Narvik implies": the cheapest.
    assert kf.value("pricing.contract_price_low_is_lowest_comparable") == "yes"
    # Path figure: the low case rises, the base is flat, the high case ends lowest.
    paths = {case: path for case, (_, _, path) in market.paths_by_case.items()}
    assert paths["low"][-1] > paths["base"][-1] > paths["high"][-1] and np.ptp(paths["base"]) == 0
    # "The market starts above the contract's assumed price".
    assert paths["base"][0] > price
    # "Per unit of throughput the generations' prices spread far less than per GPU-hour" (observed medians only).
    perf = market.performance[~market.performance["label"].str.startswith("GB300")]
    per_gpu, per_pflop = perf["usd_per_gpu_hour"], perf["usd_per_pflop_hour"]
    assert per_pflop.max() / per_pflop.min() < 0.5 * per_gpu.max() / per_gpu.min()
    # "Anthropic's whole contract comes to …, above the flexible level".
    assert kf.value("pricing.tenant.spacex_anthropic_gb300_usd_per_gpu_hour") > kf.value("pricing.market_price_usd_per_gpu_hour")
    assert np.isfinite(kf.value("pricing.implied_it_mw"))
    # "the record's one GB300 price is a blend of hyperscaler quotes".
    gb300 = market.observations[market.observations["gpu"] == "GB300"]
    assert len(gb300) == 1 and gb300["provider_tier"].iloc[0] == "hyperscaler" and gb300["price_kind"].iloc[0] == "index"
    # Colossus 2: the two tenants' facility power is within the cooling observed in January 2026 and far below Musk's
    # claim; with Google's GPUs too, "more than that cooling could serve".
    tenants, cooling = kf.value("pricing.colossus2_tenants_facility_mw"), kf.value("pricing.colossus2_cooling_mw")
    assert tenants < cooling < tenants + kf.value("pricing.google_facility_mw") and tenants < 0.5 * kf.value("pricing.colossus2_claimed_mw")


def test_the_market_price_entry_equals_the_index_level(inputs, results):
    # The register holds the level the models start from; the pricing chapter's indices set it. If the data move, this
    # test forces the register (and its rationale) to move with them.
    level = results.market.level
    entry = inputs.assumptions["pricing.market_price_usd_per_gpu_hour"]
    assert (entry.low, entry.base, entry.high) == pytest.approx((level["low"], level["base"], level["high"]), abs=0.005)
    # Its sources cover every reading that sets the level and every rack-scale pair.
    readings = results.market.index_readings
    used = {k for v in readings.loc[readings["sets_level"] == "yes", "source_id"] for k in v.split(";")}
    pairs = results.market.pairs
    used |= {k for v in pairs.loc[pairs["comparison"] == "rack_scale", "source_id"] for k in v.split(";")}
    assert used <= set(entry.source_ids)


def test_the_path_entries_equal_the_price_by_age_profile(inputs, results):
    # The annual decline and the Rubin step the valuation uses come from the profile: its estimate if identified,
    # else zero, and its interval as the low and high cases.
    for rid, cases in (("pricing.annual_price_decline", results.market.decline_cases),
                       ("pricing.rubin_step_share", results.market.step_cases)):
        entry = inputs.assumptions[rid]
        assert (entry.low, entry.base, entry.high) == pytest.approx((cases["low"], cases["base"], cases["high"]), abs=0.0005), rid


def test_assumed_decline_range_spans_our_estimates(kf, inputs):
    # The register's low..high covers our own estimates (the published long-run trends measure new generations
    # against old, which the step carries).
    low = inputs.assumption("pricing.annual_price_decline", "low")
    high = inputs.assumption("pricing.annual_price_decline", "high")
    for fid in ("pricing.annual_price_decline", "pricing.annual_price_decline_all", "pricing.repeat_price_decline"):
        assert low <= kf.value(fid) <= high, fid


def test_cashflow_claims(kf, inputs, results):
    headline = kf.value("deal.headline_value_usd")
    committed, full = kf.value("cashflow.npv_committed_minimum_usd"), kf.value("cashflow.npv_full_term_usd")
    market = kf.value("pricing.market_price_usd_per_gpu_hour")
    # Overview: the market starts between each side's first-opportunity threshold, "so neither leaves at once".
    assert kf.value("cashflow.buyer_threshold_first_usd_per_gpu_hour") < market < kf.value("cashflow.seller_threshold_first_usd_per_gpu_hour")
    assert "neither leaves at once" in prose.start_against_thresholds(kf)
    assert kf.value("cashflow.share_ended_at_first_opportunity") < 0.05
    # "each side's optimal rule waits for a wider gap" than its break-even.
    assert kf.value("cashflow.buyer_threshold_first_usd_per_gpu_hour") < kf.value("cashflow.buyer_breakeven_market_price_usd_per_gpu_hour")
    assert kf.value("cashflow.seller_threshold_first_usd_per_gpu_hour") > kf.value("cashflow.seller_breakeven_market_price_usd_per_gpu_hour")
    # "Credit takes the most": default takes more off the full-term value than the exit clause does.
    assert kf.value("cashflow.cut_by_default_usd") > kf.value("cashflow.cut_by_exit_usd") > 0
    table = {(r.choice.who, r.choice.process, r.choice.rule, r.choice.credit): r for r in results.valuation.table}
    # "a myopic SpaceX leaves at the first month-end at which the market is above its break-even ..., not far above
    # where the market starts"; "the myopic rows are worth far less than the optimal ones" (less than two thirds).
    assert market < kf.value("cashflow.seller_breakeven_market_price_usd_per_gpu_hour") < 1.2 * market
    for (who, process, rule, credit), row in table.items():
        if who == "mutual" and rule == "myopic":
            assert row.expected_pv_usd < 2 / 3 * table[(who, process, "optimal", credit)].expected_pv_usd
    # "SpaceX's right costs more than Reflection's".
    assert kf.value("cashflow.expected_pv_seller_only_usd") < kf.value("cashflow.expected_pv_buyer_only_usd")
    # "mean reversion keeps contracts alive": the random walk is worth less.
    assert kf.value("cashflow.expected_pv_random_walk_usd") < kf.value("cashflow.expected_pv_usd")
    # Boundary figure: Reflection's line rises as the term shortens; SpaceX's rises and leaving stops paying at the end.
    solution = results.valuation.headline_summary.solution
    assert solution.buyer_below[-1] > solution.buyer_below[0]
    finite = solution.seller_above[np.isfinite(solution.seller_above)]
    assert finite[-1] > finite[0] and not np.isfinite(solution.seller_above[-1])
    # Distribution: "Present values spread from the committed minimum to the full term".
    assert kf.value("cashflow.expected_pv_p10_usd") < 0.5 * full and kf.value("cashflow.expected_pv_p90_usd") > 0.99 * full
    # "it moves to over half in the bull scenario".
    assert kf.value("sensitivity.bull_prob_full_term") > 0.5
    # "Exits and default matter more than the discount rate": moving the rate from 0 % to 20 % changes the
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
    assert kf.value("cashflow.expected_pv_usd") < headline


def test_capex_claims(kf, inputs, results):
    # "The GPUs themselves are most of the cost."
    assert kf.value("capex.it_per_gpu_usd") > 0.5 * kf.value("capex.capex_per_gpu_usd")
    # "The contract price covers the cost of the capacity with room to spare" (both prices well above cost).
    tco = kf.value("capex.tco_usd_per_gpu_hour")
    assert kf.value("pricing.contract_price_usd_per_gpu_hour") > 1.3 * tco
    assert kf.value("pricing.market_price_usd_per_gpu_hour") > 1.3 * tco
    # "at the lowest price in our range, Microsoft's Narvik rate, it does not".
    assert kf.value("pricing.contract_price_low_usd_per_gpu_hour") < tco and kf.value("capex.margin_share_low") < 0
    # Cumulative-cash figure: "all cross zero within the term", the earliest end no sooner than the full term.
    full, early = kf.value("capex.payback_months"), kf.value("capex.payback_months_committed")
    assert 0 < full <= early <= kf.value("deal.term_months")
    # "on the headline model's paths it ends mostly by Reflection's default ... or by SpaceX's notice ..., and rarely by
    # Reflection's notice".
    ends = {k: kf.value(f"cashflow.share_ended_by_{k}") for k in ("default", "seller", "buyer")}
    assert ends["default"] > ends["seller"] > ends["buyer"] and ends["buyer"] < 0.05
    # "re-letting, not the contract alone, is what makes the capacity pay when Reflection defaults": idle capacity is
    # worse, on both measures.
    assert kf.value("capex.idle_prob_seller_npv_negative") > kf.value("capex.prob_seller_npv_negative")
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
    # its decline); summary: "the contract's undisclosed unit price moves the value more than any other input".
    assert top("expected_pv_usd", 1) == [price]
    assert set(top("expected_pv_usd", 2)) <= {price, market, "pricing.annual_price_decline"}
    # "SpaceX's return ... depends above all on [the unit price]"; alt text: "the contract's unit price and the rack
    # price have the longest bars".
    assert top("seller_irr_full_term", 2) == [price, "capex.rack_price_usd"]
    # "the table ranks the leading inputs reliably": the top index's interval excludes zero.
    sobol = sens.sobol[sens.sobol["output"] == "expected_pv_usd"].sort_values("ST", ascending=False)
    assert sobol["ST"].iloc[0] - sobol["ST_conf"].iloc[0] > 0
    # Price chart: "Too cheap and SpaceX leaves; too dear and Reflection does": the value peaks inside the ladder, and
    # at the lowest price it is what the committed months are worth (the alt text: lowest at the lowest prices).
    curve = sens.price_curve["expected_pv_usd"].to_numpy()
    assert figures.value("sensitivity.price_curve_direction") == "peaking"
    assert curve[0] == pytest.approx(figures.value("cashflow.npv_committed_minimum_usd"), rel=0.02) and curve[0] == curve.min()
    # "rises to a peak below the flexible GB300 level".
    assert figures.value("sensitivity.price_at_peak_value_usd_per_gpu_hour") < figures.value("pricing.market_price_usd_per_gpu_hour")
    # Scenario ordering in the overview.
    assert figures.value("sensitivity.bear_expected_pv_usd") < figures.value("cashflow.expected_pv_usd") < figures.value(
        "sensitivity.bull_expected_pv_usd")


def test_strategy_claims(kf, inputs):
    # "Reflection is the smallest" of the three disclosed tenants.
    deals = inputs.comparable_deals.set_index("deal_id")
    fees = [deals.loc[d, "monthly_value_usd"] for d in ("spacex_anthropic", "spacex_google")]
    assert inputs.term("monthly_payment_usd") < min(fees)
    # The tenants table: Reflection's term runs past the other two's.
    assert inputs.term("end_date").isoformat() > "2029-06-30"
    # A year of payments is close to the equity Reflection raised in October 2025 (see the credit claims).
    assert 0.75 < kf.value("strategy.annual_payments_usd") / kf.value("strategy.reflection_raised_usd") < 1.25
    # "Anthropic's contract alone is worth ... a year": many times Reflection's.
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
    # "Renting an hour to Reflection ... earns ... less than the hour would fetch as flexible capacity"; figure: the contract price is
    # below every flexible level and above xAI's own spend and SpaceX's cost.
    price = kf.value("pricing.contract_price_usd_per_gpu_hour")
    assert kf.value("strategy.rent_premium_usd_per_gpu_hour") < 0
    assert price < kf.value("pricing.market_price_low_usd_per_gpu_hour")
    for fid in ("strategy.xai_spend_per_gb300_hour_usd", "capex.tco_usd_per_gpu_hour"):
        assert price > kf.value(fid), fid
    # "its loan-life coverage ratio counting only the committed months ... is ..."; "had the contract run to term" more
    # than fully; "has a debt service coverage ratio of ... in each of the committed months".
    assert kf.value("strategy.llcr_committed") < 1 < kf.value("strategy.llcr_full_term")
    assert kf.value("strategy.committed_period_dscr") > 1
    # NPV falls as the rate rises: debt rate < weighted cost < equity hurdle.
    assert kf.value("strategy.seller_npv_at_debt_rate_usd") > kf.value("capex.seller_npv_full_term_usd") > kf.value(
        "strategy.seller_npv_at_equity_hurdle_usd")
    # "Reflection is the smallest of them".
    assert kf.value("strategy.annual_payments_usd") < min(kf.value("strategy.anthropic_annual_usd"), kf.value("strategy.google_annual_usd"))


def test_equilibrium_claims(kf, results):
    e = results.equilibrium
    walk, market, price = e.walk, kf.value("pricing.market_price_usd_per_gpu_hour"), kf.value("pricing.contract_price_usd_per_gpu_hour")
    # "Our base assumption ... lies inside that range"; "a unit price at what Anthropic pays ... does not, because
    # Reflection would rather buy elsewhere" (it is above Reflection's walk-away price, not below SpaceX's).
    assert kf.value("equilibrium.base_signs") == "yes"
    anthropic = kf.value("pricing.tenant.spacex_anthropic_gb300_usd_per_gpu_hour")
    assert kf.value("equilibrium.anthropic_signs") == "no" and anthropic > walk.buyer_share * market
    # Map alt text: the Narvik and Nebius contracts lie below the band, Anthropic's above it, at the base market.
    for fid in ("pricing.comparable.nscale_aker_narvik_usd_per_gpu_hour", "pricing.comparable.nebius_microsoft_usd_per_gpu_hour"):
        assert kf.value(fid) < walk.seller_share * market, fid
    # "Taking five-year committed capacity as the market ... puts the base unit price above Reflection's walk-away price";
    # "Taking the highest index reading puts it below SpaceX's".
    assert price > walk.buyer_share * kf.value("pricing.comparable.nebius_microsoft_usd_per_gpu_hour")
    assert price < walk.seller_share * kf.value("pricing.market_price_high_usd_per_gpu_hour")
    # "The value falls at either edge": the region's edges are worth less than its best point.
    s = e.signing
    edges = np.interp(list(s.range_ratio), s.ratio_grid, s.ratio_pv_usd)
    assert max(edges) < s.high_usd
    # Repricing: "its value rises"; "the contract's expected life becomes the default-only life"; "the bargaining share
    # moves it only between" the low and high cases; "most threats come from SpaceX"; "The mean unit price paid rises".
    pv = {c: kf.value(f"equilibrium.repricing_{c}_pv_usd") for c in ("low", "base", "high")}
    assert kf.value("equilibrium.termination_pv_usd") < pv["low"] <= pv["base"] <= pv["high"]
    assert kf.value("equilibrium.repricing_base_life_months") == pytest.approx(kf.value("cashflow.expected_life_credit_only_months"), abs=0.5)
    assert kf.value("cashflow.share_ended_by_seller") > kf.value("cashflow.share_ended_by_buyer")
    assert kf.value("equilibrium.repricing_base_mean_price_usd_per_gpu_hour") > kf.value("equilibrium.termination_mean_price_usd_per_gpu_hour")
    # "the repriced contract pays [about] ... of the market price" sits between the walk-away shares.
    assert walk.seller_share < kf.value("equilibrium.repriced_share_of_market") < walk.buyer_share
    # SpaceX's gain: "Valued at the full market price, own use beats the contract"; "a seller who valued the hours at the
    # market would not have rented them at [base ratio] of it"; the break-even is below the full market price.
    assert kf.value("equilibrium.gain_vs_xai_usd") < 0 and kf.value("equilibrium.base_ratio") < 1
    assert kf.value("equilibrium.gain_vs_xai_breakeven_share") < 1
    # "the contract still beats re-letting" (strategy chapter) and the summary's "gain" against re-letting.
    assert kf.value("equilibrium.gain_vs_relet_usd") > 0
    # Known state: "the months already paid are no longer at risk": worth more at that date than at signing.
    assert kf.value("equilibrium.known_value_usd") > kf.value("cashflow.expected_pv_usd")
    # Credit support: "A deposit lifts the value"; investor support "lowers the chance of default ... and lifts the value".
    assert kf.value("equilibrium.deposit_pv_usd") > kf.value("cashflow.expected_pv_usd")
    assert kf.value("equilibrium.investor_support_prob_default") < kf.value("cashflow.prob_default_by_term")
    assert kf.value("equilibrium.investor_support_pv_usd") > kf.value("cashflow.expected_pv_usd")
    # Capex: "The market path the valuation uses stays above this cost in every case".
    assert kf.value("capex.lowest_market_path_usd_per_gpu_hour") > kf.value("capex.tco_usd_per_gpu_hour")


def test_the_headline_range_covers_every_one_way_swing_or_the_summary_names_it(results, figures):
    # Summary: "One at a time, within their own ranges: ..." names the entries.
    # Issue 21's test of done: the published range is at least as wide as each entry's one-way swing, or the summary
    # names every entry that moves the value outside it.
    one = results.sensitivity.one_way
    pv = one[one["output"] == "expected_pv_usd"]
    low, high = figures.value("equilibrium.headline_low_usd"), figures.value("equilibrium.headline_high_usd")
    # Each entry's value at its own low and high case, and at any interior extreme of its grid.
    outside = pv[(pv[["at_low", "at_high", "grid_min"]].min(axis=1) < low * (1 - 1e-6))
                 | (pv[["at_low", "at_high", "grid_max"]].max(axis=1) > high * (1 + 1e-6))]
    named = str(figures.value("sensitivity.entries_outside_range_words")).lower()
    assert figures.value("sensitivity.entries_outside_range") == len(set(outside["id"]))
    for entry in sorted(set(outside["id"])):
        description = results.inputs.assumptions[entry].description
        assert description[:40].lower() in named, entry


def test_words_about_the_distribution_and_the_risks(kf, results):
    # Cash flows: "Half the paths are worth less than {median}": true only if the median is not a point mass (issue 22:
    # once 63.5% of paths sat exactly at the figure and 1.6% below it).
    pv = results.valuation.headline.outcome.pv_usd
    median = kf.value("cashflow.pv_p50_usd")
    assert 0.45 <= float(np.mean(pv < median)) <= 0.5 and float(np.mean(np.isclose(pv, median, rtol=1e-6))) < 0.05
    # Credit: "Of the contract's risks, credit takes the most off its value" (more than the exit clause); "the contract's
    # undisclosed unit price moves the expected value more than the chance of a failed raise does".
    assert kf.value("cashflow.cut_by_default_usd") > kf.value("cashflow.cut_by_exit_usd")
    one = results.sensitivity.one_way
    swing = one[one["output"] == "expected_pv_usd"].set_index("id")["swing"]
    assert swing["pricing.contract_price_usd_per_gpu_hour"] > swing["credit.raise_failure_probability"]


def test_the_operating_result_charges_depreciation_not_the_cost_of_capital(kf, inputs, results):
    # Strategy: "Less a year of operating costs ... and of straight-line depreciation ..., a year of the contract adds
    # ... to the segment's operating result; after a further charge for the capital ..., its economic profit is". Issue 22:
    # the book once called the economic profit (after a capital charge) an operating result.
    seller = results.seller
    parts = seller.parts_per_gpu
    depreciation = seller.gpus * ((parts["it_usd"] + parts["network_storage_usd"]) / inputs.assumption("capex.gpu_life_years", "base")
                                  + parts["facility_usd"] / inputs.assumption("capex.facility_life_years", "base"))
    assert kf.value("strategy.annual_depreciation_usd") == pytest.approx(depreciation)
    assert depreciation == pytest.approx(seller.dedicated_capex_usd / inputs.assumption("capex.gpu_life_years", "base"), rel=0.5)
    operating = 12 * inputs.term("monthly_payment_usd") - 12 * seller.operating_monthly_usd - depreciation
    assert kf.value("strategy.annual_operating_result_usd") == pytest.approx(operating)
    # The capital charge (a return on capital on top of depreciation) is positive at a positive cost of capital.
    assert kf.value("capex.cost_of_capital") > 0
    assert kf.value("strategy.annual_economic_profit_usd") < kf.value("strategy.annual_operating_result_usd")


def test_the_coverage_ratios_are_what_their_names_say(kf, results):
    # Strategy: a debt service coverage ratio is cash ÷ debt service in a period; a loan-life coverage ratio is the
    # present value of the cash over the loan's life ÷ the debt outstanding. Issue 22: the book had called the latter a DSCR.
    fin = results.financing
    assert kf.value("strategy.committed_period_dscr") == pytest.approx(fin.committed_period_dscr)
    assert kf.value("strategy.llcr_committed") == pytest.approx(fin.coverage_committed)
    assert "loan-life coverage" in kf["strategy.llcr_committed"].label.lower()
    assert "debt service coverage" in kf["strategy.committed_period_dscr"].label.lower()
    # Fewer months of cash cover less of the debt; each committed month covers its own debt service.
    assert kf.value("strategy.llcr_committed") < kf.value("strategy.llcr_full_term")


def test_comparisons_the_chapters_make(kf, inputs, results):
    # Issue 22: every comparison in the prose is a checked claim (tests/test_html_claims.py holds the book to it).
    price, market = kf.value("pricing.contract_price_usd_per_gpu_hour"), kf.value("pricing.market_price_usd_per_gpu_hour")
    # Summary: "The assumed price is below flexible capacity's."; "though above the five-year contracts hyperscalers sign".
    # Pricing: "The base, ..., sits between dated short-commitment B300 prices ...; like for like it is below the flexible
    # GB300 level".
    assert price < market and kf.value("pricing.premium_vs_contracts_low") > 0
    # Summary: "SpaceX leaves only if the market rises far enough to pay for the notice and idle months".
    assert kf.value("cashflow.seller_threshold_first_usd_per_gpu_hour") > kf.value("cashflow.seller_breakeven_market_price_usd_per_gpu_hour") > market
    # Cash flows: "Reflection's line starts at ..., far below its break-even of ..."; "SpaceX's line starts at ..., well
    # above its break-even of ...": more than a quarter below, more than a fifth above.
    assert kf.value("cashflow.buyer_threshold_first_usd_per_gpu_hour") < 0.75 * kf.value("cashflow.buyer_breakeven_market_price_usd_per_gpu_hour")
    assert kf.value("cashflow.seller_threshold_first_usd_per_gpu_hour") > 1.2 * kf.value("cashflow.seller_breakeven_market_price_usd_per_gpu_hour")
    one = results.sensitivity.one_way
    pv = one[one["output"] == "expected_pv_usd"].set_index("id")["swing"]
    top = str(pv.idxmax())
    # "the unit price, the input that matters most"; "moves most with what Reflection pays per GB300 GPU-hour".
    assert top == "pricing.contract_price_usd_per_gpu_hour" and kf.value("sensitivity.top_driver_expected_pv").startswith("what Reflection pays")
    # "Reflection's funding is the larger risk to the value"; "Default takes ... off the full-term value, more than the
    # exit clause does"; "Reflection's credit, more than the exit clause, puts SpaceX's return on the hardware at risk".
    assert kf.value("cashflow.cut_by_default_usd") > kf.value("cashflow.cut_by_exit_usd")
    assert kf.value("cashflow.share_ended_by_default") > kf.value("cashflow.share_ended_by_seller") + kf.value("cashflow.share_ended_by_buyer")
    # "the contract's undisclosed unit price moves the expected value more than the chance of a failed raise does".
    assert pv["pricing.contract_price_usd_per_gpu_hour"] > pv["credit.raise_failure_probability"]
    walk = results.equilibrium.walk
    # Equilibrium: "Reflection signs if it is at most ... of it" (above the market: replacing costs it more than the
    # market price); "Anthropic's whole contract comes to ... per GB300-equivalent hour, above the range".
    assert walk.buyer_share > 1 and kf.value("pricing.tenant.spacex_anthropic_gb300_usd_per_gpu_hour") > walk.buyer_share * market
    # "the threat of exit is more likely to reprice it than to end it": under repricing no threat ends the contract,
    # so its life is the default-only life.
    assert kf.value("equilibrium.repricing_base_life_months") == pytest.approx(kf.value("cashflow.expected_life_credit_only_months"), abs=0.5)
    # "Anthropic's fleet is mostly Hopper, whose market price per unit of compute is above flexible GB300 capacity's".
    perf = results.market.performance.set_index("label")["usd_per_pflop_hour"]
    hopper = perf[perf.index.str.match(r"H(100|200): median")]
    gb300 = perf[perf.index.str.startswith("GB300 NVL72: flexible level")].iloc[0]
    assert len(hopper) == 2 and (hopper > gb300).all()
    fleet = inputs.tenant_fleets[inputs.tenant_fleets["deal_id"] == "spacex_anthropic"]
    total = inputs.comparable_deals.set_index("deal_id").loc["spacex_anthropic", "gpu_count"]  # about 325,000
    assert fleet.loc[fleet["gpu"].isin(["H100", "H200"]), "gpu_count"].sum() > 0.5 * total
    # "Against xAI's own use it pays if an hour of that use is worth less than ... of the market price ...; valued at
    # the full market price, own use would beat the contract".
    assert kf.value("equilibrium.gain_vs_xai_breakeven_share") < 1 and kf.value("equilibrium.gain_vs_xai_usd") < 0
    # Capex: "it earns a median ... a year, above SpaceX's ... cost of capital"; "SpaceX's median IRR across these paths
    # is ..., above SpaceX's ... cost of capital".
    assert kf.value("capex.seller_irr_median") > kf.value("capex.cost_of_capital")
    # Strategy: "they imply lower prices per GPU-hour than SpaceX's": every hyperscaler contract with a derivable price
    # is below each SpaceX tenant's.
    deals = results.market.comparables.set_index("deal_id")["usd_per_gpu_hour"].dropna()
    spacex = deals[deals.index.str.startswith("spacex_")]
    others = deals[~deals.index.str.startswith("spacex_")]
    assert len(others) >= 2 and others.max() < min(spacex.min(), price)
    # "For SpaceX the contract earns well over what the capacity costs, but at the assumed unit price less than the hours
    # would fetch as flexible capacity".
    assert price > 1.3 * kf.value("capex.tco_usd_per_gpu_hour") and price < market
    # "The neocloud contracts with hyperscalers are longer": every such contract's term exceeds this one's.
    terms = inputs.comparable_deals.set_index("deal_id")["term_months"].dropna()
    assert (terms[~terms.index.str.startswith("spacex_")] > kf.value("deal.term_months")).all()
    # Pricing: "The interval includes no change, and leaving out one generation moves the estimate outside it" (the step).
    step = results.market.fits.profile.step
    assert step.interval[0] < 0 < step.interval[1] and any(not step.interval[0] <= v <= step.interval[1] for v in step.leave_one_out)
    # Credit: "a raise fails with probability ..., below the venture base rate".
    assert inputs.assumption("credit.raise_failure_probability", "base") < inputs.company("carta_seed_fail_7y_share_low")
    # Sensitivity: "explains the largest share of the value's variance" (the global leader has the largest total index).
    sobol = results.sensitivity.sobol
    st = sobol[sobol["output"] == "expected_pv_usd"].set_index("id")["ST"]
    assert kf.value("sensitivity.global_top_driver_expected_pv") == in_sentence(inputs.assumptions[str(st.idxmax())].description)
    # "Its largest driver is what Reflection pays per GB300 GPU-hour" (payback); "Prices carry most of the uncertainty".
    assert kf.value("sensitivity.top_driver_payback").startswith("what Reflection pays")
    # "a higher price means less hardware for the same revenue"; "A higher price means less hardware behind the same
    # payment and a higher return if the contract runs, but a contract Reflection is quicker to leave": the GPUs fall
    # and the return rises with the price; past the peak, the chance of running to term falls (SpaceX is not the one
    # leaving at a high price).
    assert np.all(np.diff(results.market.capacity.curve_gpus) < 0)
    curve = results.sensitivity.price_curve
    assert np.all(np.diff(curve["seller_irr_full_term"]) > 0)
    peak = int(curve["prob_full_term"].idxmax())
    assert curve["prob_full_term"].iloc[-1] < curve["prob_full_term"].iloc[peak] and peak < len(curve) - 1


def test_numbers_quoted_from_sources_come_from_their_data_rows(inputs):
    # The chapters write a source's numbers from the data row that records them (never typed into the prose): the text
    # each glue name carries is that row's value as the book writes it.
    quoted = prose.quoted_figures(inputs)
    price = inputs.gpu_prices.set_index("obs_id")
    assert quoted["quote.ornn_b300_low"] == "$5.00/GPU-hour" and price.loc["E01", "source_id"] == "ornn2026b200b300"
    assert quoted["quote.ornn_b300_high"] == "$7.25/GPU-hour" and price.loc["E02", "source_id"] == "ornn2026b200b300"
    assert quoted["quote.h100_peak_2023"] == "$8.00/GPU-hour" and quoted["quote.h100_resale_2024"] == "$2.00/GPU-hour"
    assert quoted["quote.carta_seed_fail_low"] == "30%" and quoted["quote.carta_seed_fail_high"] == "35%"
    assert quoted["quote.epoch_fixed_performance"] == "30%"
    # AWS p5.48xlarge: $98.32 an hour before the June 2025 cut, $55.04 after (eight GPUs): 44.0% ("up to 45%").
    assert quoted["quote.aws_p5_cut"] == "44.0%"
    cited = {i for nb in ("credit", "pricing") for i in book.cited_ids(REPO / "chapters" / f"{nb}.ipynb")}
    assert {i for i in cited if i.startswith("quote.")} == set(quoted)
