from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A rule of the domain refused an action; the message is for the user.

    It is a ValidationError so that forms, the admin and the API show it like
    any other validation message, attached to `field` when one is named.
    """

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        self.field = field
        if field:
            super().__init__({field: [ValidationError(message, code=code)]})
        else:
            super().__init__(message, code=code)
