"""Key figures of the chapter 'The deal': the terms, the headline and the committed minimum under both readings."""

from __future__ import annotations

from .base import Chapter


def define(f: Chapter) -> None:
    """Define the deal chapter's figures."""
    r = f.results
    f.add("deal.monthly_payment_usd", "Monthly payment", f.term("monthly_payment_usd"), "usd_per_month")
    f.add("deal.start_date", "First payment month", f.term("start_date"), "date")
    f.add("deal.end_date", "Contract end", f.term("end_date"), "date")
    f.add("deal.term_months", "Monthly payments if run to term", f.result("cash.schedule.months"), "months",
          "contract.term_months: from the start month to the end month, inclusive")
    f.add("deal.headline_value_usd", "Headline value: every payment to term", f.result("cash.schedule.headline_usd"), "usd",
          "contract.Schedule.headline_usd: the sum of the payment schedule")
    f.add("deal.headline_value_reported_usd", "Headline value as reported", f.term("headline_value_usd"), "usd")
    if r.deal.headline_alt_reported_usd is not None:
        f.add("deal.headline_value_alt_reported_usd", "Lower total in one report", f.term("headline_value_alt_usd"), "usd")
        f.add("deal.term_months_alt_implied", "Months the lower total implies",
              f.fig("deal.headline_value_alt_reported_usd") / f.fig("deal.monthly_payment_usd"), "count")
        if r.deal.headline_alt_end_month is not None:
            f.add("deal.end_month_alt_implied", "Last payment month the lower total implies", f.result("deal.headline_alt_end_month"),
                  "month", "contract.last_payment_date(deal.start_date, deal.term_months_alt_implied)")
    f.add("deal.lock_in_months", "Initial period before termination is allowed", f.term("lock_in_months"), "months")
    f.add("deal.notice_days", "Notice period", f.term("notice_days"), "days")
    f.add("deal.notice_months", "Notice period in billing months", f.result("cash.clause.notice_period_months"), "months",
          "contract.notice_months: deal.notice_days in months of 365/12 days, a part month counted as a whole one")
    readings = (("", "clause", "committed_usd", "base", "model's reading: notice only after the initial period"),
                ("_alt", "clause_alt", "committed_alt_usd", "low", "other reading: notice may be served during the initial period"))
    for suffix, clause, committed, case, words in readings:
        f.add(f"deal.committed_months{suffix}", f"Committed months ({words})", f.result(f"cash.{clause}.committed_months"), "months",
              f"contract.Clause.committed_months with deal.notice_earliest_month at its {case} case")
        f.add(f"deal.committed_minimum{suffix}_usd", f"Committed minimum ({words})", f.result(f"cash.{committed}"), "usd",
              f"contract.Schedule.paid_through_usd(deal.committed_months{suffix})")
        f.add(f"deal.committed_share{suffix}", f"Committed minimum as a share of the headline ({words})",
              f.fig(f"deal.committed_minimum{suffix}_usd") / f.fig("deal.headline_value_usd"), "ratio_percent")
        f.add(f"deal.headline_to_committed{suffix}_multiple", f"Headline ÷ committed minimum ({words})",
              f.fig("deal.headline_value_usd") / f.fig(f"deal.committed_minimum{suffix}_usd"), "multiple")
