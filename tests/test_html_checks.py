"""The built-HTML checks themselves catch what they guard: a missing alt text, a broken link or anchor."""

from __future__ import annotations

from .test_html import image_problems, link_problems


def _site(tmp_path, body: str):
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "a.png").write_bytes(b"\x89PNG")
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><h1 id='top'>x</h1>{body}</body></html>", encoding="utf-8")
    (tmp_path / "other.html").write_text("<html><body id='there'></body></html>", encoding="utf-8")
    return [page]


def test_clean_page_passes(tmp_path):
    pages = _site(tmp_path, "<img src='_images/a.png' alt='a chart'><a href='other.html#there'>x</a><a href='#top'>y</a>")
    assert image_problems(pages) == (1, []) and link_problems(pages) == []


def test_missing_alt_text_is_caught(tmp_path):
    pages = _site(tmp_path, "<img src='_images/a.png' alt=''>")
    assert image_problems(pages)[1] == ["page.html: image _images/a.png has no alt text"]


def test_missing_image_is_caught(tmp_path):
    pages = _site(tmp_path, "<img src='_images/gone.png' alt='x'>")
    assert "missing image" in image_problems(pages)[1][0]


def test_broken_link_and_anchor_are_caught(tmp_path):
    pages = _site(tmp_path, "<a href='nowhere.html'>x</a><a href='other.html#gone'>y</a><a href='https://example.org'>z</a>")
    assert link_problems(pages) == ["page.html: broken link nowhere.html", "page.html: missing anchor other.html#gone"]


def test_the_build_log_has_no_colour_codes(tmp_path):
    """The book build run the way `make book` runs it, on one tiny page, writes plain text to a log."""
    import subprocess
    import sys

    from .conftest import REPO
    book = tmp_path / "book"
    book.mkdir()
    (book / "_config.yml").write_text("title: t\nexecute:\n  execute_notebooks: off\n", encoding="utf-8")
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\n", encoding="utf-8")
    (book / "index.md").write_text("# A page\n\nText.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(REPO / "tools" / "build_book.py"), "--jobs", "1", str(book), "--path-output",
                           str(tmp_path / "out")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "\x1b[" not in done.stdout + done.stderr
