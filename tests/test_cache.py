"""The results cache keeps the most recently used results only and never leaves a temporary file behind."""

from __future__ import annotations

import os
import pickle
import time

import pytest

from analysis import results as results_module


def _touch(path, age_seconds: float) -> None:
    path.write_bytes(b"x")
    stamp = time.time() - age_seconds
    os.utime(path, (stamp, stamp))


def test_prune_keeps_the_most_recently_used(tmp_path):
    for i in range(9):
        _touch(tmp_path / f"results-{i}.pickle", age_seconds=100 * i)  # results-0 is the newest
    _touch(tmp_path / "old.tmp", age_seconds=2 * results_module.STALE_TMP_SECONDS)
    _touch(tmp_path / "fresh.tmp", age_seconds=1)
    removed = results_module.prune_cache(tmp_path, keep=6)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([f"results-{i}.pickle" for i in range(6)] + ["fresh.tmp"])
    assert len(removed) == 4


def test_reading_a_result_marks_it_used(tmp_path, inputs, results, monkeypatch):
    path = tmp_path / f"results-{results_module.cache_key(inputs)}.pickle"
    path.write_bytes(pickle.dumps(results))
    os.utime(path, (1.0, 1.0))
    monkeypatch.setattr(results_module, "compute", lambda *_a, **_k: pytest.fail("the cached result should have been read"))
    assert results_module.cached(inputs, tmp_path).inputs.assumption_hash == inputs.assumption_hash
    assert path.stat().st_mtime > time.time() - 60


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, inputs, results, monkeypatch):
    monkeypatch.setattr(results_module, "compute", lambda *_a, **_k: results)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(results_module.pickle, "dump", interrupted)
    with pytest.raises(KeyboardInterrupt):
        results_module.cached(inputs, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_make_has_a_clean_cache_target():
    from .conftest import REPO
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "\nclean-cache:\n" in text and 'rm -rf "$(DEAL_BOOK_CACHE)"' in text
