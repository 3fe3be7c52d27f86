# The website's tests use the same small district as the API's.
from tests.api.conftest import api, world  # noqa: F401
