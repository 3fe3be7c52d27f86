"""Chinese patent application numbers and contract registration numbers: the
check character by its definition, on every number hypothesis can think of."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from matching.identifiers import (
    normalize_contract_number,
    normalize_patent_number,
    patent_check_digit,
)

digits12 = st.text("0123456789", min_size=12, max_size=12)
digits8 = st.text("0123456789", min_size=8, max_size=8)


def by_definition(digits: str) -> str:
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5][:len(digits)]
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return "X" if total == 10 else str(total)


@given(st.one_of(digits12, digits8))
def test_the_check_character_is_the_weighted_sum_mod_11(digits):
    assert patent_check_digit(digits) == by_definition(digits)


@given(st.one_of(digits12, digits8))
def test_a_number_with_its_check_character_is_accepted_in_any_usual_spelling(digits):
    number = f"{digits}.{patent_check_digit(digits)}"
    assert normalize_patent_number(number) == number
    for spelled in (f"CN{number}", f"ZL {number}", number.replace(".", ""), f" cn{number} "):
        assert normalize_patent_number(spelled) == number


@given(st.one_of(digits12, digits8), st.sampled_from("0123456789X"))
def test_every_wrong_check_character_is_refused(digits, check):
    if check == patent_check_digit(digits):
        return
    with pytest.raises(ValidationError) as exc:
        normalize_patent_number(f"{digits}.{check}")
    assert exc.value.code == "check_digit"


@given(digits12, st.integers(0, 11), st.integers(1, 9))
def test_changing_one_digit_changes_the_check_character(digits, position, delta):
    # The weights are all below 11 and non-zero, so a single wrong digit is caught.
    changed = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1:]
    assert patent_check_digit(changed) != patent_check_digit(digits)


def test_known_numbers():
    # 2023 1 0123456: 2·2+0·3+2·4+3·5+1·6+0·7+1·8+2·9+3·2+4·3+5·4+6·5 = 127 ≡ 6 (mod 11).
    assert normalize_patent_number("202310123456.6") == "202310123456.6"
    # Old format: 6·9 = 54 ≡ 10 (mod 11), written X.
    assert normalize_patent_number("00000006.X") == "00000006.X"

@pytest.mark.parametrize("value", ["", "2023101234.6", "202310123456.66", "ABCDEFGHIJKL.1",
                                   "202310123456-6", "US202310123456.6"])
def test_malformed_numbers_are_refused(value):
    with pytest.raises(ValidationError) as exc:
        normalize_patent_number(value)
    assert exc.value.code == "format"


def test_the_type_digit_must_match_the_kind():
    assert normalize_patent_number("202310123456.6", "invention")
    with pytest.raises(ValidationError) as exc:
        normalize_patent_number("202310123456.6", "utility_model")
    assert exc.value.code == "patent_type"


@given(st.integers(1985, 2099), st.integers(110000, 829999), st.integers(0, 99999999))
def test_a_contract_number_is_year_office_and_serial(year, region, serial):
    number = f"{year}{region}{serial:06d}"
    assert normalize_contract_number(f" {number[:4]}-{number[4:]} ") == number


@pytest.mark.parametrize("value", ["", "HT-2025-001", "1850330114000123", "2025330114001",
                                   "2025030114000123", "2025330114000123456"])
def test_a_malformed_contract_number_is_refused(value):
    with pytest.raises(ValidationError):
        normalize_contract_number(value)
