import io

import pypdf
from django.urls import reverse

from tests.factories import PlacementFactory


def test_a_tech_vp_placement_prints_its_appointment_letter_in_chinese(superuser, client, acme,
                                                                    rita):
    rita.user.full_name = "王丽"
    rita.user.save()
    placement = PlacementFactory(company=acme, researcher=rita, programme="tech_vp",
                                 post="科技副总")
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
