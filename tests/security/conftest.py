"""Security tests reuse the review site's and the store's fixtures."""

from tests.storage.conftest import fake_service, make_service  # noqa: F401
from tests.web.conftest import client, site, staff_client  # noqa: F401
