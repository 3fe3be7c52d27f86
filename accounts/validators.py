import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def validate_credit_code(value: str) -> None:
    """统一社会信用代码 per GB 32100-2015, check character included."""
    try:
        uscc.validate(value)
    except InvalidLength:
        raise ValidationError(_("A unified social credit code has 18 characters."),
                              code="credit_code_length") from None
    except InvalidChecksum:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong; "
              "please copy it again from the business licence."),
            code="credit_code_checksum") from None
    except StdnumError:
        raise ValidationError(
            _("A unified social credit code has 8 digits, then 10 digits or capital letters "
              "(not I, O, S, V or Z)."), code="credit_code_format") from None


# --- Dates -------------------------------------------------------------------------
# One rule for every date people enter, per kind, used by the models' fields so that
# the website, the API, the admin and the imports all refuse the same values with
# the same message on the field. Year 1 or 9999 is always a typo here (and 9999-12-31
# overflowed when a default end date was computed from it). Dates are typed in ASCII
# digits: full-width ones (２０２５-０３-０１) are refused as a wrong format by the
# forms and by the API (config.api.DateField) alike.
EARLIEST_DATE = datetime.date(2000, 1, 1)  # before the district's programmes
EARLIEST_WORK_YEAR = 1950
PERIOD_YEARS_AHEAD = 10  # a placement or cohort planned at most this far ahead
DEADLINE_YEARS_AHEAD = 3  # a need's application deadline


def _years_ahead(years: int) -> datetime.date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def _refuse_before_earliest(value: datetime.date) -> None:
    if value < EARLIEST_DATE:
        raise ValidationError(_("Enter a date after %(date)s.") % {"date": EARLIEST_DATE},
                              code="date_too_early")


def validate_period_date(value: datetime.date) -> None:
    """The start or end of a placement or cohort, or a cohort's preference window."""
    _refuse_before_earliest(value)
    latest = _years_ahead(PERIOD_YEARS_AHEAD)
    if value > latest:
        raise ValidationError(_("Enter a date before %(date)s.") % {"date": latest},
                              code="date_too_late")


def validate_past_date(value: datetime.date) -> None:
    """The day an outcome was achieved: it has happened."""
    _refuse_before_earliest(value)
    if value > timezone.localdate():
        raise ValidationError(_("This date is in the future; report an outcome once it is "
                                "achieved."), code="date_in_future")


def validate_deadline(value: datetime.date) -> None:
    """A need's deadline: at most a few years ahead."""
    _refuse_before_earliest(value)
    latest = _years_ahead(DEADLINE_YEARS_AHEAD)
    if value > latest:
        raise ValidationError(
            _("A deadline can be at most %(n)d years ahead (until %(date)s).")
            % {"n": DEADLINE_YEARS_AHEAD, "date": latest}, code="date_too_late")


def validate_work_year(value: int) -> None:
    """The year of a paper, patent or project: not after this year."""
    this_year = timezone.localdate().year
    if value > this_year:
        raise ValidationError(_("The year cannot be after this year (%(year)d).")
                              % {"year": this_year}, code="year_in_future")
    if value < EARLIEST_WORK_YEAR:
        raise ValidationError(_("Enter a year after %(year)d.") % {"year": EARLIEST_WORK_YEAR},
                              code="year_too_early")


def validate_cohort_year(value: int) -> None:
    """The year a cohort runs in, within the bounds of its dates."""
    first, last = EARLIEST_DATE.year, _years_ahead(PERIOD_YEARS_AHEAD).year
    if not first <= value <= last:
        raise ValidationError(_("Enter a year between %(first)d and %(last)d.")
                              % {"first": first, "last": last}, code="year_out_of_range")


# --- Phone numbers ---------------------------------------------------------------
# A mobile (138 0000 0000), a landline with its area code (0571-8888 8888), either
# with +86, and an extension after 转 or "ext". ASCII digits only, so that a number
# can be dialled and compared; letters, emoji and full-width digits are refused.
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,22}(\s*(转|ext\.?|x)\s*[0-9]{1,6})?$", re.IGNORECASE)


def validate_phone(value: str) -> None:
    digits = sum(c in "0123456789" for c in value)
    if not _PHONE.match(value) or not 7 <= digits <= 20:
        raise ValidationError(
            _("Enter a phone number in digits, e.g. 138 0000 0000 or 0571-8888 8888."),
            code="phone")
