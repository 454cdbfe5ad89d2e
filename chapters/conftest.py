"""nbval settings for the chapters: compare every text output strictly, but not rendered images or HTML.

Images (PNG/SVG, also when glued) are byte-level renderings that vary with font and library builds;
DataFrame HTML duplicates the text/plain output, which *is* compared. Numbers reach the prose only as
glued text/plain, so a changed number still fails the comparison.
"""

SKIP = (
    "image/png",
    "image/svg+xml",
    "text/html",
    "application/papermill.record/image/png",
    "application/papermill.record/image/svg+xml",
    "application/papermill.record/text/html",
)


def pytest_collectstart(collector):
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += SKIP
