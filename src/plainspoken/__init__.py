"""plainspoken: listen to IT buyers and talk to them plainly.

The public surface::

    from plainspoken import check
    report = check("Our robust, seamless platform ...", audience="it-practitioner")
    for finding in report.findings:
        print(finding.line, finding.column, finding.rule, finding.message)
"""

from plainspoken.config import Settings, load_settings
from plainspoken.copy import (
    Audience,
    FileReport,
    Finding,
    Report,
    Rule,
    all_audiences,
    all_rules,
    apply_fixes,
    check,
)
from plainspoken.errors import (
    ConfigError,
    ExitCode,
    InputError,
    PlainspokenError,
    RulePackError,
    UsageError,
    WorkspaceError,
)
from plainspoken.workspace import Workspace, init

__version__ = "0.1.0"

__all__ = [
    "Audience",
    "ConfigError",
    "ExitCode",
    "FileReport",
    "Finding",
    "InputError",
    "PlainspokenError",
    "Report",
    "Rule",
    "RulePackError",
    "Settings",
    "UsageError",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "all_audiences",
    "all_rules",
    "apply_fixes",
    "check",
    "init",
    "load_settings",
]
