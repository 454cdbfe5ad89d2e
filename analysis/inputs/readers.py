"""Reading a CSV table against its schema, and the sourced market tables (prices, specs, deals, trends, companies).

Every table is read as text, checked against a pandera schema, then against the rules pandera cannot express.
Any failure raises :class:`TableError` naming the file, the line, the row id, the field, the value found and
what was expected, one problem a line; every problem of a table is reported at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..conventions import HOURS_PER_MONTH, HOURS_PER_YEAR
from .schemas import (
    COMPANY_FIGURES_SCHEMA,
    COMPARABLE_DEALS_SCHEMA,
    DEAL_TRANCHES_SCHEMA,
    FINANCING_SCHEMA,
    FUNDING_ROUNDS_SCHEMA,
    GPU_LAUNCHES_SCHEMA,
    GPU_PRICES_SCHEMA,
    GPU_SPECS_SCHEMA,
    KNOWN_STATE_SCHEMA,
    PRICE_BANDS_SCHEMA,
    PRICE_PAIRS_SCHEMA,
    PUBLISHED_TRENDS_SCHEMA,
    TENANT_FLEETS_SCHEMA,
    TERMED_KINDS,
)
from .text import FILE_FIELD, display_name, is_iso_date, read_text, split_sources
from .types import Problem, Source, TableError


def describe_check(check: str) -> str:
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
        kind = check.split("'")[1] if "'" in check else check
        return {"float64": "a number", "int64": "a whole number"}.get(kind, f"a value of type {kind}")
    return {
        "not_nullable": "a value",
        "field_uniqueness": "a unique value (it is duplicated)",
    }.get(check, check)


CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
"""Characters a cell may not hold (pasted from elsewhere, they would print as garbage); removed when a table is read."""


def spreadsheet_tidy(name: str, text: str) -> str:
    """CSV text as a spreadsheet saves it, tidied: empty trailing columns and rows dropped. A row with more fields than
    the header is refused, naming its line (an unquoted comma in a note is the usual cause)."""
    reader = csv.reader(io.StringIO(text))
    rows = [(reader.line_num, row) for row in reader]
    if not rows:
        return text
    header = rows[0][1]
    width = len(header)
    while width > 0 and not header[width - 1].strip() and all(len(r) < width or not r[width - 1].strip() for _, r in rows[1:]):
        width -= 1
    body = rows[1:]
    while body and not any(cell.strip() for cell in body[-1][1]):
        body.pop()
    problems = [Problem(name, line, (row[0] or None) if row else None, FILE_FIELD, f"{len(row)} fields",
                        f"{width} fields, as in the header (put a note that holds a comma in double quotes)")
                for line, row in body if len(row) > width and any(cell.strip() for cell in row[width:])]
    if problems:
        raise TableError(problems)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for _, row in [rows[0], *body]:
        writer.writerow(row[:width])
    return out.getvalue()


def read_table(path: Path, schema: pa.DataFrameSchema, id_column: str = "id") -> pd.DataFrame:
    """Read a CSV file as text and validate it against ``schema``; raise TableError naming every bad cell."""
    name = display_name(path)
    text = spreadsheet_tidy(name, read_text(path))
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        reason = str(exc).strip().splitlines()[-1]
        raise TableError([Problem(name, None, None, FILE_FIELD, reason, "well-formed CSV")]) from None
    if table.empty:
        raise TableError([Problem(name, None, None, FILE_FIELD, "header only", "at least one data row")])
    table = table.apply(lambda col: col.str.replace(CONTROL_CHARACTERS, "", regex=True).str.strip()).replace("", None)
    ids = table[id_column].tolist() if id_column in table.columns else [None] * len(table)
    broken = [Problem(name, i + 2, ids[i], str(column), value, "text on one line (a quoted field holds a line break)")
              for column in table.columns for i, value in enumerate(table[column])
              if isinstance(value, str) and ("\n" in value or "\r" in value)]
    if broken:
        raise TableError(broken)
    try:
        return schema.validate(table, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise TableError(problems_from_pandera(name, exc.failure_cases, ids, list(schema.columns))) from None


def problems_from_pandera(name: str, cases: pd.DataFrame, ids: list[Any], columns: list[str]) -> list[Problem]:
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
        problems.append(Problem(name, index + 2, row_id, str(column), case["failure_case"], describe_check(check)))
    return problems



def check_sources(
    name: str, table: pd.DataFrame, sources: Mapping[str, Source], id_column: str = "id"
) -> list[Problem]:
    problems = []
    for i, (row_id, value) in enumerate(zip(table[id_column], table["source_id"], strict=True)):
        for key in split_sources(value):
            if key not in sources:
                problems.append(Problem(name, i + 2, row_id, "source_id", key, "a key of data/references.bib"))
    return problems


RowCheck = Callable[[str, int, Any], list[Problem]]
"""A per-row rule: (file name, line, row as a namedtuple) -> problems."""


def load_sourced_table(path: Path, schema: pa.DataFrameSchema, sources: Mapping[str, Source], id_column: str,
                        row_check: RowCheck | None = None) -> pd.DataFrame:
    """Read and validate a table whose rows cite sources; apply ``row_check`` to each row; raise on any problem."""
    name = display_name(path)
    table = read_table(path, schema, id_column=id_column)
    problems = check_sources(name, table, sources, id_column=id_column)
    if row_check is not None:
        for i, row in enumerate(table.itertuples(index=False)):
            problems.extend(row_check(name, i + 2, row))
    if problems:
        raise TableError(problems)
    return table


def usd_per_gpu_hour(price_usd: pd.Series, basis: pd.Series, gpus_per_unit: pd.Series) -> pd.Series:
    """Prices normalised to USD per GPU-hour: per GPU-hour as is, per instance-hour ÷ GPUs, per server-year ÷ (GPUs × 8,760)."""
    hours = basis.map({"gpu_hour": 1.0, "instance_hour": 1.0, "server_year": HOURS_PER_YEAR})
    per = gpus_per_unit.where(basis != "gpu_hour", 1).astype(float)
    return price_usd.astype(float) / (per * hours)


def load_gpu_prices(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``gpu_prices.csv`` and add ``usd_per_gpu_hour``.

    Beyond the schema: an observation may not be dated after the day its source was read; a per-GPU-hour price
    has one GPU per unit; a reservation states its term in whole months (or its note says 'term not stated') and other kinds state none.
    """

    def check(name: str, line: int, row: Any) -> list[Problem]:
        problems = []
        read_on = max((sources[k].accessed for k in split_sources(row.source_id) if k in sources), default="")
        if read_on and row.date > read_on:
            problems.append(Problem(name, line, row.obs_id, "date", row.date, f"a date on or before {read_on}, when its source was read"))
        if row.price_basis == "gpu_hour" and row.gpus_per_unit != 1:
            problems.append(Problem(name, line, row.obs_id, "gpus_per_unit", row.gpus_per_unit, "1 for a price per GPU-hour"))
        termed = row.price_kind in TERMED_KINDS
        stated = pd.notna(row.term_months)
        if termed and stated and float(row.term_months) != int(row.term_months):
            problems.append(Problem(name, line, row.obs_id, "term_months", row.term_months, "the reservation's term in whole months"))
        if termed and not stated and "term not stated" not in str(row.note or ""):
            problems.append(Problem(name, line, row.obs_id, "term_months", row.term_months,
                                    "the reservation's term in whole months, or a note saying 'term not stated'"))
        if not termed and pd.notna(row.term_months):
            problems.append(Problem(name, line, row.obs_id, "term_months", row.term_months, f"empty for a {row.price_kind} price"))
        return problems

    table = load_sourced_table(path, GPU_PRICES_SCHEMA, sources, "obs_id", check)
    return table.assign(date=pd.to_datetime(table["date"]),
                        usd_per_gpu_hour=usd_per_gpu_hour(table["price_usd"], table["price_basis"], table["gpus_per_unit"]))


def load_gpu_launches(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``gpu_launches.csv``: when each generation was announced and first available (shipped or rentable)."""

    def check(name: str, line: int, row: Any) -> list[Problem]:
        if row.first_available < row.announced:
            return [Problem(name, line, row.gpu, "first_available", row.first_available, f"a date on or after announced ({row.announced})")]
        return []

    table = load_sourced_table(path, GPU_LAUNCHES_SCHEMA, sources, "gpu", check)
    return table.assign(announced=pd.to_datetime(table["announced"]), first_available=pd.to_datetime(table["first_available"]))


def load_price_bands(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``price_bands.csv``: the widest quoted $/GPU-hour range per generation and price kind."""

    def check(name: str, line: int, row: Any) -> list[Problem]:
        if row.low_usd_per_gpu_hour > row.high_usd_per_gpu_hour:
            return [Problem(name, line, row.gpu, "high_usd_per_gpu_hour", row.high_usd_per_gpu_hour,
                            f"a value >= low_usd_per_gpu_hour ({row.low_usd_per_gpu_hour})")]
        return []

    return load_sourced_table(path, PRICE_BANDS_SCHEMA, sources, "gpu", check)


PLAUSIBLE_BAND_STRETCH: tuple[float, float] = (0.5, 1.5)
"""A price is plausible if it lies within its quoted band stretched to half its low end and 1.5 times its high end."""


def plausibility_problems(prices: pd.DataFrame, launches: pd.DataFrame, bands: pd.DataFrame) -> list[Problem]:
    """Prices outside their generation's quoted band (for their price kind, else any kind), and prices dated
    before their generation was first available."""
    name = "data/gpu_prices.csv"
    first = dict(zip(launches["gpu"], launches["first_available"], strict=True))
    low_k, high_k = PLAUSIBLE_BAND_STRETCH
    problems = []
    for i, row in enumerate(prices.itertuples(index=False)):
        line = i + 2
        launched = first.get(row.gpu)
        if launched is None:
            problems.append(Problem(name, line, row.obs_id, "gpu", row.gpu, "a generation with a row in data/gpu_launches.csv"))
        elif row.date < launched:
            problems.append(Problem(name, line, row.obs_id, "date", row.date.date().isoformat(),
                                    f"a date on or after {row.gpu}'s first availability ({launched.date().isoformat()})"))
        own = bands[(bands["gpu"] == row.gpu) & (bands["price_kind"] == row.price_kind)]
        band = own if not own.empty else bands[bands["gpu"] == row.gpu]
        if band.empty:
            problems.append(Problem(name, line, row.obs_id, "gpu", row.gpu, "a generation with a price band in data/price_bands.csv"))
            continue
        lo, hi = low_k * float(band["low_usd_per_gpu_hour"].min()), high_k * float(band["high_usd_per_gpu_hour"].max())
        if not lo <= row.usd_per_gpu_hour <= hi:
            problems.append(Problem(name, line, row.obs_id, "price_usd", row.price_usd,
                                    f"a price of ${lo:,.2f} to ${hi:,.2f} per GPU-hour for {row.gpu} ({row.price_kind}; "
                                    f"got ${row.usd_per_gpu_hour:,.2f} on basis {row.price_basis} with {row.gpus_per_unit} GPUs a unit)"))
    return problems


BAND_EVIDENCE_SLACK = 3.0
"""A price band may reach at most this factor beyond the prices it bounds (below the lowest, above the highest)."""

TFLOPS_RANGE: tuple[float, float] = (50.0, 50_000.0)
"""Dense TFLOPS per GPU a specification row may state (an A100 has 312 at BF16; a figure outside is a unit slip)."""


def evidence_problems(prices: pd.DataFrame, bands: pd.DataFrame, deals: pd.DataFrame, specs: pd.DataFrame) -> list[Problem]:
    """Cross-checks between tables: each price band near the prices it bounds; each single-generation comparable deal's
    implied price per GPU-hour inside its generation's bands; GPUs per NVL72 rack as the name says; TFLOPS in range."""
    problems = []
    for i, band in enumerate(bands.itertuples(index=False)):
        seen = prices[(prices["gpu"] == band.gpu) & (prices["price_kind"] == band.price_kind)]["usd_per_gpu_hour"]
        if seen.empty:
            continue
        lo, hi = float(seen.min()) / BAND_EVIDENCE_SLACK, float(seen.max()) * BAND_EVIDENCE_SLACK
        for field, value, ok in (("low_usd_per_gpu_hour", band.low_usd_per_gpu_hour, band.low_usd_per_gpu_hour >= lo),
                                 ("high_usd_per_gpu_hour", band.high_usd_per_gpu_hour, band.high_usd_per_gpu_hour <= hi)):
            if not ok:
                problems.append(Problem("data/price_bands.csv", i + 2, f"{band.gpu} {band.price_kind}", field, value,
                                        f"a bound within {BAND_EVIDENCE_SLACK:g}x of the {len(seen)} {band.gpu} {band.price_kind} "
                                        f"prices it bounds (${seen.min():,.2f} to ${seen.max():,.2f} per GPU-hour)"))
    low_k, high_k = PLAUSIBLE_BAND_STRETCH
    for i, deal in enumerate(deals.itertuples(index=False)):
        own = bands[bands["gpu"] == deal.gpu]
        value, months, gpus = deal.total_value_usd, deal.term_months, deal.gpu_count
        if own.empty or any(pd.isna(x) for x in (value, months, gpus)) or not months or not gpus:
            continue
        implied = float(value) / (float(months) * float(gpus) * HOURS_PER_MONTH)
        lo, hi = low_k * float(own["low_usd_per_gpu_hour"].min()), high_k * float(own["high_usd_per_gpu_hour"].max())
        if not lo <= implied <= hi:
            problems.append(Problem("data/comparable_deals.csv", i + 2, deal.deal_id, "total_value_usd", value,
                                    f"a value implying ${lo:,.2f} to ${hi:,.2f} per {deal.gpu} GPU-hour over {months:g} months and "
                                    f"{gpus:,.0f} GPUs (it implies ${implied:,.2f})"))
    for i, spec in enumerate(specs.itertuples(index=False)):
        value = float(spec.value)
        if spec.metric == "gpus_per_rack" and "NVL72" in str(spec.gpu) and value != 72:
            problems.append(Problem("data/gpu_specs.csv", i + 2, spec.gpu, "value", spec.value, "72, as an NVL72 rack holds"))
        if str(spec.metric).endswith("_tflops") and not TFLOPS_RANGE[0] <= value <= TFLOPS_RANGE[1]:
            problems.append(Problem("data/gpu_specs.csv", i + 2, spec.gpu, "value", spec.value,
                                    f"dense TFLOPS per GPU between {TFLOPS_RANGE[0]:g} and {TFLOPS_RANGE[1]:,.0f}"))
    return problems


def load_gpu_specs(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``gpu_specs.csv``: one value per (gpu, metric), each with a source."""
    return load_sourced_table(path, GPU_SPECS_SCHEMA, sources, "gpu")


def load_comparable_deals(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``comparable_deals.csv``: sourced terms of other compute contracts (blank = not disclosed)."""

    def check(name: str, line: int, row: Any) -> list[Problem]:
        if pd.notna(row.term_months) and float(row.term_months) != int(row.term_months):
            return [Problem(name, line, row.deal_id, "term_months", row.term_months, "a whole number of months")]
        return []

    return load_sourced_table(path, COMPARABLE_DEALS_SCHEMA, sources, "deal_id", check)


def load_published_trends(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``published_trends.csv``: price-performance and price-change trends from the literature."""

    def check(name: str, line: int, row: Any) -> list[Problem]:
        problems = []
        if row.metric == "doubling_time_years" and row.value <= 0:
            problems.append(Problem(name, line, row.trend_id, "value", row.value, "a doubling time > 0 years"))
        if row.metric == "annual_decline" and not -1 < row.value < 1:
            problems.append(Problem(name, line, row.trend_id, "value", row.value, "an annual decline in (-1, 1)"))
        if row.metric == "price_change" and (row.value <= -1 or pd.isna(row.period_months)):
            problems.append(Problem(name, line, row.trend_id, "value", row.value, "a change > -1 with its period_months"))
        if pd.notna(row.ci_low) and pd.notna(row.ci_high) and not row.ci_low <= row.value <= row.ci_high:
            problems.append(Problem(name, line, row.trend_id, "value", row.value, f"a value within [{row.ci_low}, {row.ci_high}]"))
        return problems

    return load_sourced_table(path, PUBLISHED_TRENDS_SCHEMA, sources, "trend_id", check)


def load_company_figures(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``company_figures.csv``: sourced SpaceX and Colossus figures (capex, GPU counts, power)."""
    return load_sourced_table(path, COMPANY_FIGURES_SCHEMA, sources, "id")



def load_deal_tranches(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``deal_tranches.csv``: each comparable contract's delivery tranches (start dates, GPUs, power)."""
    table = load_sourced_table(path, DEAL_TRANCHES_SCHEMA, sources, "deal_id")
    return table.assign(start_date=pd.to_datetime(table["start_date"]))


def load_tenant_fleets(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``tenant_fleets.csv``: the GPU mix behind SpaceX's other tenants' contracts."""
    return load_sourced_table(path, TENANT_FLEETS_SCHEMA, sources, "deal_id")


def load_price_pairs(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``price_pairs.csv``: two observations whose ratio measures a rack-scale premium or a term discount."""
    return load_sourced_table(path, PRICE_PAIRS_SCHEMA, sources, "pair_id")


KNOWN_STATE_IDS: tuple[str, ...] = ("known_as_of", "known_payments_made", "known_notice_served")
"""Rows data/known_state.csv must have."""


def load_known_state(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``known_state.csv``: the dated known state of the contract (payments made, notice served)."""

    def check(name: str, line: int, row: Any) -> list[Problem]:
        if row.unit == "date" and not is_iso_date(str(row.value)):
            return [Problem(name, line, row.id, "value", row.value, "a date as YYYY-MM-DD")]
        if row.unit == "count" and not str(row.value).isdigit():
            return [Problem(name, line, row.id, "value", row.value, "a whole number >= 0")]
        return []

    table = load_sourced_table(path, KNOWN_STATE_SCHEMA, sources, "id", check)
    missing = [i for i in KNOWN_STATE_IDS if i not in set(table["id"])]
    if missing:
        raise TableError([Problem(display_name(path), None, i, "id", None, "a row for each of " + ", ".join(KNOWN_STATE_IDS))
                          for i in missing])
    return table


def deal_references(deals: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Rows of ``tables`` (by file name) whose deal_id is not a deal of comparable_deals.csv."""
    known = set(deals["deal_id"])
    return [Problem(f"data/{name}.csv", i + 2, str(row.deal_id), "deal_id", row.deal_id, "a deal_id of data/comparable_deals.csv")
            for name, table in tables.items() for i, row in enumerate(table.itertuples(index=False)) if row.deal_id not in known]


RACK_SCALE: Mapping[str, str] = {"GB200": "B200", "GB300": "B300"}
"""Each rack-scale NVL72 part and the 8-GPU board of the same generation it is compared with."""


def pair_problems(pairs: pd.DataFrame, prices: pd.DataFrame) -> list[Problem]:
    """Pairs naming an unknown observation, comparing unlike things, or citing other sources than their observations."""
    name, rows = "data/price_pairs.csv", prices.set_index("obs_id")
    problems = []
    for i, pair in enumerate(pairs.itertuples(index=False)):
        line = i + 2
        ends = [(f, getattr(pair, f)) for f in ("numerator_obs", "denominator_obs")]
        unknown = [(f, v) for f, v in ends if v not in rows.index]
        problems += [Problem(name, line, pair.pair_id, f, v, "an obs_id of data/gpu_prices.csv") for f, v in unknown]
        if unknown:
            continue
        top, bottom = rows.loc[pair.numerator_obs], rows.loc[pair.denominator_obs]
        if pair.comparison == "rack_scale" and (RACK_SCALE.get(top.gpu) != bottom.gpu or top.price_kind != bottom.price_kind):
            problems.append(Problem(name, line, pair.pair_id, "denominator_obs", pair.denominator_obs,
                                    f"the same kind of price for the 8-GPU board of {top.gpu} ({RACK_SCALE.get(top.gpu, 'none')})"))
        if pair.comparison == "term" and (top.price_kind != "reserved" or pd.isna(top.term_months) or bottom.price_kind == "reserved"):
            problems.append(Problem(name, line, pair.pair_id, "numerator_obs", pair.numerator_obs,
                                    "a reservation with its term, over a price that is not a reservation"))
        cited = set(split_sources(top.source_id)) | set(split_sources(bottom.source_id))
        if set(split_sources(pair.source_id)) != cited:
            problems.append(Problem(name, line, pair.pair_id, "source_id", pair.source_id,
                                    f"the two observations' sources ({';'.join(sorted(cited))})"))
    return problems


def load_funding_rounds(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``funding_rounds.csv``: sourced rounds and valuations; a closed round states its amount."""

    def check(name: str, line: int, row: Any) -> list[Problem]:
        if row.status == "closed" and pd.isna(row.amount_usd):
            return [Problem(name, line, row.round_id, "amount_usd", row.amount_usd, "the amount raised in a closed round")]
        return []

    table = load_sourced_table(path, FUNDING_ROUNDS_SCHEMA, sources, "round_id", check)
    return table.assign(date=pd.to_datetime(table["date"]))


def load_financing(path: Path, sources: Mapping[str, Source]) -> pd.DataFrame:
    """Load ``financing.csv``: sourced rates of GPU-backed and corporate debt and of equity returns (blank = not disclosed)."""

    def check(name: str, line: int, row: Any) -> list[Problem]:
        if pd.notna(row.all_in_rate) and not 0 < row.all_in_rate < 1:
            return [Problem(name, line, row.facility_id, "all_in_rate", row.all_in_rate, "an annual rate as a decimal in (0, 1)")]
        return []

    table = load_sourced_table(path, FINANCING_SCHEMA, sources, "facility_id", check)
    return table.assign(date=pd.to_datetime(table["date"]))
