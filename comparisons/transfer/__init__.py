"""Bulk import and export of comparisons: formats (CSV, JSON), record validation, importing."""

from .formats import (
    COMPARISON_COLUMNS,
    CSV_COLUMNS,
    ROW_COLUMNS,
    FileError,
    Source,
    comparison_record,
    export_records,
    guess_format,
    neutralise_formula,
    read_file,
    restore_formula,
    write_csv,
    write_json,
)
from .importing import apply_plan, plan_import, plan_records
from .validation import Item, Plan

__all__ = [
    "COMPARISON_COLUMNS",
    "CSV_COLUMNS",
    "ROW_COLUMNS",
    "FileError",
    "Item",
    "Plan",
    "Source",
    "apply_plan",
    "comparison_record",
    "export_records",
    "guess_format",
    "neutralise_formula",
    "plan_import",
    "plan_records",
    "read_file",
    "restore_formula",
    "write_csv",
    "write_json",
]
