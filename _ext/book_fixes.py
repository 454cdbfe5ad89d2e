"""Local Sphinx additions for the book.

Every page carries a banner naming the assumption set the book was built with (the base register, or a
what-if file given with `make book ASSUMPTIONS=...`) and the hash of its values.

sphinx-thebe (loaded by Jupyter Book) registers its inline configuration script twice, so every page
declares ``const THEBE_JS_URL`` twice and the browser logs a SyntaxError. This drops exact duplicate
scripts from each page's script list.
"""

from __future__ import annotations

from typing import Any


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
    from analysis.data import load_inputs

    inputs = load_inputs()
    what_if = inputs.assumption_set.startswith("what-if")
    text = (f"{'⚠ What-if run. ' if what_if else ''}Assumption set: {inputs.assumption_set}; "
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
    from pathlib import Path

    from analysis import key_figures, load_inputs
    from analysis.briefing import write_key_figures

    write_key_figures(key_figures(load_inputs()), Path(app.outdir) / "downloads")


def setup(app: Any) -> dict[str, bool]:
    app.connect("config-inited", _assumption_banner)
    app.connect("build-finished", _write_downloads)
    app.connect("html-page-context", _dedupe_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
