"""Shared personas (see STYLE.md):

- alice: owner of Acme (a verified company)
- bob: member of Acme
- charlie: owner of Other Co, who must see nothing of Acme
- rita: a verified researcher
- oscar: another researcher, who must see nothing of rita's
- ursula: the office (科研处) of rita's university, who co-signs rita's agreements
- vera: district staff, a reviewer (审核员): acts on the queues, runs nothing
- sam: district staff, an administrator (管理员)
"""

import pytest
from django.conf import settings
from django.utils import translation

from accounts.models import CompanyMembership, InstitutionOffice
from accounts.roles import Role

from . import factories as f


@pytest.fixture
def acme(db):
    return f.CompanyFactory(name="杭州钱塘光伏科技有限公司")


@pytest.fixture
def other_company(db):
    return f.CompanyFactory(name="浙江临江新材料有限公司")


@pytest.fixture
def alice(acme):
    return f.MembershipFactory(company=acme, user__email="alice@acme.cn").user


@pytest.fixture
def bob(acme):
    return f.MembershipFactory(company=acme, user__email="bob@acme.cn",
                               role=CompanyMembership.Role.MEMBER).user


@pytest.fixture
def charlie(other_company):
    return f.MembershipFactory(company=other_company, user__email="charlie@other.cn").user


@pytest.fixture
def rita(db):
    return f.ResearcherFactory(user__email="rita@hdu.edu.cn")


@pytest.fixture
def oscar(db):
    return f.ResearcherFactory(user__email="oscar@zstu.edu.cn")


@pytest.fixture
def ursula(rita):
    user = f.UserFactory(email="ursula@hdu.edu.cn", full_name="杭电科研处")
    InstitutionOffice.objects.create(institution=rita.institution, user=user)
    return user


@pytest.fixture
def sam(db):
    return f.StaffFactory(email="sam@qiantang.gov.cn", role=Role.ADMINISTRATOR)


@pytest.fixture
def vera(db):
    return f.StaffFactory(email="vera@qiantang.gov.cn", role=Role.REVIEWER)


@pytest.fixture
def superuser(db):
    return f.UserFactory(email="root@qiantang.gov.cn", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language, whatever the last one's
    requests activated (the active language is per thread)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_terminal_summary(terminalreporter):
    """The hostile-input figures: requests tried and server errors seen."""
    from .hostile import TALLY

    if TALLY["tried"]:
        terminalreporter.write_line(
            f"hostile input: {TALLY['tried']} requests tried, "
            f"{TALLY['server_errors']} answered 5xx")
