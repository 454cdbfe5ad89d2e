"""Tables for the book: DataFrames of formatted text, built once here so notebooks never hand-format columns."""

from __future__ import annotations

import platform
import re
from collections.abc import Iterable, Sequence
from importlib.metadata import version

import pandas as pd

from ..formatting import UNIT_WORDS, format_date, format_percent, format_usd, format_value, format_with_unit
from ..inputs import Inputs
from ..keyfigures import KeyFigures
from ..models.terms import Deal
from ..models.valuation import HEADLINE, CrossCheck, Estimate, Summary
from .editions import Change, Edition, Reason

CONFIDENCE_WORDS: dict[str, str] = {
    "primary": "Primary (filing or company's own words)",
    "reported": "Reported (news)",
    "analyst_estimate": "Analyst estimate",
    "assumption": "Our assumption",
}


def _outlets(inputs: Inputs, keys: Iterable[str]) -> str:
    return "; ".join(inputs.sources[k].outlet for k in keys)


def terms_table(inputs: Inputs) -> pd.DataFrame:
    """The reported deal terms: value as written in the book, sources (outlets) and confidence."""
    rows = []
    for term in inputs.terms.values():
        value = term.value.isoformat() if hasattr(term.value, "isoformat") else term.value
        rows.append(
            {
                "Term": term.label,
                "Value": format_with_unit(value, term.unit) if term.unit != "text" else value,
                "Reported by": _outlets(inputs, term.source_ids),
                "Confidence": CONFIDENCE_WORDS[term.confidence],
            }
        )
    return pd.DataFrame(rows).set_index("Term")


def sources_table(inputs: Inputs, keys: Iterable[str]) -> pd.DataFrame:
    """Bibliography entries ``keys``: outlet, title, date, address and the date we read it."""
    rows = []
    for key in dict.fromkeys(keys):
        source = inputs.sources[key]
        rows.append(
            {
                "Key": key,
                "Outlet": source.outlet,
                "Title": source.title,
                "Published": source.date,
                "Read on": source.accessed,
                "Address": source.url,
            }
        )
    return pd.DataFrame(rows).set_index("Key")


def term_source_keys(inputs: Inputs) -> list[str]:
    """Every bibliography key cited by a deal term, in first-use order."""
    return list(dict.fromkeys(k for t in inputs.terms.values() for k in t.source_ids))


def key_figures_table(figures: KeyFigures, chapter: str | None = None) -> pd.DataFrame:
    """Key figures (optionally of one chapter): id, label, value with its unit written out (a simulated figure to the
    digits its error supports), its standard error, and derivation."""
    rows = [
        {"Id": f.id, "Figure": f.label, "Value": f.formatted if f.se is not None else format_with_unit(f.value, f.unit),
         "Standard error": f.formatted_se or "exact", "Derivation": f.derivation}
        for f in figures.values()
        if chapter is None or f.chapter == chapter
    ]
    return pd.DataFrame(rows).set_index("Id")


def source_line(inputs: Inputs, term_ids: Iterable[str]) -> str:
    """A figure's source line: the outlets behind the deal terms it draws on."""
    keys = dict.fromkeys(k for t in term_ids for k in inputs.terms[t].source_ids)
    return "deal terms as reported by " + _outlets(inputs, keys) + "; model calculations."


def valuation_table(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    """Valuations side by side: label, method, present value in USD and what drives it."""

    return pd.DataFrame(
        [{"Valuation": label, "Method": method, "Present value": format_usd(value), "What it assumes": note}
         for label, method, value, note in rows]
    ).set_index("Valuation")


def scenario_table(fixed_ends: pd.DataFrame) -> pd.DataFrame:
    """Fixed termination scenarios (``results.fixed_ends.frame``): months paid, revenue and present value."""

    return pd.DataFrame(
        [{"Scenario": r.label, "Months paid": f"{r.months}", "Revenue": format_usd(float(r.revenue_usd)), "Present value": format_usd(float(r.pv_usd))}
         for r in fixed_ends.itertuples(index=False)]
    ).set_index("Scenario")


def figures_table(figures: KeyFigures, ids: list[str], column: str = "Value") -> pd.DataFrame:
    """Selected key figures as label and value (with its unit written out), in the order given."""
    return pd.DataFrame([{"Figure": figures[i].label, column: format_with_unit(figures[i].value, figures[i].unit)}
                         for i in ids]).set_index("Figure")


def tenants_table(comparables: pd.DataFrame, deal_ids: Sequence[str], deal: Deal, term_months: int) -> pd.DataFrame:
    """SpaceX's compute tenants side by side with Reflection: fee, term, GPUs, implied price and exit terms."""

    priced = comparables.set_index("deal_id")
    rows = []
    for d in deal_ids:
        r = priced.loc[d]
        rows.append({"Tenant": r["buyer"], "Monthly fee": format_usd(float(r["monthly_usd"])),
                     "From": format_date(r["start_date"]) if pd.notna(r["start_date"]) else "not disclosed",
                     "Term (months)": f"{int(r['term_months'])}", "GPUs": f"{int(r['gpu_count']):,}",
                     "Implied $/GPU-hour": f"${r['usd_per_gpu_hour']:,.2f}", "Exit": r["termination"]})
    rows.append({"Tenant": deal.buyer, "Monthly fee": format_usd(deal.monthly_payment_usd), "From": format_date(deal.start_date),
                 "Term (months)": str(term_months), "GPUs": "not disclosed", "Implied $/GPU-hour": "not derivable",
                 "Exit": f"Either party on {deal.notice_days} days' notice after the first {deal.lock_in_months} months"})
    return pd.DataFrame(rows).set_index("Tenant")


def register_value(value: float, unit: str) -> str:
    """A register value as the book writes it, with its unit: shares and rates as percentages (whole where whole),
    prices per kWh to the tenth of a cent, months and years written out; every other unit as ``format_value`` does."""
    if unit in ("ratio", "rate_annual"):
        return format_percent(value, digits=1 if round(value * 100, 6) != round(value * 100) else 0)
    if unit == "usd_per_kwh":
        return f"${value:,.3f}/kWh"
    if unit in UNIT_WORDS:
        return format_with_unit(value, unit)
    return format_value(value, "multiple_2" if unit == "multiple" else unit)


def register_table(inputs: Inputs) -> pd.DataFrame:
    """The assumption register as the book prints it, five columns wide so it fits the text column: the values with
    their units, the reasons for the low, base and high cases, the sources with their confidence and the supported
    range; under a what-if, overridden rows say so and give the override note.

    An overridden row's reasons are the base register's, kept for reference and marked as such: the values
    shown are the what-if's.
    """
    rows = []
    for a in inputs.assumptions.values():
        mark = " (base register's reason; value overridden)" if a.override_note else ""
        row = {"Id": a.id, "Assumption": a.description,
               "Low, base, high": (f"low {register_value(a.low, a.unit)}; base {register_value(a.base, a.unit)}; "
                                   f"high {register_value(a.high, a.unit)}"),
               "Why": f"Low: {a.rationale_low} Base: {a.rationale_base} High: {a.rationale_high}{mark}",
               "Sources and confidence": "; ".join(inputs.sources[k].outlet for k in a.source_ids)
                                         + f". Confidence: {CONFIDENCE_WORDS[a.confidence].lower()}.",
               "Supported range": f"{register_value(a.supported_min, a.unit)} to {register_value(a.supported_max, a.unit)}"}
        if inputs.is_what_if:
            row["Override"] = a.override_note or "—"
        rows.append(row)
    return pd.DataFrame(rows).set_index("Id")


def data_inventory(inputs: Inputs) -> pd.DataFrame:
    """Rows, distinct sources and confidence mix of each data table."""
    tables_ = {"deal_terms.csv": inputs.terms_table, "assumptions.csv": inputs.assumptions_table,
               "gpu_prices.csv": inputs.gpu_prices, "gpu_specs.csv": inputs.gpu_specs,
               "comparable_deals.csv": inputs.comparable_deals, "published_trends.csv": inputs.published_trends,
               "company_figures.csv": inputs.company_figures}
    rows = []
    for name, table in tables_.items():
        keys = {k for value in table["source_id"] for k in value.split(";")}
        counts = table["confidence"].value_counts()
        row = {"File": f"data/{name}", "Rows": len(table), "Sources": len(keys)}
        row.update({CONFIDENCE_WORDS[c]: int(counts.get(c, 0)) for c in CONFIDENCE_WORDS})
        rows.append(row)
    return pd.DataFrame(rows).set_index("File")


def versions_table(packages: list[str]) -> pd.DataFrame:
    """Installed versions of ``packages`` and of Python."""

    rows = [{"Package": "python", "Version": platform.python_version()}]
    rows += [{"Package": p, "Version": version(p)} for p in packages]
    return pd.DataFrame(rows).set_index("Package")


def show_full_tables() -> None:
    """Print tables whole in the book: no truncated cells or rows (pandas display options)."""
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.width", 250)


INDEX_HEADER = re.compile(r"(<thead>\s*<tr[^>]*>\s*)<th></th>(.*?</tr>)\s*<tr>\s*<th>(.*?)</th>(?:\s*<th></th>)*\s*</tr>", re.S)
"""pandas' two header rows for a named index: the column names after an empty cell, then the index name alone."""


def table_html(table: pd.DataFrame) -> str:
    """The table as pandas writes it, with a named index's name moved into the one header row (pandas gives it a row of
    its own, which reads as an empty row at the top of every table)."""
    text = table._repr_html_() or ""
    if isinstance(table.columns, pd.MultiIndex) or isinstance(table.index, pd.MultiIndex):
        return text
    return INDEX_HEADER.sub(lambda m: f"{m.group(1)}<th>{m.group(3)}</th>{m.group(2)}", text, count=1)


CHANGE_KINDS: dict[str, str] = {"model": "Model change", "data": "New or corrected data", "assumption": "Assumption change",
                                "convention": "Convention", "correction": "Correction", "new": "New figure",
                                "withdrawn": "Withdrawn"}
"""How the What-changed page names each kind of reason."""


def _reason_numbers(changes: Sequence[Change]) -> dict[Reason, str]:
    """Each reason the changes cite, numbered R1, R2, ... in order of first citation."""
    numbers: dict[Reason, str] = {}
    for change in changes:
        for reason in change.reasons:
            numbers.setdefault(reason, f"R{len(numbers) + 1}")
    return numbers


def changes_table(changes: Sequence[Change]) -> pd.DataFrame:
    """Key figures that moved between two editions (or since the last one): before, after, by how much, and the
    numbers of the reasons behind it (listed once each by ``reasons_table``)."""
    numbers = _reason_numbers(changes)
    rows = [{"Id": c.id, "Figure": c.label, "Before": c.before, "After": c.after, "Change": c.change,
             "Why": ", ".join(numbers[r] for r in c.reasons) or "no reason on record"}
            for c in changes]
    return pd.DataFrame(rows, columns=["Id", "Figure", "Before", "After", "Change", "Why"]).set_index("Id")


def reasons_table(changes: Sequence[Change]) -> pd.DataFrame:
    """The reasons the changes cite, once each: number, kind, the reason, and how many figures it explains."""
    numbers = _reason_numbers(changes)
    counts = {reason: sum(reason in c.reasons for c in changes) for reason in numbers}
    rows = [{"Reason": number, "Kind": CHANGE_KINDS[reason.kind], "What changed and why": reason.reason,
             "Figures": counts[reason]} for reason, number in numbers.items()]
    return pd.DataFrame(rows, columns=["Reason", "Kind", "What changed and why", "Figures"]).set_index("Reason")


def editions_table(editions: Sequence[Edition]) -> pd.DataFrame:
    """Recorded editions: number, date, commit, assumption set and how many key figures each holds."""
    rows = [{"Edition": e.number, "Date": e.date, "Commit": e.commit[:12], "Assumption set": e.assumption_set,
             "Register hash": e.assumption_hash, "Key figures": len(e.figures)} for e in editions]
    return pd.DataFrame(rows, columns=["Edition", "Date", "Commit", "Assumption set", "Register hash", "Key figures"]).set_index("Edition")


def funding_table(rounds: pd.DataFrame) -> pd.DataFrame:
    """A company's funding rounds as reported: date, status, amount, valuation and NVIDIA's part."""
    status = {"closed": "closed", "in_talks": "reported in talks", "reported_valuation_only": "valuation only"}

    def usd(x: float) -> str:
        return format_usd(float(x)) if pd.notna(x) else "not disclosed"

    rows = [{"Date": format_date(r.date.date()), "Status": status[r.status], "Amount": usd(r.amount_usd),
             "Pre-money": usd(r.pre_money_usd), "Post-money": usd(r.post_money_usd), "NVIDIA": usd(r.nvidia_amount_usd),
             "Confidence": CONFIDENCE_WORDS[r.confidence]} for r in rounds.sort_values("date").itertuples(index=False)]
    return pd.DataFrame(rows).set_index("Date")


def financing_table(financing: pd.DataFrame) -> pd.DataFrame:
    """Debt and equity rates for GPU capacity as reported: instrument, rate, and whose contracts back it."""
    rows = []
    for r in financing.sort_values("date").itertuples(index=False):
        if pd.notna(r.all_in_rate):
            rate = format_percent(float(r.all_in_rate))
        elif pd.notna(r.spread_bps):
            rate = f"{r.base_rate or 'base rate'} + {format_percent(float(r.spread_bps) / 10_000, 2)}"
        else:
            rate = "not disclosed"
        rows.append({"Facility": f"{r.borrower}: {r.instrument.replace('_', ' ')}", "Date": format_date(r.date.date()), "Rate": rate,
                     "Backed by": r.credit_of_contract if isinstance(r.credit_of_contract, str) else "not stated"})
    return pd.DataFrame(rows).set_index("Facility")


def model_choice_table(rows: Sequence[Summary]) -> pd.DataFrame:
    """The model-choice table: who may exit, price process, exercise rule and credit, against the exact expected present
    value, running to term and expected life, and the simulated P10–P90 range (to the digits its error supports); the
    headline row marked."""
    return pd.DataFrame(
        [{"Who may exit": r.choice.who.table, "Price process": r.choice.process.table, "Exercise rule": r.choice.rule.table,
          "Default risk": r.choice.credit.table,
          "Expected PV": format_usd(r.expected_pv_usd) + (" (headline)" if r.choice == HEADLINE else ""),
          "P10–P90 (simulated)": f"{format_value(r.pv_p10.value, 'usd', r.pv_p10.se)} – {format_value(r.pv_p90.value, 'usd', r.pv_p90.se)}",
          "Runs to term": format_percent(r.prob_full_term), "Expected life (months)": f"{r.expected_life_months:.1f}"}
         for r in rows]
    ).set_index(["Who may exit", "Price process", "Exercise rule", "Default risk"])


def cross_check_table(checks: Sequence[CrossCheck]) -> pd.DataFrame:
    """Least-squares Monte Carlo against the exact solver, per optimal-rule choice: the exact expected present value,
    the cubic-basis and boundary-knot estimates with their standard errors, and each one's bias."""
    def estimate(e: Estimate) -> str:
        return f"{format_usd(e.value)} ± {format_usd(e.se)}"

    return pd.DataFrame(
        [{"Who may exit": c.choice.who.table, "Price process": c.choice.process.table, "Default risk": c.choice.credit.table,
          "Exact (grid)": format_usd(c.exact_usd), "LSM, cubic basis": estimate(c.cubic),
          "Bias, cubic": format_value(c.cubic_bias, "signed_percent"), "LSM, with the boundary knot": estimate(c.with_knot),
          "Bias, knot": format_value(c.knot_bias, "signed_percent")} for c in checks]
    ).set_index(["Who may exit", "Price process", "Default risk"])


def sobol_table(indices: pd.DataFrame, inputs: Inputs, outputs: dict[str, str]) -> pd.DataFrame:
    """Total Sobol' indices with their 95% confidence half-widths, one column per output, entries by the first output's
    index; an index whose interval includes zero is marked as not distinguishable from no effect."""
    def cell(row: pd.Series) -> str:
        text = f"{format_percent(float(row['ST']))} ± {format_percent(float(row['ST_conf']))}"
        return text + " (n.s.)" if float(row["ST"]) - float(row["ST_conf"]) <= 0 else text

    first = next(iter(outputs))
    order = indices[indices["output"] == first].sort_values("ST", ascending=False)["id"].tolist()
    table = {label: indices[indices["output"] == key].set_index("id").loc[order].apply(cell, axis=1).tolist()
             for key, label in outputs.items()}
    return pd.DataFrame(table, index=pd.Index([inputs.assumptions[i].description for i in order], name="Register entry"))


def methods_table(rows: Sequence[tuple[str, object, str]]) -> pd.DataFrame:
    """The method register (``analysis.methods.method_rows``): each setting, its value and the reason for it."""
    def shown(value: object) -> str:
        if isinstance(value, tuple):
            return ", ".join(str(v) for v in value) if len(value) <= 4 else f"{value[0]} to {value[-1]} ({len(value)} values)"
        return f"{value:,}" if isinstance(value, int) else str(value)

    return pd.DataFrame([{"Setting": name, "Value": shown(value), "Why": reason} for name, value, reason in rows]).set_index("Setting")


def scenario_outputs_table(scenarios: pd.DataFrame, outputs: dict[str, str]) -> pd.DataFrame:
    """The bear, base and bull outputs (``results.sensitivity.scenarios``), each formatted by what it measures."""
    units = {"expected_pv_usd": "usd", "prob_full_term": "ratio_percent", "seller_irr_full_term": "rate_annual",
             "payback_months": "crossover_payback"}
    labels = {**outputs, "prob_full_term": "Probability the contract runs to term"}
    return pd.DataFrame({case: [format_value(int(v) if units[o] == "crossover_payback" else float(v), units[o])
                                for o, v in scenarios[case].items()] for case in scenarios.columns},
                        index=pd.Index([labels[o] for o in scenarios.index], name="Output"))
