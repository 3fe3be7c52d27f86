from django.core.exceptions import ValidationError
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
