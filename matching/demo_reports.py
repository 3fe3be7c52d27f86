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
DEMO_FIRST_VERIFICATION = datetime.date(2025, 3, 1)
DEMO_FROZEN_YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


def verified_on(n: int) -> datetime.datetime:
    """Spread over 2025 and 2026 (up to today): about half the demo's outcomes were
    verified in 2025, and are in its frozen report; the rest count live."""
    day = min(DEMO_FIRST_VERIFICATION + datetime.timedelta(days=(n * 7) % 600),
              timezone.localdate())
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def freeze_demo_report(staff) -> None:
    """The district's 2025 report, frozen (once 2025 is over)."""
    from .services.reports_frozen import report_freeze

    if timezone.localdate() > DEMO_FROZEN_YEAR[1]:
        report_freeze(period_start=DEMO_FROZEN_YEAR[0], period_end=DEMO_FROZEN_YEAR[1],
                      by=staff)


def patent_number(digits: str) -> str:
    return f"{digits}.{patent_check_digit(digits)}"


def demo_outcome_extras(placement: Placement, kind: str, n: int, status: str) -> dict:
    """The fields of issue 18 for the demo's outcome number `n`."""
    K = Outcome.Kind
    counted = status == Outcome.Status.VERIFIED
    decided = status != Outcome.Status.REPORTED
    extras = {"confirmed_by": placement.researcher.user if counted else None,
              "confirmed_at": verified_on(n) if counted else None,
              "verified_at": verified_on(n) if decided else None}
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
