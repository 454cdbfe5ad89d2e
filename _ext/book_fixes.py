"""Local Sphinx additions for the book.

Every page carries a banner naming the assumption set the book was built with (the base register, or a
what-if file given with `make book ASSUMPTIONS=...`) and the hash of its values.

sphinx-thebe (loaded by Jupyter Book) registers its inline configuration script twice, so every page
declares ``const THEBE_JS_URL`` twice and the browser logs a SyntaxError. This drops exact duplicate
scripts from each page's script list.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from analysis.present.book import environment_inputs, environment_results
from analysis.present.briefing import write_key_figures
from analysis.registry import key_figures


def _dedupe_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        filename = getattr(script, "filename", script) or ""
        attributes = tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items()))
        key = (filename, attributes)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def _assumption_banner(app: Any, config: Any) -> None:
    inputs = environment_inputs()
    # The theme inserts the announcement as raw HTML: escape the set's name (it comes from a file name).
    text = html.escape(f"{'⚠ What-if run. ' if inputs.is_what_if else ''}Assumption set: {inputs.assumption_set}; "
                       f"register hash {inputs.assumption_hash}.")
    options = dict(config.html_theme_options or {})
    options["announcement"] = text
    config.html_theme_options = options
    config.html_context = {**(config.html_context or {}), "assumption_set": inputs.assumption_set,
                           "assumption_hash": inputs.assumption_hash}


def _write_downloads(app: Any, exception: Exception | None) -> None:
    """Put the key figures (CSV, JSON, Markdown) in the site's downloads/ folder, for the Key figures page."""
    if exception is not None or app.builder.format != "html":
        return
    write_key_figures(key_figures(environment_results()), Path(app.outdir) / "downloads")


PARALLEL_SAFE: dict[str, str] = {
    "sphinx_multitoc_numbering": "it only replaces TocTreeCollector.assign_section_numbers, which Sphinx calls in "
                                 "the main process after the workers' environments are merged",
    "sphinx-mathjax-offline": "it only copies MathJax into _static when the build has finished",
    "sphinx_jupyterbook_latex": "its transforms change only the document being read, and its environment state is "
                                "set for LaTeX builders only",
}
"""Extensions that declare nothing about parallel builds (so Sphinx would read serially), and why each is safe."""


def _declare_parallel_safe(app: Any) -> None:
    """Mark the extensions in PARALLEL_SAFE as safe to read and write in parallel (checked by reading their code)."""
    for name in PARALLEL_SAFE:
        extension = app.extensions.get(name)
        if extension is not None and extension.parallel_read_safe is None:
            extension.parallel_read_safe = True
            extension.parallel_write_safe = True


def setup(app: Any) -> dict[str, bool]:
    app.connect("builder-inited", _declare_parallel_safe)
    app.connect("config-inited", _assumption_banner)
    app.connect("build-finished", _write_downloads)
    app.connect("html-page-context", _dedupe_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
