"""Verification of table sets: exhaustive checks (``check``) and semantic diffs (``diff``)."""

from .check import check_tables
from .findings import CheckReport, Finding
from .regions import Column, Region, cover

__all__ = ["CheckReport", "Column", "Finding", "Region", "check_tables", "cover"]
