"""The project's own guarantees: exact pins, forced execution, failing on warnings."""

from __future__ import annotations

import re

import yaml

from .conftest import REPO


def test_every_requirement_is_pinned_exactly():
    lines = [line.strip() for line in (REPO / "requirements.txt").read_text().splitlines()]
    reqs = [line for line in lines if line and not line.startswith("#")]
    assert "-e ." in reqs
    for req in reqs:
        if req != "-e .":
            assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[\w.]+", req), f"not pinned exactly: {req}"
    assert "jupyter-book==1.0.4.post1" in reqs


def test_constraints_pin_the_same_versions():
    constraints = dict(
        line.split("==") for line in (REPO / "constraints.txt").read_text().splitlines() if "==" in line
    )
    lower = {k.lower().replace("_", "-"): v for k, v in constraints.items()}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        if "==" in line:
            name, version = line.strip().split("==")
            assert lower.get(name.lower()) == version, f"{name}: requirements {version}, constraints {lower.get(name.lower())}"


def test_book_config_forces_execution_and_fails_on_errors():
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "force"
    assert config["execute"]["raise_on_error"] is True
    assert config["execute"]["allow_errors"] is False
    assert "_build" in config["exclude_patterns"]
    makefile = (REPO / "Makefile").read_text()
    assert "-W -n --keep-going" in makefile
    assert "--nbval " in makefile and "--nbval-lax" not in makefile


def test_ci_runs_make_test():
    assert "make test" in (REPO / ".ci" / "run").read_text()
    assert (REPO / "README.md").read_text().index("make book") < 400
