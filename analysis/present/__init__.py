"""Presentation: plotting style, figures, tables, the book's pages, exports and editions (reads results, runs no model)."""
