"""A check constraint whose violation is an error on the field it bounds.

Django reports a violated CheckConstraint as a form-wide error naming the
constraint (`约束 "researcher_capacity_1_to_10" 是无效的`). Every check constraint of
the project is a `FieldCheck` instead: it names the field it bounds and a message
that says the allowed values, and `full_clean()` (which the services, hence the
website, the API and the admin, all call) reports it on that field.
"""

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models


class FieldCheck(models.CheckConstraint):
    def __init__(self, *, field: str, violation_error_message, **kwargs):
        if not violation_error_message:
            raise ValueError("A FieldCheck says the allowed values in its message.")
        self.field = field
        super().__init__(violation_error_message=violation_error_message, **kwargs)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if exclude and self.field in exclude:
            return  # the field has its own error already, or is not on the form
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            raise ValidationError({self.field: error.error_list}) from None

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "field": self.field}

    def __eq__(self, other):
        return super().__eq__(other) and self.field == getattr(other, "field", None)
