"""One computed result: ``compute(inputs)`` runs every model once; the key figures, tables, charts, notebooks, the
Sphinx extension and the briefing pack all read the frozen :class:`Results`.

``compute`` only assembles: every model lives in ``models``, and every number a page shows is a field of the
result. ``cached(inputs, folder)`` stores the result on disk under a key made of the input files' digest, the
register hash and the code version (a hash of the ``analysis`` package's source), so each model runs once per
build however many pages read it, and a change to any input or any line of code recomputes it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .core.grid import Solution
from .formatting import in_sentence, word_list
from .inputs import Inputs
from .methods import METHODS, Methods
from .models import cashflow, credit, equilibrium, market, seller, sensitivity, terms, valuation
from .models.checks import scenario_files
from .models.credit import CreditModel
from .models.equilibrium import Equilibrium
from .models.market import MarketModel
from .models.seller import Financing, SellerModel, SellerPaths, SellerReturns
from .models.sensitivity import SensitivityResults
from .models.valuation import Valuation

PACKAGE_DIR: Path = Path(__file__).resolve().parent


def code_version() -> str:
    """SHA-256 (first 16 hex digits) of every Python file of the ``analysis`` package, by path and content."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Results:
    """Every model of the book, run once on ``inputs``."""

    inputs: Inputs
    code_version: str
    methods: Methods
    deal: terms.Deal
    params: terms.Parameters
    cash: cashflow.CashflowModel
    fixed_ends: cashflow.FixedEnds
    pv_profile: cashflow.PvProfile
    market: MarketModel
    seller: SellerModel
    returns: SellerReturns
    financing: Financing
    seller_paths: SellerPaths
    credit: CreditModel
    valuation: Valuation
    equilibrium: Equilibrium
    frictionless: Solution
    sensitivity: SensitivityResults | None  # None when computed without the sensitivity analysis

    @property
    def entries_outside_headline_range(self) -> pd.DataFrame:
        """Register entries whose one-way range moves the expected value outside the headline's range (empty without
        the sensitivity analysis)."""
        if self.sensitivity is None:
            return pd.DataFrame(columns=["id", "description", "grid_min", "grid_max"])
        signing = self.equilibrium.signing
        return sensitivity.entries_outside(self.sensitivity.one_way, signing.low_usd, signing.high_usd)

    @property
    def entries_outside_words(self) -> str:
        """Those entries' descriptions in a sentence, widest first ('none' when there are none)."""
        rows = self.entries_outside_headline_range
        if rows.empty:
            return "none"
        return word_list([in_sentence(d) for d in rows["description"]], "; ", "; and ")

    @property
    def assumption_label(self) -> str:
        """The assumption set and register hash the results were computed under."""
        return self.inputs.assumption_label


Progress = Callable[[str], None]
"""Told what compute is about to do, step by step (the command line prints it with the time taken so far)."""


def compute(inputs: Inputs, with_sensitivity: bool = True, methods: Methods = METHODS, progress: Progress | None = None) -> Results:
    """Run every model of the book on ``inputs`` (seeded; the same inputs always give the same result).

    ``with_sensitivity=False`` skips the sensitivity analysis (hundreds of re-runs), for checks that need only the
    models themselves; the key figures then have no sensitivity figures. ``progress``, if given, is told each step.
    """
    say = progress or (lambda _step: None)
    steps = 6 if with_sensitivity else 5
    say(f"1/{steps} contract terms, cash flows and Reflection's funding runway")
    deal, params = terms.deal(inputs), terms.parameters(inputs)
    cash = cashflow.cashflow_model(deal, params, alt_notice_earliest_month=int(inputs.assumption("deal.notice_earliest_month", "low")))
    buyer = credit.credit_model(inputs, params, deal, cash.schedule.months, cash.pv_by_month)
    capacity = seller.seller_model(inputs, params, cash)
    returns = seller.seller_returns(params, capacity, cash, methods)
    say(f"2/{steps} the exit game: every model choice solved exactly, then {methods.valuation_paths:,} simulated paths")
    val = valuation.run(params, cash, buyer.survival, methods)
    say(f"3/{steps} the market: rental indices, price by age and comparables")
    prices = market.market_model(inputs, deal, params, cash.clause.term_months, methods)
    say(f"4/{steps} SpaceX's returns across paths")
    fixed = cashflow.fixed_ends(cash, methods)
    profile = cashflow.pv_profile(deal, params, cash, val.headline.outcome.end_month, buyer.survival, methods)
    paths = seller.seller_paths(params, cash, capacity, val.headline.outcome.end_month, val.headline.ratio, methods.seller_paths,
                                methods.error_batches)
    say(f"5/{steps} equilibrium: the signing map, repricing, alternatives, credit support, the known state")
    eq = equilibrium.equilibrium_model(inputs, deal, params, cash, buyer.survival, val, methods,
                                       prices.tenant_gb300_equivalent.get("spacex_anthropic"))
    if with_sensitivity:
        say(f"6/{steps} sensitivity: one entry at a time, the scenarios and the global analysis (the longest step)")
    return Results(
        inputs=inputs, code_version=code_version(), methods=methods, deal=deal, params=params, cash=cash,
        fixed_ends=fixed, pv_profile=profile, market=prices,
        seller=capacity, returns=returns, financing=seller.financing(params, cash, capacity, returns.full_term_flows),
        seller_paths=paths, credit=buyer, valuation=val, equilibrium=eq,
        frictionless=valuation.frictionless(params, cash, methods),
        sensitivity=sensitivity.run(inputs, scenario_files(), methods) if with_sensitivity else None,
    )


def cache_key(inputs: Inputs) -> str:
    """The cache key of ``inputs``: input files' digest, register hash and code version."""
    return f"{inputs.inputs_digest}-{inputs.assumption_hash}-{code_version()}"


CACHE_KEEP = 6
"""Results the cache keeps, most recently used first (each is about 40 MB); older ones are removed as new ones arrive."""


STALE_TMP_SECONDS = 3600
"""A temporary file older than this is left over from an interrupted write (a compute takes well under a minute)."""


def prune_cache(folder: Path, keep: int = CACHE_KEEP) -> list[Path]:
    """Remove all but the ``keep`` most recently used results in ``folder``, and temporary files an interrupted write
    left behind; return what was removed."""
    results = sorted(Path(folder).glob("results-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    stale = time.time() - STALE_TMP_SECONDS
    removed = results[keep:] + [p for p in Path(folder).glob("*.tmp") if p.stat().st_mtime < stale]
    for path in removed:
        try:
            path.unlink()
        except OSError:
            pass  # another build may have removed or be reading it
    return removed


def cached(inputs: Inputs, folder: Path | None, progress: Progress | None = None) -> Results:
    """``compute(inputs)``, stored in and read back from ``folder`` (no cache when ``folder`` is None).

    The file is written to a temporary name and renamed, so a reader never sees half a result; a cache
    file that cannot be read is recomputed and replaced. Reading a result marks it used; writing one prunes the folder
    to the ``CACHE_KEEP`` most recently used.
    """
    if folder is None or not inputs.inputs_digest:
        return compute(inputs, progress=progress)
    path = Path(folder) / f"results-{cache_key(inputs)}.pickle"
    if path.exists():
        try:
            with path.open("rb") as handle:
                result = pickle.load(handle)
            if isinstance(result, Results) and result.inputs.assumption_hash == inputs.assumption_hash:
                try:
                    os.utime(path)
                except OSError:
                    pass
                return result
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass
    result = compute(inputs, progress=progress)
    tmp: str | None = None
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, delete=False, suffix=".tmp") as out:
            tmp = out.name
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        prune_cache(Path(folder))
    except OSError:
        pass  # a cache that cannot be written only costs time
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return result
