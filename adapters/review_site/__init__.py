"""The support staff's review site: transcripts, handoff queue, insights, missed messages."""

from adapters.review_site.app import ReviewConfig, build_app

__all__ = ["ReviewConfig", "build_app"]
