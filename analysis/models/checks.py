"""What ``python -m analysis check`` verifies beyond the tables: that every model can be assembled from the inputs.

A check that passes promises a build: each problem names the file, the entry and the field, before any model runs.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..conventions import DAYS_PER_MONTH
from ..core import contract, prices
from ..inputs import CASES, REPOSITORY, Inputs, Problem, TableError, apply_overrides
from ..methods import METHODS, Methods
from ..validate import InputError
from . import evidence
from .cashflow import cashflow_model
from .market import market_assumptions
from .seller import financing, seller_model, seller_returns
from .terms import PARAMETER_IDS, deal, parameters
from .valuation import frictions

REQUIRED_SPECS: tuple[tuple[str, str], ...] = (("GB300", "bf16_dense_tflops"), ("B300", "bf16_dense_tflops"),
                                               ("GB200", "bf16_dense_tflops"), ("H100", "bf16_dense_tflops"),
                                               ("GB300 NVL72", "gpus_per_rack"))
REQUIRED_COMPANY_FIGURES: tuple[str, ...] = (
    "spacex_ai_capex_2025_usd", "spacex_ai_revenue_2025_usd", "colossus2_target_gpus", "colossus2_power_mw",
    "reflection_raised_2025_usd", "reflection_valuation_2025_usd", "reflection_raise_talks_2026_usd",
    "reflection_valuation_talks_2026_usd")
SCENARIO_DIR: Path = REPOSITORY / "scenarios"
"""The shipped coherent scenarios (bear and bull what-if files) the sensitivity chapter runs."""
SPACEX_TENANTS: tuple[str, ...] = ("spacex_anthropic", "spacex_google")
"""SpaceX's other disclosed compute tenants in data/comparable_deals.csv (the Colossus 1 sensitivity row excluded)."""


def scenario_files() -> dict[str, Path]:
    """The shipped coherent scenarios (what-if files in scenarios/): bear and bull."""
    return {name: SCENARIO_DIR / f"{name}.csv" for name in ("bear", "bull")}


def preconditions(inputs: Inputs, methods: Methods = METHODS) -> list[Problem]:
    """Every reason the models could not be assembled from ``inputs``, as problems naming the file and field.

    Checks the register entries, specification rows, company figures and tenant deals the models read; that the
    notice period fits within the term; that the price model can be fitted and can price the comparator; and
    that the models assemble at the low, base and high case of every register entry.
    """
    problems = [Problem("data/assumptions.csv", None, rid, "id", "(missing)", f"an entry the models read (Parameters.{name})")
                for name, rid in PARAMETER_IDS.items() if rid not in inputs.assumptions]
    problems += [Problem("data/gpu_specs.csv", None, gpu, "metric", "(missing)", f"a row for {gpu} {metric}")
                 for gpu, metric in REQUIRED_SPECS
                 if inputs.gpu_specs[(inputs.gpu_specs["gpu"] == gpu) & (inputs.gpu_specs["metric"] == metric)].empty]
    known = set(inputs.company_figures["id"])
    problems += [Problem("data/company_figures.csv", None, fid, "id", "(missing)", "a figure the strategy chapter reads")
                 for fid in REQUIRED_COMPANY_FIGURES if fid not in known]
    deals = set(inputs.comparable_deals["deal_id"])
    problems += [Problem("data/comparable_deals.csv", None, d, "deal_id", "(missing)", "a row for SpaceX's other tenant")
                 for d in SPACEX_TENANTS if d not in deals]
    if problems:
        return problems
    terms = deal(inputs)
    months = contract.term_months(terms.start_date, terms.end_date)
    notice = contract.notice_months(terms.notice_days)
    if terms.lock_in_months >= months:
        problems.append(Problem("data/deal_terms.csv", None, "lock_in_months", "value", terms.lock_in_months,
                                f"an initial period shorter than the term ({months} months)"))
    if notice >= months:
        problems.append(Problem("data/deal_terms.csv", None, "notice_days", "value", terms.notice_days,
                                f"a notice period shorter than the term ({months} months, about {int(months * DAYS_PER_MONTH)} days)"))
    implied = terms.monthly_payment_usd * months
    note = inputs.terms["headline_value_usd"].note.lower()
    if abs(terms.headline_reported_usd - implied) > 0.005 * implied and not ("disagree" in note or "differs" in note):
        problems.append(Problem("data/deal_terms.csv", None, "headline_value_usd", "value", terms.headline_reported_usd,
                                f"the monthly payment × {months} months = {implied:,.0f}, or a note recording the disagreement "
                                "(with the word 'disagree' or 'differs')"))
    if problems:
        return problems
    try:
        evidence.price_fits(inputs, terms.start_date, methods)
    except InputError as exc:
        return [Problem("data/gpu_prices.csv", None, None, "in_fit", exc.value,
                        f"in-fit prices of {', '.join(methods.profile_generations)} that fit the price-by-age profile ({exc.expected})")]
    try:
        evidence.flexible_level(evidence.index_levels(inputs, terms.start_date, methods,
                                                      evidence.rack_premium_per_pflop(evidence.pairs(inputs))))
    except InputError as exc:
        return [Problem("data/gpu_prices.csv", None, None, exc.field, exc.value, f"prices that set GB300's level ({exc.expected})")]
    for path in scenario_files().values():
        try:
            apply_overrides(path, inputs.assumptions)
        except TableError as exc:
            problems.extend(exc.problems)
    base = parameters(inputs)
    for rid, entry in inputs.assumptions.items():
        for case in CASES:
            if rid not in PARAMETER_IDS.values() and case != "base":
                continue
            single = dataclasses.replace(base, **{n: parameters(inputs, case).__dict__[n] for n, r in PARAMETER_IDS.items() if r == rid})
            try:
                cash = cashflow_model(terms, single)
                capacity = seller_model(inputs, single, cash)
                financing(single, cash, capacity, seller_returns(single, capacity, cash, methods).full_term_flows)
                frictions(single)
                for process in prices.Process:
                    process.build(market_assumptions(single), cash.clause.term_months)
            except InputError as exc:
                problems.append(Problem("data/assumptions.csv", None, rid, case, entry.value(case),
                                        f"a value the models accept ({exc})"))
    return problems


def check(inputs: Inputs) -> None:
    """Raise TableError listing every precondition that fails (see ``preconditions``)."""
    problems = preconditions(inputs)
    if problems:
        raise TableError(problems)
