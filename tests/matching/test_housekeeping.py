"""The beat jobs, run twice, leave the same state and notify nobody twice."""

import datetime as dt

from django.core import mail

from matching.models import Challenge, Notification, Placement, StatsSnapshot
from matching.tasks import challenges_expire_overdue, reminders, stats_snapshot
from tests.factories import ChallengeFactory, OutcomeFactory, PlacementFactory

TODAY = dt.date(2026, 11, 27)


def state():
    return (sorted(Notification.objects.values_list("user_id", "event_key")),
            sorted(Challenge.objects.values_list("pk", "status")),
            sorted(StatsSnapshot.objects.values_list("day", "figures")))


def test_the_nightly_jobs_twice_give_the_same_state(acme, alice, rita, sam, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    from django.utils import timezone

    import matching.services.housekeeping as hk

    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    ChallengeFactory(company=acme, status="published", deadline=TODAY - dt.timedelta(days=1))
    quiet = PlacementFactory(company=acme, researcher=rita, status=Placement.Status.ACTIVE,
                             starts_on=TODAY - dt.timedelta(days=120),
                             ends_on=TODAY + dt.timedelta(days=200))
    busy = PlacementFactory(company=acme, status=Placement.Status.ACTIVE,
                            starts_on=TODAY - dt.timedelta(days=120),
                            ends_on=TODAY + dt.timedelta(days=200))
    OutcomeFactory(placement=busy)  # reported just now: no reminder
    PlacementFactory(company=acme, programme="tech_vp", status=Placement.Status.ACTIVE,
                     starts_on=TODAY - dt.timedelta(days=700), ends_on=TODAY + dt.timedelta(days=20))
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            for job in (challenges_expire_overdue, stats_snapshot, reminders):
                job.delay()
        if _run == 0:
            first, emails = state(), len(mail.outbox)
    assert state() == first and len(mail.outbox) == emails
    keys = {k for _u, k in first[0]}
    assert f"placement_quiet:{quiet.pk}:1" in keys
    assert not any(k.startswith(f"placement_quiet:{busy.pk}") for k in keys)
    assert any(k.startswith("tech_vp_ending") for k in keys)
    assert any(k.startswith("challenge_expired") for k in keys)
    assert {u for u, k in first[0] if k.startswith("tech_vp_ending")} == {sam.pk}
    assert StatsSnapshot.objects.get(day=TODAY).figures["researchers"] == 3
    assert hk.QUIET_DAYS == 90


def test_the_reminders_and_the_company_page_agree_on_which_placements_are_quiet(
        acme, alice, rita, django_capture_on_commit_callbacks):
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from matching.models import Outcome
    from matching.services.housekeeping import reminders_send

    today = timezone.localdate()
    ago = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    # Started exactly 90 days ago; reported exactly 90 days ago; reported 89 days ago.
    cases = {}
    for name, started, reported in (("edge", 90, None), ("old report", 200, 90),
                                    ("recent report", 200, 89)):
        p = cases[name] = PlacementFactory(company=acme, researcher=rita, starts_on=ago(started),
                                           ends_on=today + dt.timedelta(days=90),
                                           status=Placement.Status.ACTIVE)
        if reported is not None:
            outcome = OutcomeFactory(placement=p)
            Outcome.objects.filter(pk=outcome.pk).update(
                created_at=timezone.now() - dt.timedelta(days=reported))
    reminders_send(today=today)
    reminded = {p.pk for p in cases.values()
                if Notification.objects.filter(event_key__startswith=f"placement_quiet:{p.pk}:")}
    client = Client()
    client.force_login(alice)
    listed = {p.pk for p in client.get(reverse("matching:company_dashboard"))
              .context["outcomes_due"]}
    assert reminded == listed == {cases["edge"].pk, cases["old report"].pk}
