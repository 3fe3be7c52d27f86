"""The demo district's outcome details (issue 18): its technology contracts are
registered, its patent numbers carry their check character, its funded
projects name a programme of the reference table, and what counts was confirmed
by the other side. Deterministic: everything follows from the outcome's number.
"""

import datetime

from django.utils import timezone

from .identifiers import patent_check_digit
from .models import FundingProgramme, Outcome, Placement

# The demo's two funding programmes, as in the district's announcement.
FUNDING_CODES = ("zj-jianbing-lingyan", "hz-major-innovation")
CONTRACT_TYPES = list(Outcome.ContractType.values)


def patent_number(digits: str) -> str:
    return f"{digits}.{patent_check_digit(digits)}"


def demo_outcome_extras(placement: Placement, kind: str, n: int, status: str) -> dict:
    """The fields of issue 18 for the demo's outcome number `n`."""
    K = Outcome.Kind
    counted = status == Outcome.Status.VERIFIED
    extras = {"confirmed_by": placement.researcher.user if counted else None,
              "confirmed_at": timezone.now() if counted else None}
    if kind in (K.INVENTION_PATENT, K.UTILITY_MODEL):
        applied = placement.starts_on + datetime.timedelta(days=10)
        extras["applied_on"] = applied
        if kind == K.INVENTION_PATENT and n % 3 == 0:
            extras["granted_on"] = applied + datetime.timedelta(days=15)
    if kind == K.FUNDED_PROJECT:
        extras["funded_under"] = FundingProgramme.objects.get(code=FUNDING_CODES[n % 2])
    if kind == K.TECH_CONTRACT and counted:
        # Registered at 钱塘区 (330114): every verified demo contract counts.
        extras.update(registration_number=f"2025330114{n:06d}",
                      registration_office="杭州市钱塘区技术合同登记站",
                      contract_type=CONTRACT_TYPES[n % len(CONTRACT_TYPES)],
                      contract_parties=f"{placement.company.name}；"
                                       f"{placement.researcher.institution.name}")
    return extras
