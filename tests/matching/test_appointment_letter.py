import io

import pypdf
import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from matching.models import Placement
from tests.factories import PlacementFactory


def test_a_tech_vp_placement_prints_its_appointment_letter_in_chinese(superuser, client, acme,
                                                                    rita):
    rita.user.full_name = "王丽"
    rita.user.save()
    placement = PlacementFactory(company=acme, researcher=rita, programme="tech_vp",
                                 post="科技副总", status=Placement.Status.ACTIVE)
    client.force_login(superuser)
    response = client.get(reverse("admin:matching_placement_letter", args=[placement.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    for expected in ("聘", "王丽", "杭州电子科技大学", acme.name, "科技副总", "2025年1月1日",
                     "2026年1月1日"):
        assert expected in text
    page = client.get(reverse("admin:matching_placement_change", args=[placement.pk]))
    assert reverse("admin:matching_placement_letter", args=[placement.pk]) in page.content.decode()


def test_other_placements_have_no_letter(superuser, client):
    placement = PlacementFactory(programme="phd")
    client.force_login(superuser)
    assert client.get(reverse("admin:matching_placement_letter",
                              args=[placement.pk])).status_code == 404


@pytest.mark.parametrize("status", [Placement.Status.PENDING, Placement.Status.REJECTED])
def test_a_tech_vp_placement_not_approved_has_no_letter_anywhere(acme, alice, rita, sam, status):
    placement = PlacementFactory(company=acme, researcher=rita, programme="tech_vp",
                                 status=status)
    assert not placement.has_letter
    admin, site, api = Client(), Client(), APIClient()
    admin.force_login(sam)
    site.force_login(alice)
    api.force_authenticate(alice)
    letter = reverse("admin:matching_placement_letter", args=[placement.pk])
    assert admin.get(letter).status_code == 404
    page = admin.get(reverse("admin:matching_placement_change", args=[placement.pk]))
    assert letter not in page.content.decode()
    assert site.get(reverse("matching:placement_letter", args=[placement.pk])).status_code == 404
    assert api.get(f"/api/v1/placements/{placement.pk}/letter/").status_code == 404
    assert api.get(f"/api/v1/placements/{placement.pk}/").json()["has_letter"] is False


def test_the_company_and_the_researcher_find_the_letter_on_their_placements_page(acme, alice,
                                                                               rita):
    placement = PlacementFactory(company=acme, researcher=rita, programme="tech_vp",
                                 status=Placement.Status.COMPLETED)
    letter = reverse("matching:placement_letter", args=[placement.pk])
    for user in (alice, rita.user):
        client = Client()
        client.force_login(user)
        assert letter in client.get(reverse("matching:placements")).content.decode()
        response = client.get(letter)
        assert response["Content-Type"] == "application/pdf" and response.content[:5] == b"%PDF-"
