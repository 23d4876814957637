"""The staff review site's reads and writes, behind ``review.store.ReviewStore``."""
