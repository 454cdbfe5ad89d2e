"""Key figures: every number the book cites, with a stable id, its unit and a derivation that a test can evaluate.

A figure is defined by an *expression* over named quantities, and both its value and its derivation come from that
one expression, so the two cannot drift apart. The leaves name where a quantity comes from:

* ``deal.monthly_payment_usd`` — another key figure (defined earlier);
* ``assumptions[finance.discount_rate, base]`` — a case of a register entry;
* ``deal_terms[monthly_payment_usd]``, ``company_figures[…]``, ``gpu_specs[GB300, bf16_dense_tflops]`` — a row of ``data/``;
* ``results.seller.gpus`` — a field of the computed result (``analysis.results.Results``);
* ``conventions.HOURS_PER_MONTH``, ``methods.valuation_paths`` — a convention or a method setting;
* the number ``1``.

They combine with ×, ÷, + and −. The derivation is the rendered expression, then, after " — ", a note saying how a
result field was computed (the ``module.function`` behind it, its paths or its sample).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from .. import conventions
from ..formatting import format_value
from ..inputs import Inputs
from ..results import Results

NOTE_SEPARATOR: str = " — "
"""Separates a derivation's formula from its note."""


@dataclass(frozen=True)
class KeyFigure:
    """One cited number: id, label, value in ``unit``, how it was derived and which chapter defines it."""

    id: str
    label: str
    value: float | int | str
    unit: str
    derivation: str
    chapter: str
    se: float | None = None  # a simulated figure's standard error (None: computed exactly)
    se_formula: str = ""  # where the standard error comes from (a result field)

    @property
    def formatted(self) -> str:
        """The value as the book writes it (a simulated figure to no more digits than its error supports)."""
        return format_value(self.value, self.unit, self.se)

    @property
    def formatted_se(self) -> str:
        """The standard error in the figure's unit ('' for an exact figure)."""
        if self.se is None:
            return ""
        return format_value(self.se, {"decline_words": "ratio_percent", "premium_words": "ratio_percent"}.get(self.unit, self.unit))

    @property
    def formula(self) -> str:
        """The derivation's formula (before the note)."""
        return self.derivation.split(NOTE_SEPARATOR, 1)[0]

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for JSON/CSV export."""
        return {"id": self.id, "label": self.label, "value": self.value, "unit": self.unit, "formatted": self.formatted,
                "derivation": self.derivation, "chapter": self.chapter, "se": self.se}


class KeyFigures(Mapping[str, KeyFigure]):
    """An ordered, read-only collection of key figures indexed by id, with the assumption set they were computed under."""

    def __init__(self, figures: list[KeyFigure], assumption_set: str = "", assumption_hash: str = "") -> None:
        self._figures: dict[str, KeyFigure] = {}
        self.assumption_set = assumption_set
        self.assumption_hash = assumption_hash
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

    def number(self, key: str) -> float:
        """The value of figure ``key`` as a float (an error for a text figure)."""
        value = self[key].value
        if isinstance(value, str):
            raise TypeError(f"key figure {key!r} is text ({value!r}), not a number")
        return float(value)


def plain(value: Any) -> float | int | str:
    """Convert numpy scalars, dates and enumeration members to plain Python types (glue and JSON need them)."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"key figure value {value!r} is a truth value; give it as words")
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)) or (isinstance(value, np.ndarray) and value.ndim == 0):
        return float(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"key figure value {value!r} is not a plain number, date or text")


# --------------------------------------------------------------------------------------------
# Expressions

_PRECEDENCE = {"+": 1, "−": 1, "×": 2, "÷": 2}


class Expr:
    """A value with the text of how it is computed; combine with +, −, ×, ÷ (Python's +, -, *, /)."""

    precedence: int = 3

    @property
    def value(self) -> Any:
        raise NotImplementedError

    def text(self) -> str:
        raise NotImplementedError

    def _op(self, symbol: str, other: Any, reverse: bool = False) -> Expr:
        other = _wrap(other)
        return Op(symbol, other, self) if reverse else Op(symbol, self, other)

    def __add__(self, other: Any) -> Expr:
        return self._op("+", other)

    def __radd__(self, other: Any) -> Expr:
        return self._op("+", other, reverse=True)

    def __sub__(self, other: Any) -> Expr:
        return self._op("−", other)

    def __rsub__(self, other: Any) -> Expr:
        return self._op("−", other, reverse=True)

    def __mul__(self, other: Any) -> Expr:
        return self._op("×", other)

    def __rmul__(self, other: Any) -> Expr:
        return self._op("×", other, reverse=True)

    def __truediv__(self, other: Any) -> Expr:
        return self._op("÷", other)

    def __rtruediv__(self, other: Any) -> Expr:
        return self._op("÷", other, reverse=True)


@dataclass(frozen=True, eq=False)
class Leaf(Expr):
    """A named quantity and its value."""

    name: str
    amount: Any

    @property
    def value(self) -> Any:
        return self.amount

    def text(self) -> str:
        return self.name


@dataclass(frozen=True, eq=False)
class Op(Expr):
    """Two expressions joined by an arithmetic operator."""

    symbol: str
    left: Expr
    right: Expr

    @property
    def precedence(self) -> int:  # type: ignore[override]
        return _PRECEDENCE[self.symbol]

    @property
    def value(self) -> Any:
        a, b = float(self.left.value), float(self.right.value)
        if self.symbol == "+":
            return a + b
        if self.symbol == "−":
            return a - b
        return a * b if self.symbol == "×" else a / b

    def text(self) -> str:
        left = self.left.text()
        if self.left.precedence < self.precedence:
            left = f"({left})"
        right = self.right.text()
        if self.right.precedence < self.precedence or (self.right.precedence == self.precedence and self.symbol in "−÷"):
            right = f"({right})"
        return f"{left} {self.symbol} {right}"


def _wrap(value: Any) -> Expr:
    if isinstance(value, Expr):
        return value
    if value == 1 and not isinstance(value, bool):
        return Leaf("1", 1)
    raise TypeError(f"a key-figure expression may use only the number 1 as a literal, not {value!r}: name the quantity "
                    "(a figure, a register entry, a result field or a convention)")


def resolve(obj: Any, path: str) -> Any:
    """Follow a dotted ``path`` from ``obj``: attributes, then mapping keys (an enumeration member by its name), then
    sequence indexes."""
    for part in path.split("."):
        if hasattr(obj, part):
            obj = getattr(obj, part)
        elif isinstance(obj, Mapping):
            keys = {(k.name if isinstance(k, Enum) else str(k)): k for k in obj}
            if part not in keys:
                raise KeyError(f"{path}: no key {part!r} (keys: {', '.join(keys)})")
            obj = obj[keys[part]]
        elif part.lstrip("-").isdigit():
            obj = obj[int(part)]
        else:
            raise AttributeError(f"{path}: {type(obj).__name__} has no field {part!r}")
    return obj


class Chapter:
    """A chapter's figures as they are defined: leaves for every kind of source, and ``add`` to define a figure.

    ``defined`` holds every figure defined so far (earlier chapters included), so a figure can name another."""

    def __init__(self, chapter: str, results: Results, defined: dict[str, KeyFigure]) -> None:
        self.chapter = chapter
        self.results = results
        self.inputs: Inputs = results.inputs
        self.defined = defined
        self.figures: list[KeyFigure] = []

    # leaves
    def fig(self, fid: str) -> Leaf:
        """Key figure ``fid`` (already defined)."""
        if fid not in self.defined:
            raise KeyError(f"key figure {fid!r} is not defined before it is used")
        return Leaf(fid, self.defined[fid].value)

    def register(self, rid: str, case: str = "base") -> Leaf:
        """The ``case`` value of register entry ``rid``."""
        return Leaf(f"assumptions[{rid}, {case}]", self.inputs.assumption(rid, case))

    def term(self, tid: str) -> Leaf:
        """Deal term ``tid`` of data/deal_terms.csv."""
        return Leaf(f"deal_terms[{tid}]", self.inputs.term(tid))

    def company(self, fid: str) -> Leaf:
        """Company figure ``fid`` of data/company_figures.csv."""
        return Leaf(f"company_figures[{fid}]", self.inputs.company(fid))

    def spec(self, gpu: str, metric: str) -> Leaf:
        """Specification ``metric`` of ``gpu`` in data/gpu_specs.csv."""
        return Leaf(f"gpu_specs[{gpu}, {metric}]", self.inputs.spec(gpu, metric))

    def result(self, path: str) -> Leaf:
        """Field ``path`` of the computed result, e.g. 'seller.gpus'."""
        return Leaf(f"results.{path}", resolve(self.results, path))

    def const(self, name: str) -> Leaf:
        """Convention ``name`` of ``analysis.conventions``."""
        return Leaf(f"conventions.{name}", getattr(conventions, name))

    def method(self, name: str) -> Leaf:
        """Method setting ``name`` (of the methods the result was computed with)."""
        return Leaf(f"methods.{name}", getattr(self.results.methods, name))

    # definition
    def add(self, fid: str, label: str, expr: Expr, unit: str, note: str = "", se: Expr | None = None) -> None:
        """Define figure ``fid``: its value and the formula of its derivation both come from ``expr``; ``note`` says
        how a result field was computed; ``se`` is a simulated figure's standard error. A register entry a what-if file
        overrode is named in the note."""
        overrides = [f"{rid} overridden by {self.inputs.assumption_set} ({self.inputs.assumptions[rid].override_note})"
                     for rid in _register_ids(expr) if self.inputs.assumptions[rid].override_note]
        notes = "; ".join(part for part in (note, *overrides) if part)
        derivation = expr.text() + (NOTE_SEPARATOR + notes if notes else "")
        error = None if se is None else float(se.value)
        figure = KeyFigure(fid, label, plain(expr.value), unit, derivation, self.chapter, error, "" if se is None else se.text())
        if fid in self.defined:
            raise ValueError(f"key figures: id {fid!r} is defined twice")
        self.defined[fid] = figure
        self.figures.append(figure)


def _register_ids(expr: Expr) -> list[str]:
    if isinstance(expr, Op):
        return _register_ids(expr.left) + _register_ids(expr.right)
    if isinstance(expr, Leaf) and expr.name.startswith("assumptions["):
        return [expr.name[len("assumptions["):].split(",")[0]]
    return []
