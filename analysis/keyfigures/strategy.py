"""Key figures of 'Strategy' and 'Reflection as a counterparty': SpaceX's compute book, revenue concentration, the
opportunity cost of xAI's hours, backlog, financing, and Reflection's funding and runway."""

from __future__ import annotations

from ..models.checks import SPACEX_TENANTS
from .base import Chapter, Expr


def define(f: Chapter) -> None:
    """Define the strategy and credit chapters' figures (ids under strategy.*)."""
    r = f.results
    monthly = f.fig("deal.monthly_payment_usd")
    fees = [f.result(f"market.monthly_fee_usd.{d}") for d in SPACEX_TENANTS]
    total: Expr = fees[0]
    for fee in fees[1:]:
        total = total + fee
    f.add("strategy.spacex_monthly_compute_usd", "SpaceX's disclosed monthly compute fees (Anthropic, Google, Reflection)", total + monthly,
          "usd", "monthly fees of " + ", ".join(SPACEX_TENANTS) + " in data/comparable_deals.csv")
    book = f.fig("strategy.spacex_monthly_compute_usd")
    anthropic = f.result("market.monthly_fee_usd.spacex_anthropic")
    f.add("strategy.reflection_share_of_compute", "Reflection's share of those fees", monthly / book, "ratio_percent")
    f.add("strategy.anthropic_share_of_compute", "Anthropic's share of those fees", anthropic / book, "ratio_percent")
    f.add("strategy.anthropic_to_reflection_multiple", "Anthropic's monthly fee ÷ Reflection's", anthropic / monthly, "multiple")
    f.add("strategy.annual_payments_usd", "Reflection's payments in a full year", f.const("MONTHS_PER_YEAR") * monthly, "usd")
    annual = f.fig("strategy.annual_payments_usd")
    f.add("strategy.spacex_ai_revenue_2025_usd", "SpaceX AI-segment revenue, 2025", f.company("spacex_ai_revenue_2025_usd"), "usd")
    f.add("strategy.annual_payments_share_of_ai_revenue", "A year of Reflection's payments ÷ SpaceX's 2025 AI revenue",
          annual / f.fig("strategy.spacex_ai_revenue_2025_usd"), "ratio_percent")
    f.add("strategy.reflection_raised_usd", "Equity Reflection raised in October 2025", f.company("reflection_raised_2025_usd"), "usd")
    f.add("strategy.reflection_valuation_usd", "Reflection's valuation at that round", f.company("reflection_valuation_2025_usd"), "usd")
    f.add("strategy.reflection_talks_usd", "Equity Reflection was reported in talks to raise (2026)",
          f.company("reflection_raise_talks_2026_usd"), "usd")
    f.add("strategy.reflection_talks_valuation_usd", "Pre-money valuation in those talks", f.company("reflection_valuation_talks_2026_usd"),
          "usd")
    raised, talks = f.fig("strategy.reflection_raised_usd"), f.fig("strategy.reflection_talks_usd")
    f.add("strategy.months_covered_by_raised", "Months of payments the October 2025 round would cover", raised / monthly, "months_1")
    f.add("strategy.months_covered_with_talks", "Months covered if the reported round also closes", (raised + talks) / monthly, "months_1")
    f.add("strategy.reflection_runway_months", "Months Reflection's cash lasts from the start without the round in talks",
          f.result("credit.without_talks.months"), "months_1", "credit.runway: (closed rounds − burn since the last one) ÷ (burn + payment)")
    f.add("strategy.reflection_runway_with_talks_months", "Months its cash lasts if the round in talks closed",
          f.result("credit.with_talks.months"), "months_1", "credit.runway with the data/funding_rounds.csv rows in talks added")
    f.add("strategy.prob_default_without_talks", "Probability of default before the last month if the round in talks did not close",
          f.result("credit.prob_default_without_talks"), "ratio_percent", "credit.survival with the closed rounds only")
    f.add("strategy.prob_default_with_talks", "Probability of default before the last month if it closed",
          f.result("credit.prob_default_with_talks"), "ratio_percent", "credit.survival with the round in talks added")
    f.add("strategy.talks_round_closes", "Probability that the round in talks closed (base case)", f.register("credit.talks_round_closes"),
          "ratio_percent_whole")
    f.add("strategy.raise_failure_probability", "Probability that a raise fails when the cash runs out (base case)",
          f.register("credit.raise_failure_probability"), "ratio_percent_whole")
    f.add("strategy.months_per_raise", "Months of spending a successful raise covers (base case)", f.register("credit.months_per_raise"),
          "months")
    f.add("strategy.background_annual_default", "Background annual shutdown rate (base case)", f.register("credit.background_annual_default"),
          "ratio_percent_whole")
    if r.credit.earliest_valuation_usd is not None:
        f.add("strategy.reflection_valuation_2025_03_usd", "Reflection's earliest reported valuation", f.result("credit.earliest_valuation_usd"),
              "usd", "data/funding_rounds.csv: the earliest valuation-only row")
    f.add("strategy.reflection_headcount", "Reflection's staff (October 2025)", f.company("reflection_headcount_2025"), "count")
    f.add("strategy.reflection_cash_at_start_usd", "Reflection's estimated cash at the contract start (closed rounds only)",
          f.result("credit.without_talks.cash_at_start_usd"), "usd", "credit.runway: closed rounds − monthly burn × months since the last round")
    f.add("strategy.months_since_last_round", "Months from Reflection's last closed round to the contract start",
          f.result("credit.months_since_last_round"), "months_1", "data/funding_rounds.csv: latest closed round to deal.start_date")
    f.add("strategy.reflection_monthly_burn_usd", "Reflection's monthly spending other than the contract (base case)",
          f.register("credit.monthly_burn_usd"), "usd")
    closed = f.result("credit.raised_usd")
    f.add("strategy.contract_share_of_reflection_funding", "A year of payments ÷ Reflection's funding (closed round and the round in talks)",
          annual / (closed + f.result("credit.talks_usd")), "ratio_percent")
    f.add("strategy.contract_share_of_closed_funding", "A year of payments ÷ the money Reflection has confirmed raising", annual / closed,
          "ratio_percent")
    f.add("strategy.nvidia_investment_usd", "NVIDIA's reported investment in Reflection", f.result("credit.nvidia_usd"), "usd",
          "data/funding_rounds.csv: nvidia_amount_usd")
    nvidia = f.fig("strategy.nvidia_investment_usd")
    f.add("strategy.nvidia_share_of_round", "NVIDIA's share of Reflection's October 2025 round", nvidia / closed, "ratio_percent")
    f.add("strategy.nvidia_investment_months_of_payments", "Months of payments NVIDIA's investment would cover", nvidia / monthly, "months_1")
    f.add("strategy.rpo_usd", "What SpaceX could report as remaining performance obligation for the contract (ASC 606 reading)",
          f.fig("deal.committed_minimum_usd"), "usd", "the non-cancellable months: the contract term under ASC 606-10-25-3")
    f.add("strategy.rpo_share_of_headline", "That remaining performance obligation ÷ the headline",
          f.fig("strategy.rpo_usd") / f.fig("deal.headline_value_usd"), "ratio_percent")
    f.add("strategy.debt_rate", "Rate on debt secured on GPU capacity (base case)", f.register("finance.debt_rate"), "rate_annual")
    f.add("strategy.equity_hurdle_rate", "Return equity investors in GPU capacity require (base case)", f.register("finance.equity_hurdle_rate"),
          "rate_annual")
    f.add("strategy.debt_share", "Share of the capex financed with debt (base case)", f.register("finance.debt_share"), "ratio_percent")
    f.add("strategy.debt_usd", "Debt behind the capacity at that share", f.fig("strategy.debt_share") * f.fig("capex.dedicated_capex_usd"), "usd")
    f.add("strategy.seller_npv_at_debt_rate_usd", "SpaceX's NPV on the capacity, run to term, at the debt rate",
          f.result("financing.npv_at_debt_rate_usd"), "usd", "finance.npv(monthly debt rate, seller cash flows, full term)")
    f.add("strategy.seller_npv_at_equity_hurdle_usd", "SpaceX's NPV on the capacity, run to term, at the equity hurdle",
          f.result("financing.npv_at_equity_hurdle_usd"), "usd", "finance.npv(monthly equity hurdle, seller cash flows, full term)")
    f.add("strategy.llcr_committed", "Loan-life coverage ratio on the committed months: committed contract cash (net of "
          "operating costs, discounted at the debt rate) ÷ the debt",
          f.result("financing.coverage_committed"), "multiple_2", "models.seller.Financing: loan-life coverage counting only the committed months")
    f.add("strategy.llcr_full_term", "Loan-life coverage ratio had the contract run to term", f.result("financing.coverage_full_term"), "multiple_2",
          "models.seller.Financing")
    f.add("strategy.committed_period_dscr", "Debt service coverage ratio in the committed months: net contract cash ÷ "
          "debt service", f.result("financing.committed_period_dscr"),
          "multiple_2", "models.seller.Financing")
    f.add("strategy.xai_shadow_value_usd_per_gpu_hour", "Value to xAI of a GB300 hour it gives up: what renting the same hour would cost it",
          f.fig("pricing.market_price_usd_per_gpu_hour"), "usd_per_gpu_hour")
    f.add("strategy.xai_h100_equivalents", "xAI's compute at the end of 2025, in H100-equivalents (a lower bound)",
          f.company("xai_h100_equivalents_end_2025"), "count_round")
    spend = (f.company("xai_cash_burn_monthly_2025_usd") / (f.fig("strategy.xai_h100_equivalents") * f.const("HOURS_PER_MONTH"))
             * f.fig("pricing.gb300_h100_perf_ratio"))
    f.add("strategy.xai_spend_per_gb300_hour_usd", "xAI's 2025 cash spend per H100-equivalent hour, scaled to a GB300 hour", spend,
          "usd_per_gpu_hour")
    f.add("strategy.rent_premium_usd_per_gpu_hour", "What renting an hour to Reflection earns over its value to xAI",
          f.fig("pricing.contract_price_usd_per_gpu_hour") - f.fig("strategy.xai_shadow_value_usd_per_gpu_hour"), "usd_per_gpu_hour")
    f.add("strategy.rent_premium_annual_usd", "That premium over a year on the contract's capacity",
          f.fig("strategy.rent_premium_usd_per_gpu_hour") * f.result("seller.gpus") * f.const("HOURS_PER_YEAR")
          * f.fig("pricing.billed_utilization"), "usd")
    f.add("strategy.spacex_ai_operating_loss_2025_usd", "SpaceX AI-segment operating loss, 2025", f.company("spacex_ai_operating_loss_2025_usd"),
          "usd")
    f.add("strategy.annual_payments_share_of_ai_loss", "A year of Reflection's payments ÷ the AI segment's 2025 operating loss",
          annual / f.fig("strategy.spacex_ai_operating_loss_2025_usd"), "ratio_percent")
    f.add("strategy.annual_depreciation_usd", "A year of straight-line depreciation of the capacity (IT over the GPUs' life, "
          "the facility over its own)", f.result("seller.annual_depreciation_usd"), "usd",
          "capex.straight_line_depreciation over the first 12 months of each part's life")
    f.add("strategy.annual_operating_costs_usd", "A year of the capacity's operating costs (power and other opex)",
          f.const("MONTHS_PER_YEAR") * f.result("seller.operating_monthly_usd"), "usd")
    f.add("strategy.annual_operating_result_usd",
          "What a year of the contract adds to the AI segment's operating result (payments less operating costs and "
          "depreciation; no charge for capital)",
          annual - f.fig("strategy.annual_operating_costs_usd") - f.fig("strategy.annual_depreciation_usd"), "usd")
    f.add("strategy.annual_economic_profit_usd",
          "What a year of the contract earns after a charge for the capital at SpaceX's cost of capital (economic profit, "
          "not an accounting result)",
          annual * (f.fig("capex.margin_usd_per_gpu_hour") / f.fig("pricing.contract_price_usd_per_gpu_hour")), "usd")
    f.add("strategy.anthropic_annual_usd", "Anthropic's payments in a full year", f.const("MONTHS_PER_YEAR") * anthropic, "usd")
    f.add("strategy.google_annual_usd", "Google's payments in a full year",
          f.const("MONTHS_PER_YEAR") * f.result("market.monthly_fee_usd.spacex_google"), "usd")
    f.add("strategy.reflection_latest_valuation_usd", "Reflection's latest reported valuation (pre-money, in talks)",
          f.company("reflection_valuation_talks_2026_usd"), "usd")
    f.add("strategy.headline_share_of_latest_valuation", "The headline ÷ that valuation",
          f.fig("deal.headline_value_usd") / f.fig("strategy.reflection_latest_valuation_usd"), "ratio_percent")
    f.add("strategy.headline_share_of_valuation", "The headline ÷ Reflection's October 2025 valuation",
          f.fig("deal.headline_value_usd") / f.fig("strategy.reflection_valuation_usd"), "ratio_percent")
