"""The project's own guarantees: exact pins, forced execution, failing on warnings."""

from __future__ import annotations

import re
import subprocess

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


def test_make_release_records_the_edition_before_it_builds_and_checks_the_cover():
    # Issue 22: a release path that records the edition and prints "Edition N, DATE" on the cover. `make -n` lists the
    # recipe without running it: the guard and the reasons check come first, then the edition, its commit, the build.
    out = subprocess.run(["make", "-n", "release", "PY=python"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    steps = [out.index(s) for s in ("git diff --quiet", "analysis changes", "analysis edition --commit", "git commit",
                                    "briefing", "pdftotext -l 1 _build/pdf/book.pdf")]
    assert steps == sorted(steps), out


def test_make_release_refuses_a_dirty_tree(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    (clone / "README.md").write_text((clone / "README.md").read_text(encoding="utf-8") + "\nedited\n", encoding="utf-8")
    done = subprocess.run(["make", "release-guard"], cwd=clone, capture_output=True, text=True)
    assert done.returncode == 2 and "uncommitted changes" in done.stderr
    subprocess.run(["git", "checkout", "-q", "README.md"], cwd=clone, check=True)
    assert subprocess.run(["make", "release-guard"], cwd=clone, capture_output=True, text=True).returncode == 0
    refused = subprocess.run(["make", "release-guard", "ASSUMPTIONS=scenarios/bear.csv"], cwd=clone, capture_output=True, text=True)
    assert refused.returncode == 2 and "base register" in refused.stderr
