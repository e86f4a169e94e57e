"""Community listening: normalized datasets from community dumps, and their analyses."""

from plainspoken.community.importing import import_dataset
from plainspoken.community.stats import CommunityStats, stats

__all__ = ["CommunityStats", "import_dataset", "stats"]
