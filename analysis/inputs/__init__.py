"""The sourced inputs in ``data/``: types, schemas, readers, the bibliography and the assumption register."""

from .load import REPOSITORY, default_data_dir, inputs_digest, load_inputs
from .register import WHOLE_NUMBER_ASSUMPTIONS, apply_overrides
from .types import CASES, CONFIDENCE_LEVELS, Assumption, Inputs, Problem, Source, TableError, Term, register_hash

__all__ = ["CASES", "CONFIDENCE_LEVELS", "REPOSITORY", "WHOLE_NUMBER_ASSUMPTIONS", "Assumption", "Inputs", "Problem",
           "Source", "TableError", "Term", "apply_overrides", "default_data_dir", "inputs_digest", "load_inputs",
           "register_hash"]
