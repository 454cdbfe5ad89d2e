"""The house: layers that import only downwards, no cycles, imports at module level, the environment read only at
the edges, derivations that name things that exist, and a register hash that cannot go stale."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.inputs import load_inputs
from analysis.methods import METHODS

from .conftest import REPO

PACKAGE = REPO / "analysis"
LAYERS: dict[str, int] = {
    "analysis.conventions": 0, "analysis.validate": 0, "analysis.formatting": 0, "analysis.methods": 0,
    "analysis.inputs": 1, "analysis.core": 1,
    "analysis.models": 2, "analysis.results": 3, "analysis.keyfigures": 4, "analysis.environment": 4,
    "analysis.present": 5, "analysis.cli": 6, "analysis.__main__": 7, "analysis": 8,
}
"""Each module's layer (a subpackage's modules share its layer): a module imports only from lower layers or,
within a subpackage, from its siblings. The core models and the inputs are independent of each other."""
EDGES = {"analysis.environment"}
"""The only module that reads the environment."""
NO_CORE = ("analysis.present", "analysis.keyfigures")
"""Layers that read the computed result only: they never import the core models (what they need of them, the
models layer computes and the result holds)."""


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _layer(module: str) -> tuple[int, str]:
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return LAYERS[prefix], prefix
    raise AssertionError(f"{module} has no layer")


def _imports(name: str, path: Path) -> list[tuple[str, ast.stmt]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            targets = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
            found += [(t, node) for t in targets if t.startswith("analysis")]
        elif isinstance(node, ast.Import):
            found += [(a.name, node) for a in node.names if a.name.startswith("analysis")]
    return found


MODULES = _modules()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_down_the_layers(name):
    mine, my_group = _layer(name)
    for target, _node in _imports(name, MODULES[name]):
        theirs, their_group = _layer(target)
        assert theirs < mine or their_group == my_group, f"{name} (layer {mine}) imports {target} (layer {theirs})"
        if {my_group, their_group} == {"analysis.inputs", "analysis.core"}:
            raise AssertionError(f"{name} imports {target}: inputs and core models stay independent")


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith(NO_CORE)))
def test_presentation_and_key_figures_never_import_the_core_models(name):
    for target, node in _imports(name, MODULES[name]):
        assert not target.startswith("analysis.core"), f"{name} imports {target} (line {node.lineno}): read the result instead"


def test_no_module_of_the_package_holds_more_than_one_concept():
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 450}
    assert not long, f"modules over 450 lines: {long}"


def test_there_is_no_import_cycle():
    graph = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for target, _ in _imports(name, path):
            while target not in MODULES and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in MODULES and target != name:
                graph[name].add(target)
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [])


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_import_is_at_module_level(name):
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = [n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
            assert not inner, f"{name}: import inside {node.name} (line {inner[0].lineno})"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_the_environment_is_read_only_at_the_edges(name):
    text = MODULES[name].read_text(encoding="utf-8")
    if name not in EDGES:
        assert not re.search(r"os\.environ|getenv", text), f"{name} reads the environment"


def test_a_copy_with_another_register_carries_its_own_hash():
    inputs = load_inputs()
    entry = inputs.assumptions["finance.discount_rate"]
    register = {**inputs.assumptions, entry.id: dataclasses.replace(entry, base=0.12)}
    changed = dataclasses.replace(inputs, assumptions=register)
    assert changed.assumption_hash != inputs.assumption_hash


_DOTTED = re.compile(r"(?<![\w/.])([a-z_][a-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
_SEARCH = ("analysis.", "analysis.core.", "analysis.models.", "analysis.present.", "analysis.inputs.")


def _resolves(token: str, figure_ids: set[str], register_ids: set[str]) -> bool:
    if token in figure_ids or token in register_ids or token.rstrip(".") in figure_ids:
        return True
    if token.startswith("methods."):
        return token.removeprefix("methods.") in {f.name for f in dataclasses.fields(METHODS)}
    if any(token.startswith(f + ".") for f in figure_ids):
        return False
    parts = token.split(".")
    for prefix in _SEARCH:
        for cut in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(prefix + ".".join(parts[:cut]))
            except ImportError:
                continue
            for attribute in parts[cut:]:
                fields = {f.name for f in dataclasses.fields(obj)} if dataclasses.is_dataclass(obj) else set()
                if not hasattr(obj, attribute) and attribute not in fields:
                    break
                obj = getattr(obj, attribute, None)
            else:
                return True
    return False


def test_every_dotted_name_in_a_derivation_note_resolves(figures, inputs):
    # The formula before the note is evaluated in tests/test_derivations.py; here the note's names must exist.
    ids, register = set(figures), set(inputs.assumptions)
    bad = []
    for figure in figures.values():
        note = figure.derivation[len(figure.formula):]
        text = re.sub(r"data/[a-z_]+\.csv|scenarios/[a-z_]+\.csv|\d+(?:\.\d+)+|'[^']*'", "", note)
        for token in _DOTTED.findall(text):
            if not _resolves(token, ids, register):
                bad.append(f"{figure.id}: {token}")
    assert not bad, "derivations name things that do not exist:\n" + "\n".join(bad)


def test_the_resolver_rejects_a_name_that_does_not_exist(figures, inputs):
    ids, register = set(figures), set(inputs.assumptions)
    assert _resolves("contract.term_months", ids, register) and _resolves("cashflow.expected_pv_usd", ids, register)
    assert not _resolves("keyfigures.MC_PATHS", ids, register) and not _resolves("models.simulate", ids, register)
    assert not _resolves("contract.payment_schedule", ids, register)


MODEL_LAYERS = ("analysis.core", "analysis.models", "analysis.results", "analysis.keyfigures")
CONVENTIONS = {12, 730, 8760, 365, 30.4, 30.42, 30.4167}
"""Numbers analysis.conventions names (months a year, hours a month and a year, days a year and a month)."""


def _numbers(path: Path) -> list[tuple[int, float]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)]


def _distinctive(value: float) -> bool:
    """A number a reader would recognise as a specific assumption (3.97, 0.059, 0.125), not a round one (0.1, 20)."""
    if isinstance(value, int) or float(value).is_integer():
        return False
    digits = f"{abs(value):.10g}".replace(".", "").lstrip("0").rstrip("0")
    return len(digits) >= 2


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith(MODEL_LAYERS)))
def test_no_number_in_the_models_restates_a_convention_or_a_register_value(name, inputs):
    register = {v for a in inputs.assumptions.values() for v in (a.low, a.base, a.high) if _distinctive(v)}
    found = [(line, v) for line, v in _numbers(MODULES[name]) if v in CONVENTIONS or v in register]
    assert not found, f"{name}: numbers that conventions or the register hold, typed again: {found}"


def test_the_literal_scan_would_catch_a_restated_constant(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("HOURS = 730\nmonthly = 0.1 / 12\n", encoding="utf-8")
    assert {v for _, v in _numbers(sample)} & CONVENTIONS == {730, 12}


def test_the_command_line_starts_without_the_book_stack():
    # `python -m analysis check` must not pay for (or depend on) the plotting, notebook and deck libraries.
    code = ("import sys, analysis.cli; heavy = [m for m in ('matplotlib', 'myst_nb', 'pptx', 'seaborn', 'sphinx') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "", f"analysis.cli imports {out.stdout.strip()}"
