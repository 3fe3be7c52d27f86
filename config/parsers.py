"""Parsers of the REST API (own module: DRF imports them while it loads its views),
and the JSON decoder of the model fields people edit."""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


def json_depth(value) -> int:
    """How deeply lists and objects nest in a parsed JSON value (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = node.values()
        elif not isinstance(node, list):
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node)
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a limit on nesting.

    No request of this API nests deeper than a list inside an object; a body
    nested a thousand deep made the decoder raise RecursionError (a 500, even
    for an anonymous client of the token view). Such a body is a 400 saying why.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_JSON_MAX_DEPTH
        message = _("The JSON body is nested deeper than %(n)d levels.") % {"n": limit}
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(message) from None
        if json_depth(data) > limit:
            raise exceptions.ParseError(message)
        return data


class BoundedJSONDecoder(json.JSONDecoder):
    """The decoder of the JSON fields people type into forms (the admin's lists of
    keywords and disciplines): text nested too deep is "not valid JSON" on the
    field, where the plain decoder raised RecursionError (a 500)."""

    def decode(self, s, *args, **kwargs):
        try:
            value = super().decode(s, *args, **kwargs)
        except RecursionError:
            raise json.JSONDecodeError("nested too deep", s, 0) from None
        if json_depth(value) > settings.API_JSON_MAX_DEPTH:
            raise json.JSONDecodeError("nested too deep", s, 0)
        return value
