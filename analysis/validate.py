"""Boundary checks shared by the loaders and the public model functions."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


class InputError(ValueError):
    """A bad input: names where it is, the field, the value found and what was expected."""

    def __init__(self, where: str, field: str, value: Any, expected: str) -> None:
        self.where = where
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{where}: field '{field}' is {value!r}; expected {expected}")


def require_finite(name: str, value: Any, *, where: str = "argument") -> np.ndarray:
    """Return ``value`` as a float array, raising InputError if any element is NaN, inf or not numeric."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(where, name, value, "a number or an array of numbers") from None
    if arr.size == 0:
        raise InputError(where, name, value, "at least one value")
    if not np.all(np.isfinite(arr)):
        raise InputError(where, name, value, "finite numbers (no NaN or infinity)")
    return arr


def require_positive(name: str, value: Any, *, where: str = "argument", allow_zero: bool = False) -> np.ndarray:
    """Return ``value`` as a finite float array, raising InputError unless every element is > 0 (or >= 0)."""
    arr = require_finite(name, value, where=where)
    bad = arr < 0 if allow_zero else arr <= 0
    if np.any(bad):
        raise InputError(where, name, value, "values >= 0" if allow_zero else "values > 0")
    return arr


def require_whole(name: str, value: Any, *, where: str = "argument", minimum: int = 0) -> int:
    """Return ``value`` as an int, raising InputError unless it is a whole number >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InputError(where, name, value, f"a whole number >= {minimum}")
    if not math.isfinite(float(value)) or float(value) != int(value) or int(value) < minimum:
        raise InputError(where, name, value, f"a whole number >= {minimum}")
    return int(value)
