"""The book's Sphinx additions (_ext/book_fixes.py) that change what a reader sees."""

from __future__ import annotations

import importlib.util

from .conftest import REPO

_spec = importlib.util.spec_from_file_location("book_fixes", REPO / "_ext" / "book_fixes.py")
assert _spec is not None and _spec.loader is not None
book_fixes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(book_fixes)


def test_long_tokens_in_tables_may_break_after_separators_and_short_values_stay_whole() -> None:
    page = ("<p>https://example.org/a/very/long/address/outside/a/table</p><table><tr>"
            "<td>https://bizandtech.net/microsoft-signs?x=1&amp;y=2</td><td>$6.3B</td>"
            "<td>pricing.implied_gpus(monthly_payment_usd=150000000.0)</td><td>6.6 months</td></tr></table>")
    out = book_fixes.break_long_tokens(page)
    assert out.startswith("<p>https://example.org/a/very/long/address/outside/a/table</p>")  # prose untouched
    assert "<td>https://<wbr>bizandtech.<wbr>net/<wbr>microsoft-<wbr>signs?<wbr>x=<wbr>1&amp;y=<wbr>2</td>" in out
    assert "<td>$6.3B</td>" in out and "<td>6.6 months</td>" in out
    assert "150000000.0" in out  # no break inside a number
    assert "&amp;" in out  # nor inside an entity
    assert out.replace("<wbr>", "") == page  # only break opportunities are added


def test_a_token_without_separators_breaks_between_letters_and_digits_and_at_least_every_16_characters() -> None:
    out = book_fixes.break_long_tokens("<table><tr><td>apievangelist2026coreweave</td><td>" + "a" * 40 + "</td></tr></table>")
    assert "<td>apievangelist<wbr>2026<wbr>coreweave</td>" in out
    assert "<td>" + "<wbr>".join(["a" * 16, "a" * 16, "a" * 8]) + "</td>" in out


def test_author_year_labels_name_authors_or_the_outlet_and_tell_repeats_apart() -> None:
    from pybtex.database import Entry, Person

    two = Entry("article", fields={"title": "Valuing American options", "year": "2001"},
                persons={"author": [Person("Longstaff, Francis A."), Person("Schwartz, Eduardo S.")]})
    outlet = [Entry("online", fields={"title": f"Story {i}", "year": "2026", "howpublished": "Biz \\& Tech (via X)"})
              for i in range(2)]
    labels = list(book_fixes.AuthorYearLabels().format_labels([two, *outlet]))
    assert labels == ["Longstaff and Schwartz 2001", "Biz & Tech 2026a", "Biz & Tech 2026b"]
