"""Security tests reuse the review site's fixtures (a seeded site, clients, a served app)."""

from tests.web.conftest import client, site, staff_client  # noqa: F401
