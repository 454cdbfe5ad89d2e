"""The validated inputs as types: problems and table errors, sources, deal terms, register entries, Inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

CONFIDENCE_LEVELS: tuple[str, ...] = ("primary", "reported", "analyst_estimate", "assumption")
"""Confidence of an input, from strongest to weakest: a filing or the company's own words read directly, news
reporting or a relay of it, an analyst's or index provider's estimate, our own modelling assumption."""

CASES: tuple[str, ...] = ("low", "base", "high")


@dataclass(frozen=True)
class Problem:
    """One failed check: where (file and line), which row id, which field, the value and what was expected."""

    file: str
    line: int | None
    row_id: str | None
    field: str
    value: Any
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.row_id:
            where += f" (id '{self.row_id}')"
        empty = self.value is None or self.value == "" or (isinstance(self.value, float) and np.isnan(self.value))
        shown = "empty (or not a number)" if empty else repr(self.value)
        return f"{where}: field '{self.field}' is {shown}; expected {self.expected}"


MAX_PROBLEMS_SHOWN = 50
"""Problems a TableError prints; the rest are counted (all stay in ``problems``)."""


class TableError(ValueError):
    """A data file failed validation; ``problems`` lists every failed check."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = [str(p) for p in self.problems]
        shown = lines[:MAX_PROBLEMS_SHOWN]
        if len(lines) > len(shown):
            shown.append(f"... and {len(lines) - len(shown)} more (fix these first; the rest often follow from them)")
        head = lines[0] if len(lines) == 1 else f"{len(lines)} problems in the input data:\n  " + "\n  ".join(shown)
        super().__init__(head)


@dataclass(frozen=True)
class Source:
    """A bibliography entry: what was read, where and when."""

    key: str
    title: str
    outlet: str
    date: str
    url: str
    accessed: str
    note: str


@dataclass(frozen=True)
class Term:
    """One reported deal term with its provenance."""

    id: str
    label: str
    value: float | int | dt.date | str
    unit: str
    source_ids: tuple[str, ...]
    confidence: str
    note: str


@dataclass(frozen=True)
class Assumption:
    """One entry of the assumption register: low, base and high values in ``unit`` with a reason for each.

    ``override_note`` is set when a what-if file replaced the entry (its note, or a mark that it was overridden).
    """

    id: str
    description: str
    unit: str
    low: float
    base: float
    high: float
    source_ids: tuple[str, ...]
    confidence: str
    rationale_low: str
    rationale_base: str
    rationale_high: str
    supported_min: float = -np.inf
    supported_max: float = np.inf
    override_note: str = ""
    plausible_min: float = -np.inf  # a what-if value outside [plausible_min, plausible_max] is refused as a likely slip
    plausible_max: float = np.inf
    plausible_note: str = ""  # the slip the plausible range catches (data/plausible_ranges.csv)

    def value(self, case: str = "base") -> float:
        """The value for ``case`` ('low', 'base' or 'high')."""
        if case not in CASES:
            raise ValueError(f"assumption '{self.id}': case is {case!r}; expected 'low', 'base' or 'high'")
        return float(getattr(self, case))


def register_hash(register: Mapping[str, Assumption]) -> str:
    """A short, stable hash of the register's values (id, unit, low, base, high), to name an assumption set (−0 and 0
    hash alike: adding 0.0 turns −0.0 into 0.0)."""
    text = "\n".join(f"{a.id},{a.unit},{a.low + 0.0!r},{a.base + 0.0!r},{a.high + 0.0!r}"
                     for a in sorted(register.values(), key=lambda a: a.id))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


BASE_ASSUMPTION_SET: str = "base (data/assumptions.csv)"


@dataclass(frozen=True)
class Inputs:
    """Everything in ``data/``, validated: deal terms, the assumption register, the market tables and the bibliography.

    ``assumption_hash`` is computed from the register, so a copy with other register values (``with_register``
    or ``dataclasses.replace``) always carries its own hash.
    """

    data_dir: Path
    terms: Mapping[str, Term]
    assumptions: Mapping[str, Assumption]
    sources: Mapping[str, Source]
    terms_table: pd.DataFrame = field(repr=False)
    assumptions_table: pd.DataFrame = field(repr=False)
    gpu_prices: pd.DataFrame = field(repr=False)
    gpu_specs: pd.DataFrame = field(repr=False)
    gpu_launches: pd.DataFrame = field(repr=False)
    price_bands: pd.DataFrame = field(repr=False)
    comparable_deals: pd.DataFrame = field(repr=False)
    published_trends: pd.DataFrame = field(repr=False)
    company_figures: pd.DataFrame = field(repr=False)
    funding_rounds: pd.DataFrame = field(repr=False)
    financing: pd.DataFrame = field(repr=False)
    deal_tranches: pd.DataFrame = field(repr=False)
    tenant_fleets: pd.DataFrame = field(repr=False)
    price_pairs: pd.DataFrame = field(repr=False)
    known_state: pd.DataFrame = field(repr=False)
    assumption_set: str = BASE_ASSUMPTION_SET
    inputs_digest: str = ""

    @property
    def assumption_hash(self) -> str:
        """Hash of the register values in use (see register_hash)."""
        return register_hash(self.assumptions)

    @property
    def is_what_if(self) -> bool:
        """True when a what-if file replaced register entries."""
        return self.assumption_set != BASE_ASSUMPTION_SET

    @property
    def assumption_label(self) -> str:
        """'base (data/assumptions.csv), hash 65cb1c43f401': the set and hash, for source lines and exports."""
        return f"{self.assumption_set}, hash {self.assumption_hash}"

    def company(self, figure_id: str) -> float:
        """The value of company figure ``figure_id`` from data/company_figures.csv."""
        rows = self.company_figures[self.company_figures["id"] == figure_id]
        if rows.empty:
            raise ValueError(f"company figures: no row with id {figure_id!r}")
        return float(rows["value"].iloc[0])

    def spec(self, gpu: str, metric: str) -> float:
        """The value of ``metric`` for ``gpu`` from data/gpu_specs.csv."""
        rows = self.gpu_specs[(self.gpu_specs["gpu"] == gpu) & (self.gpu_specs["metric"] == metric)]
        if rows.empty:
            raise ValueError(f"gpu specs: no row for gpu {gpu!r} and metric {metric!r}")
        return float(rows["value"].iloc[0])

    def term(self, term_id: str) -> Any:
        """The value of deal term ``term_id``."""
        if term_id not in self.terms:
            raise ValueError(f"deal terms: no term with id {term_id!r}; known ids: {', '.join(sorted(self.terms))}")
        return self.terms[term_id].value

    def assumption(self, assumption_id: str, case: str = "base") -> float:
        """The ``case`` value of register entry ``assumption_id``."""
        if assumption_id not in self.assumptions:
            raise ValueError(
                f"assumption register: no entry with id {assumption_id!r}; "
                f"known ids: {', '.join(sorted(self.assumptions))}"
            )
        return self.assumptions[assumption_id].value(case)
