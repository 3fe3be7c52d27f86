"""The cohort's admin page shows its participants a page at a time: a cohort of
hundreds of PhDs inlined whole took seconds and hundreds of kilobytes."""

from django.urls import reverse

from matching.models import CohortResearcher
from tests import factories as f
from tests.test_admin_staff import latest_by, page_data


def enrol(cohort, n):
    return [CohortResearcher.objects.create(cohort=cohort, researcher=f.ResearcherFactory())
            for _ in range(n)]


def test_the_cohort_page_shows_twenty_participants_and_links_the_rest(sam, client):
    cohort = f.CohortFactory()
    entries = enrol(cohort, 45)
    client.force_login(sam)
    url = reverse("admin:matching_cohort_change", args=[cohort.pk])
    first = client.get(url)
    assert first.context["inline_admin_formsets"][1].formset.total_form_count() == 20
    assert "researchers-page=2" in first.content.decode()
    last = client.get(url + "?researchers-page=3")
    shown = {form.instance.pk for form in last.context["inline_admin_formsets"][1].formset}
    assert shown == {e.pk for e in entries[40:]}


def test_a_participant_on_a_later_page_is_changed_on_record(sam, client):
    cohort = f.CohortFactory()
    entries = enrol(cohort, 25)
    client.force_login(sam)
    url = reverse("admin:matching_cohort_change", args=[cohort.pk]) + "?researchers-page=2"
    data = page_data(client.get(url))
    row = next(k for k, v in data.items() if k.endswith("-id") and k.startswith("researchers-")
               and v == str(entries[-1].pk))
    data[row.replace("-id", "-capacity")] = "2"
    assert client.post(url, data).status_code == 302
    entries[-1].refresh_from_db()
    assert entries[-1].capacity == 2 and latest_by(entries[-1]) == sam
    assert CohortResearcher.objects.filter(cohort=cohort).count() == 25
