"""What the matching API's views share."""

from rest_framework import permissions, status
from rest_framework.response import Response

SAFE = permissions.SAFE_METHODS


def respond(serializer_class, obj, request, code=status.HTTP_200_OK):
    return Response(serializer_class(obj, context={"request": request}).data, status=code)


def parse_body(serializer_class, request):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data
