"""Every field that could hold personal information is classified, and deleting a
person leaves none of their values in any table, history included, while the
district's headline figures stay the same (issue 15, PIPL Art. 47)."""

import datetime

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import privacy
from accounts.errors import DomainError
from accounts.models import DeletionRequest, User
from accounts.personal_data import HISTORY_FIELDS, NOT_PERSONAL, PERSONAL
from matching import statistics
from matching.engine import ENGINE_VERSION
from matching.models import Application, MatchScore, Notification, Outcome, Placement
from matching.services import outcome_confirm, outcome_verify
from matching.services.privacy import deletion_carry_out
from tests import factories as f

# The kinds of field a person's information can sit in.
TEXTUAL = (models.CharField, models.TextField, models.FileField, models.GenericIPAddressField,
           models.JSONField)
OUR_APPS = {"accounts", "matching"}


def _label(model) -> str:
    """A history model is classified by the model it keeps the history of."""
    base = getattr(model, "instance_type", None)
    return (base or model)._meta.label


def test_every_field_that_could_hold_personal_data_is_classified():
    unclassified = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        label = _label(model)
        known = PERSONAL.get(label, set()) | NOT_PERSONAL.get(label, set()) | HISTORY_FIELDS
        unclassified += [f"{model._meta.label}.{field.name}" for field in model._meta.concrete_fields
                         if isinstance(field, TEXTUAL) and field.name not in known]
    assert not unclassified, ("declare each in accounts/personal_data.py (PERSONAL or "
                              f"NOT_PERSONAL): {unclassified}")


def test_the_declarations_name_only_fields_that_exist():
    for declared in (PERSONAL, NOT_PERSONAL):
        for label, names in declared.items():
            model = apps.get_model(label)
            assert names <= {f.name for f in model._meta.concrete_fields}, label


# --- deletion ----------------------------------------------------------------------------------

MARK = "Zq7Person"  # in every personal value of the person deleted, found nowhere after


@pytest.fixture
def person(acme, sam, alice):
    """A researcher with something in every kind of row, each value carrying MARK,
    a verified outcome that counts in the headline figures, and history."""
    rita = f.ResearcherFactory(user__email=f"{MARK.lower()}@hdu.edu.cn",
                               user__full_name=f"{MARK}姓名", user__phone="13800000001",
                               department=f"{MARK}学院", bio=f"{MARK} 简介",
                               keywords=[f"{MARK}词"])
    from accounts import services as account_services

    account_services.researcher_update(profile=rita, by=rita.user, bio=f"{MARK} 第二版简介")
    f.WorkFactory(researcher=rita, title=f"{MARK} 论文", abstract=f"{MARK} 摘要")
    need = f.ChallengeFactory(company=acme, status="published")
    application = f.ApplicationFactory(challenge=need, researcher=rita, proposal=f"{MARK} 方案",
                                       team=f"{MARK} 团队")
    placement = f.PlacementFactory(company=acme, researcher=rita, challenge=need,
                                   application=application, status=Placement.Status.ACTIVE,
                                   starts_on=datetime.date(2025, 1, 1))
    outcome = f.OutcomeFactory(placement=placement, amount="88.00", review_note="")
    outcome.evidence.save("contract.pdf", SimpleUploadedFile("contract.pdf", b"%PDF-1.4"))
    outcome_confirm(outcome=outcome, by=alice)  # the other side confirms before staff verify
    outcome_verify(outcome=outcome, by=sam, note=f"{MARK} 审核意见")
    Notification.objects.create(user=rita.user, event_key="t:1", subject=f"{MARK} 通知")
    MatchScore.objects.create(challenge=need, researcher=rita, score=0.5,
                              components={"terms": [f"{MARK}词"]}, engine_version=ENGINE_VERSION)
    privacy.visibility_give(user=rita.user, by=rita.user, ip="10.77.77.77")
    Client().post(reverse("login"), {"username": rita.user.email, "password": f.PASSWORD})
    return rita


def _values_left(needles: list[str]) -> list[str]:
    """Every row of every table (history, sign-in logs and tokens included) whose text
    holds one of `needles`."""
    found = []
    for model in apps.get_models():
        fields = [fl for fl in model._meta.concrete_fields if isinstance(fl, TEXTUAL)]
        for row in model._default_manager.values_list(*(fl.attname for fl in fields)) \
                if fields else []:
            text = " ".join(str(v) for v in row)
            found += [f"{model._meta.label}: {n}" for n in needles if n in text]
    return found


def test_deletion_leaves_none_of_the_persons_values_and_the_figures_unchanged(person, sam):
    user = person.user
    needles = [MARK, MARK.lower(), "13800000001", "10.77.77.77"]
    assert _values_left(needles)  # the search finds them before
    before = statistics.headline()
    asked = privacy.deletion_request_create(user=user, by=user)
    deletion_carry_out(request=asked, by=sam)
    assert _values_left(needles) == []
    assert statistics.headline() == before
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    # The verified outcome and the placement stay, anonymous, for the statistics.
    assert Outcome.objects.filter(placement__researcher=person, status="verified").exists()
    assert Application.objects.filter(researcher=person).get().proposal == ""
    asked.refresh_from_db()
    assert (asked.status, asked.done_by) == (DeletionRequest.Status.DONE, sam)


def test_only_staff_allowed_carry_out_a_deletion_and_only_once(person, sam, vera, alice):
    asked = privacy.deletion_request_create(user=person.user, by=person.user)
    for by in (alice, vera):
        with pytest.raises(DomainError):
            deletion_carry_out(request=asked, by=by)
    deletion_carry_out(request=asked, by=sam)
    with pytest.raises(DomainError):
        deletion_carry_out(request=asked, by=sam)


def test_the_person_asks_on_the_website_and_staff_see_the_queue_oldest_first(rita, oscar, sam,
                                                                            settings):
    settings.DELETION_DEADLINE_DAYS = 15
    first = privacy.deletion_request_create(user=oscar.user, by=oscar.user)
    client = Client()
    client.force_login(rita.user)
    refused = client.post(reverse("accounts:deletion_request"), {})
    assert refused.status_code == 400 and not rita.user.deletion_requests.exists()
    assert client.post(reverse("accounts:deletion_request"), {"confirm": "on"}).status_code == 302
    asked = rita.user.deletion_requests.get()
    assert asked.due_at - asked.requested_at == datetime.timedelta(days=15)
    # Asking again keeps the one request.
    client.post(reverse("accounts:deletion_request"), {"confirm": "on"})
    assert rita.user.deletion_requests.count() == 1
    assert list(DeletionRequest.objects.queue()) == [first, asked]
    admin = Client()
    admin.force_login(sam)
    page = admin.get(reverse("admin:accounts_deletionrequest_changelist"))
    assert page.status_code == 200
    listed = list(page.context["cl"].result_list)
    assert listed == [first, asked]
    admin.post(reverse("admin:accounts_deletionrequest_changelist"),
               {"action": "deletion_carry_out_action", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.status == DeletionRequest.Status.DONE


def test_the_api_asks_for_deletion_with_a_confirmation(rita, oscar):
    api = APIClient()
    api.force_authenticate(rita.user)
    unconfirmed = api.post("/api/v1/me/deletion-request/", {"confirm": False}, format="json")
    assert unconfirmed.status_code == 400
    assert unconfirmed.json()["errors"][0]["attr"] == "confirm"
    created = api.post("/api/v1/me/deletion-request/", {"confirm": True}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "pending"
    assert [r["id"] for r in api.get("/api/v1/me/deletion-request/").json()] == [created.json()["id"]]
    api.force_authenticate(oscar.user)
    assert api.get("/api/v1/me/deletion-request/").json() == []


def test_erasing_twice_changes_nothing_more(person, sam):
    from matching.services.privacy import person_erase

    person_erase(user=person.user, by=sam)
    after = statistics.headline()
    person_erase(user=person.user, by=sam)
    assert statistics.headline() == after
    person.refresh_from_db()
    assert (person.bio, person.keywords, person.user.email) == (
        "", [], f"erased-{person.user.pk}@erased.invalid")


# --- retention ---------------------------------------------------------------------------------

def test_unused_accounts_are_flagged_then_anonymised_and_a_replay_does_nothing(
        rita, oscar, alice, sam, settings):
    from matching.services.privacy import retention_sweep

    settings.RETENTION_INACTIVE_DAYS, settings.DELETION_DEADLINE_DAYS = 365, 15
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=400)
    User.objects.filter(pk__in=[rita.user.pk, oscar.user.pk]).update(last_login=long_ago)
    User.objects.filter(pk=alice.pk).update(last_login=now)
    assert retention_sweep(now=now) == {"lifted": 0, "flagged": 2, "erased": 0}
    assert retention_sweep(now=now) == {"lifted": 0, "flagged": 0, "erased": 0}
    assert set(DeletionRequest.objects.queue().values_list("user", flat=True)) == {
        rita.user.pk, oscar.user.pk}
    # oscar signs in meanwhile: his flag is lifted; rita's deadline passes.
    User.objects.filter(pk=oscar.user.pk).update(last_login=now + datetime.timedelta(days=1))
    later = now + datetime.timedelta(days=16)
    assert retention_sweep(now=later) == {"lifted": 1, "flagged": 0, "erased": 1}
    assert retention_sweep(now=later) == {"lifted": 0, "flagged": 0, "erased": 0}
    rita.user.refresh_from_db()
    oscar.user.refresh_from_db()
    assert not rita.user.is_active and rita.user.email.startswith("erased-")
    assert oscar.user.is_active


def test_a_staff_export_of_personal_data_is_on_record(sam):
    from accounts.models import PersonalDataExport

    client = Client()
    client.force_login(sam)
    response = client.get(reverse("admin-statistics"), {"export": "xlsx", "table": "placements"})
    assert response.status_code == 200
    logged = PersonalDataExport.objects.get()
    assert (logged.user, logged.what) == (sam, "statistics: placements.xlsx")


def test_the_drill_down_rows_exported_by_staff_are_on_record_too(sam):
    from accounts.models import PersonalDataExport

    client = Client()
    client.force_login(sam)
    response = client.get(reverse("admin-statistics-rows"),
                          {"figure": "researchers", "export": "csv"})
    assert response.status_code == 200
    logged = PersonalDataExport.objects.get()
    assert (logged.user, logged.what) == (sam, "statistics rows: researchers.csv")
