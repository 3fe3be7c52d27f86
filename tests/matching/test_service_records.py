"""The service record: rita logs the days she served Acme, Acme confirms or
queries a month, a short month is reminded before it ends and recorded as a
shortfall once over — once, however often the job runs."""

import datetime
import decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.errors import DomainError
from matching.models import Notification, ServiceLog, ServiceNotice
from matching.services import service_records as services

from .after_approval import signed_placement

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def placement(acme, alice, rita, ursula):
    return signed_placement(acme, alice, rita, ursula)


def log(placement, rita, day, **kw):
    return services.service_log_add(placement=placement, by=rita.user, day=day,
                                    hours=kw.pop("hours", decimal.Decimal("8")),
                                    place=kw.pop("place", "Acme 研发中心"),
                                    work=kw.pop("work", "调试钙钛矿电池产线"), **kw)


def test_the_researcher_logs_a_day_with_a_photo(placement, rita):
    entry = log(placement, rita, datetime.date(2025, 3, 3),
                photo=SimpleUploadedFile("现场.png.exe", PNG))
    assert entry.status == ServiceLog.Status.LOGGED
    assert entry.photo.name.endswith("现场.png") and entry.history.latest().history_user == rita.user


def test_a_photo_that_is_not_an_image_is_refused_by_field(placement, rita):
    with pytest.raises(DomainError) as e:
        log(placement, rita, datetime.date(2025, 3, 3),
            photo=SimpleUploadedFile("x.png", b"%PDF-1.4"))
    assert "photo" in e.value.message_dict
    assert not ServiceLog.objects.exists()


def test_only_the_placed_researcher_logs(placement, oscar, alice):
    for user in (oscar.user, alice):
        with pytest.raises(DomainError):
            services.service_log_add(placement=placement, by=user, day=datetime.date(2025, 3, 3),
                                     hours=8, place="x", work="y")


def test_a_day_outside_the_term_is_refused(placement, rita):
    with pytest.raises(DomainError) as e:
        log(placement, rita, datetime.date(2024, 12, 31))
    assert "day" in e.value.message_dict


def test_the_company_confirms_a_month_and_queries_one_day(placement, rita, alice, bob):
    days = [datetime.date(2025, 3, d) for d in (3, 4, 5)]
    logs = [log(placement, rita, d) for d in days]
    queried = services.service_log_query(log=logs[0], by=bob, reason="那天没有来")
    assert services.service_month_confirm(placement=placement, month=days[0], by=alice) == 2
    statuses = dict(ServiceLog.objects.values_list("day", "status"))
    assert statuses == {days[0]: "queried", days[1]: "confirmed", days[2]: "confirmed"}
    assert queried.query_reason == "那天没有来"
    # rita corrects the queried day: it goes back to the company.
    assert log(placement, rita, days[0], place="Acme 二号厂房").status == ServiceLog.Status.LOGGED
    with pytest.raises(DomainError):
        log(placement, rita, days[1])  # confirmed days stay as confirmed


def test_a_query_needs_a_reason_and_another_company_cannot_confirm(placement, rita, charlie):
    entry = log(placement, rita, datetime.date(2025, 3, 3))
    with pytest.raises(DomainError):
        services.service_month_confirm(placement=placement, month=entry.day, by=charlie)
    with pytest.raises(DomainError) as e:
        services.service_log_query(log=entry, by=placement.company.memberships.first().user,
                                   reason=" ")
    assert "reason" in e.value.message_dict


def test_a_short_month_is_reminded_once_and_its_shortfall_noticed_once(placement, rita, alice,
                                                                        mailoutbox):
    for d in (3, 4, 5):  # 3 of the 7 days
        log(placement, rita, datetime.date(2025, 1, d))
    early = datetime.date(2025, 1, 20)
    assert services.service_notices_send(today=early) == 0  # not yet near the end
    near = datetime.date(2025, 1, 28)
    assert services.service_notices_send(today=near) == 1
    assert services.service_notices_send(today=near) == 0  # replayed: nothing twice
    assert services.service_notices_send(today=datetime.date(2025, 1, 29)) == 0
    reminder = ServiceNotice.objects.get(kind="reminder")
    assert (reminder.days_logged, reminder.days_required) == (3, 7)
    after = datetime.date(2025, 2, 1)
    assert services.service_notices_send(today=after) == 1  # January fell short
    assert services.service_notices_send(today=datetime.date(2025, 2, 2)) == 0
    shortfall = ServiceNotice.objects.get(kind="shortfall")
    assert shortfall.month == datetime.date(2025, 1, 1)
    assert Notification.objects.filter(user=alice, event_key__startswith="service_shortfall"
                                       ).count() == 1
    assert Notification.objects.filter(user=rita.user).count() == 2
    assert len(mailoutbox) == 3  # rita's reminder, rita's and alice's shortfall


def test_a_month_with_enough_days_sends_nothing(placement, rita):
    for d in range(3, 10):
        log(placement, rita, datetime.date(2025, 1, d))
    assert services.service_notices_send(today=datetime.date(2025, 1, 28)) == 0
    assert services.service_notices_send(today=datetime.date(2025, 2, 1)) == 0
    assert not ServiceNotice.objects.exists()


def test_an_overlong_account_of_the_day_is_refused_by_field(placement, rita):
    with pytest.raises(DomainError) as e:
        log(placement, rita, datetime.date(2025, 3, 3), work="调" * 2001)
    assert "work" in e.value.message_dict and not ServiceLog.objects.exists()
