# The small district of the API and site tests, for the tests that cross surfaces.
from tests.api.conftest import world  # noqa: F401
