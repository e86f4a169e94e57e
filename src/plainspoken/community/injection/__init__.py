"""Planting synthetic campaigns in a copy of a dataset, with their ground truth (the
evaluation harness of the authenticity analysis): ``inject``."""

from plainspoken.community.injection.plan import (
    AGES,
    PRESETS,
    THREAD_MODES,
    TIMINGS,
    WORDINGS,
    CampaignPlan,
    InjectionPlan,
)
from plainspoken.community.injection.planting import inject
from plainspoken.community.injection.truth import CampaignTruth, Truth

__all__ = [
    "AGES",
    "PRESETS",
    "THREAD_MODES",
    "TIMINGS",
    "WORDINGS",
    "CampaignPlan",
    "CampaignTruth",
    "InjectionPlan",
    "Truth",
    "inject",
]
