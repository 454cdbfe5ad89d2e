"""Every key figure's derivation is a formula that evaluates to its value.

The formula (the derivation before " — ") is parsed here, independently of the code that wrote it: its leaves are
looked up in the inputs, the register, the computed result, the conventions, the method settings and the other key
figures, and the arithmetic is redone. A derivation that names the wrong quantity, or a value computed otherwise
than its derivation says, fails."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from enum import Enum
from typing import Any

import pytest

from analysis import conventions
from analysis.keyfigures import KeyFigure, KeyFigures
from analysis.keyfigures.base import Leaf, Op

TOKEN = re.compile(r"\s*(?:(?P<bracket>(?:assumptions|deal_terms|company_figures|gpu_specs)\[[^\]]*\])|(?P<quoted>'[^']*')"
                   r"|(?P<number>\d+(?:\.\d+)?)(?![\w.])|(?P<name>[A-Za-z_][\w.\-]*)|(?P<op>[()×÷+−]))")


def tokens(formula: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(formula.rstrip()):
        match = TOKEN.match(formula, pos)
        assert match and match.end() > pos, f"cannot read {formula[pos:]!r} in {formula!r}"
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


def follow(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(obj, Mapping):
            keys = {(k.name if isinstance(k, Enum) else str(k)): k for k in obj}
            obj = obj[keys[part]] if part in keys else getattr(obj, part)
        elif re.fullmatch(r"-?\d+", part) and not hasattr(obj, part):
            obj = obj[int(part)]
        else:
            obj = getattr(obj, part)
    return obj


class Evaluator:
    def __init__(self, figures: KeyFigures, results: Any) -> None:
        self.figures, self.results, self.inputs = figures, results, results.inputs

    def leaf(self, kind: str, text: str) -> Any:
        if kind == "number":
            return float(text)
        if kind == "quoted":
            return text[1:-1]
        if kind == "bracket":
            table, args = text.split("[", 1)
            parts = [a.strip() for a in args.rstrip("]").split(",")]
            if table == "assumptions":
                return self.inputs.assumption(parts[0], parts[1])
            if table == "deal_terms":
                return self.inputs.term(parts[0])
            if table == "company_figures":
                return self.inputs.company(parts[0])
            return self.inputs.spec(parts[0], parts[1])
        if text.startswith("results."):
            return follow(self.results, text.removeprefix("results."))
        if text.startswith("conventions."):
            return getattr(conventions, text.removeprefix("conventions."))
        if text.startswith("methods."):
            return getattr(self.results.methods, text.removeprefix("methods."))
        assert text in self.figures, f"{text!r} is not a key figure, a result field, a convention or a method setting"
        return self.figures.value(text)

    def evaluate(self, formula: str) -> Any:
        items = tokens(formula)
        position = 0

        def peek() -> str | None:
            return items[position][1] if position < len(items) else None

        def take() -> tuple[str, str]:
            nonlocal position
            position += 1
            return items[position - 1]

        def factor() -> Any:
            kind, text = take()
            if text == "(":
                value = expr()
                assert take()[1] == ")", f"unbalanced parentheses in {formula!r}"
                return value
            return self.leaf(kind, text)

        def term() -> Any:
            value = factor()
            while peek() in ("×", "÷"):
                op = take()[1]
                right = factor()
                value = float(value) * float(right) if op == "×" else float(value) / float(right)
            return value

        def expr() -> Any:
            value = term()
            while peek() in ("+", "−"):
                op = take()[1]
                right = term()
                value = float(value) + float(right) if op == "+" else float(value) - float(right)
            return value

        value = expr()
        assert position == len(items), f"unread tokens in {formula!r}: {items[position:]}"
        return value


def agrees(expected: Any, found: Any) -> bool:
    if isinstance(found, Enum):
        found = found.value
    if isinstance(found, dt.date):
        found = found.isoformat()
    if isinstance(expected, str) or isinstance(found, str):
        return expected == found
    return math.isclose(float(expected), float(found), rel_tol=1e-12, abs_tol=1e-12)


def test_every_derivation_formula_evaluates_to_its_value(figures, results):
    evaluator = Evaluator(figures, results)
    wrong = []
    for figure in figures.values():
        found = evaluator.evaluate(figure.formula)
        if not agrees(figure.value, found):
            wrong.append(f"{figure.id}: {figure.formula} = {found!r}, but the figure is {figure.value!r}")
    assert not wrong, "\n".join(wrong)


def test_formulas_are_more_than_field_names(figures):
    # Ratios and sums are written out as formulas over other figures, the register and the conventions.
    operators = [f for f in figures.values() if any(op in f.formula for op in "×÷+−")]
    assert len(operators) >= 40


@pytest.mark.parametrize(("formula", "value"), [
    ("deal.monthly_payment_usd × conventions.MONTHS_PER_YEAR", 1.9e9),  # 12 × $150M is $1.8B, not $1.9B
    ("results.cash.schedule.months", 41),
    ("assumptions[pricing.contract_price_usd_per_gpu_hour, low]", 5.0),
    ("1 − cashflow.npv_full_term_usd ÷ deal.headline_value_usd", 0.5),
])
def test_the_evaluator_catches_a_derivation_that_does_not_give_the_value(figures, results, formula, value):
    figure = KeyFigure("test.figure", "A test figure", value, "usd", formula, "test")
    assert not agrees(figure.value, Evaluator(figures, results).evaluate(figure.formula))


def test_the_evaluator_reads_precedence_and_parentheses(figures, results):
    evaluator = Evaluator(figures, results)
    monthly = figures.number("deal.monthly_payment_usd")
    assert evaluator.evaluate("deal.monthly_payment_usd − 1 × deal.monthly_payment_usd") == 0
    assert evaluator.evaluate("(deal.monthly_payment_usd − 1) × 1") == monthly - 1
    assert evaluator.evaluate("deal.monthly_payment_usd ÷ (1 + 1)") == monthly / 2


def test_every_standard_error_comes_from_the_result_field_it_names(figures, results):
    evaluator = Evaluator(figures, results)
    with_error = [f for f in figures.values() if f.se is not None]
    assert with_error
    for figure in with_error:
        assert figure.se_formula, figure.id
        assert agrees(figure.se, evaluator.evaluate(figure.se_formula)), figure.id


def test_an_expression_evaluates_only_its_own_operation():
    # A product with a zero factor is zero: it must not also try the division (which raised before).
    assert Op("×", Leaf("a", 5.0), Leaf("b", 0.0)).value == 0.0
    assert Op("−", Leaf("a", 5.0), Leaf("b", 0.0)).value == 5.0
