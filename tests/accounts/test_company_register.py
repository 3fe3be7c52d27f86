import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.errors import DomainError
from accounts.models import Company, CompanyMembership
from accounts.services import company_register, company_verify
from tests.factories import UserFactory, credit_code

pytestmark = pytest.mark.django_db



def test_the_registering_user_becomes_owner_of_an_unverified_company():
    owner = UserFactory()
    company = company_register(owner=owner, name="杭州钱塘光伏科技有限公司", credit_code=credit_code(1))
    assert not company.is_verified
    assert CompanyMembership.objects.get(company=company, user=owner).role == "owner"


def test_it_accepts_a_lower_case_code_and_stores_it_upper_case():
    from stdnum.cn import uscc

    code = "91330114MA2H0XXU0" + uscc.calc_check_digit("91330114MA2H0XXU0")
    company = company_register(owner=UserFactory(), name="甲", credit_code=code.lower())
    assert company.credit_code == code


def _with_wrong_check_character(code: str) -> str:
    return code[:-1] + ("1" if code[-1] != "1" else "2")


@pytest.mark.parametrize("code, message", [
    (_with_wrong_check_character(credit_code(7)), "check character"),
    ("9133011", "18 characters"),
    ("913301I4MA2H0XXU0A", "8 digits"),
])
def test_an_invalid_credit_code_is_refused_with_a_message_naming_the_field(code, message):
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            company_register(owner=UserFactory(), name="甲", credit_code=code)
        assert list(exc.value.message_dict) == ["credit_code"]
        assert message in exc.value.message_dict["credit_code"][0]
    assert not Company.objects.exists()
    assert not CompanyMembership.objects.exists()


def test_the_credit_code_error_reads_in_chinese_by_default():
    with pytest.raises(ValidationError) as exc:
        company_register(owner=UserFactory(), name="甲",
                         credit_code=_with_wrong_check_character(credit_code(8)))
    assert "校验" in exc.value.message_dict["credit_code"][0]


def test_a_second_company_with_the_same_code_is_refused():
    company_register(owner=UserFactory(), name="甲", credit_code=credit_code(2))
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        company_register(owner=UserFactory(), name="乙", credit_code=credit_code(2))
    assert "credit_code" in exc.value.message_dict
    assert Company.objects.count() == 1


def test_only_staff_verify_a_company(alice, acme, sam):
    acme.verified_at = None
    acme.save()
    with pytest.raises(DomainError):
        company_verify(company=acme, by=alice)
    company_verify(company=acme, by=sam)
    acme.refresh_from_db()
    assert acme.verified_by == sam
