"""Loading and validation of the sourced inputs in ``data/``.

Every table is read as text, checked against a pandera schema, then against the rules pandera cannot
express (unit-typed values, low <= base <= high, start before end, sources that resolve). Any failure
raises :class:`TableError`, a ``ValueError`` whose message names the file, the line, the field, the
value found and what was expected, one problem a line.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pybtex.database import BibliographyData, parse_string
from pybtex.exceptions import PybtexError

CONFIDENCE_LEVELS: tuple[str, ...] = ("primary", "reported", "analyst_estimate", "assumption")
"""Confidence of an input, from strongest to weakest: a filing or the company's own words, news
reporting, an analyst's or index provider's estimate, our own modelling assumption."""

TERM_UNITS: tuple[str, ...] = ("usd", "usd_per_month", "date", "days", "months", "text")
ASSUMPTION_UNITS: tuple[str, ...] = (
    "kw",
    "years",
    "usd_per_kwh",
    "rate_annual",  # annual effective rate, decimal (0.11 = 11 %)
    "months",
    "ratio",  # dimensionless decimal share
    "usd",
    "usd_per_gpu_hour",
)

# Deal terms the models read, with the unit each must carry. Required unless marked optional.
DEAL_TERM_UNITS: Mapping[str, str] = {
    "seller": "text",
    "buyer": "text",
    "monthly_payment_usd": "usd_per_month",
    "start_date": "date",
    "end_date": "date",
    "headline_value_usd": "usd",
    "headline_value_alt_usd": "usd",
    "lock_in_months": "months",
    "notice_days": "days",
    "hardware": "text",
    "site": "text",
    "ramp": "text",
}
OPTIONAL_DEAL_TERMS: frozenset[str] = frozenset({"headline_value_alt_usd", "ramp"})

GPU_MODELS: tuple[str, ...] = ("H100", "H200", "B200", "GB200", "B300", "GB300")
PROVIDER_TIERS: tuple[str, ...] = ("hyperscaler", "neocloud", "marketplace", "market")
CONTRACT_TYPES: tuple[str, ...] = ("on_demand", "spot", "reserved_1y", "reserved_multi_year", "index")
PRICE_BASES: tuple[str, ...] = ("gpu_hour", "instance_hour", "server_year")
SPEC_METRICS: tuple[str, ...] = ("bf16_dense_tflops", "fp8_dense_tflops", "tdp_w", "gpus_per_rack")
TREND_METRICS: tuple[str, ...] = ("doubling_time_years", "price_change")

BIB_REQUIRED_FIELDS: tuple[str, ...] = ("title", "howpublished", "year", "url", "urldate")

_ID = r"^[a-z][a-z0-9_.]*$"
_SOURCE_LIST = r"^[a-z0-9_]+(;[a-z0-9_]+)*$"
_FILE_FIELD = "(file)"


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


class TableError(ValueError):
    """A data file failed validation; ``problems`` lists every failed check."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = [str(p) for p in self.problems]
        head = lines[0] if len(lines) == 1 else f"{len(lines)} problems in the input data:\n  " + "\n  ".join(lines)
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
    """One entry of the assumption register: low, base and high values in ``unit`` with a reason for each."""

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

    def value(self, case: str = "base") -> float:
        """The value for ``case`` ('low', 'base' or 'high')."""
        if case not in ("low", "base", "high"):
            raise ValueError(f"assumption '{self.id}': case is {case!r}; expected 'low', 'base' or 'high'")
        return float(getattr(self, case))


@dataclass(frozen=True)
class Inputs:
    """Everything in ``data/``, validated: deal terms, the assumption register and the bibliography."""

    data_dir: Path
    terms: Mapping[str, Term]
    assumptions: Mapping[str, Assumption]
    sources: Mapping[str, Source]
    terms_table: pd.DataFrame = field(repr=False)
    assumptions_table: pd.DataFrame = field(repr=False)
    gpu_prices: pd.DataFrame = field(repr=False)
    gpu_specs: pd.DataFrame = field(repr=False)
    comparable_deals: pd.DataFrame = field(repr=False)
    published_trends: pd.DataFrame = field(repr=False)
    company_figures: pd.DataFrame = field(repr=False)
    assumption_set: str = "base (data/assumptions.csv)"
    assumption_hash: str = ""

    def company(self, figure_id: str) -> float:
        """The value of company figure ``figure_id`` from data/company_figures.csv."""
        rows = self.company_figures[self.company_figures["id"] == figure_id]
        if rows.empty:
            raise ValueError(f"company figures: no row with id {figure_id!r}")
        return float(rows["value"].iloc[0])

    def spec(self, gpu: str, metric: str) -> float:
        """The value of ``metric`` (see SPEC_METRICS) for ``gpu`` from data/gpu_specs.csv."""
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


def default_data_dir() -> Path:
    """The ``data/`` folder of this repository."""
    return Path(__file__).resolve().parent.parent / "data"


# --------------------------------------------------------------------------------------------
# Schemas


def _finite(series: pd.Series) -> pd.Series:
    return pd.Series(np.isfinite(series.to_numpy(dtype=float)), index=series.index)


def _text(nullable: bool = False) -> pa.Column:
    return pa.Column(str, nullable=nullable)


def _sources() -> pa.Column:
    return pa.Column(
        str,
        checks=pa.Check.str_matches(_SOURCE_LIST, error="one or more bibliography keys separated by ';'"),
    )


def _confidence() -> pa.Column:
    return pa.Column(str, checks=pa.Check.isin(CONFIDENCE_LEVELS, error="one of " + ", ".join(CONFIDENCE_LEVELS)))


def _id(pattern: str = _ID) -> pa.Column:
    return pa.Column(str, unique=True, checks=pa.Check.str_matches(pattern, error="a lowercase id"))


def _schema(columns: dict[str, pa.Column], **options: Any) -> pa.DataFrameSchema:
    """A table schema: exactly these columns (any order), values coerced to their types."""
    return pa.DataFrameSchema(columns, strict=True, coerce=True, ordered=False, **options)


def _number() -> pa.Column:
    return pa.Column(float, checks=pa.Check(_finite, error="a finite number"))


DEAL_TERMS_SCHEMA = _schema(
    {
        "id": _id(),
        "label": _text(),
        "value": _text(),
        "unit": pa.Column(str, checks=pa.Check.isin(TERM_UNITS, error="one of " + ", ".join(TERM_UNITS))),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)

ASSUMPTIONS_SCHEMA = _schema(
    {
        "id": _id(),
        "description": _text(),
        "unit": pa.Column(
            str, checks=pa.Check.isin(ASSUMPTION_UNITS, error="one of " + ", ".join(ASSUMPTION_UNITS))
        ),
        "low": _number(),
        "base": _number(),
        "high": _number(),
        "supported_min": _number(),
        "supported_max": _number(),
        "source_id": _sources(),
        "confidence": _confidence(),
        "rationale_low": _text(),
        "rationale_base": _text(),
        "rationale_high": _text(),
    },
)


def _iso_date(nullable: bool = False) -> pa.Column:
    return pa.Column(
        str,
        nullable=nullable,
        checks=pa.Check(lambda col: col.map(_is_iso_date), element_wise=False, error="a date as YYYY-MM-DD"),
    )


def _positive(dtype: Any = float, nullable: bool = False) -> pa.Column:
    return pa.Column(
        dtype,
        nullable=nullable,
        checks=[pa.Check(_finite, error="a finite number"), pa.Check.gt(0, error="a number > 0")],
    )


def _one_of(values: Sequence[str]) -> pa.Column:
    return pa.Column(str, checks=pa.Check.isin(values, error="one of " + ", ".join(values)))


GPU_PRICES_SCHEMA = _schema(
    {
        "obs_id": pa.Column(str, unique=True),
        "date": _iso_date(),
        "gpu": _one_of(GPU_MODELS),
        "provider": _text(),
        "provider_tier": _one_of(PROVIDER_TIERS),
        "contract_type": _one_of(CONTRACT_TYPES),
        "price_usd": _positive(),
        "price_basis": _one_of(PRICE_BASES),
        "gpus_per_unit": _positive("int64"),
        "in_fit": _one_of(("yes", "no")),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)

GPU_SPECS_SCHEMA = _schema(
    {
        "gpu": pa.Column(str, checks=pa.Check.isin(GPU_MODELS + ("GB300 NVL72",), error="a known GPU or rack")),
        "metric": _one_of(SPEC_METRICS),
        "value": _positive(),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
    unique=["gpu", "metric"],
)

COMPARABLE_DEALS_SCHEMA = _schema(
    {
        "deal_id": _id(r"^[a-z0-9_]+$"),
        "buyer": _text(),
        "seller": _text(),
        "gpu": _text(),
        "total_value_usd": _positive(nullable=True),
        "term_months": _positive(nullable=True),
        "monthly_value_usd": _positive(nullable=True),
        "gpu_count": _positive(nullable=True),
        "start_date": _iso_date(nullable=True),
        "termination": _text(nullable=True),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)

COMPANY_FIGURES_SCHEMA = _schema(
    {
        "id": _id(r"^[a-z0-9_]+$"),
        "label": _text(),
        "value": _positive(),
        "unit": _one_of(("usd", "count", "mw")),
        "period": _text(),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)

PUBLISHED_TRENDS_SCHEMA = _schema(
    {
        "trend_id": pa.Column(str, unique=True),
        "description": _text(),
        "metric": _one_of(TREND_METRICS),
        "value": _number(),
        "period_months": _positive(nullable=True),
        "ci_low": pa.Column(float, nullable=True),
        "ci_high": pa.Column(float, nullable=True),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)


# --------------------------------------------------------------------------------------------
# Reading


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read_text(path: Path) -> str:
    name = _display(path)
    if not path.is_file():
        raise TableError([Problem(name, None, None, _FILE_FIELD, str(path), "an existing file")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TableError(
            [Problem(name, line, None, _FILE_FIELD, raw[exc.start : exc.start + 8], "UTF-8 text")]
        ) from None
    if not text.strip():
        raise TableError([Problem(name, None, None, _FILE_FIELD, "", "a header line and at least one row")])
    return text


def _describe_check(check: str) -> str:
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
        kind = check.split("'")[1] if "'" in check else check
        return {"float64": "a number", "int64": "a whole number"}.get(kind, f"a value of type {kind}")
    return {
        "not_nullable": "a value",
        "field_uniqueness": "a unique value (it is duplicated)",
    }.get(check, check)


def read_table(path: Path, schema: pa.DataFrameSchema, id_column: str = "id") -> pd.DataFrame:
    """Read a CSV file as text and validate it against ``schema``; raise TableError naming every bad cell."""
    name = _display(path)
    text = _read_text(path)
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        reason = str(exc).strip().splitlines()[-1]
        raise TableError([Problem(name, None, None, _FILE_FIELD, reason, "well-formed CSV")]) from None
    if table.empty:
        raise TableError([Problem(name, None, None, _FILE_FIELD, "header only", "at least one data row")])
    table = table.apply(lambda col: col.str.strip()).replace("", None)
    ids = table[id_column].tolist() if id_column in table.columns else [None] * len(table)
    try:
        return schema.validate(table, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise TableError(_problems_from_pandera(name, exc.failure_cases, ids, list(schema.columns))) from None


def _problems_from_pandera(name: str, cases: pd.DataFrame, ids: list[Any], columns: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Any, Any]] = set()
    # Coercion failures come first; the dtype and check failures they cause on the same cell are noise.
    order = cases["check"].astype(str).str.startswith("coerce_dtype").map({True: 0, False: 1})
    for _, case in cases.assign(_order=order).sort_values("_order", kind="stable").iterrows():
        check = str(case["check"])
        column = case["column"]
        if check == "column_in_schema":
            problems.append(Problem(name, 1, None, str(case["failure_case"]), "(unknown column)",
                                    "only the columns " + ", ".join(columns)))
            continue
        if check == "column_in_dataframe":
            problems.append(Problem(name, 1, None, str(case["failure_case"]), "(missing)", "a column of that name"))
            continue
        index = case["index"]
        if index is None or (isinstance(index, float) and np.isnan(index)):
            continue  # a whole-column failure already reported cell by cell
        index = int(index)
        if (index, column) in seen:
            continue
        seen.add((index, column))
        row_id = ids[index] if index < len(ids) else None
        problems.append(Problem(name, index + 2, row_id, str(column), case["failure_case"], _describe_check(check)))
    return problems


def _split_sources(value: str) -> tuple[str, ...]:
    return tuple(s for s in value.split(";") if s)


def _check_sources(
    name: str, table: pd.DataFrame, sources: Mapping[str, Source], id_column: str = "id"
) -> list[Problem]:
    problems = []
    for i, (row_id, value) in enumerate(zip(table[id_column], table["source_id"], strict=True)):
        for key in _split_sources(value):
            if key not in sources:
                problems.append(Problem(name, i + 2, row_id, "source_id", key, "a key of data/references.bib"))
    return problems


# --------------------------------------------------------------------------------------------
# Bibliography


def load_bibliography(path: Path) -> dict[str, Source]:
    """Parse the BibTeX file and check every entry has a title, outlet, year, URL and access date."""
    name = _display(path)
    text = _read_text(path)
    try:
        bib: BibliographyData = parse_string(text, "bibtex")
    except PybtexError as exc:
        raise TableError([Problem(name, None, None, _FILE_FIELD, str(exc).splitlines()[0], "valid BibTeX")]) from None
    if not bib.entries:
        raise TableError([Problem(name, None, None, _FILE_FIELD, "no entries", "at least one BibTeX entry")])
    problems: list[Problem] = []
    sources: dict[str, Source] = {}
    for key, entry in bib.entries.items():
        fields = {k.lower(): str(v).strip() for k, v in entry.fields.items()}
        for required in BIB_REQUIRED_FIELDS:
            if not fields.get(required):
                problems.append(Problem(name, None, key, required, None, "a non-empty value"))
        url = fields.get("url", "")
        if url and not re.match(r"^https?://\S+$", url):
            problems.append(Problem(name, None, key, "url", url, "an http(s) address"))
        accessed = fields.get("urldate", "")
        if accessed and not _is_iso_date(accessed):
            problems.append(Problem(name, None, key, "urldate", accessed, "a date as YYYY-MM-DD"))
        if not re.match(r"^[a-z0-9_]+$", key):
            problems.append(Problem(name, None, key, "key", key, "lowercase letters, digits and '_'"))
        date = fields.get("year", "")
        if fields.get("month"):
            date = f"{fields['month']} {date}"
        if fields.get("day"):
            date = f"{fields['day']} {date}"
        sources[key] = Source(
            key=key,
            title=fields.get("title", "").strip("{}"),
            outlet=fields.get("howpublished", "").strip("{}"),
            date=date,
            url=url,
            accessed=accessed,
            note=fields.get("note", ""),
        )
    problems.extend(_typesetting_problems(name, bib))
    if problems:
        raise TableError(problems)
    return sources


def _typesetting_problems(name: str, bib: BibliographyData) -> list[Problem]:
    """Format every entry as the book's bibliography will (pybtex's unsrt style); report those that fail."""
    from pybtex.backends.html import Backend
    from pybtex.style.formatting.unsrt import Style

    style, backend, problems = Style(), Backend(), []
    for key, entry in bib.entries.items():
        try:
            next(iter(style.format_entries([entry]))).text.render(backend)
        except Exception as exc:  # pybtex raises several unrelated types for bad LaTeX
            problems.append(Problem(name, None, key, "(entry)", str(exc),
                                    "text BibTeX can typeset: escape % as \\%, balance { and }"))
    return problems


def _is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.match(r"^\d{4}-\d{2}-\d{2}$", text))


# --------------------------------------------------------------------------------------------
# Deal terms


def _parse_term_value(raw: str, unit: str) -> tuple[Any, str | None]:
    """Parse ``raw`` for ``unit``; return (value, None) or (None, what was expected)."""
    if unit in ("usd", "usd_per_month"):
        try:
            value = float(raw)
        except ValueError:
            return None, "a number of US dollars"
        return (value, None) if np.isfinite(value) and value > 0 else (None, "a positive, finite number of US dollars")
    if unit in ("days", "months"):
        if not re.match(r"^\d+$", raw) or int(raw) <= 0:
            return None, f"a whole number of {unit} > 0"
        return int(raw), None
    if unit == "date":
        return (dt.date.fromisoformat(raw), None) if _is_iso_date(raw) else (None, "a date as YYYY-MM-DD")
    return raw, None


def load_deal_terms(path: Path, sources: Mapping[str, Source]) -> tuple[dict[str, Term], pd.DataFrame]:
    """Load ``deal_terms.csv``: validate the schema, each value against its unit, the ids, dates and sources."""
    name = _display(path)
    table = read_table(path, DEAL_TERMS_SCHEMA)
    problems = _check_sources(name, table, sources)
    terms: dict[str, Term] = {}
    for i, row in enumerate(table.itertuples(index=False)):
        line = i + 2
        expected_unit = DEAL_TERM_UNITS.get(row.id)
        if expected_unit is None:
            problems.append(Problem(name, line, row.id, "id", row.id, "one of " + ", ".join(DEAL_TERM_UNITS)))
            continue
        if row.unit != expected_unit:
            problems.append(Problem(name, line, row.id, "unit", row.unit, f"'{expected_unit}' for this term"))
            continue
        value, expected = _parse_term_value(row.value, row.unit)
        if expected:
            problems.append(Problem(name, line, row.id, "value", row.value, expected))
            continue
        terms[row.id] = Term(
            id=row.id,
            label=row.label,
            value=value,
            unit=row.unit,
            source_ids=_split_sources(row.source_id),
            confidence=row.confidence,
            note=row.note or "",
        )
    missing = [t for t in DEAL_TERM_UNITS if t not in OPTIONAL_DEAL_TERMS and t not in table["id"].tolist()]
    for term_id in missing:
        problems.append(Problem(name, None, term_id, "id", "(missing)", f"a row with id '{term_id}'"))
    if "start_date" in terms and "end_date" in terms and terms["end_date"].value <= terms["start_date"].value:
        line = table["id"].tolist().index("end_date") + 2
        problems.append(
            Problem(name, line, "end_date", "value", terms["end_date"].value.isoformat(),
                    f"a date after start_date ({terms['start_date'].value.isoformat()})")
        )
    if problems:
        raise TableError(problems)
    return terms, table


# --------------------------------------------------------------------------------------------
# Assumption register


def load_assumptions(path: Path, sources: Mapping[str, Source]) -> tuple[dict[str, Assumption], pd.DataFrame]:
    """Load ``assumptions.csv``: validate the schema, low <= base <= high, and that sources resolve."""
    name = _display(path)
    table = read_table(path, ASSUMPTIONS_SCHEMA)
    problems = _check_sources(name, table, sources)
    register: dict[str, Assumption] = {}
    for i, row in enumerate(table.itertuples(index=False)):
        line = i + 2
        problems.extend(_range_problems(name, line, row.id, row.low, row.base, row.high, row.supported_min, row.supported_max))
        register[row.id] = Assumption(
            id=row.id,
            description=row.description,
            unit=row.unit,
            low=float(row.low),
            base=float(row.base),
            high=float(row.high),
            source_ids=_split_sources(row.source_id),
            confidence=row.confidence,
            rationale_low=row.rationale_low,
            rationale_base=row.rationale_base,
            rationale_high=row.rationale_high,
            supported_min=float(row.supported_min),
            supported_max=float(row.supported_max),
        )
    if problems:
        raise TableError(problems)
    return register, table


WHOLE_NUMBER_ASSUMPTIONS: frozenset[str] = frozenset({"deal.notice_earliest_month", "deal.payment_timing_months",
                                                      "deal.ramp_months"})
"""Register entries the models use as whole months."""


def _range_problems(name: str, line: int | None, row_id: str, low: float, base: float, high: float,
                    supported_min: float, supported_max: float) -> list[Problem]:
    problems = []
    if low > base:
        problems.append(Problem(name, line, row_id, "low", low, f"a value <= base ({base})"))
    if base > high:
        problems.append(Problem(name, line, row_id, "high", high, f"a value >= base ({base})"))
    if supported_min > supported_max:
        problems.append(Problem(name, line, row_id, "supported_max", supported_max, f"a value >= supported_min ({supported_min})"))
        return problems
    for field_name, value in (("low", low), ("base", base), ("high", high)):
        if not supported_min <= value <= supported_max:
            problems.append(Problem(name, line, row_id, field_name, value,
                                    f"a value the model supports, between {supported_min:g} and {supported_max:g}"))
        if row_id in WHOLE_NUMBER_ASSUMPTIONS and float(value) != int(value):
            problems.append(Problem(name, line, row_id, field_name, value, "a whole number of months"))
    return problems


OVERRIDES_SCHEMA = _schema(
    {
        "id": pa.Column(str, unique=True),
        "unit": pa.Column(str),
        "low": _number(),
        "base": _number(),
        "high": _number(),
        "note": _text(nullable=True),
    },
)


def apply_overrides(path: Path, register: Mapping[str, Assumption]) -> dict[str, Assumption]:
    """A copy of ``register`` with entries replaced from a what-if file (columns id, unit, low, base, high, note).

    Every override must name a known id in that entry's unit, keep low <= base <= high and stay within
    what the model supports; otherwise TableError names the entry.
    """
    from dataclasses import replace

    name = _display(path)
    table = read_table(path, OVERRIDES_SCHEMA)
    problems: list[Problem] = []
    updated = dict(register)
    for i, row in enumerate(table.itertuples(index=False)):
        line = i + 2
        entry = register.get(row.id)
        if entry is None:
            problems.append(Problem(name, line, row.id, "id", row.id, "an id of data/assumptions.csv"))
            continue
        if row.unit != entry.unit:
            problems.append(Problem(name, line, row.id, "unit", row.unit, f"'{entry.unit}', the register's unit for this entry"))
            continue
        problems.extend(_range_problems(name, line, row.id, row.low, row.base, row.high, entry.supported_min, entry.supported_max))
        updated[row.id] = replace(entry, low=float(row.low), base=float(row.base), high=float(row.high))
    if problems:
        raise TableError(problems)
    return updated


def register_hash(register: Mapping[str, Assumption]) -> str:
    """A short, stable hash of the register's values (id, unit, low, base, high), to name an assumption set."""
    import hashlib

    text = "\n".join(f"{a.id},{a.unit},{a.low!r},{a.base!r},{a.high!r}" for a in sorted(register.values(), key=lambda a: a.id))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


ASSUMPTIONS_ENV: str = "DEAL_BOOK_ASSUMPTIONS"
"""Environment variable naming a what-if file of register overrides (`make book ASSUMPTIONS=...` sets it)."""


# --------------------------------------------------------------------------------------------
# Market tables: GPU prices, specifications, comparable deals, published trends


RowCheck = Callable[[str, int, Any], list[Problem]]
"""A per-row rule: (file name, line, row as a namedtuple) -> problems."""


def _load_sourced_table(path: Path, schema: pa.DataFrameSchema, sources: Mapping[str, Source], id_column: str,
                        row_check: RowCheck | None = None) -> pd.DataFrame:
    """Read and validate a table whose rows cite sources; apply ``row_check`` to each row; raise on any problem."""
    name = _display(path)
    table = read_table(path, schema, id_column=id_column)
    problems = _check_sources(name, table, sources, id_column=id_column)
    if row_check is not None:
        for i, row in enumerate(table.itertuples(index=False)):
            problems.extend(row_check(name, i + 2, row))
    if problems:
        raise TableError(problems)
    return table


def load_gpu_prices(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``gpu_prices.csv``; an observation may not be dated after the day its source was read."""

    def check(name: str, line: int, row: Any) -> list[Problem]:
        read_on = max((sources[k].accessed for k in _split_sources(row.source_id) if k in sources), default="")
        if read_on and row.date > read_on:
            return [Problem(name, line, row.obs_id, "date", row.date, f"a date on or before {read_on}, when its source was read")]
        return []

    table = _load_sourced_table(path, GPU_PRICES_SCHEMA, sources, "obs_id", check)
    return table.assign(date=pd.to_datetime(table["date"]))


def load_gpu_specs(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``gpu_specs.csv``: one value per (gpu, metric), each with a source."""
    return _load_sourced_table(path, GPU_SPECS_SCHEMA, sources, "gpu")


def load_comparable_deals(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``comparable_deals.csv``: sourced terms of other compute contracts (blank = not disclosed)."""

    def check(name: str, line: int, row: Any) -> list[Problem]:
        if pd.notna(row.term_months) and float(row.term_months) != int(row.term_months):
            return [Problem(name, line, row.deal_id, "term_months", row.term_months, "a whole number of months")]
        return []

    return _load_sourced_table(path, COMPARABLE_DEALS_SCHEMA, sources, "deal_id", check)


def load_published_trends(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``published_trends.csv``: price-performance and price-change trends from the literature."""

    def check(name: str, line: int, row: Any) -> list[Problem]:
        problems = []
        if row.metric == "doubling_time_years" and row.value <= 0:
            problems.append(Problem(name, line, row.trend_id, "value", row.value, "a doubling time > 0 years"))
        if row.metric == "price_change" and (row.value <= -1 or pd.isna(row.period_months)):
            problems.append(Problem(name, line, row.trend_id, "value", row.value, "a change > -1 with its period_months"))
        if pd.notna(row.ci_low) and pd.notna(row.ci_high) and not row.ci_low <= row.value <= row.ci_high:
            problems.append(Problem(name, line, row.trend_id, "value", row.value, f"a value within [{row.ci_low}, {row.ci_high}]"))
        return problems

    return _load_sourced_table(path, PUBLISHED_TRENDS_SCHEMA, sources, "trend_id", check)


def load_company_figures(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``company_figures.csv``: sourced SpaceX and Colossus figures (capex, GPU counts, power)."""
    return _load_sourced_table(path, COMPANY_FIGURES_SCHEMA, sources, "id")


def load_inputs(data_dir: Path | None = None, overrides: Path | None = None) -> Inputs:
    """Load and validate every table in ``data_dir`` (default: the repository's ``data/``).

    ``overrides`` (default: the file named by $DEAL_BOOK_ASSUMPTIONS, if set) replaces register entries
    for a what-if run.
    """
    import os

    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    if overrides is None and os.environ.get(ASSUMPTIONS_ENV):
        overrides = Path(os.environ[ASSUMPTIONS_ENV])
    sources = load_bibliography(data_dir / "references.bib")
    problems: list[Problem] = []
    loaded: dict[str, Any] = {}
    for name, loader, filename in (("terms", load_deal_terms, "deal_terms.csv"),
                                   ("assumptions", load_assumptions, "assumptions.csv"),
                                   ("gpu_prices", load_gpu_prices, "gpu_prices.csv"),
                                   ("gpu_specs", load_gpu_specs, "gpu_specs.csv"),
                                   ("comparable_deals", load_comparable_deals, "comparable_deals.csv"),
                                   ("published_trends", load_published_trends, "published_trends.csv"),
                                   ("company_figures", load_company_figures, "company_figures.csv")):
        try:
            loaded[name] = loader(data_dir / filename, sources)
        except TableError as exc:  # report every table's problems at once
            problems.extend(exc.problems)
    if problems:
        raise TableError(problems)
    terms, terms_table = loaded["terms"]
    assumptions, assumptions_table = loaded["assumptions"]
    assumption_set = "base (data/assumptions.csv)"
    if overrides is not None:
        assumptions = apply_overrides(Path(overrides), assumptions)
        assumption_set = f"what-if: {Path(overrides).name}"
    return Inputs(
        data_dir=data_dir,
        terms=terms,
        assumptions=assumptions,
        sources=sources,
        terms_table=terms_table,
        assumptions_table=assumptions_table,
        gpu_prices=loaded["gpu_prices"],
        gpu_specs=loaded["gpu_specs"],
        comparable_deals=loaded["comparable_deals"],
        published_trends=loaded["published_trends"],
        company_figures=loaded["company_figures"],
        assumption_set=assumption_set,
        assumption_hash=register_hash(assumptions),
    )
