"""What the accounts API's views share."""

from rest_framework import serializers
from rest_framework.response import Response

from config.api import StrictSerializerMixin


def text_list(**kwargs):
    """A list of short strings (keywords, disciplines); NUL characters are refused."""
    return serializers.ListField(child=serializers.CharField(max_length=100), max_length=50,
                                 required=False, **kwargs)


class ReviewRequest(StrictSerializerMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                 help_text="Required when refusing; shown to the applicant.")


def review_action(view, request, fn, serializer_class):
    obj = view.get_object()
    data = ReviewRequest(data=request.data)
    data.is_valid(raise_exception=True)
    fn(obj, by=request.user, note=data.validated_data.get("note", ""))
    obj.refresh_from_db()
    return Response(serializer_class(obj, context={"request": request}).data)
