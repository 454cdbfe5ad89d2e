"""The key-figures registry: every number the book cites, with a stable id, its unit and its derivation.

Notebooks glue from here and nowhere else, so a number in the prose, the command line
(``python -m analysis key-figures``) and the briefing pack are one and the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import contract, finance
from .data import Inputs
from .formatting import format_value


@dataclass(frozen=True)
class KeyFigure:
    """One cited number: id, label, value in ``unit``, how it was derived and which chapter uses it."""

    id: str
    label: str
    value: float | int | str
    unit: str
    derivation: str
    chapter: str

    @property
    def formatted(self) -> str:
        """The value as the book writes it."""
        return format_value(self.value, self.unit)

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for JSON/CSV export."""
        return {
            "id": self.id,
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "formatted": self.formatted,
            "derivation": self.derivation,
            "chapter": self.chapter,
        }


class KeyFigures(Mapping[str, KeyFigure]):
    """An ordered, read-only collection of key figures indexed by id."""

    def __init__(self, figures: list[KeyFigure]) -> None:
        self._figures: dict[str, KeyFigure] = {}
        for figure in figures:
            if figure.id in self._figures:
                raise ValueError(f"key figures: id {figure.id!r} is defined twice")
            self._figures[figure.id] = figure

    def __getitem__(self, key: str) -> KeyFigure:
        if key not in self._figures:
            raise KeyError(f"no key figure with id {key!r}")
        return self._figures[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._figures)

    def __len__(self) -> int:
        return len(self._figures)

    def value(self, key: str) -> float | int | str:
        """The raw value of figure ``key``."""
        return self[key].value


def _plain(value: Any) -> float | int | str:
    """Convert numpy scalars and dates to plain Python types (glue and JSON need them)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (np.floating, float)) or (isinstance(value, np.ndarray) and value.ndim == 0):
        return float(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"key figure value {value!r} is not a plain number, date or text")


def _args(kwargs: Mapping[str, Any]) -> str:
    def short(v: Any) -> str:
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, np.ndarray):
            return f"array(shape={v.shape})"
        return repr(_plain(v)) if not isinstance(v, str) else repr(v)

    return ", ".join(f"{k}={short(v)}" for k, v in kwargs.items())


def _derived(fn: Callable[..., Any], **kwargs: Any) -> tuple[Any, str]:
    """Call ``fn(**kwargs)`` and describe the call, e.g. 'contract.term_months(start_date=..., ...)'."""
    return fn(**kwargs), f"{fn.__module__.removeprefix('analysis.')}.{fn.__name__}({_args(kwargs)})"


def deal_figures(inputs: Inputs) -> list[KeyFigure]:
    """Figures of the chapter 'The deal': the terms, the headline and the committed minimum under both readings."""
    chapter = "deal"
    figures: list[KeyFigure] = []

    def add(fid: str, label: str, value: Any, unit: str, derivation: str) -> None:
        figures.append(KeyFigure(fid, label, _plain(value), unit, derivation, chapter))

    def term(term_id: str) -> str:
        return f"data/deal_terms.csv: {term_id} (sources: {', '.join(inputs.terms[term_id].source_ids)})"

    def assumption(assumption_id: str, case: str) -> str:
        return f"data/assumptions.csv: {assumption_id} ({case})"

    monthly = inputs.term("monthly_payment_usd")
    start, end = inputs.term("start_date"), inputs.term("end_date")
    add("deal.monthly_payment_usd", "Monthly payment", monthly, "usd_per_month", term("monthly_payment_usd"))
    add("deal.start_date", "First payment month", start, "date", term("start_date"))
    add("deal.end_date", "Contract end", end, "date", term("end_date"))

    months, how = _derived(contract.term_months, start_date=start, end_date=end)
    add("deal.term_months", "Monthly payments if run to term", months, "months", how)
    add("deal.headline_value_usd", "Headline value: every payment to term", monthly * months, "usd",
        "deal.monthly_payment_usd × deal.term_months")
    add("deal.headline_value_reported_usd", "Headline value as reported", inputs.term("headline_value_usd"), "usd",
        term("headline_value_usd"))
    if "headline_value_alt_usd" in inputs.terms:
        alt = inputs.term("headline_value_alt_usd")
        add("deal.headline_value_alt_reported_usd", "Lower total in one report", alt, "usd",
            term("headline_value_alt_usd"))
        alt_months = alt / monthly
        add("deal.term_months_alt_implied", "Months the lower total implies", alt_months, "count",
            "deal.headline_value_alt_reported_usd ÷ deal.monthly_payment_usd")
        if alt_months == int(alt_months):
            last, how = _derived(contract.last_payment_date, start_date=start, months=int(alt_months))
            add("deal.end_month_alt_implied", "Last payment month the lower total implies", last, "month", how)

    lock_in = inputs.term("lock_in_months")
    add("deal.lock_in_months", "Initial period before termination is allowed", lock_in, "months", term("lock_in_months"))
    add("deal.notice_days", "Notice period", inputs.term("notice_days"), "days", term("notice_days"))
    notice, how = _derived(contract.notice_months, notice_days=inputs.term("notice_days"))
    add("deal.notice_months", "Notice period in billing months", notice, "months", how)

    readings = (("", "base", "model's reading: notice only after the initial period"),
                ("_alt", "low", "other reading: notice may be served during the initial period"))
    for suffix, case, words in readings:
        earliest = inputs.assumption("deal.notice_earliest_month", case)
        committed, how = _derived(contract.committed_months, lock_in_months=lock_in, notice_period_months=notice,
                                  notice_earliest_month=int(earliest), term_months=months)
        add(f"deal.committed_months{suffix}", f"Committed months ({words})", int(committed), "months",
            how + "; " + assumption("deal.notice_earliest_month", case))
        add(f"deal.committed_minimum{suffix}_usd", f"Committed minimum ({words})", monthly * int(committed), "usd",
            f"deal.monthly_payment_usd × deal.committed_months{suffix}")
        add(f"deal.committed_share{suffix}", f"Committed minimum as a share of the headline ({words})",
            int(committed) / months, "ratio_percent", f"deal.committed_months{suffix} ÷ deal.term_months")
        add(f"deal.headline_to_committed{suffix}_multiple", f"Headline ÷ committed minimum ({words})",
            months / int(committed), "multiple", f"deal.term_months ÷ deal.committed_months{suffix}")
    return figures


def cashflow_figures(inputs: Inputs) -> list[KeyFigure]:
    """Present values of the full term and of the committed minimum at the register's base discount rate."""
    chapter = "deal"
    rate = inputs.assumption("finance.discount_rate")
    offset = inputs.assumption("deal.payment_timing_months")
    months = contract.term_months(inputs.term("start_date"), inputs.term("end_date"))
    notice = contract.notice_months(inputs.term("notice_days"))
    monthly = inputs.term("monthly_payment_usd")
    t = np.arange(months) + offset
    amounts = np.full(months, monthly)
    figures = [
        KeyFigure("finance.discount_rate", "Discount rate (base)", _plain(rate), "rate_annual",
                  "data/assumptions.csv: finance.discount_rate (base)", chapter),
    ]
    committed = int(contract.committed_months(inputs.term("lock_in_months"), notice,
                                              int(inputs.assumption("deal.notice_earliest_month")), months))
    pv_usd: dict[str, float] = {}
    for fid, label, n in (("cashflow.npv_full_term_usd", "Present value if run to term", months),
                          ("cashflow.npv_committed_minimum_usd", "Present value of the committed minimum", committed)):
        pv = finance.present_value_usd(amounts[:n], t[:n], rate)
        pv_usd[fid] = float(pv)
        figures.append(KeyFigure(fid, label, _plain(pv), "usd",
                                 f"finance.present_value_usd({n} × monthly payment, months from start + "
                                 f"{offset:g}, annual_rate={rate:g}); valued at the start date", chapter))
    headline = monthly * months
    figures.append(KeyFigure("cashflow.discount_share_full_term", "Share of the headline lost to discounting, run to term",
                             _plain(1.0 - pv_usd["cashflow.npv_full_term_usd"] / headline), "ratio_percent",
                             "1 − cashflow.npv_full_term_usd ÷ deal.headline_value_usd", chapter))
    return figures


def key_figures(inputs: Inputs) -> KeyFigures:
    """Every key figure the book cites, computed from ``inputs``."""
    return KeyFigures(deal_figures(inputs) + cashflow_figures(inputs))
