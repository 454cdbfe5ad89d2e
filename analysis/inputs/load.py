"""Load every input table and the bibliography at once, reporting every table's problems together."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .bibliography import load_bibliography
from .readers import (
    deal_references,
    evidence_problems,
    load_company_figures,
    load_comparable_deals,
    load_deal_tranches,
    load_financing,
    load_funding_rounds,
    load_gpu_launches,
    load_gpu_prices,
    load_gpu_specs,
    load_known_state,
    load_price_bands,
    load_price_pairs,
    load_published_trends,
    load_tenant_fleets,
    pair_problems,
    plausibility_problems,
)
from .register import apply_overrides, load_assumptions, load_plausible
from .terms import load_deal_terms
from .types import BASE_ASSUMPTION_SET, Inputs, Problem, TableError

REPOSITORY: Path = Path(__file__).resolve().parent.parent.parent
"""The repository root (the folder holding data/, scenarios/ and editions/)."""


def default_data_dir() -> Path:
    """The ``data/`` folder of this repository."""
    return REPOSITORY / "data"


def inputs_digest(data_dir: Path, overrides: Path | None = None) -> str:
    """SHA-256 (first 16 hex digits) over every file in ``data_dir`` (name and bytes) and the what-if file, if any."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(data_dir).iterdir() if p.is_file()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    if overrides is not None:
        digest.update(b"overrides\0" + Path(overrides).read_bytes())
    return digest.hexdigest()[:16]


def load_inputs(data_dir: Path | None = None, overrides: Path | None = None) -> Inputs:
    """Load and validate every table in ``data_dir`` (default: the repository's ``data/``).

    ``overrides`` names a what-if file whose rows replace register entries (the command line and the book
    read it from $DEAL_BOOK_ASSUMPTIONS; this function never reads the environment).
    """
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    sources = load_bibliography(data_dir / "references.bib")
    problems: list[Problem] = []
    try:
        terms, terms_table = load_deal_terms(data_dir / "deal_terms.csv", sources)
    except TableError as exc:  # report every table's problems at once
        problems.extend(exc.problems)
    try:
        assumptions, assumptions_table = load_assumptions(data_dir / "assumptions.csv", sources)
        assumptions = load_plausible(data_dir / "plausible_ranges.csv", sources, assumptions)
    except TableError as exc:
        problems.extend(exc.problems)
    market = {}
    for name, loader in (("gpu_prices", load_gpu_prices), ("gpu_specs", load_gpu_specs),
                         ("gpu_launches", load_gpu_launches), ("price_bands", load_price_bands),
                         ("comparable_deals", load_comparable_deals), ("published_trends", load_published_trends),
                         ("company_figures", load_company_figures), ("funding_rounds", load_funding_rounds),
                         ("financing", load_financing), ("deal_tranches", load_deal_tranches),
                         ("tenant_fleets", load_tenant_fleets), ("price_pairs", load_price_pairs),
                         ("known_state", load_known_state)):
        try:
            market[name] = loader(data_dir / f"{name}.csv", sources)
        except TableError as exc:
            problems.extend(exc.problems)
    if problems:
        raise TableError(problems)
    problems = plausibility_problems(market["gpu_prices"], market["gpu_launches"], market["price_bands"])
    problems += deal_references(market["comparable_deals"], {n: market[n] for n in ("deal_tranches", "tenant_fleets")})
    problems += pair_problems(market["price_pairs"], market["gpu_prices"])
    problems += evidence_problems(market["gpu_prices"], market["price_bands"], market["comparable_deals"], market["gpu_specs"])
    if problems:
        raise TableError(problems)
    assumption_set = BASE_ASSUMPTION_SET
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
        assumption_set=assumption_set,
        inputs_digest=inputs_digest(data_dir, overrides),
        **market,
    )
