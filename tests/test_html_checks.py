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
