"""How the OpenAPI schema documents errors.

drf-standardized-errors documents every operation's error responses in the one
error format. Its 400 schema lists, per operation, the exact (field, code) pairs
the serializer's own validators can produce; the services add their own codes
(a DomainError names any field of the model) and a refused field is named by
the client, so a 400 is documented here as the format itself: a type and a list
of {code, detail, attr}. A 403 (a service refusing, or a session write without
its CSRF token) and a 404 (another tenant's object, or no such page) can answer
any operation, so both are documented everywhere.
"""

from drf_standardized_errors.openapi import AutoSchema as StandardAutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable, e.g. required, invalid, "
                                           "not_writable, invalid_transition.")
    detail = serializers.CharField(help_text="For people, in the Accept-Language language.")
    attr = serializers.CharField(allow_null=True,
                                 help_text="The field the error is about; null for the "
                                           "request as a whole.")


class ErrorResponse400Serializer(serializers.Serializer):
    type = serializers.CharField(help_text="validation_error, or client_error for a body "
                                           "that could not be parsed.")
    errors = ErrorSerializer(many=True)


class AutoSchema(StandardAutoSchema):
    ALWAYS = {"400", "403", "404"}

    def _should_add_error_response(self, responses, status_code):
        if status_code in self.ALWAYS and status_code not in responses:
            return True
        if status_code == "401" and self.view.get_authenticators() and \
                status_code not in responses:
            return True  # a wrong or revoked token, also where sign-in is optional
        return super()._should_add_error_response(responses, status_code)

    def _get_error_response_serializer(self, status_code):
        if status_code == "400":
            return ErrorResponse400Serializer
        return super()._get_error_response_serializer(status_code)
