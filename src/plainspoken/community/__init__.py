"""Community listening: normalized datasets from community dumps, and their analyses."""

from plainspoken.community.stats import CommunityStats, stats

__all__ = ["CommunityStats", "stats"]
