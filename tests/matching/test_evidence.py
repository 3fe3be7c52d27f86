"""Evidence is downloaded by staff, the placement's company and its researcher,
nobody else, as an attachment typed by what the file is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from matching import services

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def outcome(world):
    # A PNG sent under a PDF's name and type.
    scan = SimpleUploadedFile("扫描件.pdf", PNG, "application/pdf")
    return services.outcome_report(placement=world["placement"], by=world["users"]["rita"],
                                   kind="paper", title="论文", achieved_on="2025-06-01",
                                   evidence=scan)


def test_evidence_is_stored_under_the_extension_of_what_it_is(outcome):
    assert outcome.evidence.name.endswith(".png")


@pytest.mark.parametrize("persona,status", [("alice", 200), ("rita", 200), ("vera", 200),
                                            ("sam", 200), ("charlie", 404), ("oscar", 404)])
def test_the_site_and_the_api_serve_evidence_to_the_same_people(outcome, world, persona, status):
    user = world["users"][persona]
    site = Client()
    site.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    for client, url in ((site, reverse("matching:outcome_evidence", args=[outcome.pk])),
                        (api, f"/api/v1/outcomes/{outcome.pk}/evidence/")):
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            assert response["Content-Type"] == "image/png"
            assert response["Content-Disposition"].startswith("attachment")
            assert response["Content-Disposition"].rstrip('"').endswith(".png")
            assert b"".join(response.streaming_content) == PNG


def test_the_admin_outcome_page_links_to_the_download(outcome, world):
    client = Client()
    client.force_login(world["users"]["vera"])
    page = client.get(reverse("admin:matching_outcome_change", args=[outcome.pk]))
    assert reverse("matching:outcome_evidence", args=[outcome.pk]) in page.content.decode()


def test_an_outcome_without_evidence_is_a_404(world):
    client = Client()
    client.force_login(world["users"]["alice"])
    assert client.get(reverse("matching:outcome_evidence",
                              args=[world["outcome"].pk])).status_code == 404
