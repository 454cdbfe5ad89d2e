"""Build the book exactly as ``jupyter-book build`` does, with Sphinx reading pages in parallel.

Jupyter Book 1's command line has no option for Sphinx's parallel jobs; every extension the book uses
(myst-nb, sphinxcontrib-bibtex, the theme, the local extension) declares itself parallel-safe, so pages,
and with them the notebooks myst-nb executes, are read in ``--jobs`` processes. Usage:
python tools/build_book.py [--jobs N] <jupyter-book build arguments>
"""

from __future__ import annotations

import functools
import os
import sys

import jupyter_book.sphinx
import jupyter_book.utils
from jupyter_book.cli import main as cli
from sphinx.util.console import color_terminal, nocolor


def run(argv: list[str]) -> None:
    """Run ``jupyter-book build`` with ``argv``, reading pages in parallel (default: one process per CPU)."""
    jobs = os.cpu_count() or 1
    if not color_terminal():
        # Jupyter Book never asks whether the output is a terminal: no escape codes in a log file, from Sphinx or its own.
        nocolor()
        jupyter_book.utils._color_message = lambda msg, _style: msg
    if argv[:1] == ["--jobs"]:
        jobs, argv = int(argv[1]), argv[2:]
    # `jupyter-book build` imports build_sphinx from jupyter_book.sphinx when it runs: give it the job count.
    jupyter_book.sphinx.build_sphinx = functools.partial(jupyter_book.sphinx.build_sphinx, jobs=jobs)
    cli.build.main(args=argv, prog_name="jupyter-book build", standalone_mode=True)


if __name__ == "__main__":
    run(sys.argv[1:])
