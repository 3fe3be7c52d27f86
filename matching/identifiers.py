"""Identifiers an outcome is counted by: Chinese patent application numbers and
technology-contract registration numbers (技术合同登记号). Plain functions over
strings, no ORM, so that they are property-tested without a database.

A Chinese patent application number (专利申请号) is, since October 2003, twelve
digits — year (4), type (1), serial (7) — then a dot and a check character; before
that eight digits — year (2), type (1), serial (5) — then the check character. The
check character is the sum of the digits times the weights 2, 3, 4, 5, 6, 7, 8, 9,
2, 3, 4, 5 (old format: 2 … 9), modulo 11, with 10 written "X". The patent
number of a granted patent is the application number with the prefix "ZL", so
one normalised application number identifies a patent from filing to grant.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEIGHTS_12 = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
WEIGHTS_8 = (2, 3, 4, 5, 6, 7, 8, 9)

# The type digit: 1 invention, 2 utility model, 3 design; 8 and 9 are PCT
# applications entering China as an invention or a utility model.
PATENT_TYPES = {"invention": {"1", "8"}, "utility_model": {"2", "9"}}

_PATENT = re.compile(r"^(\d{12}|\d{8})\.?([\dX])$")
# What people type around the number: a country or grant prefix, spaces.
_PATENT_NOISE = re.compile(r"^(CN|ZL)|\s", re.IGNORECASE)

# 技术合同登记号: the year the contract was registered (4 digits), the six-digit
# administrative-division code of the registering office (e.g. 330114, 钱塘区),
# then the office's serial number (4–8 digits). Registries print it in this
# shape; there is no published check digit, so the form and a plausible year
# and province are what can be checked.
_CONTRACT = re.compile(r"^(?P<year>(19|20)\d{2})(?P<region>[1-8]\d{5})(?P<serial>\d{4,8})$")


def patent_check_digit(digits: str) -> str:
    """The check character of 12 or 8 application-number digits."""
    weights = WEIGHTS_12 if len(digits) == 12 else WEIGHTS_8
    if len(digits) not in (8, 12) or not digits.isdigit():
        raise ValueError("a patent application number has 8 or 12 digits")
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return "X" if total == 10 else str(total)


def normalize_patent_number(value: str, kind: str | None = None) -> str:
    """`value` as "202310123456.6" (or "97123456.7"), or a ValidationError saying
    what is wrong. "CN", "ZL" and spaces are dropped; the dot may be omitted.
    `kind` ("invention" or "utility_model") also checks the type digit."""
    raw = _PATENT_NOISE.sub("", (value or "").strip().upper())
    match = _PATENT.match(raw)
    if not match:
        raise ValidationError(
            _("A Chinese patent application number has 12 digits, a dot and a check "
              "character, e.g. 202310123456.6 (before 2003: 8 digits)."), code="format")
    digits, check = match.groups()
    if patent_check_digit(digits) != check:
        raise ValidationError(_("The check character of this patent number is wrong: "
                                "please check the number."), code="check_digit")
    type_digit = digits[4] if len(digits) == 12 else digits[2]
    if kind in PATENT_TYPES and type_digit not in PATENT_TYPES[kind]:
        raise ValidationError(_("This number is not the number of a patent of this kind."),
                              code="patent_type")
    return f"{digits}.{check}"


def normalize_contract_number(value: str) -> str:
    """A technology-contract registration number without spaces or dashes, or a
    ValidationError."""
    raw = re.sub(r"[\s-]", "", (value or "").strip())
    if not _CONTRACT.match(raw):
        raise ValidationError(
            _("A technology-contract registration number is the year, the six-digit "
              "code of the registering office and its serial number, e.g. "
              "2025330114000123."), code="format")
    return raw
