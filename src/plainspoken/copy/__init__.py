"""Copy check: an audience-aware checker for technology marketing copy."""

from plainspoken.copy.audience import Audience, all_audiences, resolve
from plainspoken.copy.checker import Checker
from plainspoken.copy.finding import FileError, FileReport, Finding, Report
from plainspoken.copy.packs import all_rules, parse_pack
from plainspoken.copy.rule import Rule
from plainspoken.copy.runner import apply_fixes, build_checker, check, fix_diff, fixed_text

__all__ = [
    "Audience",
    "Checker",
    "FileError",
    "FileReport",
    "Finding",
    "Report",
    "Rule",
    "all_audiences",
    "all_rules",
    "apply_fixes",
    "build_checker",
    "check",
    "fix_diff",
    "fixed_text",
    "parse_pack",
    "resolve",
]
