"""Demo data of issue 16: what follows the approval of the demo district's
placements — signed three-party agreements, service logs (with a tech VP who fell
short twice), graded evaluations and subsidy claims computed by the active
policies (a draft policy is there to try on last year's claims).

Deterministic (the builder's seeded random), and it leaves the placements and
outcomes alone, so the headline figures (847 / 258 / 4,000万 / 320) are as before.
"""

import calendar
import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import InstitutionOffice, User

from .models import (
    Agreement,
    AgreementSignature,
    Evaluation,
    Grade,
    Outcome,
    Party,
    Placement,
    Programme,
    ServiceLog,
    ServiceNotice,
    SubsidyClaim,
    SubsidyPolicy,
)
from .services.evaluations import term_years
from .services.subsidies import Terms, compute

# PhDs of the sixth cohort whose days are logged in the demo (the rest keep none).
LOGGED_PHDS = 20
# The tech VP whose months fell short, and the months.
SHORT_VP, SHORT_MONTHS = 1, 2


def build(builder) -> None:
    """Called once from DemoBuilder.build, after the outcomes."""
    Service(builder).build()


class Service:
    def __init__(self, builder):
        self.b, self.rng, self.today = builder, builder.rng, builder.today
        # Each demo company's owner is the user made beside it.
        self.owner = {c.pk: u for c, u in zip(builder.companies, builder.company_users,
                                              strict=True)}

    def build(self):
        self._policies()
        vps = [p for p in self.b.placements if p.programme == Programme.TECH_VP
               and p.post == "科技副总" and p.status == Placement.Status.ACTIVE]
        phds = [p for p in self.b.placements if p.programme == Programme.PHD
                and p.cohort is not None and p.cohort.number in (5, 6)]
        self.agreements = self._agreements([*vps, *phds])
        self._logs(vps, [p for p in phds if p.cohort.number == 6][:LOGGED_PHDS])
        self._evaluations(vps, phds)

    def _policies(self):
        staff = self.b.staff
        now = timezone.now()
        self.policies = {
            Programme.TECH_VP: SubsidyPolicy(
                programme=Programme.TECH_VP, version=1, name="科技副总薪酬补贴", status="active",
                rate_excellent=Decimal("0.70"), rate_pass=Decimal("0.50"), rate_fail=Decimal(0),
                cap_per_year=Decimal("100000"), salary_floor=Decimal("3000"), max_years=3,
                created_by=staff, activated_at=now),
            Programme.PHD: SubsidyPolicy(
                programme=Programme.PHD, version=1, name="博士入企生活补贴", status="active",
                rate_excellent=Decimal("0.70"), rate_pass=Decimal("0.50"), rate_fail=Decimal(0),
                cap_per_year=Decimal("60000"), salary_floor=Decimal("3000"), max_years=1,
                created_by=staff, activated_at=now),
        }
        draft = SubsidyPolicy(
            programme=Programme.PHD, version=2, name="博士入企生活补贴（2026 修订稿）",
            rate_excellent=Decimal("0.80"), rate_pass=Decimal("0.50"), rate_fail=Decimal(0),
            cap_per_year=Decimal("80000"), salary_floor=Decimal("5000"), max_years=2,
            created_by=staff)
        self.b._bulk(SubsidyPolicy, [*self.policies.values(), draft])

    def _agreements(self, placements) -> dict:
        """A signed agreement per placement, signed by its company, the office of
        the researcher's university and the researcher."""
        offices = {}
        for p in placements:
            institution = p.researcher.institution
            if institution.pk not in offices:
                offices[institution.pk] = User(
                    email=f"office{institution.pk}@demo.qiantang.local",
                    full_name=f"{institution.name}科研处", password=self.b.password)
        users = User.objects.bulk_create(list(offices.values()))
        InstitutionOffice.objects.bulk_create(
            InstitutionOffice(institution_id=pk, user=u)
            for pk, u in zip(offices, users, strict=True))
        agreements = [Agreement(
            placement=p, starts_on=p.starts_on, ends_on=p.ends_on, status="signed",
            amount=Decimal("12.00") if p.programme == Programme.TECH_VP else Decimal("10.00"),
            service_days_per_month=7 if p.programme == Programme.TECH_VP else 15,
            ip_terms="服务期间产生的知识产权归企业所有，研究人员享有署名权。",
            terms="每月服务天数以服务日志经企业确认为准。", created_by=self.b.staff,
            signed_at=timezone.now()) for p in placements]
        agreements = self.b._bulk(Agreement, agreements)
        signatures = []
        for a, p in zip(agreements, placements, strict=True):
            signatures += [
                AgreementSignature(agreement=a, party=Party.COMPANY, signed_by=self.owner[p.company_id]),
                AgreementSignature(agreement=a, party=Party.UNIVERSITY,
                                   signed_by=offices[p.researcher.institution_id]),
                AgreementSignature(agreement=a, party=Party.RESEARCHER,
                                   signed_by=p.researcher.user)]
        self.b._bulk(AgreementSignature, signatures)
        return {a.placement_id: a for a in agreements}

    # --- service logs ---------------------------------------------------------------------
    def _logs(self, vps, phds):
        """Days served each whole month until last month: the tech VPs 7–9 a month
        (one of them 5 in two months, which staff see as shortfalls), the logged PhDs
        15–17. Last month's are awaiting the company; earlier ones are confirmed."""
        last_month = (self.today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        logs, notices = [], []
        for group, (low, high), required in ((vps, (7, 9), 7), (phds, (15, 17), 15)):
            for k, p in enumerate(group):
                until = min(last_month, p.ends_on)
                for m, month in enumerate(_months(p.starts_on, until)):
                    n = self.rng.randint(low, high)
                    if group is vps and k == SHORT_VP and m < SHORT_MONTHS:
                        n = 5
                        notices.append(ServiceNotice(placement=p, month=month, kind="shortfall",
                                                     days_logged=n, days_required=required))
                    first = max(month, p.starts_on)
                    last = min(month.replace(day=calendar.monthrange(month.year,
                                                                     month.month)[1]), p.ends_on)
                    days = [first + datetime.timedelta(days=d)
                            for d in range((last - first).days + 1)]
                    for day in sorted(self.rng.sample(days, min(n, len(days)))):
                        logs.append(self._log(p, day, month < last_month))
        self.logs = self.b._bulk(ServiceLog, logs)
        self.b._bulk(ServiceNotice, notices)

    def _log(self, placement, day, confirmed):
        owner = self.owner[placement.company_id] if confirmed else None
        return ServiceLog(
            placement=placement, day=day, hours=Decimal(self.rng.choice([4, 6, 8, 8, 8])),
            place=f"{placement.company.name[:12]}研发中心",
            work=self.rng.choice(["产线工艺调试与问题分析", "联合研发方案讨论", "技术人员培训",
                                  "检测数据分析与改进建议", "项目申报材料撰写"]),
            status="confirmed" if confirmed else "logged", logged_by=placement.researcher.user,
            decided_by=owner, decided_at=timezone.now() if confirmed else None)

    # --- evaluations and claims -----------------------------------------------------------
    def _evaluations(self, vps, phds):
        """The PhDs' cohort periods graded at their end, and the tech VPs' first year;
        each with its subsidy claim: approved for the PhDs, awaiting staff for the VPs."""
        verified = {}
        for pid, day in Outcome.objects.filter(
                status=Outcome.Status.VERIFIED,
                placement__in=[p.pk for p in (*vps, *phds)]).values_list("placement_id",
                                                                         "achieved_on"):
            verified.setdefault(pid, []).append(day)
        logged = {}
        for log in self.logs:
            logged.setdefault(log.placement_id, []).append(log)
        evaluations, claims = [], []
        for p in (*phds, *vps):
            years = [y for y in term_years(p) if y[2] < self.today]
            if p.programme == Programme.TECH_VP:
                years = years[:1]
            for year, start, end in years:
                evaluation, claim = self._graded(p, year, start, end, verified.get(p.pk, []),
                                                 logged.get(p.pk, []))
                evaluations.append(evaluation)
                claims.append(claim)
        evaluations = self.b._bulk(Evaluation, evaluations)
        for evaluation, claim in zip(evaluations, claims, strict=True):
            claim.evaluation = evaluation
        self.b._bulk(SubsidyClaim, claims)

    def _graded(self, p, year, start, end, verified_days, logs):
        rng = self.rng
        in_period = [log for log in logs if start <= log.day <= end]
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        n_outcomes = sum(1 for d in verified_days if start <= d <= end)
        grade = Grade.EXCELLENT if n_outcomes >= 2 or rng.random() < 0.2 else Grade.PASS
        agreement = self.agreements[p.pk]
        evaluation = Evaluation(
            placement=p, agreement=agreement, year=year, period_start=start, period_end=end,
            kind=Evaluation.Kind.FINAL if p.programme == Programme.PHD and end == p.ends_on
            else Evaluation.Kind.ANNUAL,
            self_report="按协议完成驻企服务，参与企业技术攻关。", company_opinion="服务认真，达到预期。",
            targets_total=3, targets_met=3 if grade == Grade.EXCELLENT else 2,
            days_required=agreement.service_days_per_month * months,
            days_logged=len(in_period),
            days_confirmed=sum(1 for log in in_period if log.status == "confirmed"),
            outcomes_verified=n_outcomes, status="graded", grade=grade,
            graded_by=self.b.staff, graded_at=timezone.now())
        policy = self.policies[p.programme]
        monthly = Decimal(rng.randrange(8000, 15000, 500) if p.programme == Programme.PHD
                          else rng.randrange(15000, 25000, 1000))
        salaries = [(f"{m:%Y-%m}", monthly) for m in _months(start, end)]
        counted, amount, lines = compute(Terms.of(policy), grade=grade, year=year,
                                         salaries=salaries)
        approved = p.programme == Programme.PHD
        owner = self.owner[p.company_id]
        claim = SubsidyClaim(
            placement=p, policy=policy, salaries=[{"month": m, "amount": str(a)}
                                                  for m, a in salaries],
            salary_counted=counted, amount=amount, explanation=lines, filed_by=owner,
            status="approved" if approved else "pending",
            decided_by=self.b.staff if approved else None,
            decided_at=timezone.now() if approved else None)
        return evaluation, claim


def _months(start: datetime.date, end: datetime.date):
    """The first day of each month from `start`'s to `end`'s."""
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)
