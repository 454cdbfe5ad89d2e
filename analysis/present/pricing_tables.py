"""Tables of the Compute pricing chapter, as DataFrames of formatted text: price by age, every trend estimate, the index
readings, committed against flexible prices, comparable contracts like for like, SpaceX's tenants by fleet mix,
prices per unit of throughput, and Colossus 2 against its tenants."""

from __future__ import annotations

import pandas as pd

from ..formatting import describe_decline, describe_step, format_count, format_percent, format_usd, format_value

NOT_DERIVABLE = "—"


def _usd(x: float, unit: str = "usd_per_gpu_hour") -> str:
    return format_value(float(x), unit).replace("/GPU-hour", "").replace("/PFLOP-hour", "") if pd.notna(x) else NOT_DERIVABLE


def profile_table(fits: pd.DataFrame) -> pd.DataFrame:
    """The price-by-age profile fitted on each group of price kinds: slope, step, intervals and whether the data
    identify them (``results.market.fits.by_kind``)."""
    rows = []
    for row in fits.itertuples(index=False):
        fitted = pd.notna(getattr(row, "annual_decline", float("nan")))
        rows.append({
            "Prices": row.kinds, "Prices fitted": f"{row.n_obs:,d} ({row.generations} generations)",
            "Change with age": (f"{describe_decline(row.annual_decline)} ({describe_decline(row.ci_low)} to "
                                f"{describe_decline(row.ci_high)}): {row.identified}") if fitted else NOT_DERIVABLE,
            "Step when the successor arrives": (f"{describe_step(row.step_share)} ({describe_step(row.step_low)} to "
                                                f"{describe_step(row.step_high)}): {row.step_identified}") if fitted else NOT_DERIVABLE,
            "Why": row.reason})
    return pd.DataFrame(rows).set_index("Prices")


def trend_table(trends: pd.DataFrame) -> pd.DataFrame:
    """Every estimate of how fast rental prices change, side by side (``results.market.trends_table``): ours with its
    interval and whether the data identify it, the published trends, and the cases the model uses."""
    rows = []
    for row in trends.itertuples(index=False):
        change = describe_decline(float(row.annual_decline)) if pd.notna(row.annual_decline) else "not fitted"
        interval = f"{describe_decline(float(row.ci_low))} to {describe_decline(float(row.ci_high))}" if pd.notna(row.ci_low) else NOT_DERIVABLE
        if row.status == "the model's cases":
            interval += " (low and high cases)"
        status = {"yes": "identified", "no": "no trend identified"}.get(row.status, row.status)
        if row.reason:
            status += f": {row.reason}"
        rows.append({"Estimate": row.estimate, "Annual change": change, "Interval": interval, "Identified?": status, "Basis": row.basis})
    return pd.DataFrame(rows).set_index("Estimate")


def reading_date(date: pd.Timestamp, note: str) -> str:
    """A reading's date as the table shows it: '13 May 2026', or '2026 (year only)' where its source gives only the year
    (the data set such a date to 1 July and say 'year only' in the note)."""
    return f"{date:%Y} (year only)" if "year only" in str(note).lower() else f"{date:%d %b %Y}"


def index_table(readings: pd.DataFrame) -> pd.DataFrame:
    """Each index reading as quoted and carried to a GB300 NVL72 GPU-hour, and whether it sets the level
    (``results.market.index_readings``)."""
    rows = []
    for r in readings.itertuples(index=False):
        rack = "none (rack-scale)" if r.rack_premium == 1 else format_value(r.rack_premium - 1.0, "premium_words")
        rows.append({"Index": r.provider, "Date": reading_date(r.date, r.note), "As quoted": f"{_usd(r.usd_per_gpu_hour)} ({r.gpu})",
                     "× throughput": f"{r.throughput_ratio:.2f}", "Rack-scale premium": rack,
                     "GB300 NVL72 GPU-hour": _usd(r.gb300_usd_per_gpu_hour), "Per PFLOP-hour": _usd(r.gb300_usd_per_pflop_hour),
                     "Sets the level?": ("yes" if r.sets_level == "yes" else
                                         "no: built from hyperscaler prices" if r.provider_tier != "market" else
                                         "no: a reading of the same series nearer the start counts")})
    return pd.DataFrame(rows).set_index("Index")


def pairs_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs of quotes and the ratio each measures, per GPU-hour and per PFLOP (``results.market.pairs``)."""
    return pd.DataFrame([{"Pair": r.label, "Numerator": f"{_usd(r.numerator_usd_per_gpu_hour)} ({r.numerator_gpu})",
                          "Denominator": f"{_usd(r.denominator_usd_per_gpu_hour)} ({r.denominator_gpu})",
                          "Ratio per GPU-hour": f"{r.ratio_per_gpu_hour:.2f}", "Ratio per PFLOP": f"{r.ratio_per_pflop:.2f}",
                          "Measures": "rack-scale premium" if r.comparison == "rack_scale" else "term discount"}
                         for r in pairs.itertuples(index=False)]).set_index("Pair")


def terms_table(terms: pd.DataFrame) -> pd.DataFrame:
    """Committed prices as a share of flexible ones (``results.market.terms_table``)."""
    return pd.DataFrame([{"Price": r.comparison, "Term": f"{r.term_months:.0f} months" if pd.notna(r.term_months) else "cancellable",
                          "Share of the flexible price": format_percent(r.ratio, 0), "Basis": r.basis}
                         for r in terms.itertuples(index=False)]).set_index("Price")


def comparables_table(comparables: pd.DataFrame) -> pd.DataFrame:
    """Comparable contracts with their disclosed terms and implied prices, naive and with the delivery ramp, per
    GPU-hour and per PFLOP-hour (``results.market.comparables``)."""
    rows = []
    for row in comparables.itertuples(index=False):
        naive = _usd(row.usd_per_gpu_hour)
        rows.append({
            "Deal": f"{row.buyer} from {row.seller}", "GPU": row.gpu,
            "Monthly value": format_usd(float(row.monthly_usd)) if pd.notna(row.monthly_usd) else "not disclosed",
            "Term (months)": f"{int(row.term_months)}" if pd.notna(row.term_months) else "not disclosed",
            "GPUs": format_count(float(row.gpu_count)) if pd.notna(row.gpu_count) else "not disclosed",
            "$/GPU-hour, final GPUs": naive, "$/GPU-hour, with the ramp": _usd(row.ramp_usd_per_gpu_hour),
            "$/PFLOP-hour": _usd(row.ramp_usd_per_pflop_hour if pd.notna(row.ramp_usd_per_pflop_hour) else row.usd_per_pflop_hour),
            "Basis": row.basis if pd.isna(row.ramp_usd_per_gpu_hour) else f"{row.basis}; ramp: {row.ramp_basis}"})
    return pd.DataFrame(rows).set_index("Deal")


def fleet_table(tenants: pd.DataFrame, level_usd_per_gpu_hour: float) -> pd.DataFrame:
    """SpaceX's other tenants by fleet mix: price per GPU-hour and per PFLOP-hour, its GB300 equivalent and that
    against flexible GB300 capacity (``results.market.tenants``)."""
    rows = []
    for r in tenants.itertuples(index=False):
        known = pd.notna(r.gb300_usd_per_gpu_hour)
        rows.append({"Tenant": r.tenant + (" (Colossus 1 only)" if r.deal_id.endswith("colossus1") else ""),
                     "Monthly fee": format_usd(r.monthly_usd), "GPUs": format_count(r.gpus), "Fleet": r.fleet,
                     "$/GPU-hour": _usd(r.usd_per_gpu_hour), "$/PFLOP-hour": _usd(r.usd_per_pflop_hour),
                     "As a GB300 GPU-hour": _usd(r.gb300_usd_per_gpu_hour),
                     "Against flexible GB300": format_value(r.gb300_usd_per_gpu_hour / level_usd_per_gpu_hour - 1.0, "premium_words")
                     if known else "not derivable: GPU type not disclosed"})
    return pd.DataFrame(rows).set_index("Tenant")


def performance_table(performance: pd.DataFrame) -> pd.DataFrame:
    """Median observed prices per generation beside dense BF16 throughput and the price per PFLOP-hour
    (``results.market.performance``)."""
    return pd.DataFrame(
        [{"Price": r.label, "$/GPU-hour": _usd(r.usd_per_gpu_hour), "Dense BF16 TFLOP/s": f"{r.dense_tflops:,.0f}",
          "$ per PFLOP/s-hour": _usd(r.usd_per_pflop_hour)} for r in performance.itertuples(index=False)]
    ).set_index("Price")


def capacity_table(capacity: pd.DataFrame) -> pd.DataFrame:
    """Colossus 2's planned GPUs and stated power against its tenants, in IT and facility megawatts
    (``results.market.capacity_table``)."""
    def mw(x: float) -> str:
        return f"{x:,.0f} MW" if pd.notna(x) else NOT_DERIVABLE

    return pd.DataFrame([{"Item": r.item, "GPUs": format_count(r.gpus) if pd.notna(r.gpus) else NOT_DERIVABLE,
                          "IT power": mw(r.it_mw), "Facility power": mw(r.facility_mw), "Power as stated": mw(r.stated_mw),
                          "Basis": r.basis} for r in capacity.itertuples(index=False)]).set_index("Item")
