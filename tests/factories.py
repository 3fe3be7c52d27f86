import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from stdnum.cn import uscc

from accounts.models import (
    Company,
    CompanyMembership,
    Consent,
    Institution,
    LeadingIndustry,
    ResearcherProfile,
    User,
    Work,
)
from accounts.roles import roles_sync
from matching.models import Application, Challenge, Cohort, Outcome, Placement, Programme

PASSWORD = "correct-horse-battery-staple"


def credit_code(n: int) -> str:
    body = f"9133011400000{n:04d}"
    return body + uscc.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password(PASSWORD)


class StaffFactory(UserFactory):
    """District staff in one role (a group of accounts/roles.py)."""

    is_staff = True

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def role(self, create, role, **kwargs):
        if create and role:
            # get_or_create: a transactional test may run before the groups are synced.
            self.groups.add(Group.objects.get_or_create(name=role)[0])
            roles_sync()


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"杭州测试科技有限公司{n}")
    credit_code = factory.Sequence(credit_code)
    # get_or_create: transactional tests flush the reference data the migration loaded.
    leading_industry = factory.LazyFunction(lambda: LeadingIndustry.objects.get_or_create(
        code="chips", defaults={"name": "芯", "name_en": "Chips"})[0])
    verified_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyMembership

    company = factory.SubFactory(CompanyFactory)
    user = factory.SubFactory(UserFactory)
    role = CompanyMembership.Role.OWNER


class ResearcherFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    institution = factory.LazyFunction(lambda: Institution.objects.get_or_create(
        name="杭州电子科技大学", defaults={"name_en": "Hangzhou Dianzi University"})[0])
    title = ResearcherProfile.Title.ASSOCIATE_PROFESSOR
    disciplines = ["电子科学与技术"]
    keywords = ["钙钛矿", "太阳能电池"]
    verified_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = ResearcherProfile
        skip_postgeneration_save = True

    @factory.post_generation
    def shown_to_companies(self, create, shown, **kwargs):
        """Agreed to be shown to companies (issue 15), unless `shown_to_companies=False`."""
        if create and shown is not False:
            Consent.objects.create(user=self.user, kind=Consent.Kind.VISIBILITY,
                                   given_at=timezone.now())


class WorkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Work

    researcher = factory.SubFactory(ResearcherFactory)
    title = "钙钛矿太阳能电池的界面钝化研究"
    abstract = "研究了钙钛矿薄膜的界面缺陷钝化方法。"
    representative = True


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"第{o.number}期")
    # A cohort still to serve: a past one can no longer be run.
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=395))
    year = factory.LazyAttribute(lambda o: o.starts_on.year)


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    programme = Programme.BOUNTY
    title = "钙钛矿电池稳定性提升"
    background = "企业量产钙钛矿组件，湿热老化后效率衰减明显。"
    required_expertise = ["钙钛矿", "封装"]
    # Complete enough to be submitted for review (matching.services.challenges).
    industry = factory.LazyFunction(lambda: LeadingIndustry.objects.get_or_create(
        code="chips", defaults={"name": "芯", "name_en": "Chips"})[0])
    reward = Decimal("50")
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = Challenge.Status.DRAFT

    @factory.post_generation
    def search_documents(obj, create, extracted, **kwargs):
        # As the services do after every write of a need.
        if create:
            from matching.search import challenge_search_index

            challenge_search_index(challenges=[obj])


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    challenge = factory.SubFactory(ChallengeFactory, status=Challenge.Status.PUBLISHED)
    researcher = factory.SubFactory(ResearcherFactory)
    proposal = "采用二维钝化层与原子层沉积封装。"


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    programme = Programme.BOUNTY
    company = factory.SubFactory(CompanyFactory)
    researcher = factory.SubFactory(ResearcherFactory)
    starts_on = datetime.date(2025, 1, 1)
    ends_on = datetime.date(2026, 1, 1)
    status = Placement.Status.PENDING


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    placement = factory.SubFactory(PlacementFactory, status=Placement.Status.ACTIVE)
    kind = Outcome.Kind.TECH_CONTRACT
    title = "技术开发合同"
    identifier = factory.Sequence(lambda n: f"HT-{n:05d}")
    amount = Decimal("120.50")
    achieved_on = datetime.date(2025, 6, 1)
    # A technology contract is registered (技术合同登记) unless a test says not:
    # only registered contracts count in the deal value.
    registration_number = factory.LazyAttributeSequence(
        lambda o, n: f"2025330114{n:06d}" if o.kind == Outcome.Kind.TECH_CONTRACT else "")
    registration_office = factory.LazyAttribute(
        lambda o: "杭州市钱塘区技术合同登记站" if o.registration_number else "")
    contract_type = factory.LazyAttribute(
        lambda o: Outcome.ContractType.DEVELOPMENT if o.registration_number else "")
