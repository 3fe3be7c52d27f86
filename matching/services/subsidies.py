"""Subsidies (补贴): a versioned policy computes, for each graded year of a placement,
what may be claimed from the salary the company actually paid; staff approve or
reject the claim. The calculation is kept line by line as plain data and written
out in the reader's language (`explain`).

`compute` is the one calculation: plain data in, plain data out, no database.
"""

import io
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.history import acting
from accounts.models import CompanyMembership, User
from accounts.roles import APPROVE_SUBSIDY, MANAGE_SUBSIDY_POLICY, require_perm

from ..models import Evaluation, Grade, SubsidyClaim, SubsidyPolicy
from ._base import require_text, transition

CENT = Decimal("0.01")
POLICY_TERMS = ("name", "rate_excellent", "rate_pass", "rate_fail", "cap_per_year",
                "salary_floor", "max_years")


@dataclass(frozen=True)
class Terms:
    """What the calculation reads of a policy."""

    rates: dict  # grade → fraction
    cap_per_year: Decimal
    salary_floor: Decimal
    max_years: int

    @classmethod
    def of(cls, policy: SubsidyPolicy) -> "Terms":
        return cls({g: policy.rate_for(g) for g in Grade.values}, policy.cap_per_year,
                   policy.salary_floor, policy.max_years)


def compute(terms: Terms, *, grade: str, year: int,
            salaries: list[tuple[str, Decimal]]) -> tuple[Decimal, Decimal, list[dict]]:
    """(salary counted, subsidy, lines) for one year: the months paid at least the
    floor are summed, times the grade's rate, rounded to the fen (half up), at
    most the cap; nothing beyond the policy's years."""
    lines = []
    counted = Decimal(0)
    for month, amount in sorted(salaries):
        ok = amount >= terms.salary_floor
        lines.append({"line": "month", "month": month, "amount": str(amount), "counted": ok,
                      "floor": str(terms.salary_floor)})
        counted += amount if ok else 0
    lines.append({"line": "counted", "amount": str(counted)})
    if year > terms.max_years:
        lines.append({"line": "beyond_years", "year": year, "max_years": terms.max_years})
        return counted, Decimal("0.00"), [*lines, {"line": "amount", "amount": "0.00"}]
    rate = terms.rates[grade]
    gross = (counted * rate).quantize(CENT, ROUND_HALF_UP)
    lines.append({"line": "rate", "grade": grade, "rate": str(rate), "amount": str(gross)})
    amount = min(gross, terms.cap_per_year)
    if amount < gross:
        lines.append({"line": "cap", "cap": str(terms.cap_per_year)})
    lines.append({"line": "amount", "amount": str(amount)})
    return counted, amount, lines


def explain(lines: list[dict]) -> list[str]:
    """The calculation's lines in the active language."""
    grades = dict(Grade.choices)
    text = {
        "month": lambda v: (_("%(month)s: salary paid %(amount)s yuan, counted") if v["counted"]
                            else _("%(month)s: salary paid %(amount)s yuan, below the floor of "
                                   "%(floor)s, not counted")) % v,
        "counted": lambda v: _("Salary counted: %(amount)s yuan") % v,
        "beyond_years": lambda v: _("Year %(year)d is beyond the %(max_years)d years the "
                                    "policy subsidises: nothing is due") % v,
        "rate": lambda v: _("Grade %(grade)s: rate %(rate)s × salary counted = %(amount)s yuan")
        % {**v, "grade": grades.get(v["grade"], v["grade"])},
        "cap": lambda v: _("Capped at %(cap)s yuan per person per year") % v,
        "amount": lambda v: _("Subsidy: %(amount)s yuan") % v,
    }
    return [text[line["line"]](line) for line in lines]


# --- policies ---------------------------------------------------------------------------------

@transaction.atomic
def subsidy_policy_create(*, by: User, programme: str, **terms) -> SubsidyPolicy:
    """A new draft version of a programme's policy."""
    require_perm(by, MANAGE_SUBSIDY_POLICY)
    _only_terms(terms)
    # Locking the programme's versions keeps two drafts from taking the same number.
    latest = (SubsidyPolicy.objects.select_for_update().filter(programme=programme)
              .aggregate(v=Max("version"))["v"] or 0)
    policy = SubsidyPolicy(programme=programme, version=latest + 1, created_by=by, **terms)
    policy.full_clean(validate_constraints=False)
    acting(policy, by).save()
    return policy


@transaction.atomic
def subsidy_policy_update(*, policy: SubsidyPolicy, by: User, **terms) -> SubsidyPolicy:
    """Change a draft; an active or retired version stays as it was."""
    require_perm(by, MANAGE_SUBSIDY_POLICY)
    _only_terms(terms)
    locked = SubsidyPolicy.objects.select_for_update().get(pk=policy.pk)
    if locked.status != SubsidyPolicy.Status.DRAFT:
        raise DomainError(_("Only a draft policy can be changed; write a new version."),
                          code="invalid_transition")
    for name, value in terms.items():
        setattr(locked, name, value)
    locked.full_clean(validate_constraints=False)
    acting(locked, by).save()
    return locked


def _only_terms(terms: dict) -> None:
    unknown = set(terms) - set(POLICY_TERMS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s")
                          % {"f": ", ".join(sorted(unknown))}, code="forbidden")


@transaction.atomic
def subsidy_policy_activate(*, policy: SubsidyPolicy, by: User) -> SubsidyPolicy:
    """Make a draft the programme's policy; the one before it retires. Claims
    already filed keep the version they were computed by."""
    require_perm(by, MANAGE_SUBSIDY_POLICY)
    S = SubsidyPolicy.Status
    for current in SubsidyPolicy.objects.select_for_update().filter(
            programme=policy.programme, status=S.ACTIVE).exclude(pk=policy.pk):
        transition(current, allowed={S.ACTIVE}, to=S.RETIRED, action=_("retire this policy"),
                   by=by)
    transition(policy, allowed={S.DRAFT}, to=S.ACTIVE, action=_("activate this policy"), by=by,
               activated_at=timezone.now())
    return policy


def subsidy_policy_cost(*, policy: SubsidyPolicy, year: int) -> dict:
    """What `policy` would have cost on the claims of the years that ended in
    `year` (each claim's salaries and grade, this policy's terms), beside what
    was approved for them."""
    terms = Terms.of(policy)
    claims = (SubsidyClaim.objects.filter(placement__programme=policy.programme,
                                          evaluation__period_end__year=year)
              .exclude(status=SubsidyClaim.Status.REJECTED)
              .select_related("evaluation", "placement__company", "placement__researcher__user")
              .order_by("pk"))
    rows, would, approved = [], Decimal(0), Decimal(0)
    for claim in claims:
        _counted, amount, _lines = compute(terms, grade=claim.evaluation.grade,
                                           year=claim.evaluation.year,
                                           salaries=_salaries(claim.salaries))
        rows.append({"claim": claim, "would": amount})
        would += amount
        approved += claim.amount if claim.status == SubsidyClaim.Status.APPROVED else 0
    return {"policy": policy, "year": year, "claims": len(rows), "rows": rows,
            "would_cost": would, "approved": approved, "difference": would - approved}


# --- claims -----------------------------------------------------------------------------------

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _salaries(raw: list[dict]) -> list[tuple[str, Decimal]]:
    return [(row["month"], Decimal(str(row["amount"]))) for row in raw]


def _checked_salaries(evaluation: Evaluation, salaries) -> list[dict]:
    """The company's monthly salaries as plain data, or a refusal naming the field:
    each month once, inside the evaluated year, an amount of yuan ≥ 0."""
    first, last = (f"{evaluation.period_start:%Y-%m}", f"{evaluation.period_end:%Y-%m}")
    rows, seen = [], set()
    for row in salaries or []:
        month = str(row.get("month", "")) if isinstance(row, dict) else ""
        try:
            amount = Decimal(str(row.get("amount"))).quantize(CENT)
        except (InvalidOperation, TypeError, AttributeError):
            amount = None
        if not MONTH.match(month) or month in seen or not first <= month <= last:
            raise DomainError(_("Each month once, as YYYY-MM, within %(a)s – %(b)s.")
                              % {"a": first, "b": last}, field="salaries", code="invalid")
        if amount is None or amount < 0 or amount >= Decimal("1e10"):
            raise DomainError(_("A salary is an amount of yuan, 0 or more."), field="salaries",
                              code="invalid")
        seen.add(month)
        rows.append({"month": month, "amount": str(amount)})
    if not rows:
        raise DomainError(_("Enter the salary paid for each month."), field="salaries",
                          code="required")
    return sorted(rows, key=lambda r: r["month"])


@transaction.atomic
def subsidy_claim_file(*, evaluation: Evaluation, by: User, salaries: list[dict]) -> SubsidyClaim:
    """The company enters the salary it paid for a graded year; the claim is
    computed by the programme's active policy. Filing again recomputes a claim
    not yet approved."""
    evaluation = Evaluation.objects.select_for_update().select_related("placement").get(
        pk=evaluation.pk)
    placement = evaluation.placement
    if not CompanyMembership.objects.filter(company=placement.company_id, user=by.pk).exists():
        raise DomainError(_("Only the company of this placement files its subsidy claim."),
                          code="forbidden")
    if evaluation.status != Evaluation.Status.GRADED:
        raise DomainError(_("A subsidy is claimed for a graded year."),
                          code="invalid_transition")
    policy = SubsidyPolicy.objects.filter(programme=placement.programme,
                                          status=SubsidyPolicy.Status.ACTIVE).first()
    if policy is None:
        raise DomainError(_("No subsidy policy is in force for this programme."),
                          code="invalid_transition")
    rows = _checked_salaries(evaluation, salaries)
    counted, amount, lines = compute(Terms.of(policy), grade=evaluation.grade,
                                     year=evaluation.year, salaries=_salaries(rows))
    claim = SubsidyClaim.objects.select_for_update().filter(evaluation=evaluation).first()
    if claim is not None and claim.status == SubsidyClaim.Status.APPROVED:
        raise DomainError(_("This claim is approved already."), code="invalid_transition")
    claim = claim or SubsidyClaim(evaluation=evaluation, placement=placement)
    claim.policy, claim.salaries, claim.salary_counted, claim.amount = policy, rows, counted, amount
    claim.explanation, claim.filed_by, claim.status = lines, by, SubsidyClaim.Status.PENDING
    claim.review_note, claim.decided_by, claim.decided_at = "", None, None
    acting(claim, by).save()
    return claim


@transaction.atomic
def subsidy_claim_approve(*, claim: SubsidyClaim, by: User, note: str = "") -> SubsidyClaim:
    require_perm(by, APPROVE_SUBSIDY)
    C = SubsidyClaim.Status
    return transition(claim, allowed={C.PENDING}, to=C.APPROVED, action=_("approve this claim"),
                      by=by, review_note=note, decided_by=by, decided_at=timezone.now())


@transaction.atomic
def subsidy_claim_reject(*, claim: SubsidyClaim, by: User, note: str) -> SubsidyClaim:
    require_perm(by, APPROVE_SUBSIDY)
    note = require_text(note, field="review_note", message=_("Say why the claim is rejected."))
    C = SubsidyClaim.Status
    return transition(claim, allowed={C.PENDING}, to=C.REJECTED, action=_("reject this claim"),
                      by=by, review_note=note, decided_by=by, decided_at=timezone.now())


def subsidy_claims_workbook(claims, *, title: str = "subsidy-claims") -> bytes:
    """An Excel report of `claims` (one row each, texts never read as formulas)."""
    from openpyxl import Workbook

    from ..reports import _xlsx_cell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append([_("Company"), _("Researcher"), _("Programme"), _("Year"), _("Period"),
                  _("Grade"), _("Salary counted (yuan)"), _("Subsidy (yuan)"), _("Status"),
                  _("Policy"), _("Calculation")])
    for c in claims:
        e = c.evaluation
        row = [c.placement.company.name, str(c.placement.researcher.user),
               c.placement.get_programme_display(), e.year,
               f"{e.period_start:%Y-%m-%d} – {e.period_end:%Y-%m-%d}", e.get_grade_display(),
               c.salary_counted, c.amount, c.get_status_display(), str(c.policy),
               "\n".join(explain(c.explanation))]
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

