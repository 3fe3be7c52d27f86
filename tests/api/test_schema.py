"""The OpenAPI schema is complete and clean, and the interactive docs work with
no network: every asset they load is served by the project."""

import re

from django.core.management import call_command
from django.test import Client

from .test_isolation_matrix import ROUTES


def test_the_schema_validates_with_no_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "/api/v1/challenges/{challenge_pk}/matches/" in (tmp_path / "s.yml").read_text()


def test_every_route_and_method_is_documented(db):
    paths = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    documented = {(path, method.upper()) for path, ops in paths.items() for method in ops}
    assert len(documented) == len(ROUTES)
    for operations in paths.values():
        for operation in operations.values():
            assert {"400", "404"} <= set(operation["responses"]), operation["operationId"]


def test_the_docs_load_every_asset_from_the_project(db):
    client = Client()
    page = "/api/docs/"
    html = client.get(page).content.decode()
    html += client.get("/api/docs/?script=").content.decode()  # the page's own script
    assets = set(re.findall(r"""(?:src|href)=["']([^"']+)["']""", html))
    assets |= set(re.findall(r"""["'](/static/[^"']+)["']""", html))
    assert assets, html[:500]
    for asset in assets:
        assert not asset.startswith(("http://", "https://", "//")), f"{page} loads {asset}"
        if asset.startswith("/static/"):
            assert client.get(asset).status_code == 200, asset
