"""The service record on the website: rita logs a day from her phone in one short
form; alice reads the month, queries a day and confirms the rest."""

import datetime

import pytest
from django.urls import reverse

from matching.models import ServiceLog

from ..matching.after_approval import signed_placement


@pytest.fixture
def placement(acme, alice, rita, ursula):
    today = datetime.date.today()
    return signed_placement(acme, alice, rita, ursula, starts_on=today.replace(day=1),
                            ends_on=today.replace(year=today.year + 2))


def test_rita_logs_a_day_with_the_defaults_filled_in(placement, rita, client):
    client.force_login(rita.user)
    url = reverse("matching:service", args=[placement.pk])
    page = client.get(url)
    assert page.context["form"].initial["hours"] == 8
    today = datetime.date.today()
    response = client.post(url, {"day": today.isoformat(), "hours": "8", "place": "Acme 研发中心",
                                 "work": "产线调试"})
    assert response.status_code == 302
    assert ServiceLog.objects.get().day == today
    # The next day's form starts from the place she was at.
    assert client.get(url).context["form"].initial["place"] == "Acme 研发中心"


def test_a_bad_day_is_shown_on_its_field(placement, rita, client):
    client.force_login(rita.user)
    response = client.post(reverse("matching:service", args=[placement.pk]),
                           {"day": "2001-01-01", "hours": "8", "place": "x", "work": "y"})
    assert response.status_code == 400 and response.context["form"].errors["day"]
    assert not ServiceLog.objects.exists()


def test_alice_queries_a_day_and_confirms_the_rest(placement, rita, alice, client):
    from matching.services import service_records

    today = datetime.date.today()
    days = [placement.starts_on + datetime.timedelta(days=i) for i in range(2)
            if placement.starts_on + datetime.timedelta(days=i) <= today]
    logs = [service_records.service_log_add(placement=placement, by=rita.user, day=d, hours=8,
                                            place="Acme", work="调试") for d in days]
    client.force_login(alice)
    page = client.get(reverse("matching:service", args=[placement.pk]),
                      {"month": f"{today:%Y-%m}"})
    assert page.context["is_company"] and page.context["form"] is None
    client.post(reverse("matching:service_query", args=[placement.pk, logs[0].pk]),
                {"reason": "那天在外地"})
    client.post(reverse("matching:service_confirm", args=[placement.pk]),
                {"month": f"{today:%Y-%m}"})
    statuses = [log.status for log in ServiceLog.objects.order_by("day")]
    assert statuses == ["queried", "confirmed"][:len(days)]
