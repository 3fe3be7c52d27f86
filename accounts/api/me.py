"""The requester: `me/`."""

from django.db.models import Prefetch
from rest_framework import generics, serializers

from ..models import (
    CompanyMembership,
    User,
)
from .auth import UserSerializer


class MyCompanySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="company.id")
    name = serializers.CharField(source="company.name")
    role = serializers.ChoiceField(choices=CompanyMembership.Role.choices)
    verified = serializers.BooleanField(source="company.is_verified")


class MeSerializer(UserSerializer):
    is_staff = serializers.BooleanField(read_only=True)
    companies = MyCompanySerializer(source="memberships", many=True, read_only=True)
    researcher = serializers.SerializerMethodField()
    unread_notifications = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "is_staff", "companies", "researcher",
                  "unread_notifications"]

    def get_researcher(self, user) -> int | None:
        profile = getattr(user, "researcher", None)
        return profile.pk if profile else None

    def get_unread_notifications(self, user) -> int:
        return user.notifications.filter(read_at__isnull=True).count()


class MeView(generics.RetrieveUpdateAPIView):
    """The requester: their account, the companies they belong to (with their role),
    their researcher profile's id if any, and how many notifications are unread."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return (User.objects.select_related("researcher")
                .prefetch_related(Prefetch("memberships",
                                           CompanyMembership.objects.select_related("company")))
                .get(pk=self.request.user.pk))

    def perform_update(self, serializer):
        user = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(user, name, value)
        user.full_clean()
        user.save(update_fields=list(serializer.validated_data))
