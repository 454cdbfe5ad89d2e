"""Models behind the Colossus–Reflection deal book: sourced inputs in, cited key figures out."""

from .data import Inputs, TableError, load_inputs
from .keyfigures import KeyFigure, KeyFigures, key_figures
from .validate import InputError

__all__ = ["InputError", "Inputs", "KeyFigure", "KeyFigures", "TableError", "key_figures", "load_inputs"]
__version__ = "0.1.0"
