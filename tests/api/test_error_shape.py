"""Every answer under /api/ that is an error has the API's one shape, in the
client's language: unknown paths and ids included, which Django answers before
any API view."""

import pytest
from rest_framework.test import APIClient

NOT_FOUND = {"en": "Not found.", "zh-hans": "未找到。"}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("path", [
    "/api/v1/no-such-thing/",
    "/api/v1/challenges/not-a-number/",
    "/api/v1/challenges/1234567890123456789012/",
    "/api/v1/companies/1/members/x/",
    "/api/v2/challenges/",
    "/api/",
])
def test_an_unknown_path_is_a_json_404(path, language, db):
    response = APIClient(HTTP_ACCEPT_LANGUAGE=language).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"type": "client_error", "errors": [
        {"code": "not_found", "detail": NOT_FOUND[language], "attr": None}]}


def test_an_unknown_id_is_a_json_404(alice, db):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(alice)
    response = client.get("/api/v1/challenges/999999/")
    assert (response.status_code, response.json()["errors"][0]["code"]) == (404, "not_found")


def test_a_method_a_route_does_not_take_is_a_json_405(alice):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_authenticate(alice)
    response = client.delete("/api/v1/stats/")
    assert response.status_code == 405
    assert response.json()["type"] == "client_error"
    assert response.json()["errors"][0]["code"] == "method_not_allowed"
    assert "DELETE" in response.json()["errors"][0]["detail"]
