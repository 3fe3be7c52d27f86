"""A person's copy of everything the service holds about them (PIPL Art. 45).

`personal_export(user)` gathers it in sections — the account, the researcher
profile and works, company memberships, applications, placements, outcomes,
notifications, consents and sign-in records — each a list of plain rows; the
website and the API serve it as JSON or as an Excel workbook with a sheet per
section. It lives in matching because it reads both apps (accounts may not
import matching).
"""

import datetime
import io
import json
from decimal import Decimal

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

from accounts.models import CompanyMembership, Consent, ResearcherProfile, User, Work

from .models import Application, Notification, Outcome, Placement

# The sections, in order, with the title of each sheet; every one is present
# (empty when there is nothing) so that the person sees what could be held.
SECTIONS = {
    "account": _("account"),
    "researcher_profile": _("researcher profile"),
    "works": _("works"),
    "company_memberships": _("company memberships"),
    "applications": _("applications"),
    "placements": _("placements"),
    "outcomes": _("outcomes"),
    "notifications": _("notifications"),
    "consents": _("consents"),
    "sign_ins": _("sign-in records"),
}

# Never part of a copy: a password digest says nothing to its owner and helps an attacker.
SECRET_FIELDS = {"password"}


def _plain(value):
    if isinstance(value, FieldFile):  # an uploaded file: its name (it is downloaded apart)
        return value.name or None
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj: models.Model, **extra) -> dict:
    """The object's own columns (foreign keys as ids), without secrets."""
    row = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        row[field.attname] = _plain(field.value_from_object(obj))
    return {**row, **{k: _plain(v) for k, v in extra.items()}}


def _sign_ins(user: User) -> list[dict]:
    """django-axes' record of each sign-in (time, address, browser), plus last_login."""
    from axes.models import AccessLog

    rows = [{"attempt_time": _plain(log.attempt_time), "logout_time": _plain(log.logout_time),
             "ip_address": log.ip_address, "user_agent": log.user_agent, "path": log.path_info}
            for log in AccessLog.objects.filter(username__iexact=user.email)
            .order_by("-attempt_time")]
    return rows


def personal_export(user: User) -> dict[str, list[dict]]:
    profile = ResearcherProfile.objects.filter(user=user).first()
    applications = Application.objects.filter(researcher=profile).select_related("challenge")
    placements = Placement.objects.filter(researcher=profile).select_related("company")
    return {
        "account": [_row(user)],
        "researcher_profile": [_row(profile)] if profile else [],
        "works": [_row(w) for w in Work.objects.filter(researcher=profile)],
        "company_memberships": [
            _row(m, company_name=m.company.name)
            for m in CompanyMembership.objects.filter(user=user).select_related("company")],
        "applications": [_row(a, challenge_title=a.challenge.title) for a in applications],
        "placements": [_row(p, company_name=p.company.name) for p in placements],
        "outcomes": [_row(o) for o in Outcome.objects.filter(placement__researcher=profile)],
        "notifications": [_row(n) for n in Notification.objects.filter(user=user)],
        "consents": [_row(c, version=c.text.version if c.text else None)
                     for c in Consent.objects.filter(user=user).select_related("text")],
        "sign_ins": _sign_ins(user),
    }


def export_workbook(data: dict[str, list[dict]]) -> bytes:
    """The same copy as an Excel workbook: a sheet per section, a header row of
    column names, one row per record (lists and dicts written as JSON text;
    every text a text cell, never a formula)."""
    from openpyxl import Workbook

    from .reports import _xlsx_cell

    book = Workbook(write_only=True)
    for key, title in SECTIONS.items():
        sheet = book.create_sheet(str(title)[:31])
        rows = data.get(key, [])
        columns = list(dict.fromkeys(c for row in rows for c in row)) or ["—"]
        sheet.append([_xlsx_cell(sheet, c) for c in columns])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, json.dumps(v, ensure_ascii=False)
                                     if isinstance(v, list | dict) else v)
                          for v in (row.get(c) for c in columns)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
